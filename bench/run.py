"""`make bench`: serve the site the way production does, then measure it.

A throwaway SQLite database and cache folder; migrate, load_content, collectstatic;
gunicorn with outsourcing_site/gunicorn.conf.py and DEBUG off on a free port; a
warm-up; wrk against /, /bpo/, the hashed CSS file and /healthz at each connection
count; then concurrent quiz takers. Prints a table and writes bench/results/latest.json.
bench/README.md says how to read the figures.
"""

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
HOST = "127.0.0.1"
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"
# Production runs behind a TLS-terminating proxy that says so in this header (DJANGO_SECURE_PROXY_SSL_HEADER).
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}
QUIZ_SLUG = "bpo-or-kpo"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SERVER_ERROR_LINE = re.compile(r"logger=outsourcing_site\.requests .* status=5\d\d ")
EXCEPTION_LINE = re.compile(r"^(?:\w+\.)*\w+(?:Error|Exception): .*$", re.MULTILINE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="how long each wrk run lasts (default: %(default)s)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="runs per page and connection count, interleaved; the median is reported (default: %(default)s)",
    )
    parser.add_argument(
        "--connections", type=connection_counts, default="1,16", help="wrk connection counts (default: %(default)s)"
    )
    parser.add_argument("--takers", type=int, default=16, help="concurrent quiz takers (default: %(default)s)")
    parser.add_argument("--quiz-seconds", type=int, default=20, help="how long quiz takers run (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    return parser.parse_args()


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


def wait_until_serving(port, server, log_path, timeout=30):
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
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
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
    }


def median_run(results):
    """Each figure's median over the rounds; error counts are summed, since any error matters."""
    summed = {"requests", "non_2xx_3xx", "socket_errors"}
    return {
        name: sum(result[name] for result in results)
        if name in summed
        else round(statistics.median(result[name] for result in results), 2)
        for name in results[0]
    } | {"rounds": [result["rps"] for result in results]}


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

    def request(self, method, path, form=None):
        headers, body = browser_request(
            {"Accept-Encoding": "identity", "Referer": f"{self.origin}{path}"}, self.cookies, form
        )
        started = time.perf_counter()
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        content = response.read().decode()
        self.latencies.append(time.perf_counter() - started)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content

    def expect(self, method, path, status, form=None):
        got, location, content = self.request(method, path, form)
        if got != status:
            raise UnexpectedStatus(f"{method} {path} answered {got}, expected {status}")
        return location, content

    def take_quiz(self):
        """Start, answer every question (always the first choice, at low certainty), read the results."""
        _, page = self.expect("GET", f"/quiz/{QUIZ_SLUG}/", 200)
        location, _ = self.expect("POST", f"/quiz/{QUIZ_SLUG}/start/", 302, {"csrfmiddlewaretoken": token(page)})
        attempt_prefix = location.split("/questions/")[0]
        number = 1
        while True:
            question_url = f"{attempt_prefix}/questions/{number}/"
            _, page = self.expect("GET", question_url, 200)
            self.expect(
                "POST", question_url, 302, {"csrfmiddlewaretoken": token(page), "choice": "1", "certainty": "low"}
            )
            _, feedback = self.expect("GET", question_url, 200)
            if f'href="{attempt_prefix}/results/"' in feedback:
                break
            number += 1
        self.expect("GET", f"{attempt_prefix}/results/", 200)


class UnexpectedStatus(Exception):
    pass


def token(page):
    match = CSRF_FIELD.search(page)
    if match is None:
        raise UnexpectedStatus("no CSRF token in the form")
    return match.group(1)


