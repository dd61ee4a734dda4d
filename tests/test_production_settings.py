"""Production settings, checked in a fresh process the way a server starts them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3Vq9-Zr_wXh2pL7sNfTc8yDbG4mJ0uAeR6iOtQ1vW5xYzH-aBcDeFgHiJkLmNoPqRsTu"


def clean_environment(**overrides):
    """This process's environment without our settings variables, plus the given ones."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return {**env, **overrides}


def manage(*args, env_overrides):
    env = clean_environment(**env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**overrides):
    return {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        **overrides,
    }


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key, complaint",
    [
        ("", "DJANGO_SECRET_KEY is not set"),
        ("short-and-guessable", "too weak"),
        ("django-insecure-" + "x" * 60, "too weak"),
        ("ab" * 40, "too weak"),
    ],
    ids=["missing", "short", "django-insecure-prefix", "few-distinct-characters"],
)
def test_production_refuses_to_start_with_a_missing_or_weak_secret_key(secret_key, complaint):
    result = manage("check", env_overrides=production(DJANGO_SECRET_KEY=secret_key))

    assert result.returncode != 0
    assert complaint in result.stderr
    assert "Set DJANGO_SECRET_KEY to a random string of at least 50 characters" in result.stderr


def test_production_responses_carry_hsts_and_secure_cookies_and_redirect_to_https():
    script = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "settings.STORAGES = {**settings.STORAGES,\n"
        "    'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='example.org')\n"
        "login = client.get('/admin/login/', secure=True)\n"
        "plain = client.get('/')\n"
        "print(json.dumps({'hsts': login['Strict-Transport-Security'],\n"
        "    'secure': bool(login.cookies['csrftoken']['secure']),"
        " 'plain_status': plain.status_code, 'plain_location': plain['Location']}))\n"
    )
    env = clean_environment(**production(DJANGO_SETTINGS_MODULE="outsourcing_site.settings"))
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["secure"] is True
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://example.org/"
