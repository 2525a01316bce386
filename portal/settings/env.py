"""The one place where the environment is read. Every setting that differs between machines comes from here."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def get(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def listing(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database(default_sqlite: Path) -> dict:
    """SQLite unless DATABASE_URL names another database (PostgreSQL in production)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
                                   conn_health_checks=True)
    return config


def build_id(base_dir: Path) -> str:
    """A short hash of what rendered pages are made of (templates, translations, stylesheets).

    Used as the cache key prefix, so a deployment that changes any of them starts with a fresh page
    and PDF cache instead of serving HTML rendered by the previous release.
    """
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    for pattern in ("templates/**/*.html", "locale/**/*.mo", "static/css/*.css"):
        for path in sorted(base_dir.glob(pattern)):
            digest.update(str(path.relative_to(base_dir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
