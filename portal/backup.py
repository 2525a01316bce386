"""Backups that restore: the database, public media and private files (complaint photos) in one archive.

An archive (portal-YYYYmmdd-HHMMSS.tar.gz) holds database.dump (PostgreSQL's pg_dump custom format) or
database.sqlite3 (SQLite's online backup), media/, private/ and manifest.json. Restoring replaces the
database and both file trees with the archive's. Used by `manage.py backup` and `manage.py restore`.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

PREFIX = "portal-"


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _dump_database(alias: str, folder: Path) -> str:
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / "database.dump"), *args], env)
        return "database.dump"
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:  # SQLite's online backup would wait for the transaction forever
            raise BackupError("cannot back up SQLite from inside a transaction")
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        return "database.sqlite3"
    raise BackupError(f"no backup for the {connection.vendor} database")


def _load_database(alias: str, folder: Path, name: str) -> None:
    connection = connections[alias]
    db = connection.settings_dict
    if name == "database.dump":
        connection.close()
        args, env = _pg_env(db)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(folder / name)], env)
        return
    connection.ensure_connection()
    source = sqlite3.connect(folder / name)
    source.backup(connection.connection)
    source.close()


def _trees() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def backup_create(*, directory: Path, alias: str = "default", keep: int | None = None) -> Path:
    """Write one archive of the database and both file trees into `directory`; keep the newest `keep`."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    archive = directory / f"{PREFIX}{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = _dump_database(alias, folder)
        manifest = {"created": stamp, "database": database, "vendor": connections[alias].vendor}
        (folder / "manifest.json").write_text(json.dumps(manifest))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(folder / "manifest.json", "manifest.json")
            tar.add(folder / database, database)
            for name, root in _trees().items():
                if root.exists():
                    tar.add(root, name)
        partial.rename(archive)  # a half-written archive never looks like a backup
    os.chmod(archive, 0o600)  # it holds reporters' identities
    if keep:
        backups_rotate(directory=directory, keep=keep)
    return archive


def backups_rotate(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives; returns those deleted."""
    archives = sorted(directory.glob(f"{PREFIX}*.tar.gz"))
    old = archives[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def _extract(tar: tarfile.TarFile, folder: Path) -> None:
    """Unpack the archive into `folder`: plain files and folders only, none outside it.

    tarfile's "data" filter does that where Python has it (3.11.4 on); Debian 12's Python 3.11.2 has
    no such filter, so there the members are checked and written one by one.
    """
    if hasattr(tarfile, "data_filter"):
        tar.extractall(folder, filter="data")
        return
    root = folder.resolve()
    for member in tar.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise BackupError(f"refusing archive member {member.name!r}: not a plain file inside the archive")
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)


def backup_restore(*, archive: Path, alias: str = "default") -> dict:
    """Replace the database and both file trees with the archive's contents."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            _extract(tar, folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest["vendor"] != connections[alias].vendor:
            raise BackupError(f"archive is of a {manifest['vendor']} database, this is {connections[alias].vendor}")
        _load_database(alias, folder, manifest["database"])
        for name, root in _trees().items():
            if root.exists():
                shutil.rmtree(root)
            if (folder / name).exists():
                shutil.copytree(folder / name, root)
            else:
                root.mkdir(parents=True, exist_ok=True)
    return manifest
