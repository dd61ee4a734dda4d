"""`make bench-faults`: two servers on PostgreSQL and Redis serve readers and quiz takers through faults.

A throwaway PostgreSQL database (migrated, shipped content) reached through ``bench.tcp_proxy.TcpProxy``,
a redis-server of its own on a free port, and two gunicorn servers (production settings and gunicorn
config) sharing both. Readers ask for cached pages, static files and pages that need the database;
quiz takers take the quiz. Phase by phase: no fault, Redis paused (SIGSTOP) and restarted, the database
hung (proxy paused) and gone (proxy cut), one gunicorn worker killed. Each phase renames a section shown
on / through the ORM in another process, and every / asked for after the rename had time to reach the
servers (CONTENT_VERSION_SECONDS plus a reading) must show it. At the end every answer a taker saw
accepted is looked up among the Answer rows. Prints a table per fault and writes
bench/results/faults.json; bench/README.md says how to read it.
"""

import argparse
import collections
import contextlib
import gzip
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from bench.run import (
    BEHIND_TLS_PROXY,
    EXCEPTION_LINE,
    HOST,
    QUIZ_SLUG,
    ROOT,
    STYLESHEET,
    UnexpectedStatus,
    answer_form,
    browser_request,
    free_port,
    production_environment,
    token,
)
from bench.tcp_proxy import TcpProxy

POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/outsourcing")
STATEMENT_TIMEOUT = 5  # the defaults of DATABASE_STATEMENT_TIMEOUT and DATABASE_CONNECT_TIMEOUT
CONNECT_TIMEOUT = 2
# No request may wait longer than the timeouts the site sets, plus a second.
LONGEST_ALLOWED = STATEMENT_TIMEOUT + CONNECT_TIMEOUT + 1
CONTENT_VERSION_SECONDS = 1
# After a rename returns, the servers have the interval plus one reading of the stamp to show it.
EDIT_REACHES_SERVERS = CONTENT_VERSION_SECONDS + 0.5
SECTION = "conclusion"
SECTION_HEADING = re.compile(r'id="conclusion-title">([^<]*)<')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fault-seconds", type=float, default=8, help="how long each fault lasts (%(default)s)")
    parser.add_argument("--recovery-seconds", type=float, default=5, help="measured after each (%(default)s)")
    parser.add_argument("--readers", type=int, default=4, help="concurrent readers (%(default)s)")
    parser.add_argument("--takers", type=int, default=4, help="concurrent quiz takers (%(default)s)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "faults.json")
    return parser.parse_args()


@dataclass
class Outcome:
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    connection_errors: int = 0
    bare_errors: int = 0
    stale: int = 0
    longest_seconds: float = 0.0
    longest_request: str = ""
    answers_accepted: int = 0
    answers_lost: int = 0
    answers_doubled: int = 0


class Recorder:
    """What every client saw, by the phase in which it asked."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "starting"
        self.outcomes = {}
        self.edits = []  # (title, when the rename returned)
        self.posted = {}  # (attempt, number) -> phase of the first POST
        self.accepted = {}  # (attempt, number) -> phase of the POST answered 302

    def outcome(self, phase):
        return self.outcomes.setdefault(phase, Outcome())

    def is_stale(self, title, started):
        """Whether ``title`` is older than the last rename that had time to reach the servers by ``started``."""
        titles = [name for name, _ in self.edits]
        reached = sum(1 for _, returned in self.edits if returned + EDIT_REACHES_SERVERS <= started)
        return reached > 0 and (title not in titles or titles.index(title) < reached - 1)

    def record(self, phase, started, request, status=None, html="", error=None, title_checked=False):
        seconds = time.monotonic() - started
        with self.lock:
            outcome = self.outcome(phase)
            outcome.requests += 1
            if seconds > outcome.longest_seconds:
                outcome.longest_seconds = seconds
                outcome.longest_request = f"{request} -> {status or type(error).__name__}"
            if error is not None:
                outcome.connection_errors += 1
                return
            outcome.statuses[str(status)] = outcome.statuses.get(str(status), 0) + 1
            if status >= 500 and not is_ours(html):
                outcome.bare_errors += 1
            if title_checked and status == 200 and self.is_stale(shown_title(html), started):
                outcome.stale += 1


def is_ours(html):
    """The site's own error page or /healthz's JSON, not a bare error from gunicorn."""
    return 'class="site-header"' in html or html.startswith('{"status"')


def shown_title(html):
    match = SECTION_HEADING.search(html)
    return match.group(1).strip() if match else None


def send(port, method, path, headers, body=None, timeout=LONGEST_ALLOWED + 5):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body, {**BEHIND_TLS_PROXY, **headers})
        response = connection.getresponse()
        content = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        return response.status, content.decode(errors="replace")
    finally:
        connection.close()


def reader(recorder, ports, stylesheet, stop):
    """A browser without cookies: mostly the cached pages, and static files and pages that need the database."""
    pages = [("/", True), ("/bpo/", False), ("/", True), (stylesheet, False), ("/robots.txt", False)]
    pages += [("/", True), ("/sitemap.xml", False), ("/quiz/bpo-or-kpo/", False), ("/healthz", False)]
    turn = 0
    while not stop.is_set():
        path, checks_title = pages[turn % len(pages)]
        port = ports[turn % len(ports)]
        turn += 1
        phase, started = recorder.phase, time.monotonic()
        try:
            status, html = send(port, "GET", path, {"Accept-Encoding": "gzip"})
        except (OSError, http.client.HTTPException) as error:
            recorder.record(phase, started, f"GET {path}", error=error)
            time.sleep(0.1)
        else:
            recorder.record(phase, started, f"GET {path}", status, html, title_checked=checks_title)


class Taker:
    """One browser taking the quiz on one server: its cookies, one kept-alive connection, each request recorded."""

    def __init__(self, recorder, port):
        self.recorder = recorder
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=LONGEST_ALLOWED + 5)
        self.cookies = {}

    def request(self, method, path, form=None):
        headers, body = browser_request({"Referer": f"https://{HOST}:{self.port}{path}"}, self.cookies, form)
        phase, started = self.recorder.phase, time.monotonic()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            html = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            self.recorder.record(phase, started, f"{method} {path}", error=error)
            self.connection.close()
            raise
        self.recorder.record(phase, started, f"{method} {path}", response.status, html)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return phase, response.status, response.getheader("Location", ""), html

    def expect(self, method, path, status, form=None):
        phase, got, location, html = self.request(method, path, form)
        if got != status:
            raise UnexpectedStatus(f"{method} {path} answered {got}")
        return phase, location, html

    def take_quiz(self):
        _, _, page = self.expect("GET", f"/quiz/{QUIZ_SLUG}/", 200)
        _, location, _ = self.expect("POST", f"/quiz/{QUIZ_SLUG}/start/", 302, {"csrfmiddlewaretoken": token(page)})
        prefix = location.split("/questions/")[0]
        attempt = prefix.rstrip("/").rsplit("/", 1)[-1]
        number = 1
        while True:
            question = f"{prefix}/questions/{number}/"
            _, _, page = self.expect("GET", question, 200)
            self.answer(attempt, number, question, answer_form(page))
            _, _, feedback = self.expect("GET", question, 200)
            if f'href="{prefix}/results/"' in feedback:
                break
            number += 1
        self.expect("GET", f"{prefix}/results/", 200)

    def answer(self, attempt, number, question, form):
        key = (attempt, number)
        self.recorder.posted.setdefault(key, self.recorder.phase)
        phase, status, _, _ = self.request("POST", question, form)
        if status != 302:
            raise UnexpectedStatus(f"POST {question} answered {status}")
        self.recorder.accepted[key] = phase


def taker(recorder, port, stop):
    while not stop.is_set():
        browser = Taker(recorder, port)
        try:
            browser.take_quiz()
        except (UnexpectedStatus, OSError, http.client.HTTPException):
            time.sleep(0.2)  # the attempt is abandoned, as a reader would; a new one starts shortly
        finally:
            browser.connection.close()


class RedisServer:
    """A redis-server of the bench's own, so it can be paused (SIGSTOP) and restarted (its data gone)."""

    def __init__(self, scratch):
        self.port = free_port()
        self.scratch = scratch
        self.process = None

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, cwd=self.scratch, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        sys.exit("redis-server did not start")

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=10)

    def restart(self):
        self.stop()
        self.start()


