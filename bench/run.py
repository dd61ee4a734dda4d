"""`make bench`: serve the site the way production does, then measure it.

A throwaway SQLite database and cache folder; migrate, load_content, collectstatic;
gunicorn with outsourcing_site/gunicorn.conf.py and DEBUG off on a free port; a
warm-up; then interleaved rounds, each of them wrk against cached /, uncached /, /bpo/,
the hashed CSS file and /healthz at each connection count and a spell of concurrent quiz
takers, with the machine's load average recorded. Then the quiz section again on
PostgreSQL (a scratch database on POSTGRES_URL's server, created and dropped here):
cached / and the quiz takers, round after round. Prints the medians, the ratios, the
spread between rounds and the page weight, and writes bench/results/latest.json.
bench/README.md says how to read the figures.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import runpy
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
HOST = "127.0.0.1"
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"
# Production runs behind a TLS-terminating proxy that says so in this header (DJANGO_SECURE_PROXY_SSL_HEADER).
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}
QUIZ_SLUG = "bpo-or-kpo"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A sort question's radio buttons: one group per row, one button per model.
SORT_ROW = re.compile(r'name="(row-\d+)" id="[^"]+" value="([^"]+)"')
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/outsourcing")
# Created for the PostgreSQL run and dropped after it.
SCRATCH_DATABASE = "outsourcing_bench_quiz"
DATABASES = ("sqlite", "postgres")
# The requests issue 16 sets the quiz's target for: a question page, an answer (POST and redirect), its feedback.
QUIZ_PAGES = ("question", "answer", "feedback")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
LINKED_ASSET = re.compile(r'<(?:link rel="stylesheet" href|script[^>]* src)="([^"]+)"')
SERVER_ERROR_LINE = re.compile(r"logger=outsourcing_site\.requests .* status=5\d\d ")
EXCEPTION_LINE = re.compile(r"^(?:\w+\.)*\w+(?:Error|Exception): .*$", re.MULTILINE)
SOCKET_OWNER = re.compile(r"pid=(\d+)")
# Rendered on every request: the page cache leaves any address with a query string to the view.
UNCACHED_HOME = "/?uncached"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Long enough that a moment's disturbance from the rest of the machine moves a run's rate little (README).
    parser.add_argument("--seconds", type=int, default=10, help="how long each wrk run lasts (default: %(default)s)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="runs per page and connection count, interleaved; the median is reported (default: %(default)s)",
    )
    parser.add_argument(
        "--connections", type=connection_counts, default="1,16", help="wrk connection counts (default: %(default)s)"
    )
    parser.add_argument("--takers", type=int, default=16, help="concurrent quiz takers (default: %(default)s)")
    parser.add_argument(
        "--quiz-seconds", type=int, default=8, help="how long quiz takers run in each round (default: %(default)s)"
    )
    parser.add_argument(
        "--databases",
        type=database_names,
        default="sqlite,postgres",
        help="the full run on the first, the quiz section (cached / and the quiz takers) on each other "
        "(default: %(default)s; postgres uses a scratch database on POSTGRES_URL's server)",
    )
    parser.add_argument(
        "--quiz-only",
        action="store_true",
        help="only the quiz section on every database: cached / at the highest connection count, then the takers",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    return parser.parse_args()


def database_names(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in DATABASES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose among {', '.join(DATABASES)}")
    return names


def connection_counts(text):
    return [int(count) for count in text.split(",")]


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def get(port, path, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={**BEHIND_TLS_PROXY, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_serving(port, server, log_path, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; its log:\n{log_path.read_text()[-3000:]}")
        try:
            get(port, "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within {timeout} s; its log:\n{log_path.read_text()[-3000:]}")


def run_wrk(port, path, connections, seconds):
    """One wrk run; halfway through, how its connections are spread over the server's processes."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-H",
        f"Accept-Encoding: {BROWSER_ACCEPT_ENCODING}",
        "-H",
        "X-Forwarded-Proto: https",
        "-s",
        str(WRK_SCRIPT),
        f"http://{HOST}:{port}{path}",
    ]
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(seconds / 2)
    per_process = connections_per_process(port)
    output, _ = wrk.communicate()
    if wrk.returncode:
        raise WrkFailed(f"wrk exited with {wrk.returncode} for {path} with {connections} connection(s)")
    report = json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("{")))
    seconds_run = report["duration_us"] / 1e6
    return {
        "rps": round(report["requests"] / seconds_run, 1),
        "p50_ms": round(report["p50_us"] / 1000, 2),
        "p99_ms": round(report["p99_us"] / 1000, 2),
        "requests": report["requests"],
        "kb_per_response": round(report["bytes"] / max(report["requests"], 1) / 1024, 1),
        "non_2xx_3xx": report["bad_status"],
        "socket_errors": report["socket_errors"],
        "connections_per_process": per_process,
    }


