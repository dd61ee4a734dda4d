"""`make bench-scale`: what `/` and `/bpo/` cost uncached with 1×, 10× and 100× today's content.

For each factor, a process of its own (Django is set up once per process) with a throwaway SQLite
database, cache and static folder: `migrate`, `collectstatic`, `load_content`, then
``tests.factories.multiply_content`` (every example and comparison row copied factor − 1 times, as the
tests that pin query counts do). Django's test client renders each page through the whole middleware stack,
with the page cache out of the way (a query string the page cache leaves to the view). The three processes
take turns, in interleaved rounds: each round, each factor renders each page ``--renders`` times as the
first render after a change of content that left its items' parts warm (the page's rows read and its
article assembled afresh: ``content.pages`` emptied before each), ``--renders`` times as a reader's repeat
render (the page kept for the content version), and once with its parts emptied too (the first request after
every item changed); so whatever else the machine does falls on every factor alike. Prints, per page and
factor, the median CPU time of the rendering process over all rounds (what other work on a busy machine
disturbs least) and the median wall-clock time of an assembled render, each with its ratio to 1×, the median
CPU time of a repeat and of a first render, the queries of an assembled render, and the HTML as sent (gzip,
as the site compresses it) and unpacked, with the load average at each round.
bench/README.md says how to read it.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTORS = (1, 10, 100)
# The page cache leaves an address with a query string to the view, which ignores this one.
PAGES = {"/": "/?uncached", "/bpo/": "/bpo/?uncached"}
# What a measuring process writes before each answer, to tell it from anything else on its output.
ANSWER = "@@ "


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default: %(default)s)")
    parser.add_argument("--renders", type=int, default=5, help="warm renders per page and round (default: %(default)s)")
    parser.add_argument("--factor", type=int, help=argparse.SUPPRESS)  # set for the process that measures one factor
    return parser.parse_args()


def timed_get(client, url):
    """((wall-clock seconds, CPU seconds of this process), response) of one request."""
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    elapsed = (time.perf_counter() - started, time.process_time() - cpu_started)
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response


def assembled(client, url):
    """``timed_get`` of a render that reads the page's rows and assembles its article afresh."""
    from content import pages

    pages.kept_pages.clear()
    return timed_get(client, url)


def answer(value):
    print(ANSWER + json.dumps(value), flush=True)


