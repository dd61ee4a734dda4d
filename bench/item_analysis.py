"""`make bench-analysis`: time the item-analysis page and its CSV over 100,000 finished attempts.

For each database (a throwaway SQLite file, and a scratch PostgreSQL database on POSTGRES_URL's server,
dropped afterwards) a child process migrates, runs load_content and collectstatic, and inserts the attempts
at the shipped quiz in batches (COPY on PostgreSQL, executemany on SQLite): each drawn as a reader's would be
(from a few hundred draws of the quiz's blueprint), answered by a simulated reader whose ability and each
question's difficulty decide what is right, marked by the quiz's own scoring. About 70,000 readers, so
"first attempts" and "all attempts" differ. Then, signed in as staff, it loads the page and the CSV for each
choice of attempts several times and reports the median. bench/README.md shows a run's table.
"""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIZ_SLUG = "bpo-or-kpo"
SCRATCH_DATABASE = "outsourcing_bench_analysis"
BATCH = 20_000
DRAWS = 300
TARGET_MS = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000, help="finished attempts (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="timed loads of each address (default: %(default)s)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/outsourcing"),
        help="a PostgreSQL server to make the scratch database on; empty to skip PostgreSQL",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.child:
        print(json.dumps(measure(args.attempts, args.runs)))
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-analysis-") as scratch:
        results["SQLite"] = run_child(args, f"sqlite:///{scratch}/bench.sqlite3", scratch)
        if args.postgres_url:
            base, _, _name = args.postgres_url.rpartition("/")
            with scratch_postgres(f"{base}/postgres"):
                results["PostgreSQL"] = run_child(args, f"{base}/{SCRATCH_DATABASE}", scratch)
    print_table(results, args)


