"""Twenty readers take the quiz at the same moment over real HTTP; nothing is lost or doubled."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from django.core.management import call_command
from django.db import connection

from quiz.models import Answer, Attempt
from tests.quiz_helpers import QUIZ_SLUG, answer_data

TAKERS = 20
ATTEMPT_URL = re.compile(r"/quiz/attempts/([0-9a-f-]{36})/questions/1/$")


def answers_right(taker, number):
    """Each taker gets a different, known mix of right and wrong answers."""
    return (taker + number) % 3 != 0


class Taker:
    """One reader's browser: its own cookies, following redirects, recording every status it sees."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))
        self.statuses = []

    def request(self, path, form=None):
        data = None
        if form is not None:
            data = urlencode({**form, "csrfmiddlewaretoken": self.csrf_token()}, doseq=True).encode()
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=60) as response:
                self.statuses.append(response.status)
                return response.url, response.read().decode()
        except HTTPError as error:
            self.statuses.append(error.code)
            raise

    def csrf_token(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")


def take_the_quiz(base_url, taker, ready):
    try:
        return take_the_quiz_in(Taker(base_url), taker, ready)
    finally:
        connection.close()  # this worker thread's own connection, used to read the attempt's answer key


def take_the_quiz_in(browser, taker, ready):
    browser.request(f"/quiz/{QUIZ_SLUG}/")
    ready.wait()
    landed_on, _ = browser.request(f"/quiz/{QUIZ_SLUG}/start/", form={})
    attempt = Attempt.objects.get(public_id=ATTEMPT_URL.search(landed_on).group(1))
    expected_score = 0
    for number in range(1, attempt.total + 1):
        right = answers_right(taker, number)
        expected_score += right
        landed_on, page = browser.request(attempt.question_url(number), form=answer_data(attempt, number, right))
        assert landed_on.endswith(attempt.question_url(number)), landed_on
    landed_on, _ = browser.request(f"/quiz/attempts/{attempt.public_id}/results/")
    return attempt.pk, expected_score, browser.statuses


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_takers_each_finish_with_every_answer_stored_once_and_scored_right(live_server, settings):
    call_command("load_content", verbosity=0)
    settings.QUIZ_START_RATE = "1000/h"
    everyone_ready = threading.Barrier(TAKERS)

    with ThreadPoolExecutor(max_workers=TAKERS) as pool:
        outcomes = list(pool.map(lambda taker: take_the_quiz(live_server.url, taker, everyone_ready), range(TAKERS)))

    statuses = [status for _, _, seen in outcomes for status in seen]
    assert all(status < 500 for status in statuses)
    assert set(statuses) == {200}
    assert Attempt.objects.count() == TAKERS
    for attempt_id, expected_score, _ in outcomes:
        attempt = Attempt.objects.get(pk=attempt_id)
        assert attempt.is_finished
        assert attempt.answered_count == attempt.total
        assert Answer.objects.filter(attempt=attempt).count() == attempt.total
        assert attempt.score == expected_score
