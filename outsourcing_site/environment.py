"""Reading settings from environment variables, and the secret key rules."""

import os
import secrets
from contextlib import suppress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
SECRET_KEY_HELP = (
    "Set DJANGO_SECRET_KEY to a random string of at least 50 characters, for example the output of "
    '`python -c "import secrets; print(secrets.token_urlsafe(64))"`.'
)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def trusted_proxy_count():
    """How many proxies in front append to X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT); 0: none is trusted."""
    return env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)


def proxy_ssl_header():
    """The header a TLS-terminating proxy sets to "https" (DJANGO_SECURE_PROXY_SSL_HEADER), e.g. X-Forwarded-Proto."""
    return os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()


def is_weak_secret_key(key):
    """The same test as Django's security check W009, so production never starts with a key it would warn about."""
    return (
        not key
        or key.startswith("django-insecure-")
        or len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    )


def production_secret_key():
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured(f"DJANGO_ENV is 'production' but DJANGO_SECRET_KEY is not set. {SECRET_KEY_HELP}")
    if is_weak_secret_key(key):
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY is too weak for production. {SECRET_KEY_HELP}")
    return key


def local_secret_key(path: Path):
    """A key for local runs: DJANGO_SECRET_KEY if set, else one generated once and kept in a git-ignored file."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(64)
    # Written aside and linked into place, so a process starting at the same moment reads a whole key.
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    draft.unlink(missing_ok=True)  # left by a process that had this id and was killed while writing
    with open_private(draft) as file:
        file.write(key + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        draft.unlink()
    return key


def open_private(path):
    """``path`` created for writing, readable by this user only from its first moment (not chmod-ed afterwards)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w")


def private_sqlite_file(name):
    """Create the SQLite database file ``name`` readable by this user only, if it does not exist yet.

    SQLite would create it with the process's umask (world-readable) and gives its -wal and -shm files the
    database file's permissions, so creating it first keeps all three private.
    """
    if not name or name == ":memory:":
        return
    # Already there, or a folder that is missing or not writable, which SQLite reports when the site connects.
    with suppress(OSError):
        open_private(name).close()
