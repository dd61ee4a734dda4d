"""`make bench-scale`: what `/` and `/bpo/` cost uncached with 1×, 10× and 100× today's content.

For each factor, a throwaway SQLite database, cache and static folder: `migrate`, `collectstatic`,
`load_content`, then
``tests.factories.multiply_content`` (every example and comparison row copied factor − 1 times, as the
tests that pin query counts do). In a process of its own per factor (Django is set up once per process),
Django's test client renders each page through the whole middleware stack with the page cache out of the
way (a query string the page cache leaves to the view), first once with the parts store emptied (the first
request after every part changed), then ``--runs`` times with it warm. Prints, per page and factor, the
median time, the ratio to 1×, the queries, and the HTML as sent (gzip, as the site compresses it) and
unpacked. bench/README.md says how to read it.
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
COLD_RUNS = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="warm renders per page and factor (default: %(default)s)")
    parser.add_argument("--factor", type=int, help=argparse.SUPPRESS)  # set for the process that measures one factor
    return parser.parse_args()


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response


def measure_factor(factor, runs):
    """Run in the process for one factor, its database named by DATABASE_URL: {page: figures}."""
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
    call_command("load_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    multiply_content(factor)
    client = Client()
    figures = {}
    for page, url in PAGES.items():
        cold = []
        for _ in range(COLD_RUNS):
            parts.parts.clear()
            cold.append(timed_get(client, url)[0])
        warm = [timed_get(client, url)[0] for _ in range(runs)]
        with CaptureQueriesContext(connection) as queries:
            _, response = timed_get(client, url)
        sent = response.content
        html = gzip.decompress(sent) if response.get("Content-Encoding") == "gzip" else sent
        figures[page] = {
            "median_ms": statistics.median(warm) * 1000,
            "cold_ms": statistics.median(cold) * 1000,
            "queries": len(queries),
            "sent_bytes": len(sent),
            "html_bytes": len(html),
            "encoding": response.get("Content-Encoding", "none"),
        }
    return figures


def run_factor(factor, runs):
    """Measure ``factor`` in a fresh process with throwaway database and cache folder."""
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        env = {
            **os.environ,
            "DJANGO_ENV": "development",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{Path(scratch) / 'scale.sqlite3'}",
            "DJANGO_CACHE_DIR": str(Path(scratch) / "cache"),
            "DJANGO_STATIC_ROOT": str(Path(scratch) / "static"),
        }
        command = [sys.executable, "-m", "bench.content_scale", "--factor", str(factor), "--runs", str(runs)]
        finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if finished.returncode != 0:
            sys.exit(f"Measuring {factor}× failed:\n{finished.stderr}")
        return json.loads(finished.stdout.strip().splitlines()[-1])


def print_table(results):
    print(
        f"{'page':<7} {'content':>7} {'median ms':>10} {'x 1×':>6} {'cold ms':>8} {'queries':>8} "
        f"{'gzip KB':>8} {'HTML KB':>8}"
    )
    for page in PAGES:
        base = results[FACTORS[0]][page]["median_ms"]
        for factor in FACTORS:
            row = results[factor][page]
            print(
                f"{page:<7} {f'{factor}×':>7} {row['median_ms']:>10.2f} {row['median_ms'] / base:>6.2f} "
                f"{row['cold_ms']:>8.1f} {row['queries']:>8} {row['sent_bytes'] / 1024:>8.1f} "
                f"{row['html_bytes'] / 1024:>8.1f}"
            )


def main():
    args = parse_args()
    if args.factor:
        print(json.dumps(measure_factor(args.factor, args.runs)))
        return
    results = {factor: run_factor(factor, args.runs) for factor in FACTORS}
    print_table(results)
    print(f"Load average (1, 5, 15 min) after the run: {os.getloadavg()}; {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