class WrkFailed(Exception):
    pass


def connections_per_process(port):
    """How many open client connections each server process holds, most first (from `ss`)."""
    try:
        listing = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    counts = {}
    for pid in SOCKET_OWNER.findall(listing):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def load_average():
    """The machine's one-minute load average: how much else wanted the CPUs meanwhile."""
    return round(os.getloadavg()[0], 2)


def spread(values):
    """(max − min) ÷ median, in per cent: how far apart the runs of one measurement landed."""
    middle = statistics.median(values)
    return round((max(values) - min(values)) / middle * 100, 1) if middle else 0.0


def median_run(results):
    """Each figure's median over the rounds; error counts are summed, since any error matters."""
    summed = {"requests", "non_2xx_3xx", "socket_errors"}
    per_run = {"connections_per_process"}
    figures = {
        name: sum(result[name] for result in results)
        if name in summed
        else round(statistics.median(result[name] for result in results), 2)
        for name in results[0]
        if name not in per_run
    }
    return figures | {
        "rounds": [result["rps"] for result in results],
        "spread_percent": spread([result["rps"] for result in results]),
        "connections_per_process": [result["connections_per_process"] for result in results],
    }


def browser_request(headers, cookies, form=None):
    """The headers and body a browser behind the TLS proxy sends: its cookies, and ``form`` urlencoded if given."""
    headers = {**BEHIND_TLS_PROXY, **headers}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if form is None:
        return headers, None
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers, urlencode(form, doseq=True)


class QuizTaker:
    """One browser taking the quiz: keeps its cookies, sends the CSRF token, follows the redirects."""

    def __init__(self, port):
        self.origin = f"https://{HOST}:{port}"
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies = {}
        self.latencies = []
        self.latencies_by_page = {page: [] for page in QUIZ_PAGES}

    def request(self, method, path, form=None, page=None):
        headers, body = browser_request(
            {"Accept-Encoding": "identity", "Referer": f"{self.origin}{path}"}, self.cookies, form
        )
        started = time.perf_counter()
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        content = response.read().decode()
        self.latencies.append(time.perf_counter() - started)
        if page is not None:
            self.latencies_by_page[page].append(self.latencies[-1])
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content

    def expect(self, method, path, status, form=None, page=None):
        got, location, content = self.request(method, path, form, page)
        if got != status:
            raise UnexpectedStatus(f"{method} {path} answered {got}, expected {status}")
        return location, content

    def take_quiz(self, deadline):
        """Start, answer every question (the first choice, or every row under the first model; low certainty),
        read the results. Stops, unfinished, at ``deadline``; returns whether it finished."""
        _, page = self.expect("GET", f"/quiz/{QUIZ_SLUG}/", 200)
        location, _ = self.expect("POST", f"/quiz/{QUIZ_SLUG}/start/", 302, {"csrfmiddlewaretoken": token(page)})
        attempt_prefix = location.split("/questions/")[0]
        number = 1
        while time.monotonic() < deadline:
            question_url = f"{attempt_prefix}/questions/{number}/"
            _, page = self.expect("GET", question_url, 200, page="question")
            self.expect("POST", question_url, 302, answer_form(page), page="answer")
            _, feedback = self.expect("GET", question_url, 200, page="feedback")
            if f'href="{attempt_prefix}/results/"' in feedback:
                self.expect("GET", f"{attempt_prefix}/results/", 200)
                return True
            number += 1
        return False


class UnexpectedStatus(Exception):
    pass


def answer_form(page):
    """What a reader posts for the question on ``page``: the first choice, or every row under the first model."""
    rows = {}
    for row, model in SORT_ROW.findall(page):
        rows.setdefault(row, model)
    answer = rows or {"choice": "1"}
    return {"csrfmiddlewaretoken": token(page), "certainty": "low", **answer}


