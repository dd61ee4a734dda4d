"""The README's backup and restore commands work as written, on the machine's PostgreSQL."""

import subprocess

import psycopg

from tests.site_process import (
    create_database,
    database_url,
    drop_database,
    manage,
    postgres_client_environment,
    readme_backup_commands,
    site_environment,
    unique_name,
)

TABLES = [
    "content_outsourcingmodel",
    "content_example",
    "quiz_question",
    "quiz_choice",
    "outsourcing_site_contentversion",
]


def run(command):
    result = subprocess.run(command, env=postgres_client_environment(), capture_output=True, text=True, timeout=120)
    return result.returncode, result.stderr


def rows(database):
    with psycopg.connect(database_url(database), connect_timeout=5) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def stamp(database):
    with psycopg.connect(database_url(database), connect_timeout=5) as connection:
        return connection.execute("SELECT stamp FROM outsourcing_site_contentversion").fetchone()[0]


def test_the_readmes_restore_exits_0_into_a_fresh_database_and_over_it_again(postgres_site_database, tmp_path):
    dump = tmp_path / "outsourcing.dump"
    fresh = unique_name("restored")
    backup, _ = readme_backup_commands(postgres_site_database, dump)
    _, restore = readme_backup_commands(fresh, dump)
    assert run(backup) == (0, "")
    create_database(fresh)
    try:
        assert run(restore) == (0, "")
        assert run(restore) == (0, "")
        assert rows(fresh) == rows(postgres_site_database)
        assert stamp(fresh) == stamp(postgres_site_database)

        output = manage(site_environment(DATABASE_URL=database_url(fresh)), "refresh_pages")

        assert "Cached pages refreshed" in output
        assert stamp(fresh) != stamp(postgres_site_database)
    finally:
        drop_database(fresh)
