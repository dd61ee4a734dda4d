"""A reader keeps a review link, opens it a day later in another browser and practises what is due; axe-core
and the Nu Html Checker find nothing on the review page or on the results page that offers the link."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import ReviewEntry, ReviewPlan

from .journeys import finish_quiz, start_quiz
from .tools import AXE_SCRIPT, axe_violations, nu_html_errors

pytestmark = pytest.mark.django_db(transaction=True)


def keep_a_review_link(page):
    """Take the quiz (first choices: some are wrong), keep a review link from the results; returns its address."""
    start_quiz(page)
    finish_quiz(page)
    return keep_link_from_results(page)


def keep_link_from_results(page):
    page.get_by_role("button", name="Keep a review link").click()
    link = page.get_by_label("Your private review link", exact=False)
    expect(link).to_be_visible()
    return link.input_value()


def a_day_passes():
    ReviewEntry.objects.update(due_at=timezone.now() - timedelta(minutes=1))


def test_a_review_link_opened_in_another_browser_practises_what_is_due(site, make_page):
    owner = make_page()
    address = keep_a_review_link(owner)
    missed = set(ReviewEntry.objects.values_list("fact", flat=True))
    assert missed
    a_day_passes()

    other = make_page()
    other.goto(address)
    due = other.locator(".review-due .review-list li")
    expect(due).to_have_count(len(missed))
    other.get_by_role("button", name="Practise these now").click()
    other.wait_for_url("**/questions/1/")
    finish_quiz(other)

    schedule = dict(ReviewEntry.objects.values_list("fact", "box"))
    assert set(schedule) >= missed
    assert all(box in (1, 2) for box in schedule.values())
    assert not ReviewEntry.objects.filter(due_at__lte=timezone.now()).exists()
    assert other.console_watch.csp_violations == []

    owner.reload()
    owner.get_by_role("button", name="Stop this review link").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Your review link is stopped")
    other.goto(address)
    expect(other.get_by_role("heading", level=1)).to_have_text("This review link does not work")
    assert not ReviewPlan.objects.exists()


def test_axe_and_the_nu_html_checker_find_nothing_on_the_review_and_results_pages(site, make_page, tmp_path):
    page = make_page()
    page.context.add_init_script(path=AXE_SCRIPT)
    start_quiz(page)
    finish_quiz(page)
    results = page.url
    report, saved = audit(page, "results-before-the-link", results, tmp_path)
    address = keep_link_from_results(page)
    a_day_passes()
    ReviewEntry.objects.filter(pk=ReviewEntry.objects.first().pk).update(due_at=timezone.now() + timedelta(days=3))
    ReviewEntry.objects.filter(pk=ReviewEntry.objects.last().pk).update(box=4, due_at=None)

    for name, url in [("results", results), ("review", address)]:
        problems, paths = audit(page, name, url, tmp_path)
        report += problems
        saved += paths
    assert not report, "axe-core found accessibility problems:\n  " + "\n  ".join(report)
    assert page.console_watch.csp_violations == []

    errors = nu_html_errors(saved)
    assert not errors, "The Nu Html Checker found errors:\n  " + "\n  ".join(errors)


def audit(page, name, url, tmp_path):
    """axe-core's findings on the page at ``url`` in light and dark mode, and the page saved for the Nu checker."""
    page.goto(url)
    report = [
        f"{name} ({scheme}): {problem}" for scheme in ("light", "dark") for problem in axe_violations(page, scheme)
    ]
    path = tmp_path / f"{name}.html"
    path.write_text(page.context.request.get(url).text(), encoding="utf-8")
    return report, [path]
