"""The site served by gunicorn in a subprocess, the way `make run` serves it, on a database of its own.

For what only a real server shows: how gunicorn answers when the application raises, chunked bodies, its own
settings, several worker processes at once and their memory.
"""

import atexit
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener, urlopen

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET_KEY = "served-site-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
STAFF_USERNAME = "editor"
STAFF_PASSWORD = "a-long-test-password"
CSRF_TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

PREPARE_DATABASE = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_content", verbosity=0)
get_user_model().objects.create_user({STAFF_USERNAME!r}, password={STAFF_PASSWORD!r}, is_staff=True)
"""


def site_environment(folder, **overrides):
    """This process's environment without the site's settings variables, pointed at files in ``folder``."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "GUNICORN_", "FORWARDED_ALLOW_IPS"))
    }
    return {
        **inherited,
        "PYTHONUNBUFFERED": "1",  # every log line in the log file as it is written
        "DJANGO_SETTINGS_MODULE": "tests.served_settings",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_CACHE_DIR": str(folder / "cache"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        **overrides,
    }


@functools.cache
def prepared_database():
    """A database with the shipped content and the staff user, made once per test process and copied for each site."""
    folder = Path(tempfile.mkdtemp(prefix="served-site-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-c", PREPARE_DATABASE],
        cwd=PROJECT_DIR,
        env=site_environment(folder),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / "db.sqlite3"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServedSite:
    def __init__(self, process, port, log_path):
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def peak_memory_bytes(self):
        """The most memory each worker process has held at once (VmHWM), added up."""
        total = 0
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) * 1024
        return total

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urlopen(f"{self.url}/healthz", timeout=10) as response:
                    if response.status == 200:
                        return
            except OSError:  # not listening yet, or a first answer slower than the timeout on a busy machine
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")


@contextmanager
def served_site(folder, **environment):
    """gunicorn with the site's gunicorn.conf.py on a fresh database in ``folder`` (shipped content, one staff user).

    ``environment`` adds or overrides environment variables (GUNICORN_WORKERS, QUIZ_START_RATE, ...).
    """
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = site_environment(folder, PORT=str(port), **environment)
    shutil.copy(prepared_database(), folder / "db.sqlite3")
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [GUNICORN, "--config", "outsourcing_site/gunicorn.conf.py", "--no-control-socket", "outsourcing_site.wsgi"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = ServedSite(process, port, log_path)
    try:
        site.wait_until_ready()
        yield site
    finally:
        process.terminate()
        process.wait(timeout=30)


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: its own cookies, redirects not followed, every answer returned whatever its status."""

    def __init__(self, site):
        self.site = site
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, path, data=None, headers=None, method=None, timeout=60):
        """(status, headers, body) of one request."""
        request = Request(self.site.url + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf_token_from(self, path):
        """Open ``path`` and return the CSRF token of its form, as a browser holds it before posting."""
        status, _, body = self.request(path)
        assert status == 200, (status, body[:500])
        return CSRF_TOKEN_FIELD.search(body.decode()).group(1)

    def sign_in_as_staff(self):
        token = self.csrf_token_from("/admin/login/")
        form = f"csrfmiddlewaretoken={token}&username={STAFF_USERNAME}&password={STAFF_PASSWORD}".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, response_headers, _ = self.request("/admin/login/?next=/admin/", data=form, headers=headers)
        assert status == 302 and response_headers["Location"] == "/admin/", status

    def csrf_cookie(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
