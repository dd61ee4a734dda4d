"""The moments of an attempt on a 390 × 844 phone: focus starts on the question's heading or the verdict, the
button that moves on is in view without scrolling, and the site's "Take the quiz" buttons start in one step."""

import pytest
from playwright.sync_api import expect

from quiz.models import Attempt, Question

from .journeys import QUIZ_URL, answer_with_first_choice, pick_certainty, start_quiz

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def focused(page):
    return page.evaluate(
        "document.activeElement.matches('h1') ? 'h1.' + document.activeElement.className : "
        "document.activeElement.className || document.activeElement.tagName"
    )


def page_length(question):
    """How much text the question and its feedback page show: the longest ones test the layout hardest."""
    choices = list(question.choices.all())
    feedback = max((len(choice.feedback) for choice in choices), default=0)
    return len(question.prompt) + sum(len(choice.text) for choice in choices) + len(question.explanation) + feedback


def ask_first(page, question):
    attempt = Attempt.objects.get()
    ids = attempt.question_ids
    if question.pk in ids:
        ids[ids.index(question.pk)] = ids[0]
    ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()
    page.reload()


def wrong_choice_place(question):
    return next(place for place, choice in enumerate(question.choices.all()) if not choice.correct)


def test_on_a_phone_focus_starts_on_the_question_and_the_verdict_and_the_buttons_are_in_view(site, make_page):
    longest = max(Question.objects.filter(active=True, published=True).exclude(kind="sort"), key=page_length)
    page = make_page(**PHONE)
    start_quiz(page)
    ask_first(page, longest)

    assert focused(page) == "h1.quiz-title"
    expect(page.get_by_role("button", name="Submit answer")).to_be_in_viewport(ratio=1)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "choice-0"

    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert focused(page) == "error-summary"
    expect(page.get_by_role("button", name="Submit answer")).to_be_in_viewport(ratio=1)

    page.locator(".choice input").nth(wrong_choice_place(longest)).check()
    pick_certainty(page, "high")
    page.get_by_role("button", name="Submit answer").click()
    page.locator(".verdict").wait_for()

    assert focused(page) == "h1.verdict verdict--wrong"
    expect(page.locator(".mistake-feedback")).to_be_attached()
    next_question = page.get_by_role("link", name="Next question")
    expect(next_question).to_be_in_viewport(ratio=1)
    page.mouse.wheel(0, 400)
    expect(next_question).to_be_in_viewport(ratio=1)

    with page.expect_navigation():
        next_question.click()
    assert focused(page) == "h1.quiz-title"
    expect(page.locator(".quiz-progress__label")).to_have_text("Question 2 of 10")
    assert page.console_watch.csp_violations == []


def test_the_skip_link_still_leads_past_the_header_on_a_question_page(site, make_page):
    page = make_page(**PHONE)
    start_quiz(page)
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main"
    page.reload()
    assert focused(page) != "h1.quiz-title", "an address with a fragment keeps the browser's own focus"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_take_the_quiz_on_the_home_page_starts_an_attempt_in_one_step_then_continues_it(site, make_page, javascript):
    page = make_page(java_script_enabled=javascript, **PHONE)
    page.goto("/")
    take = page.get_by_role("button", name="Take the quiz “BPO or KPO?”")
    with page.expect_navigation():
        take.click()
    assert page.url.endswith("/questions/1/")
    answer_with_first_choice(page, "low")
    page.locator(".verdict").wait_for()

    page.goto("/kpo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Take the quiz “BPO or KPO?”").click()

    assert page.url.endswith("/questions/2/")
    assert Attempt.objects.count() == 1
    page.goto(QUIZ_URL)
    with page.expect_navigation():
        page.get_by_role("button", name="Start a new attempt").click()
    assert page.url.endswith("/questions/1/") and Attempt.objects.count() == 2