def run_child(args, database_url, scratch):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "outsourcing_site.settings",
        "DJANGO_CACHE_DIR": str(Path(scratch) / "cache"),
        "DJANGO_STATIC_ROOT": str(Path(scratch) / "static"),
        "DATABASE_STATEMENT_TIMEOUT": "600",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "bench.item_analysis", "--child", "--attempts", str(args.attempts)]
    finished = subprocess.run(
        [*command, "--runs", str(args.runs)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if finished.returncode:
        sys.exit(f"The run on {database_url} failed:\n{finished.stderr}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


class scratch_postgres:
    """CREATE DATABASE on entering, DROP DATABASE on leaving, however the block ends."""

    def __init__(self, maintenance_url):
        self.maintenance_url = maintenance_url

    def execute(self, statement):
        import psycopg

        with psycopg.connect(self.maintenance_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(statement)

    def __enter__(self):
        self.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")
        self.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")

    def __exit__(self, *exc_info):
        self.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")


def print_table(results, args):
    print(f"Item analysis of {args.attempts:,} finished attempts, median of {args.runs} loads (ms)")
    names = list(results)
    first = next(iter(results.values()))
    print(f"| {'request':<34} | " + " | ".join(f"{name:>10}" for name in names) + " |")
    print(f"|{'-' * 36}|" + "|".join("-" * 12 for _ in names) + "|")
    for request in first["timings"]:
        cells = " | ".join(f"{results[name]['timings'][request]:>10.0f}" for name in names)
        print(f"| {request:<34} | {cells} |")
    for name, result in results.items():
        slowest = max(result["timings"].values())
        verdict = "under" if slowest < TARGET_MS else "OVER"
        print(
            f"{name}: {result['answers']:,} answers, {result['readers']:,} readers, "
            f"filled in {result['fill_s']:.0f} s; "
            f"{result['queries']} queries a page; slowest {slowest:.0f} ms, {verdict} the {TARGET_MS} ms target."
        )


def measure(attempt_count, runs):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    quiz, answers, readers = fill(attempt_count)
    fill_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table filled over months: statistics, and the visibility map index-only scans need.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "a-long-bench-password")
    client = Client()
    client.force_login(user)
    url = f"/admin/quiz/quiz/{quiz.pk}/analysis/"
    requests = {
        "page, each reader's first attempt": url,
        "page, all attempts": f"{url}?attempts=all",
        "CSV, each reader's first attempt": f"{url}?format=csv",
        "CSV, all attempts": f"{url}?attempts=all&format=csv",
    }
    timings = {}
    for name, address in requests.items():
        assert client.get(address).status_code == 200, address
        loads = []
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get(address)
            loads.append(1000 * (time.perf_counter() - began))
            assert response.status_code == 200, address
        timings[name] = statistics.median(loads)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "timings": timings,
        "answers": answers,
        "readers": readers,
        "fill_s": fill_seconds,
        "queries": len(queries),
    }


def fill(attempt_count, seed=13):
    """Insert ``attempt_count`` finished attempts at the shipped quiz; (quiz, answers inserted, readers)."""
    from django.utils import timezone

    from content.models import OutsourcingModel
    from quiz import scoring
    from quiz.drawing import candidates, draw_attempt
    from quiz.models import Answer, Attempt, Quiz

    rng = random.Random(seed)
    quiz = Quiz.objects.get(slug=QUIZ_SLUG)
    bank = quiz.bank_with_choices()
    model_ids = list(OutsourcingModel.objects.published().values_list("pk", flat=True))
    shapes = [draw_attempt(candidates(bank), quiz.blueprint, quiz.two_option_cap, rng) for _ in range(DRAWS)]
    difficulty = {question.pk: rng.gauss(0, 1) for question in bank}
    questions = {question.pk: question for question in bank}
    readers = max(1, attempt_count * 7 // 10)
    marks_of = {}

    def marked(question, offered, chosen, placements):
        key = (question.pk, tuple(offered), tuple(chosen), tuple(sorted(placements.items())))
        if key not in marks_of:
            marks_of[key] = scoring.mark(question, offered, chosen, placements, len(model_ids))
        return marks_of[key]

    next_attempt = (Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_answer = (Answer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = timezone.now()
    attempts, answers, chosen = [], [], []
    answer_count = 0
    for number in range(attempt_count):
        reader = number % readers
        ability = math.sin(reader) * 1.5  # the same reader, the same ability, on every attempt
        shape = rng.choice(shapes)
        attempt_id = next_attempt + number
        started = now - timedelta(minutes=attempt_count - number)
        score, marks = 0.0, []
        for position, pick in enumerate(shape):
            question = questions[pick.question.pk]
            offered = pick.choice_ids
            knows = rng.random() < 1 / (1 + math.exp(difficulty[question.pk] - ability))
            choices = {choice.pk: choice for choice in question.choices.all()}
            placements, ticked = {}, []
            if question.is_sort:
                placements = {
                    pk: choices[pk].placed_under_id if knows or rng.random() < 0.5 else rng.choice(model_ids)
                    for pk in offered
                }
            else:
                right = [pk for pk in offered if choices[pk].correct]
                wrong = [pk for pk in offered if not choices[pk].correct]
                if knows or not wrong:
                    ticked = right
                elif question.kind == question.Kind.MULTIPLE:
                    ticked = right[1:] + [rng.choice(wrong)]
                else:
                    ticked = [rng.choice(wrong)]
            mark = marked(question, offered, ticked, placements)
            score += mark
            marks.append(mark)
            answer_id = next_answer + answer_count
            answer_count += 1
            answers.append(
                [
                    answer_id,
                    attempt_id,
                    question.pk,
                    json.dumps({str(pk): model for pk, model in placements.items()}),
                    mark,
                    mark >= 1 - scoring.TOLERANCE,
                    "",
                    started + timedelta(seconds=10 * (position + 1)),
                    position + 1,
                    json.dumps(sorted(ticked)),
                ]
            )
            chosen += [(answer_id, pk) for pk in ticked]
        # What services.store_for_item_analysis stores at finish; reader = number % readers, so a reader's
        # first attempt comes before their others.
        counted = Answer.Counted.FIRST if number < readers else Answer.Counted.ALL
        for answer, mark in zip(answers[-len(marks) :], marks, strict=True):
            answer += [score - mark, counted]
        attempts.append(
            (
                attempt_id,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                quiz.pk,
                f"reader-{reader}",
                json.dumps([pick.question.pk for pick in shape]),
                json.dumps({str(pick.question.pk): pick.choice_ids for pick in shape}),
                started,
                started + timedelta(seconds=10 * (len(shape) + 1)),
                score,
                len(shape),
                False,
                False,
                False,
            )
        )
        if len(answers) >= BATCH:
            flush(attempts, answers, chosen)
    flush(attempts, answers, chosen)
    reset_sequences()
    return quiz, answer_count, readers


ATTEMPT_COLUMNS = (
    "id, public_id, quiz_id, owner_token, question_ids, choice_order, started_at, finished_at, score, "
    "answered_count, certainty_based_marking, is_practice, by_staff"
)
ANSWER_COLUMNS = (
    "id, attempt_id, question_id, placements, mark, correct, certainty, answered_at, "
    "position, picked, rest_score, counted"
)
CHOSEN_COLUMNS = "answer_id, choice_id"


def flush(attempts, answers, chosen):
    """Insert the rows gathered, in one transaction, and empty the lists."""
    from django.db import connection, transaction

    from quiz.models import Answer, Attempt

    tables = [
        (Attempt._meta.db_table, ATTEMPT_COLUMNS, attempts),
        (Answer._meta.db_table, ANSWER_COLUMNS, answers),
        (Answer.chosen.through._meta.db_table, CHOSEN_COLUMNS, chosen),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in tables:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns.split(",")))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", [sqlite_row(row) for row in rows]
                )
    for _table, _columns, rows in tables:
        rows.clear()


def sqlite_row(row):
    from django.db import connection

    adapted = []
    for value in row:
        if isinstance(value, uuid.UUID):
            value = value.hex
        elif hasattr(value, "tzinfo"):
            value = connection.ops.adapt_datetimefield_value(value)
        adapted.append(value)
    return adapted


def reset_sequences():
    """After inserting explicit ids, PostgreSQL's sequences must move past them."""
    from django.core.management.color import no_style
    from django.db import connection

    from quiz.models import Answer, Attempt

    statements = connection.ops.sequence_reset_sql(no_style(), [Attempt, Answer, Answer.chosen.through])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


if __name__ == "__main__":
    main()
