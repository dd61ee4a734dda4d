"""The secret key and the SQLite database a first start creates are readable by their owner only, from the start."""

import json
import os
import shutil
import subprocess
import sys

from tests.served_site import PROJECT_DIR

PRIVATE_FILES = (".secret_key", "db.sqlite3")

# Runs in a fresh copy of the site: records the permissions of every file named like a private one at each file
# operation while the settings load and migrate runs, then once more with the database connection still open.
FIRST_START = f"""
import json, os, stat, sys
from pathlib import Path

seen, busy = {{}}, False

def record(event, args):
    global busy
    if busy or event not in {{"open", "os.chmod", "os.link", "os.remove", "sqlite3.connect"}}:
        return
    busy = True
    try:
        for path in Path.cwd().iterdir():
            if path.name.startswith({PRIVATE_FILES!r}):
                try:
                    seen.setdefault(path.name, set()).add(stat.S_IMODE(path.lstat().st_mode))
                except FileNotFoundError:
                    pass
    finally:
        busy = False

os.umask(0o022)
sys.addaudithook(record)
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    record("open", None)
print(json.dumps({{name: sorted(modes) for name, modes in seen.items()}}))
"""


def fresh_copy_of_the_site(folder):
    ignored = shutil.ignore_patterns(".*", "__pycache__", "node_modules", "media", "staticfiles", "db.sqlite3*")
    shutil.copytree(PROJECT_DIR, folder, ignore=ignored)
    return folder


def test_a_first_start_creates_the_secret_key_and_the_database_for_their_owner_only(tmp_path):
    site = fresh_copy_of_the_site(tmp_path / "site")
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {**inherited, "DJANGO_SETTINGS_MODULE": "outsourcing_site.settings"}

    result = subprocess.run(
        [sys.executable, "-c", FIRST_START], cwd=site, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    modes = json.loads(result.stdout.strip().splitlines()[-1])
    assert {".secret_key", "db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"} <= set(modes)
    assert {name: set(seen) for name, seen in modes.items()} == {name: {0o600} for name in modes}
