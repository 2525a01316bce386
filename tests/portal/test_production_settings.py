"""Production settings refuse to start with mail that would only be logged, and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {"SECRET_KEY": "x" * 60 + "-not-a-real-key-0123456789", "ALLOWED_HOSTS": "nc.example.cn",
       "PORTAL_BASE_URL": "https://nc.example.cn", "DJANGO_SETTINGS_MODULE": "portal.settings.production"}


def _run(code: str, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_"))}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **ENV, **env},
                          capture_output=True, text=True, check=False)


SHOW = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"


def test_production_sends_mail_by_smtp():
    result = _run(SHOW, EMAIL_HOST="smtp.example.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_a_mail_server():
    result = _run(SHOW)
    assert result.returncode != 0 and "EMAIL_HOST must be set" in result.stderr


def test_production_refuses_the_console_backend():
    result = _run(SHOW, EMAIL_HOST="smtp.example.cn", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode != 0 and "SMTP only" in result.stderr