def run_quiz_takers(port, takers, seconds):
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    totals = {"attempts": 0, "failed_attempts": 0, "requests": 0}
    latencies = []
    failures = []

    def take_quizzes():
        while time.monotonic() < deadline:
            taker = QuizTaker(port)
            try:
                taker.take_quiz()
                outcome = "attempts"
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

    started = time.monotonic()
    threads = [threading.Thread(target=take_quizzes) for _ in range(takers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return quiz_summary(takers, time.monotonic() - started, totals, latencies, failures)


def quiz_summary(takers, elapsed, totals, latencies, failures):
    percentiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "takers": takers,
        "seconds": round(elapsed, 1),
        "attempts_completed": totals["attempts"],
        "attempts_per_second": round(totals["attempts"] / elapsed, 2),
        "failed_attempts": totals["failed_attempts"],
        "requests": totals["requests"],
        "requests_per_second": round(totals["requests"] / elapsed, 1),
        "p50_ms": round(percentiles[49] * 1000, 1),
        "p99_ms": round(percentiles[98] * 1000, 1),
        "unexpected_statuses": len(failures),
        "first_failures": sorted(set(failures))[:5],
    }


def gunicorn_settings():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # gunicorn.conf.py reads the site's own environment helpers
    config = runpy.run_path(str(ROOT / "outsourcing_site" / "gunicorn.conf.py"))
    return {name: config[name] for name in ("workers", "threads") if name in config}


def warm_up(port, paths):
    for path in paths:
        for _ in range(20):
            status, _ = get(port, path, {"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
            if status != 200:
                sys.exit(f"Warm-up: {path} answered {status}; the benchmark needs every page to answer 200.")


def print_table(rows, quiz):
    header = f"{'page':<34} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x CSS':>6} {'KB':>6} {'errors':>6}"
    print("\n" + header)
    print("-" * len(header))
    for row in rows:
        errors = row["non_2xx_3xx"] + row["socket_errors"]
        print(
            f"{row['label']:<34} {row['connections']:>5} {row['rps']:>9.1f} "
            f"{row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['ratio_to_css']:>6.2f} {row['kb_per_response']:>6.1f} {errors:>6}"
        )
    print(
        f"\nQuiz takers: {quiz['takers']} at once for {quiz['seconds']} s: "
        f"{quiz['attempts_completed']} attempts completed "
        f"({quiz['attempts_per_second']}/s), {quiz['requests_per_second']} requests/s, p50 {quiz['p50_ms']} ms, "
        f"p99 {quiz['p99_ms']} ms, {quiz['unexpected_statuses']} unexpected statuses or errors."
    )
    for failure in quiz["first_failures"]:
        print(f"  e.g. {failure}")


def production_environment(scratch, port):
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        # Every simulated quiz taker comes from 127.0.0.1, so the per-address start limit is lifted.
        "QUIZ_START_RATE": "1000000/h",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
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
            [str(gunicorn), "--config", "outsourcing_site/gunicorn.conf.py", "outsourcing_site.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def page_targets(port, notes):
    """(path, label) of each page to measure: /, a model page, the hashed CSS file and /healthz if it answers."""
    _, home = get(port, "/")
    css = STYLESHEET.search(home.decode())
    if css is None:
        sys.exit("The home page links no stylesheet; nothing to compare against.")
    targets = [("/", "/"), ("/bpo/", "/bpo/"), (css.group(1), "hashed CSS")]
    health_status = get(port, "/healthz")[0]
    if health_status != 200:
        notes.append(f"/healthz answered {health_status} (not on this branch yet?): skipped.")
        print(notes[-1])
    else:
        targets.append(("/healthz", "/healthz"))
    return targets


def run_wrk_rounds(port, targets, args):
    """Every page at every connection count, interleaved round by round; the runs of each combination."""
    runs = {}
    for round_number in range(1, args.rounds + 1):
        for connections in args.connections:
            for path, label in targets:
                print(
                    f"wrk round {round_number}/{args.rounds}: {label} with {connections} connection(s) "
                    f"for {args.seconds} s ..."
                )
                runs.setdefault((label, path, connections), []).append(run_wrk(port, path, connections, args.seconds))
    return runs


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


def measure(port, args, notes):
    """The page rows and the quiz takers' figures, measured against the running server."""
    targets = page_targets(port, notes)
    warm_up(port, [path for path, _ in targets])
    rows = page_rows(run_wrk_rounds(port, targets, args))
    print(f"Quiz takers: {args.takers} for {args.quiz_seconds} s ...")
    return rows, run_quiz_takers(port, args.takers, args.quiz_seconds)


def serve_and_measure(args, notes):
    """Prepare a throwaway site, serve it with gunicorn, measure it; the figures and the server's log."""
    with tempfile.TemporaryDirectory(prefix="outsourcing-bench-") as scratch:
        scratch = Path(scratch)
        port = free_port()
        env = production_environment(scratch, port)
        print(f"Preparing a throwaway database in {scratch} ...")
        prepare_site(env)
        log_path = scratch / "gunicorn.log"
        server = start_gunicorn(env, log_path)
        try:
            wait_until_serving(port, server, log_path)
            rows, quiz = measure(port, args, notes)
        finally:
            server.terminate()
            server.wait(timeout=30)
        return rows, quiz, log_path.read_text()


def bench_result(args, rows, quiz, server_log, notes):
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
        "pages": rows,
        "quiz_takers": quiz,
        "server_5xx_in_request_log": len(SERVER_ERROR_LINE.findall(server_log)),
        "server_exceptions": sorted(set(EXCEPTION_LINE.findall(server_log))),
        "notes": notes,
    }


def report(result, output):
    print_table(result["pages"], result["quiz_takers"])
    print(f"5xx responses in the server's request log: {result['server_5xx_in_request_log']}")
    for exception in result["server_exceptions"]:
        print(f"  server raised: {exception}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


def main():
    args = parse_args()
    notes = []
    rows, quiz, server_log = serve_and_measure(args, notes)
    report(bench_result(args, rows, quiz, server_log, notes), args.output)


if __name__ == "__main__":
    main()