def token(page):
    match = CSRF_FIELD.search(page)
    if match is None:
        raise UnexpectedStatus("no CSRF token in the form")
    return match.group(1)


def run_quiz_takers(port, takers, seconds):
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    totals = {"attempts": 0, "unfinished_attempts": 0, "failed_attempts": 0, "requests": 0}
    latencies = []
    by_page = {page: [] for page in QUIZ_PAGES}
    failures = []

    def take_quizzes():
        while time.monotonic() < deadline:
            taker = QuizTaker(port)
            try:
                outcome = "attempts" if taker.take_quiz(deadline) else "unfinished_attempts"
            except (UnexpectedStatus, OSError, http.client.HTTPException) as error:
                outcome = "failed_attempts"
                with lock:
                    failures.append(str(error))
            finally:
                taker.connection.close()
            with lock:
                totals[outcome] += 1
                totals["requests"] += len(taker.latencies)
                latencies.extend(taker.latencies)
                for page, page_latencies in taker.latencies_by_page.items():
                    by_page[page].extend(page_latencies)

    started = time.monotonic()
    threads = [threading.Thread(target=take_quizzes) for _ in range(takers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return quiz_summary(takers, time.monotonic() - started, totals, latencies, failures, by_page)


def percentile_ms(latencies, percent):
    percentiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return round(percentiles[percent - 1] * 1000, 1)


def quiz_summary(takers, elapsed, totals, latencies, failures, by_page):
    quiz_page_requests = sum(len(page_latencies) for page_latencies in by_page.values())
    return {
        "takers": takers,
        "seconds": round(elapsed, 1),
        "attempts_completed": totals["attempts"],
        "attempts_per_second": round(totals["attempts"] / elapsed, 2),
        "unfinished_attempts": totals["unfinished_attempts"],
        "failed_attempts": totals["failed_attempts"],
        "requests": totals["requests"],
        "requests_per_second": round(totals["requests"] / elapsed, 1),
        "p50_ms": percentile_ms(latencies, 50),
        "p99_ms": percentile_ms(latencies, 99),
        "quiz_page_requests_per_second": round(quiz_page_requests / elapsed, 1),
        "quiz_page_p99_ms": percentile_ms([latency for page in by_page.values() for latency in page], 99),
        "p99_ms_by_page": {page: percentile_ms(page_latencies, 99) for page, page_latencies in by_page.items()},
        "unexpected_statuses": len(failures),
        "first_failures": sorted(set(failures))[:5],
    }


def gunicorn_settings():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # gunicorn.conf.py reads the site's own environment helpers
    config = runpy.run_path(str(ROOT / "outsourcing_site" / "gunicorn.conf.py"))
    names = ("worker_class", "workers", "threads", "reuse_port", "worker_connections", "keepalive", "max_requests")
    return {name: config[name] for name in names if name in config}


def warm_up(port, paths):
    for path in paths:
        for _ in range(20):
            status, _ = get(port, path, {"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
            if status != 200:
                sys.exit(f"Warm-up: {path} answered {status}; the benchmark needs every page to answer 200.")


def print_table(rows):
    header = (
        f"{'page':<34} {'conns':>5} {'req/s':>9} {'spread':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'x CSS':>6} {'KB':>6} {'errors':>6}"
    )
    print("\n" + header)
    print("-" * len(header))
    for row in rows:
        errors = row["non_2xx_3xx"] + row["socket_errors"]
        print(
            f"{row['label']:<34} {row['connections']:>5} {row['rps']:>9.1f} {row['spread_percent']:>6.1f}% "
            f"{row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['ratio_to_css']:>6.2f} {row['kb_per_response']:>6.1f} {errors:>6}"
        )


def print_quiz(quiz_by_database):
    for database, quiz in quiz_by_database.items():
        by_page = ", ".join(f"{page} {p99} ms" for page, p99 in quiz["p99_ms_by_page"].items())
        print(
            f"\nQuiz takers on {database}: {quiz['takers']} at once, {len(quiz['rounds'])} spells of "
            f"{quiz['seconds_per_round']} s: {quiz['attempts_completed']} attempts completed, median "
            f"{quiz['requests_per_second']} requests/s (spread {quiz['spread_percent']}%) against cached / at "
            f"{quiz['cached_home_rps']} req/s in the same rounds: {quiz['ratio_to_cached_home']}×; "
            f"p50 {quiz['p50_ms']} ms, p99 {quiz['p99_ms']} ms; p99 by page: {by_page}; "
            f"{quiz['unexpected_statuses']} unexpected statuses or errors."
        )
        for failure in quiz["first_failures"]:
            print(f"  e.g. {failure}")


def print_summary(result):
    ratios = result["ratios"]
    print("\nRatios (medians of the rounds):")
    for name, by_connections in ratios.items():
        figures = ", ".join(f"{value:.2f} at {connections}" for connections, value in by_connections.items())
        print(f"  {name:<46} {figures}")
    if result["pages"]:
        print("Spread between rounds at the highest connection count ((max − min) ÷ median of req/s):")
    for row in result["pages"]:
        if row["connections"] == max(r["connections"] for r in result["pages"]):
            print(f"  {row['label']:<34} {row['spread_percent']:>5.1f}%  runs: {row['rounds']}")
            print(f"  {'':<34} connections per server process, each run: {row['connections_per_process']}")
    for database, loads in result["load_average_per_round"].items():
        print(f"Load average (1 min) at the start of each round on {database}: {loads} ({os.cpu_count()} cores)")
    weight = result["page_weight"]
    if weight:
        parts = " + ".join(f"{url} {size / 1024:.1f} KB" for url, size in weight["parts"].items())
        print(f"Page weight as sent: {weight['total_bytes'] / 1024:.1f} KB ({parts})")


def production_environment(scratch, port, database_url=None):
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        # Every simulated quiz taker comes from 127.0.0.1, so the per-address start limit is lifted.
        "QUIZ_START_RATE": "1000000/h",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url or f"sqlite:///{scratch / 'bench.sqlite3'}",
        "DJANGO_CACHE_DIR": str(scratch / "cache"),
        "PORT": str(port),
    }


def prepare_site(env):
    manage(env, "migrate", "--noinput")
    manage(env, "load_content")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def start_gunicorn(env, log_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "w") as log:
        return subprocess.Popen(
            # No control socket: its default path is one per user, which servers started side by side would share.
            [
                str(gunicorn),
                "--config",
                "outsourcing_site/gunicorn.conf.py",
                "--no-control-socket",
                "outsourcing_site.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def page_targets(port, notes):
    """(path, label) of each page to measure: /, / uncached, a model page, the CSS file, /healthz if it answers."""
    _, home = get(port, "/")
    css = STYLESHEET.search(home.decode())
    if css is None:
        sys.exit("The home page links no stylesheet; nothing to compare against.")
    targets = [("/", "/"), (UNCACHED_HOME, "/ uncached"), ("/bpo/", "/bpo/"), (css.group(1), "hashed CSS")]
    health_status = get(port, "/healthz")[0]
    if health_status != 200:
        notes.append(f"/healthz answered {health_status} (not on this branch yet?): skipped.")
        print(notes[-1])
    else:
        targets.append(("/healthz", "/healthz"))
    return targets


def page_weight(port):
    """Bytes a browser downloads for /: the page and every stylesheet and script it links, compressed as sent."""
    _, html = get(port, "/")
    assets = LINKED_ASSET.findall(html.decode())
    parts = {}
    for path in ["/", *assets]:
        status, body = get(port, path, {"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
        if status != 200:
            sys.exit(f"{path} answered {status}")
        parts[path] = len(body)
    return {"parts": parts, "total_bytes": sum(parts.values())}


def run_rounds(port, targets, args):
    """Round after round: every page at every connection count, then the quiz takers, with the load average."""
    runs = {}
    quiz_rounds = []
    loads = []
    for round_number in range(1, args.rounds + 1):
        loads.append(load_average())
        print(f"Round {round_number}/{args.rounds} (load average {loads[-1]}):")
        for connections in args.connections:
            for path, label in targets:
                print(f"  wrk: {label} with {connections} connection(s) for {args.seconds} s ...")
                runs.setdefault((label, path, connections), []).append(run_wrk(port, path, connections, args.seconds))
        print(f"  quiz takers: {args.takers} for {args.quiz_seconds} s ...")
        quiz_rounds.append(run_quiz_takers(port, args.takers, args.quiz_seconds))
    return runs, quiz_rounds, loads


def run_quiz_rounds(port, args):
    """The quiz section alone, round after round: cached / at the highest connection count, then the takers."""
    connections = max(args.connections)
    home_runs, quiz_rounds, loads = [], [], []
    for round_number in range(1, args.rounds + 1):
        loads.append(load_average())
        print(f"Round {round_number}/{args.rounds} (load average {loads[-1]}):")
        print(f"  wrk: / with {connections} connection(s) for {args.seconds} s ...")
        home_runs.append(run_wrk(port, "/", connections, args.seconds))
        print(f"  quiz takers: {args.takers} for {args.quiz_seconds} s ...")
        quiz_rounds.append(run_quiz_takers(port, args.takers, args.quiz_seconds))
    return median_run(home_runs), quiz_rounds, loads


def page_rows(runs):
    """One row per page and connection count, with its speed as a ratio to the CSS file's at that count."""
    rows = [
        {"label": label, "path": path, "connections": connections, **median_run(results)}
        for (label, path, connections), results in sorted(runs.items(), key=lambda item: item[0][2])
    ]
    for row in rows:
        css_rps = next(r["rps"] for r in rows if r["label"] == "hashed CSS" and r["connections"] == row["connections"])
        row["ratio_to_css"] = round(row["rps"] / css_rps, 2)
    return rows


def quiz_medians(quiz_rounds, cached_home_rps):
    """The quiz takers' rounds in one: medians of the rates and latencies, totals of the counts, and the rate as a
    ratio to cached / at the highest connection count in the same rounds."""
    first = quiz_rounds[0]
    failures = sorted({failure for quiz in quiz_rounds for failure in quiz["first_failures"]})
    rates = [quiz["requests_per_second"] for quiz in quiz_rounds]
    rate = round(statistics.median(rates), 1)
    return {
        "takers": first["takers"],
        "seconds_per_round": first["seconds"],
        "rounds": rates,
        "spread_percent": spread(rates),
        "attempts_completed": sum(quiz["attempts_completed"] for quiz in quiz_rounds),
        "unfinished_attempts": sum(quiz["unfinished_attempts"] for quiz in quiz_rounds),
        "failed_attempts": sum(quiz["failed_attempts"] for quiz in quiz_rounds),
        "requests": sum(quiz["requests"] for quiz in quiz_rounds),
        "requests_per_second": rate,
        "cached_home_rps": cached_home_rps,
        "ratio_to_cached_home": round(rate / cached_home_rps, 3) if cached_home_rps else None,
        "p50_ms": round(statistics.median(quiz["p50_ms"] for quiz in quiz_rounds), 1),
        "p99_ms": round(statistics.median(quiz["p99_ms"] for quiz in quiz_rounds), 1),
        "quiz_page_p99_ms": round(statistics.median(quiz["quiz_page_p99_ms"] for quiz in quiz_rounds), 1),
        "p99_ms_by_page": {
            page: round(statistics.median(quiz["p99_ms_by_page"][page] for quiz in quiz_rounds), 1)
            for page in QUIZ_PAGES
        },
        "unexpected_statuses": sum(quiz["unexpected_statuses"] for quiz in quiz_rounds),
        "first_failures": failures[:5],
    }


def ratios(rows, quiz_by_database):
    """The ratios issue 16 asks for, per connection count: cached and uncached / to the CSS file, quiz to /."""
    by_label = {(row["label"], row["connections"]): row for row in rows}
    counts = sorted({row["connections"] for row in rows})
    page_ratios = {
        "cached / ÷ CSS": {c: by_label["/", c]["ratio_to_css"] for c in counts},
        "uncached / ÷ CSS": {c: by_label["/ uncached", c]["ratio_to_css"] for c in counts},
    }
    quiz_ratios = {
        f"quiz request ÷ cached / ({quiz['takers']} takers, {database})": {quiz["takers"]: quiz["ratio_to_cached_home"]}
        for database, quiz in quiz_by_database.items()
    }
    return (page_ratios if rows else {}) | quiz_ratios


def measure(port, args, notes):
    """The page rows, the quiz takers' figures and the load average of each round, against the running server."""
    targets = page_targets(port, notes)
    warm_up(port, [path for path, _ in targets])
    runs, quiz_rounds, loads = run_rounds(port, targets, args)
    rows = page_rows(runs)
    home = next(row for row in rows if row["label"] == "/" and row["connections"] == max(args.connections))
    return rows, quiz_medians(quiz_rounds, home["rps"]), loads, page_weight(port)


def measure_quiz(port, args):
    """The quiz section's figures and the load average of each round, against the running server."""
    warm_up(port, ["/"])
    home, quiz_rounds, loads = run_quiz_rounds(port, args)
    return quiz_medians(quiz_rounds, home["rps"]), loads


@contextlib.contextmanager
def scratch_database(database, scratch):
    """The DATABASE_URL of a throwaway database: a SQLite file in ``scratch``, or a PostgreSQL database created
    on POSTGRES_URL's server and dropped afterwards."""
    if database == "sqlite":
        yield f"sqlite:///{scratch / 'bench.sqlite3'}"
        return
    server = psycopg.conninfo.conninfo_to_dict(POSTGRES_URL)
    admin_url = psycopg.conninfo.make_conninfo(POSTGRES_URL, dbname="postgres")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH_DATABASE))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH_DATABASE)))
    try:
        user = server.get("user", "postgres")
        yield f"postgres://{user}@{server.get('host', HOST)}:{server.get('port', 5432)}/{SCRATCH_DATABASE}"
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(drop)


def serve_and_measure(args, notes, database, measure_site):
    """Prepare a throwaway site on ``database``, serve it with gunicorn, run ``measure_site(port)`` against it;
    its figures and the server's log."""
    with tempfile.TemporaryDirectory(prefix="outsourcing-bench-") as scratch:
        scratch = Path(scratch)
        with scratch_database(database, scratch) as database_url:
            port = free_port()
            env = production_environment(scratch, port, database_url)
            print(f"Preparing a throwaway site on {database} in {scratch} ...")
            prepare_site(env)
            log_path = scratch / "gunicorn.log"
            server = start_gunicorn(env, log_path)
            try:
                wait_until_serving(port, server, log_path)
                measured = measure_site(port)
            finally:
                server.terminate()
                server.wait(timeout=30)
            return measured, log_path.read_text()


def measure_databases(args, notes):
    """The full run on the first database (the quiz section only with --quiz-only), the quiz section on the others."""
    rows, weight, quiz_by_database, loads_by_database, server_logs = [], None, {}, {}, []
    for database in args.databases:
        if database == args.databases[0] and not args.quiz_only:
            measured, log = serve_and_measure(args, notes, database, lambda port: measure(port, args, notes))
            rows, quiz_by_database[database], loads_by_database[database], weight = measured
        else:
            measured, log = serve_and_measure(args, notes, database, lambda port: measure_quiz(port, args))
            quiz_by_database[database], loads_by_database[database] = measured
        server_logs.append(log)
    return (rows, quiz_by_database, loads_by_database, weight), "\n".join(server_logs)


def bench_result(args, measured, server_log, notes):
    rows, quiz_by_database, loads_by_database, weight = measured
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "gunicorn": gunicorn_settings(),
        "wrk": {
            "seconds": args.seconds,
            "rounds": args.rounds,
            "threads": 1,
            "accept_encoding": BROWSER_ACCEPT_ENCODING,
        },
        "load_average_per_round": loads_by_database,
        "pages": rows,
        "quiz_takers": quiz_by_database,
        "ratios": ratios(rows, quiz_by_database),
        "page_weight": weight,
        "server_5xx_in_request_log": len(SERVER_ERROR_LINE.findall(server_log)),
        "server_exceptions": sorted(set(EXCEPTION_LINE.findall(server_log))),
        "notes": notes,
    }


def report(result, output):
    if result["pages"]:
        print_table(result["pages"])
    print_quiz(result["quiz_takers"])
    print_summary(result)
    print(f"5xx responses in the server's request log: {result['server_5xx_in_request_log']}")
    for exception in result["server_exceptions"]:
        print(f"  server raised: {exception}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


def main():
    args = parse_args()
    notes = []
    try:
        measured, server_log = measure_databases(args, notes)
    except WrkFailed as error:
        sys.exit(str(error))
    report(bench_result(args, measured, server_log, notes), args.output)


if __name__ == "__main__":
    main()
