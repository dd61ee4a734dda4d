"""What operators rely on: one parseable log line per request, and purging abandoned attempts."""

import io
import logging
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quiz.models import Answer, Attempt
from tests.quiz_helpers import answer, start

LOG_LINE = re.compile(r"^method=(\w+) path=(\S+) status=(\d{3}) duration_ms=(\d+\.\d)$")


def test_each_request_is_logged_on_one_parseable_line(client, shipped_content, caplog):
    caplog.set_level(logging.INFO, logger="outsourcing_site.requests")

    client.get("/bpo/")
    client.get("/no-such-page/")

    lines = [record.getMessage() for record in caplog.records if record.name == "outsourcing_site.requests"]
    parsed = [LOG_LINE.match(line).groups()[:3] for line in lines]
    assert parsed == [("GET", "/bpo/", "200"), ("GET", "/no-such-page/", "404")]


@pytest.fixture
def attempts_of_every_age(client, shipped_content):
    """An abandoned attempt 40 days old, a finished one 40 days old and an unfinished one from today."""
    abandoned = start(client)
    answer(client, abandoned, 1)
    finished = start(client)
    for number in range(1, finished.total + 1):
        answer(client, finished, number)
    recent = start(client)
    forty_days_ago = timezone.now() - timedelta(days=40)
    Attempt.objects.filter(pk__in=[abandoned.pk, finished.pk]).update(started_at=forty_days_ago)
    return abandoned, finished, recent


def test_purge_attempts_deletes_only_old_unfinished_attempts_and_their_answers(attempts_of_every_age):
    abandoned, finished, recent = attempts_of_every_age
    out = io.StringIO()

    call_command("purge_attempts", "--older-than", "30", stdout=out)

    assert "Deleted 1 unfinished attempt(s)" in out.getvalue()
    assert set(Attempt.objects.values_list("pk", flat=True)) == {finished.pk, recent.pk}
    assert not Answer.objects.filter(attempt_id=abandoned.pk).exists()


def test_purge_attempts_dry_run_deletes_nothing(attempts_of_every_age):
    out = io.StringIO()

    call_command("purge_attempts", "--older-than", "30", "--dry-run", stdout=out)

    assert "Would delete 1 unfinished attempt(s)" in out.getvalue()
    assert Attempt.objects.count() == 3


@pytest.mark.parametrize("days", ["0", "-5"])
def test_purge_attempts_refuses_an_age_that_would_delete_attempts_in_progress(attempts_of_every_age, days):
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("purge_attempts", "--older-than", days)

    assert Attempt.objects.count() == 3


@pytest.mark.parametrize("arguments", [[], ["--older-than", "soon"]])
def test_purge_attempts_needs_a_whole_number_of_days(db, arguments):
    with pytest.raises(CommandError):
        call_command("purge_attempts", *arguments)
