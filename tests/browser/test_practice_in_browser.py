"""A reader misses questions, practises them from the results page, answers and sees the practice results: the
flow in Chromium, with axe-core (light and dark) and the Nu Html Checker on the practice pages."""

import pytest

from quiz.models import Attempt

from .journeys import answer_with_first_choice, finish_quiz, go_on, start_quiz
from .tools import AXE_SCRIPT, axe_violations, nu_html_errors

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_practises_what_they_missed_and_the_practice_pages_pass_axe_and_the_html_checker(
    site, make_page, tmp_path
):
    page = make_page()
    page.context.add_init_script(path=AXE_SCRIPT)
    report, saved = [], []

    def check(name):
        for scheme in ("light", "dark"):
            report.extend(f"{name} ({scheme}): {problem}" for problem in axe_violations(page, scheme))
        path = tmp_path / f"{name}.html"
        path.write_text(page.context.request.get(page.url).text(), encoding="utf-8")
        saved.append(path)

    start_quiz(page)
    answer_with_first_choice(page, certainty="low")  # unsure, so practised even if right
    go_on(page)
    finish_quiz(page, certainty="high")
    attempt = Attempt.objects.get()

    page.get_by_role("button", name="Practise what you missed").click()
    page.wait_for_url("**/questions/1/")
    practice = Attempt.objects.get(is_practice=True)
    assert attempt.question_id_at(1) in practice.question_ids
    assert page.locator(".quiz-progress__label").inner_text() == f"Practice question 1 of {practice.total}"
    assert page.title().startswith(f"Practice question 1 of {practice.total}")
    check("practice-question")

    answer_with_first_choice(page, certainty="medium")
    assert page.locator(".quiz-progress .tag--practice").is_visible()
    check("practice-feedback")
    go_on(page)
    finish_quiz(page, certainty="medium")

    practice.refresh_from_db()
    assert page.url.endswith(practice.get_absolute_url()) and practice.is_finished
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Practice")
    assert "pass" not in heading.inner_text().lower()
    assert page.get_by_role("button", name="Retake the quiz").count() == 0
    assert page.get_by_role("link", name="Back to the quiz “BPO or KPO?”").is_visible()
    check("practice-results")

    assert not report, "axe-core found accessibility problems:\n  " + "\n  ".join(report)
    errors = nu_html_errors(saved)
    assert not errors, "The Nu Html Checker found errors:\n  " + "\n  ".join(errors)
    assert page.console_watch.csp_violations == []