def serve_measurements(factor):
    """The process for one factor (its database named by DATABASE_URL): sets up, then answers the commands
    ``warm N``, ``kept N``, ``cold``, ``facts`` and ``quit`` read one a line."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing_site.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from content import parts
    from tests.factories import multiply_content

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_content", stdout=quiet)
    multiply_content(factor)
    client = Client()
    for url in PAGES.values():
        timed_get(client, url)
    answer("ready")
    for line in sys.stdin:
        command, *arguments = line.split()
        if command == "warm":
            answer({page: [assembled(client, url)[0] for _ in range(int(arguments[0]))] for page, url in PAGES.items()})
        elif command == "kept":
            # An assembled render empties the whole store: each page is kept again before it is timed.
            for url in PAGES.values():
                client.get(url)
            answer({page: [timed_get(client, url)[0] for _ in range(int(arguments[0]))] for page, url in PAGES.items()})
        elif command == "cold":
            times = {}
            for page, url in PAGES.items():
                parts.parts.clear()
                times[page] = [assembled(client, url)[0]]
            answer(times)
        elif command == "facts":
            facts = {}
            for page, url in PAGES.items():
                with CaptureQueriesContext(connection) as queries:
                    _, response = assembled(client, url)
                sent = response.content
                html = gzip.decompress(sent) if response.get("Content-Encoding") == "gzip" else sent
                facts[page] = {"queries": len(queries), "sent_bytes": len(sent), "html_bytes": len(html)}
            answer(facts)
        else:
            return


class FactorProcess:
    """A measuring process for ``factor`` with its throwaway folder, taking one command at a time."""

    def __init__(self, factor, scratch):
        env = {
            **os.environ,
            "DJANGO_ENV": "development",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{scratch / 'scale.sqlite3'}",
            "DJANGO_CACHE_DIR": str(scratch / "cache"),
            "DJANGO_STATIC_ROOT": str(scratch / "static"),
        }
        self.factor = factor
        self.log = open(scratch / "errors.log", "w")  # noqa: SIM115 (open while the process runs)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.content_scale", "--factor", str(factor)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def ask(self, command=None):
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(ANSWER):
                return json.loads(line.removeprefix(ANSWER))
        sys.exit(f"Measuring {self.factor}× failed; see {self.log.name}")

    def close(self):
        self.process.communicate("quit\n", timeout=30)
        self.log.close()


def measure(rounds, renders):
    """{factor: {page: figures}}, the factors measured in interleaved rounds; and the load average per round."""
    warm = {factor: {page: [] for page in PAGES} for factor in FACTORS}
    kept = {factor: {page: [] for page in PAGES} for factor in FACTORS}
    cold = {factor: {page: [] for page in PAGES} for factor in FACTORS}
    loads = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        processes = []
        for factor in FACTORS:
            folder = Path(scratch) / f"{factor}x"
            folder.mkdir()
            processes.append(FactorProcess(factor, folder))
        try:
            for process in processes:
                process.ask()
            for round_number in range(rounds):
                loads.append(os.getloadavg()[0])
                # Each round starts with another factor, so that none always follows the same one.
                turn = processes[round_number % len(processes) :] + processes[: round_number % len(processes)]
                for process in turn:
                    for page, times in process.ask(f"warm {renders}").items():
                        warm[process.factor][page] += times
                    for page, times in process.ask(f"kept {renders}").items():
                        kept[process.factor][page] += times
                    for page, times in process.ask("cold").items():
                        cold[process.factor][page] += times
            facts = {process.factor: process.ask("facts") for process in processes}
        finally:
            for process in processes:
                process.close()
    results = {
        factor: {
            page: {
                "median_ms": statistics.median(wall for wall, cpu in warm[factor][page]) * 1000,
                "cpu_ms": statistics.median(cpu for wall, cpu in warm[factor][page]) * 1000,
                "kept_ms": statistics.median(cpu for wall, cpu in kept[factor][page]) * 1000,
                "cold_ms": statistics.median(cpu for wall, cpu in cold[factor][page]) * 1000,
                **facts[factor][page],
            }
            for page in PAGES
        }
        for factor in FACTORS
    }
    return results, loads


def print_table(results):
    print(
        f"{'page':<7} {'content':>7} {'CPU ms':>8} {'x 1×':>6} {'wall ms':>8} {'x 1×':>6} {'repeat CPU ms':>14} "
        f"{'first CPU ms':>13} "
        f"{'queries':>8} {'gzip KB':>8} {'HTML KB':>8}"
    )
    for page in PAGES:
        base = results[FACTORS[0]][page]
        for factor in FACTORS:
            row = results[factor][page]
            print(
                f"{page:<7} {f'{factor}×':>7} {row['cpu_ms']:>8.2f} {row['cpu_ms'] / base['cpu_ms']:>6.2f} "
                f"{row['median_ms']:>8.2f} {row['median_ms'] / base['median_ms']:>6.2f} {row['kept_ms']:>14.2f} "
                f"{row['cold_ms']:>13.1f} "
                f"{row['queries']:>8} {row['sent_bytes'] / 1024:>8.1f} {row['html_bytes'] / 1024:>8.1f}"
            )


def main():
    args = parse_args()
    if args.factor:
        serve_measurements(args.factor)
        return
    results, loads = measure(args.rounds, args.renders)
    print_table(results)
    print(f"Load average (1 min) at the start of each round: {loads} (the machine has {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
