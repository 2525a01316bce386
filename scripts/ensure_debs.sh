#!/usr/bin/env bash
# Install the Debian packages the portal needs, when run as root; otherwise print the exact command.
# Usage: scripts/ensure_debs.sh package...
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo ">>> Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "!!! Missing Debian packages: ${missing[*]}"
  echo "!!! Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
fi
