"""A reader's review schedule: missed facts come back after 1, 3 and 7 days, through a private review link that
works from any browser, offers a calendar reminder, and stops working once its owner stops it."""

import io
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz import reviews, services
from quiz.models import Attempt, Question, ReviewEntry, ReviewPlan
from tests.html_pages import parse
from tests.quiz_helpers import answer, question_at, start

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    """The time, frozen at START; ``clock.shift(timedelta)`` moves it on."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def finish_missing(client, attempt, missed):
    """Answer every question of ``attempt``, wrongly those numbered in ``missed``, the rest right."""
    for number in range(1, attempt.total + 1):
        response = answer(client, attempt, number, right=number not in missed)
        assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_finished


@pytest.fixture
def missed_two(client, shipped_quiz, clock):
    """A reader who missed questions 1 and 2 of an attempt and kept a review link; returns (attempt, plan)."""
    attempt = start(client)
    finish_missing(client, attempt, missed={1, 2})
    response = client.post(f"/quiz/attempts/{attempt.public_id}/review/")
    assert response.status_code == 302
    return attempt, ReviewPlan.objects.get()


def facts_of(attempt, *numbers):
    return {fact for number in numbers for fact in reviews.fact_keys(question_at(attempt, number))}


def entries(plan):
    return {entry.fact: (entry.box, entry.due_at) for entry in ReviewEntry.objects.filter(plan=plan)}


def review_url(plan):
    return f"/quiz/review/{plan.token}/"


def listed(page, section):
    """The items of a section of the review page, as a reader reads them; none if the page has no such section."""
    sections = page.find_all("section", class_=section)
    return [item.text for item in sections[0].find_all("li")] if sections else []


def labels(facts):
    return sorted(label for label, _url in reviews.fact_targets(sorted(facts)).values())


def test_the_review_link_shows_exactly_the_missed_facts_once_a_day_has_passed(client, missed_two, clock):
    attempt, plan = missed_two
    missed = facts_of(attempt, 1, 2)

    assert entries(plan) == dict.fromkeys(missed, (1, START + DAY))
    today = parse(client.get(review_url(plan)))
    assert listed(today, "review-due") == []
    assert len(listed(today, "review-later")) == len(missed)

    clock.shift(DAY)
    tomorrow = parse(Client().get(review_url(plan)))

    assert sorted(listed(tomorrow, "review-due")) == labels(missed)
    assert listed(tomorrow, "review-later") == []
    assert tomorrow.find("button", class_="button").text == "Practise these now"


def test_a_question_without_facts_is_scheduled_as_itself(client, shipped_quiz, clock):
    attempt = start(client)
    question = question_at(attempt, 1)
    question.facts = []
    question.save()
    finish_missing(client, attempt, missed={1})

    client.post(f"/quiz/attempts/{attempt.public_id}/review/")

    assert set(entries(ReviewPlan.objects.get())) == {f"question:{question.pk}"}


def practise(client, plan):
    response = client.post(f"{review_url(plan)}practise/")
    assert response.status_code == 302
    return Attempt.objects.get(public_id=response.url.split("/")[3])


def test_practising_due_facts_asks_questions_on_them_and_moves_the_readers_plan(client, missed_two, clock):
    attempt, plan = missed_two
    clock.shift(DAY)
    practice = practise(client, plan)
    assert practice.is_practice and practice.review_plan == plan
    asked = [set(reviews.fact_keys(question_at(practice, number))) for number in range(1, practice.total + 1)]
    due = facts_of(attempt, 1, 2)
    assert set().union(*asked) >= due
    assert all(facts & due for facts in asked)


def test_a_right_answer_moves_a_fact_to_the_3_day_box_and_a_wrong_one_back_to_1_day(client, missed_two, clock):
    attempt, plan = missed_two
    clock.shift(DAY)
    # The two missed questions, in a practice of their own: the review link's practice may cover their facts with
    # a single question. An attempt asks no fact twice, so their facts are apart.
    missed = [question_at(attempt, 1), question_at(attempt, 2)]
    practice = services.start_practice(shipped_quiz_of(plan), attempt.owner_token, missed)
    right_facts, wrong_facts = facts_of(practice, 1), facts_of(practice, 2)
    assert right_facts | wrong_facts == facts_of(attempt, 1, 2)
    assert right_facts and wrong_facts and not right_facts & wrong_facts

    answer(client, practice, 1, right=True)
    answer(client, practice, 2, right=False)

    now = START + DAY
    schedule = entries(plan)
    assert {fact: schedule[fact] for fact in right_facts} == dict.fromkeys(right_facts, (2, now + 3 * DAY))
    assert {fact: schedule[fact] for fact in wrong_facts} == dict.fromkeys(wrong_facts, (1, now + DAY))


def test_a_right_answer_in_the_7_day_box_retires_the_fact_and_the_page_says_so(client, missed_two, clock):
    attempt, plan = missed_two
    [fact, *_] = sorted(facts_of(attempt, 1))
    question = question_at(attempt, 1)
    ReviewEntry.objects.filter(plan=plan, fact=fact).update(box=3, due_at=START)
    practice = services.start_practice(shipped_quiz_of(plan), attempt.owner_token, [question])

    answer(client, practice, 1, right=True)

    assert entries(plan)[fact] == (reviews.RETIRED, None)
    page = parse(client.get(review_url(plan)))
    assert "retired" in page.find("section", class_="review-retired").text
    assert listed(page, "review-retired") == labels([fact])


def shipped_quiz_of(plan):
    return plan.quiz


def test_each_answer_moves_the_schedule_with_two_queries_at_most(client, missed_two, clock):
    attempt, plan = missed_two
    question = question_at(attempt, 1)
    wrong = [choice for choice in question.choices.all() if not choice.correct][:1]
    with_plan = services.start_practice(plan.quiz, attempt.owner_token, [question], review_plan=plan)
    without_plan = services.start_practice(plan.quiz, "someone-else", [question])
    assert without_plan.review_plan is None

    with CaptureQueriesContext(connection) as planless:
        services.record_answer(without_plan, 1, chosen_choices=wrong, certainty="low")
    with CaptureQueriesContext(connection) as planned:
        services.record_answer(with_plan, 1, chosen_choices=wrong, certainty="low")

    assert len(planned) - len(planless) == 2


def test_the_link_works_from_a_second_browser_and_stops_working_once_its_owner_stops_it(client, missed_two, clock):
    attempt, plan = missed_two
    clock.shift(DAY)
    second = Client()
    assert second.get(review_url(plan)).status_code == 200

    practice = practise(second, plan)
    answer(second, practice, 1, right=True)

    assert practice.owner_token != attempt.owner_token
    assert not practice.is_owned_by(attempt.owner_token)
    assert any(box == 2 for box, _due in entries(plan).values())
    refused = second.post(f"{review_url(plan)}stop/")
    assert refused.status_code == 403
    assert ReviewPlan.objects.filter(pk=plan.pk).exists()

    stopped = client.post(f"{review_url(plan)}stop/")

    assert stopped.status_code == 200
    assert not ReviewPlan.objects.exists() and not ReviewEntry.objects.exists()
    for browser in (client, second):
        gone = browser.get(review_url(plan))
        assert gone.status_code == 404
        assert parse(gone).find("h1").text == "This review link does not work"
    assert Attempt.objects.get(pk=practice.pk).review_plan is None


def test_the_link_outlives_the_session_cookie_and_still_moves_the_plan(client, missed_two, clock):
    _attempt, plan = missed_two
    client.cookies.clear()
    clock.shift(DAY)

    assert client.get(review_url(plan)).status_code == 200
    practice = practise(client, plan)
    answer(client, practice, 1, right=False)

    schedule = entries(plan)
    assert {schedule[fact] for fact in reviews.fact_keys(question_at(practice, 1))} == {(1, START + 2 * DAY)}


def test_the_results_page_offers_the_link_next_date_reminder_and_stop_button_to_its_owner(client, missed_two):
    attempt, plan = missed_two
    box = parse(client.get(attempt.get_absolute_url())).find("section", class_="review-box")

    assert box.by_id("review-link")["value"] == f"http://testserver{review_url(plan)}"
    assert "Next review: Tuesday 3 March 2026." in box.text
    assert f"{review_url(plan)}reminder.ics" in box.links()
    assert box.find("form", action=f"{review_url(plan)}stop/").find("button").text == "Stop this review link"
    assert not parse(Client().get(attempt.get_absolute_url())).has("section", class_="review-box")


def test_keeping_a_review_link_twice_keeps_one(client, missed_two):
    attempt, plan = missed_two
    client.post(f"/quiz/attempts/{attempt.public_id}/review/")
    assert list(ReviewPlan.objects.all()) == [plan]


def test_the_reminder_is_an_all_day_event_on_the_next_due_date_linking_to_the_review(client, missed_two):
    _attempt, plan = missed_two

    response = Client().get(f"{review_url(plan)}reminder.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == (START + DAY).date()
    assert str(event["URL"]) == f"http://testserver{review_url(plan)}"
    assert "Review what you missed" in str(event["SUMMARY"])
    assert str(event["UID"]) and event.decoded("DTSTAMP") == START


def test_the_review_page_is_private_uncached_and_unindexed(client, missed_two):
    _attempt, plan = missed_two
    for address in (review_url(plan), f"{review_url(plan)}reminder.ics"):
        response = Client().get(address)
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
        assert response["Referrer-Policy"] == "same-origin"
    assert parse(Client().get(review_url(plan))).find("meta", name="robots")["content"] == "noindex"


def test_the_review_page_costs_a_fixed_number_of_queries(missed_two, clock, django_assert_num_queries, settings):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", "shared", "pages")
    }
    attempt, plan = missed_two
    kinds = {fact.partition(":")[0] for fact in facts_of(attempt, 1, 2)}
    clock.shift(DAY)
    # the plan, marking it used, its entries, one query per kind of fact, and the site's navigation
    with django_assert_num_queries(4 + len(kinds)):
        response = Client().get(review_url(plan))
    assert response.status_code == 200


BAD_TOKENS = {
    "unknown": "A" * 43,
    "malformed": "not-a-token",
    "oversized": "A" * 5000,
    "non-ascii": "é" * 43,
}


@pytest.mark.parametrize("address", ["", "practise/", "reminder.ics", "stop/"])
@pytest.mark.parametrize("token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_review_link_is_a_404_in_the_site_layout(client, missed_two, token, address):
    send = client.post if address in ("practise/", "stop/") else client.get

    response = send(f"/quiz/review/{token}/{address}")

    assert response.status_code == 404
    page = parse(response)
    assert page.find("h1").text == "This review link does not work"
    assert page.has("header", class_="site-header")
    assert ReviewPlan.objects.count() == 1 and Attempt.objects.count() == 1


def test_a_link_to_a_draft_quiz_is_a_404_for_readers(client, missed_two):
    _attempt, plan = missed_two
    plan.quiz.published = False
    plan.quiz.save()
    assert Client().get(review_url(plan)).status_code == 404


def test_practising_with_nothing_due_is_refused_and_creates_nothing(client, missed_two):
    _attempt, plan = missed_two

    response = client.post(f"{review_url(plan)}practise/")

    assert response.status_code == 409
    assert parse(response).find("h1").text == "Nothing is due for review yet"
    assert Attempt.objects.count() == 1


@pytest.mark.parametrize("address", ["practise/", "stop/"])
def test_get_on_a_review_button_address_is_a_405_in_the_site_layout(client, missed_two, address):
    _attempt, plan = missed_two
    response = client.get(f"{review_url(plan)}{address}")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert ReviewPlan.objects.count() == 1 and Attempt.objects.count() == 1


def test_get_on_keep_a_review_link_is_a_405(client, missed_two):
    attempt, _plan = missed_two
    assert client.get(f"/quiz/attempts/{attempt.public_id}/review/").status_code == 405


def test_practice_starts_from_a_link_are_rate_limited_as_other_practice_is(client, missed_two, clock, settings):
    settings.QUIZ_PRACTICE_RATE = "2/h"
    _attempt, plan = missed_two
    clock.shift(DAY)
    practise(client, plan)
    practise(client, plan)

    response = client.post(f"{review_url(plan)}practise/")

    assert response.status_code == 429
    assert parse(response).find("h1").text == "Too many practice attempts"
    assert Attempt.objects.count() == 3


def test_only_the_owner_of_a_finished_attempt_can_keep_a_review_link_for_it(client, shipped_quiz):
    attempt = start(client)
    answer(client, attempt, 1, right=False)

    unfinished = client.post(f"/quiz/attempts/{attempt.public_id}/review/")
    finish_missing(client, attempt, missed=set())
    not_owner = Client().post(f"/quiz/attempts/{attempt.public_id}/review/")

    assert unfinished.status_code == 409
    assert not_owner.status_code == 403
    assert not ReviewPlan.objects.exists()


def test_staff_test_runs_keep_no_review_link(client, shipped_quiz, staff_user):
    client.force_login(staff_user)
    attempt = start(client)
    finish_missing(client, attempt, missed={1})

    response = client.post(f"/quiz/attempts/{attempt.public_id}/review/")

    assert response.status_code == 409
    assert not parse(client.get(attempt.get_absolute_url())).has("section", class_="review-box")
    assert not ReviewPlan.objects.exists()


def test_the_next_attempt_of_a_reader_with_a_plan_moves_it(client, missed_two, clock):
    attempt, plan = missed_two
    retake = start(client)
    assert retake.review_plan == plan


def test_purge_attempts_removes_review_links_unused_for_the_retention_time(client, missed_two, settings):
    _attempt, plan = missed_two
    settings.REVIEW_PLAN_RETENTION_DAYS = 60
    other = ReviewPlan.objects.create(quiz=plan.quiz, owner_token="another-reader")
    ReviewPlan.objects.filter(pk=plan.pk).update(last_used_at=START - 61 * DAY)
    ReviewPlan.objects.filter(pk=other.pk).update(last_used_at=START - 59 * DAY)
    out = io.StringIO()

    call_command("purge_attempts", "--older-than", "30", stdout=out)

    assert "Deleted 1 review link(s)" in out.getvalue()
    assert list(ReviewPlan.objects.all()) == [other]
    assert not ReviewEntry.objects.exists()
    assert Client().get(review_url(plan)).status_code == 404


def test_a_new_plan_replays_every_earlier_answer_of_the_reader_in_order(shipped_quiz, clock):
    question = shipped_quiz.bank().exclude(kind=Question.Kind.SORT).prefetch_related("choices").first()
    wrong = [choice for choice in question.choices.all() if not choice.correct][:1]
    right = [choice for choice in question.choices.all() if choice.correct]
    missed = services.start_practice(shipped_quiz, "a-reader", [question])
    services.record_answer(missed, 1, chosen_choices=wrong, certainty="low")
    clock.shift(DAY)
    later = services.start_practice(shipped_quiz, "a-reader", [question])
    services.record_answer(later, 1, chosen_choices=right, certainty="low")
    services.start_practice(shipped_quiz, "someone-else", [question])

    plan = reviews.keep_review(later)

    assert entries(plan) == dict.fromkeys(reviews.fact_keys(question), (2, START + DAY + 3 * DAY))
    assert set(Attempt.objects.filter(review_plan=plan)) == {missed, later}


def test_once_everything_is_due_the_results_say_so_and_no_reminder_is_offered(client, missed_two, clock):
    attempt, plan = missed_two
    clock.shift(DAY)

    box = parse(client.get(attempt.get_absolute_url())).find("section", class_="review-box")
    reminder = client.get(f"{review_url(plan)}reminder.ics")

    assert "Some facts are due for review today." in box.text
    assert f"{review_url(plan)}reminder.ics" not in box.links()
    assert reminder.status_code == 404
    assert parse(reminder).find("h1").text == "Nothing to remind you of"
