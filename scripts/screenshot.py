#!/usr/bin/env python
"""Screenshot pages the way people see them: `python scripts/screenshot.py URL OUT.png [--desktop] [--full]`.

Uses Debian's chromium through Playwright (no browser download).
"""

import argparse

from playwright.sync_api import sync_playwright

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--desktop", action="store_true")
    parser.add_argument("--full", action="store_true", help="the whole page, not just the first screen")
    parser.add_argument("--lang", default="zh-hans")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(**(DESKTOP if args.desktop else PHONE), locale="zh-CN")
        if args.lang != "zh-hans":
            from urllib.parse import urlsplit

            host = urlsplit(args.url).hostname
            context.add_cookies([{"name": "lang", "value": args.lang, "domain": host, "path": "/"}])
        page = context.new_page()
        page.goto(args.url)
        page.screenshot(path=args.out, full_page=args.full)
        browser.close()


if __name__ == "__main__":
    main()
