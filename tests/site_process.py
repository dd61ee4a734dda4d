"""The site as production runs it: gunicorn in a process of its own, on a PostgreSQL database of its own.

For the tests of what a server does when its database or its cache fails or changes behind its back
(the database reached through ``bench.tcp_proxy.TcpProxy``, so a test can hang or cut it). The databases
are made on the machine's PostgreSQL (``POSTGRES_URL``, as in the Makefile) and dropped afterwards.
"""

import http.client
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

PROJECT_DIR = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/outsourcing")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
# Short, so the tests are; the bounds they check are stated in these terms.
STATEMENT_TIMEOUT = 2
CONNECT_TIMEOUT = 2  # libpq's least


def database_url(name, host=None, port=None):
    """``POSTGRES_URL`` for the database ``name``, reached at ``host:port`` if given (a proxy)."""
    parts = urlsplit(POSTGRES_URL)
    user = parts.netloc.rpartition("@")[0]
    address = f"{host or parts.hostname}:{port or parts.port or 5432}"
    return urlunsplit((parts.scheme, f"{user}@{address}" if user else address, f"/{name}", "", ""))


def postgres_address():
    parts = urlsplit(POSTGRES_URL)
    return parts.hostname, parts.port or 5432


def readme_backup_commands(database, dump):
    """The README's pg_dump and pg_restore commands, word by word, for ``database`` and the file ``dump``."""
    readme = (PROJECT_DIR / "README.md").read_text()
    commands = {}
    for line in readme.splitlines():
        program = line.strip().partition(" ")[0]
        if program in {"pg_dump", "pg_restore"}:
            commands[program] = [
                re.sub(r"\boutsourcing\b(?!\.dump)", database, word).replace("outsourcing.dump", str(dump))
                for word in shlex.split(line)
            ]
    return commands["pg_dump"], commands["pg_restore"]


def postgres_client_environment():
    """What pg_dump and pg_restore read to reach ``POSTGRES_URL``'s server."""
    parts = urlsplit(POSTGRES_URL)
    environment = {**os.environ, "PGHOST": parts.hostname, "PGPORT": str(parts.port or 5432)}
    if parts.username:
        environment["PGUSER"] = parts.username
    if parts.password:
        environment["PGPASSWORD"] = parts.password
    return environment


def create_database(name, template=None):
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(database_url("postgres"), autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


def drop_database(name):
    with psycopg.connect(database_url("postgres"), autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def unique_name(purpose):
    return f"outsourcing_{purpose}_{os.getpid()}_{secrets.token_hex(3)}"


def site_environment(**variables):
    """The environment of a site process: the site's own settings (not the tests'), nothing inherited that
    points it at another database or cache."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "outsourcing_site.settings",
        "DJANGO_SECRET_KEY": "a-test-key-" + "x7Qp2" * 10,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT),
        "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        **variables,
    }


def manage(environment, *arguments):
    """Run a management command in a process of its own; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str
    seconds: float


class SiteServer:
    """gunicorn serving the site with production's config file on a free port; one worker unless told."""

    def __init__(self, log_path, **environment):
        self.port = free_port()
        self.log_path = log_path
        self.environment = site_environment(PORT=str(self.port), GUNICORN_WORKERS="1", **environment)
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "--config", "outsourcing_site/gunicorn.conf.py", "outsourcing_site.wsgi"],
                cwd=PROJECT_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_serving()
        return self

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_until_serving(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            try:
                self.get("/robots.txt", timeout=5)
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within {seconds} s:\n{self.log()}")

    def get(self, path, timeout=30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        return Reply(response.status, response.headers, text, time.monotonic() - started)

    def stylesheet(self):
        return STYLESHEET.search(self.get("/").text).group(1)

    def log(self):
        return Path(self.log_path).read_text()[-5000:]