class Site:
    """The database, Redis, the proxy, two servers and an editor: everything the phases act on."""

    def __init__(self, scratch):
        self.scratch = scratch
        self.database = f"outsourcing_faults_{os.getpid()}"
        self.redis = RedisServer(scratch)
        self.proxy = TcpProxy(postgres_address())
        self.servers = []
        self.editor = None
        # One secret key for both servers and the editor, as in production.
        self.base_environment = production_environment(scratch, 0)

    def environment(self, port, database_port=None):
        return {
            **self.base_environment,
            "PORT": str(port),
            "DATABASE_URL": database_url(self.database, database_port),
            "REDIS_URL": f"redis://{HOST}:{self.redis.port}/0",
            "DJANGO_STATIC_ROOT": str(self.scratch / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }

    def prepare(self):
        with admin_connection() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        environment = self.environment(0)
        for command in (["migrate", "--noinput"], ["load_content"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=environment,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        self.redis.start()
        self.proxy.start()

    def start_servers(self, count=2):
        for number in range(count):
            port = free_port()
            gunicorn = str(Path(sys.executable).with_name("gunicorn"))
            with open(self.scratch / f"gunicorn-{number}.log", "w") as log:
                process = subprocess.Popen(
                    [gunicorn, "--config", "outsourcing_site/gunicorn.conf.py", "outsourcing_site.wsgi"],
                    cwd=ROOT,
                    env=self.environment(port, self.proxy.port),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            self.servers.append((port, process))
        for port, process in self.servers:
            wait_until_serving(port, process)

    def start_editor(self):
        """An editor on a third server, saving through the ORM (signals and all), directly on the database."""
        code = (
            "import sys\n"
            "from content.models import Section\n"
            "for title in sys.stdin:\n"
            f"    section = Section.objects.get(slug={SECTION!r})\n"
            "    section.title = title.strip()\n"
            "    section.save()\n"
            "    print('saved', flush=True)\n"
        )
        self.editor = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
            cwd=ROOT,
            env=self.environment(0),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def rename_section(self, title):
        self.editor.stdin.write(title + "\n")
        self.editor.stdin.flush()
        if self.editor.stdout.readline().strip() != "saved":
            sys.exit("The editor could not save.")
        return time.monotonic()

    def stop(self):
        for _, process in self.servers:
            process.terminate()
        for _, process in self.servers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        if self.editor is not None:
            self.editor.stdin.close()
            self.editor.wait(timeout=30)
        self.proxy.stop()
        with contextlib.suppress(Exception):
            self.redis.stop()
        with admin_connection() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database)))


def children(pid):
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                yield int(stat.parent.name)


def postgres_address():
    url = psycopg.conninfo.conninfo_to_dict(POSTGRES_URL)
    return url.get("host", HOST), int(url.get("port", 5432))


def database_url(name, port=None):
    host, default_port = postgres_address()
    user = psycopg.conninfo.conninfo_to_dict(POSTGRES_URL).get("user", "postgres")
    return f"postgres://{user}@{host}:{port or default_port}/{name}"


def admin_connection():
    return psycopg.connect(database_url("postgres"), autocommit=True, connect_timeout=5)


def wait_until_serving(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if send(port, "GET", "/healthz", {}, timeout=5)[0] == 200:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn on port {port} is not healthy after {seconds} s")


def pause_redis(site):
    site.redis.pause()
    return site.redis.resume


def restart_redis(site):
    site.redis.restart()
    return None


def hang_database(site):
    site.proxy.pause()
    return site.proxy.resume


def lose_database(site):
    site.proxy.cut()
    return site.proxy.resume


def kill_a_worker(site):
    _, master = site.servers[0]
    os.kill(next(children(master.pid)), signal.SIGKILL)
    return None


FAULTS = [
    ("none", None),
    ("Redis paused", pause_redis),
    ("Redis restarted", restart_redis),
    ("database hung", hang_database),
    ("database gone", lose_database),
    ("a worker killed", kill_a_worker),
]


def run_phases(site, recorder, args):
    for number, (name, fault) in enumerate(FAULTS, start=1):
        print(f"Phase {number}/{len(FAULTS)}: {name} ...", flush=True)
        recorder.phase = name
        recorder.edits.append((f"Conclusion, phase {number}", site.rename_section(f"Conclusion, phase {number}")))
        time.sleep(EDIT_REACHES_SERVERS + 0.5)
        heal = fault(site) if fault else None
        time.sleep(args.fault_seconds)
        if heal:
            heal()
        wait_until_healthy(site)
        title = f"Conclusion, after phase {number}"
        recorder.edits.append((title, site.rename_section(title)))
        time.sleep(args.recovery_seconds)


def wait_until_healthy(site, seconds=LONGEST_ALLOWED * 2):
    deadline = time.monotonic() + seconds
    for port, _ in site.servers:
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if send(port, "GET", "/healthz", {}, timeout=2)[0] == 200:
                    break
            time.sleep(0.2)


def check_answers(site, recorder):
    """Every answer a taker saw accepted against the Answer rows: lost (accepted, no row) or doubled."""
    with psycopg.connect(database_url(site.database), connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT attempt.public_id::text, attempt.question_ids, attempt.answered_count, "
            "array_remove(array_agg(answer.question_id), NULL) "
            "FROM quiz_attempt attempt LEFT JOIN quiz_answer answer ON answer.attempt_id = attempt.id "
            "GROUP BY attempt.id"
        ).fetchall()
    stored = {}
    for attempt, question_ids, answered_count, answered in rows:
        numbers = [question_ids.index(question) + 1 for question in answered]
        stored[attempt] = numbers
        phase = recorder.posted.get((attempt, 1), "starting")
        doubled = len(numbers) - len(set(numbers)) + max(0, answered_count - len(set(numbers)))
        doubled += sum(1 for number in set(numbers) if (attempt, number) not in recorder.posted)
        recorder.outcome(phase).answers_doubled += doubled
    for (attempt, number), phase in recorder.accepted.items():
        recorder.outcome(phase).answers_accepted += 1
        if number not in stored.get(attempt, []):
            recorder.outcome(phase).answers_lost += 1


def print_table(recorder):
    header = (
        f"{'fault':<16} {'requests':>8} {'2xx/3xx':>8} {'503':>5} {'other':>5} {'conn':>5} {'bare':>5} "
        f"{'stale':>5} {'answers':>7} {'lost':>5} {'doubled':>7} {'longest ms':>10}  slowest request"
    )
    print("\n" + header)
    print("-" * len(header))
    for name, _ in FAULTS:
        outcome = recorder.outcome(name)
        slowest = re.sub(r"/attempts/[^/]+/", "/attempts/…/", outcome.longest_request)
        ok = sum(count for status, count in outcome.statuses.items() if status[0] in "23")
        unavailable = outcome.statuses.get("503", 0)
        other = outcome.requests - outcome.connection_errors - ok - unavailable
        print(
            f"{name:<16} {outcome.requests:>8} {ok:>8} {unavailable:>5} {other:>5} {outcome.connection_errors:>5} "
            f"{outcome.bare_errors:>5} {outcome.stale:>5} {outcome.answers_accepted:>7} {outcome.answers_lost:>5} "
            f"{outcome.answers_doubled:>7} {outcome.longest_seconds * 1000:>10.0f}  {slowest}"
        )


def verdict(recorder):
    """The promises: no bare gunicorn error, no stale page, no answer lost or doubled, no wait past the bound."""
    broken = []
    for name, outcome in recorder.outcomes.items():
        for count, what in [
            (outcome.bare_errors, "bare gunicorn errors"),
            (outcome.stale, "stale pages"),
            (outcome.answers_lost, "answers lost"),
            (outcome.answers_doubled, "answers doubled"),
        ]:
            if count:
                broken.append(f"{name}: {count} {what}")
        if outcome.longest_seconds > LONGEST_ALLOWED:
            broken.append(f"{name}: a request waited {outcome.longest_seconds:.1f} s (> {LONGEST_ALLOWED} s)")
    return broken


def run(args):
    with tempfile.TemporaryDirectory(prefix="outsourcing-faults-") as scratch:
        site = Site(Path(scratch))
        print(f"Preparing PostgreSQL database {site.database}, Redis and two servers ...", flush=True)
        try:
            site.prepare()
            site.start_servers()
            site.start_editor()
            stylesheet = STYLESHEET.search(send(site.servers[0][0], "GET", "/", {})[1]).group(1)
            recorder = Recorder()
            stop = threading.Event()
            ports = [port for port, _ in site.servers]
            clients = [
                threading.Thread(target=reader, args=(recorder, ports, stylesheet, stop)) for _ in range(args.readers)
            ]
            clients += [
                threading.Thread(target=taker, args=(recorder, ports[n % len(ports)], stop)) for n in range(args.takers)
            ]
            for client in clients:
                client.start()
            try:
                run_phases(site, recorder, args)
            finally:
                stop.set()
                for client in clients:
                    client.join()
            check_answers(site, recorder)
            logs = "".join((site.scratch / f"gunicorn-{n}.log").read_text() for n in range(len(site.servers)))
            (ROOT / "bench" / "results" / "faults-servers.log").write_text(logs)
        finally:
            site.stop()
    return recorder, logs


def main():
    args = parse_args()
    recorder, logs = run(args)
    print_table(recorder)
    broken = verdict(recorder)
    exceptions = collections.Counter(EXCEPTION_LINE.findall(logs))
    print(
        f"\nLongest wait allowed: {LONGEST_ALLOWED} s "
        f"(statement {STATEMENT_TIMEOUT} s + connect {CONNECT_TIMEOUT} s + 1 s)."
    )
    print("Exceptions logged by the servers:" if exceptions else "No exception logged by the servers.")
    for line, count in exceptions.most_common():
        print(f"  {count:>5} x {line[:150]}")
    print("All promises kept." if not broken else "Broken:\n  " + "\n  ".join(broken))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "arguments": {name: str(value) for name, value in vars(args).items()},
        "longest_allowed_seconds": LONGEST_ALLOWED,
        "phases": {name: asdict(recorder.outcome(name)) for name, _ in FAULTS},
        "exceptions_in_server_logs": dict(exceptions),
        "broken": broken,
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
