"""axe-core and the Nu Html Checker on every kind of public page, the quiz pages included."""

import pytest

from quiz.models import Attempt, Question

from .journeys import QUIZ_URL, SORT_SLUG, finish_quiz, go_on, pick_certainty, place_rows, start_quiz
from .tools import AXE_SCRIPT, axe_violations, vnu_errors

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE_RESULT = "/which-fits/?nature-of-work=bpo&skill-level=kpo&decision-making=kpo&technology=kpo"


def ask_a_hand_written_question_first(page):
    """Make the attempt's first question one whose second choice is wrong and has its own feedback, and its
    second a hand-written sort question."""
    attempt = Attempt.objects.get()
    ids = attempt.question_ids
    for number, slug in enumerate(["kpo-technology", SORT_SLUG]):
        question = Question.objects.get(slug=slug)
        if question.pk in ids:
            ids[ids.index(question.pk)] = ids[number]
        ids[number] = question.pk
        attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()
    page.reload()


def public_pages(page):
    """Visit every kind of public page; yield each one's name once the browser shows it."""
    fixed = [
        ("home", "/"),
        ("bpo", "/bpo/"),
        ("kpo", "/kpo/"),
        ("guide", "/which-fits/"),
        ("guide-result", f"{GUIDE_RESULT}&task=Typing+customer+records+%3Cb%3Efrom%3C%2Fb%3E+paper+forms"),
        ("guide-mixed-result", GUIDE_RESULT.replace("technology=kpo", "technology=bpo")),
        ("guide-missing-answers", "/which-fits/?nature-of-work=kpo&task=data+entry"),
        ("quizzes", "/quiz/"),
        ("quiz", QUIZ_URL),
        ("not-found", "/no-such-page/"),
    ]
    for name, url in fixed:
        page.goto(url)
        yield name
    start_quiz(page)
    ask_a_hand_written_question_first(page)
    yield "question"
    page.locator(".choice input").nth(1).check()
    pick_certainty(page, "high")
    page.get_by_role("button", name="Submit answer").click()
    page.locator(".mistake-feedback").wait_for()
    page.locator(".certainty-earned--misconception").wait_for()
    yield "feedback"
    go_on(page)
    yield "sort-question"
    place_rows(page, ["BPO", "KPO", "BPO", "KPO"])
    pick_certainty(page, "medium")
    page.get_by_role("button", name="Submit answer").click()
    page.locator(".mistake-feedback").wait_for()
    yield "sort-feedback"
    go_on(page)
    finish_quiz(page)
    page.locator(".certainty-score").wait_for()
    yield "results"
    page.context.clear_cookies()
    page.reload()
    yield "shared-results"


def test_axe_finds_no_violation_on_any_public_page_in_light_and_dark_mode(site, make_page):
    page = make_page()
    page.context.add_init_script(path=AXE_SCRIPT)
    report, visited = [], []
    for name in public_pages(page):
        visited.append(name)
        for scheme in ("light", "dark"):
            report += [f"{name} ({scheme}) {page.url}: {problem}" for problem in axe_violations(page, scheme)]
    assert visited == [
        "home",
        "bpo",
        "kpo",
        "guide",
        "guide-result",
        "guide-mixed-result",
        "guide-missing-answers",
        "quizzes",
        "quiz",
        "not-found",
        "question",
        "feedback",
        "sort-question",
        "sort-feedback",
        "results",
        "shared-results",
    ]
    assert not report, "axe-core found accessibility problems:\n  " + "\n  ".join(report)
    assert page.console_watch.csp_violations == []


def test_nu_html_checker_finds_no_error_on_any_public_page(site, make_page, tmp_path):
    page = make_page()
    saved = []
    for name in public_pages(page):
        response = page.context.request.get(page.url)
        path = tmp_path / f"{name}.html"
        path.write_text(response.text(), encoding="utf-8")
        saved.append(path)
    assert len(saved) == 16

    errors = vnu_errors(saved)
    assert not errors, "The Nu Html Checker found errors:\n  " + "\n  ".join(errors)
