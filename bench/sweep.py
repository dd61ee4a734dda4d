"""`python -m bench.sweep`: how evenly gunicorn settings spread 16 kept-alive connections, run after run.

Serves one throwaway site (as `make bench` does) with each setting below at once, each server on its own
port, and measures them interleaved: in every round, wrk runs against cached / and the hashed CSS file of
each server in turn at 16 connections. Prints, per setting, the median requests per second, the spread
between rounds ((max − min) ÷ median), the worst split of connections over the server's processes, and
the load average of each round; the README's gunicorn section quotes the table.
"""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.run import (
    BROWSER_ACCEPT_ENCODING,
    ROOT,
    STYLESHEET,
    WrkFailed,
    free_port,
    get,
    load_average,
    prepare_site,
    production_environment,
    run_wrk,
    spread,
    start_gunicorn,
    wait_until_serving,
)

# Each setting as the environment variables outsourcing_site/gunicorn.conf.py reads.
SETTINGS = {
    "gthread 2x4, one shared socket": {"GUNICORN_REUSE_PORT": "0"},
    "gthread 2x4, reuse_port": {"GUNICORN_REUSE_PORT": "1"},
    "gthread 2x4, worker_connections 8": {"GUNICORN_REUSE_PORT": "0", "GUNICORN_WORKER_CONNECTIONS": "8"},
    "gthread 2x4, max_requests 2000": {"GUNICORN_REUSE_PORT": "0", "GUNICORN_MAX_REQUESTS": "2000"},
    "gthread 2x4, no keep-alive": {"GUNICORN_REUSE_PORT": "0", "GUNICORN_KEEPALIVE": "0"},
    "gthread 4x2, reuse_port": {"GUNICORN_REUSE_PORT": "1", "GUNICORN_WORKERS": "4", "GUNICORN_THREADS": "2"},
    "sync x4 (no keep-alive)": {"GUNICORN_REUSE_PORT": "0", "GUNICORN_WORKER_CLASS": "sync", "GUNICORN_WORKERS": "4"},
}

# A wrk run that could not finish (the server refused the connections): nothing served.
FAILED_RUN = {"rps": 0.0, "p99_ms": 0.0, "non_2xx_3xx": 0, "socket_errors": 0, "connections_per_process": []}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="how long each wrk run lasts (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each setting (default: %(default)s)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default: %(default)s)")
    parser.add_argument(
        "--only", action="append", choices=sorted(SETTINGS), help="measure only this setting (may be repeated)"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "sweep.json")
    return parser.parse_args()


def start_servers(scratch, names, servers):
    """One gunicorn per setting on the same prepared site, one after the other, into ``servers``:
    {name: (port, process, log path)}."""
    for number, name in enumerate(names):
        port = free_port()
        env = production_environment(scratch, port) | SETTINGS[name]
        log_path = scratch / f"gunicorn-{number}.log"
        servers[name] = (port, start_gunicorn(env, log_path), log_path)
        wait_until_serving(port, servers[name][1], log_path)


def css_path(port):
    _, home = get(port, "/")
    return STYLESHEET.search(home.decode()).group(1)


def measure(servers, args):
    """Round after round, each server in turn: cached / and the CSS file. The runs of each setting and page."""
    runs = {name: {"/": [], "hashed CSS": []} for name in servers}
    loads = []
    targets = {name: {"/": "/", "hashed CSS": css_path(port)} for name, (port, _, _) in servers.items()}
    for name, (port, _, _) in servers.items():
        for path in targets[name].values():
            for _ in range(20):
                get(port, path, {"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
    for round_number in range(1, args.rounds + 1):
        loads.append(load_average())
        print(f"Round {round_number}/{args.rounds} (load average {loads[-1]}):")
        for name, (port, _, _) in servers.items():
            for label, path in targets[name].items():
                print(f"  {name}: {label} with {args.connections} connections for {args.seconds} s ...")
                try:
                    runs[name][label].append(run_wrk(port, path, args.connections, args.seconds))
                except WrkFailed as error:
                    print(f"    {error}: counted as 0 requests/s")
                    runs[name][label].append(FAILED_RUN | {"non_2xx_3xx": args.connections})
    return runs, loads


def summary(runs):
    rows = []
    for name, by_page in runs.items():
        row = {"setting": name}
        for label, results in by_page.items():
            rates = [result["rps"] for result in results]
            row[label] = {
                "rps": round(statistics.median(rates), 1),
                "spread_percent": spread(rates),
                "runs": rates,
                "p99_ms": round(statistics.median(result["p99_ms"] for result in results), 1),
                "errors": sum(result["non_2xx_3xx"] + result["socket_errors"] for result in results),
                "connections_per_process": [result["connections_per_process"] for result in results],
            }
        row["ratio_to_css"] = round(row["/"]["rps"] / row["hashed CSS"]["rps"], 2)
        rows.append(row)
    return rows


def busiest_share(splits):
    """The largest share of the connections any one process held in any run, e.g. 16/16 when one took all."""
    worst = max(splits, key=lambda split: (split[0] / sum(split)) if split else 0)
    return f"{worst[0]}/{sum(worst)}" if worst else "?"


def print_table(rows, loads):
    header = (
        f"{'setting':<36} {'/ req/s':>8} {'spread':>7} {'p99 ms':>7} {'CSS req/s':>9} {'spread':>7} "
        f"{'x CSS':>6} {'busiest':>8} {'errors':>6}"
    )
    print("\n" + header)
    print("-" * len(header))
    for row in rows:
        home, css = row["/"], row["hashed CSS"]
        splits = home["connections_per_process"] + css["connections_per_process"]
        print(
            f"{row['setting']:<36} {home['rps']:>8.1f} {home['spread_percent']:>6.1f}% {home['p99_ms']:>7.1f} "
            f"{css['rps']:>9.1f} {css['spread_percent']:>6.1f}% {row['ratio_to_css']:>6.2f} "
            f"{busiest_share(splits):>8} {home['errors'] + css['errors']:>6}"
        )
    print(f"\nLoad average (1 min) at the start of each round: {loads}")


def main():
    args = parse_args()
    names = args.only or list(SETTINGS)
    with tempfile.TemporaryDirectory(prefix="outsourcing-sweep-") as scratch:
        scratch = Path(scratch)
        print(f"Preparing a throwaway database in {scratch} ...")
        prepare_site(production_environment(scratch, 0))
        servers = {}
        try:
            start_servers(scratch, names, servers)
            runs, loads = measure(servers, args)
        finally:
            for _, process, _ in servers.values():
                process.terminate()
            for _, process, _ in servers.values():
                process.wait(timeout=30)
    rows = summary(runs)
    print_table(rows, loads)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"settings": SETTINGS, "rows": rows, "load_average_per_round": loads}, indent=2))
    print(f"Written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    sys.exit(main())
