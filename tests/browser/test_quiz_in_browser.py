import pytest
from playwright.sync_api import expect

from quiz.models import Attempt, Question

from .journeys import (
    QUIZ_URL,
    SORT_SLUG,
    answer_with_first_choice,
    finish_quiz,
    go_on,
    pick_certainty,
    place_rows,
    start_quiz,
)

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector, limit=30):
    """Press Tab until the focused element matches ``selector``, as a keyboard user moves through a page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {page.url}")


def test_quiz_taker_completes_the_whole_quiz_with_only_the_keyboard(site, make_page):
    page = make_page()
    page.goto(QUIZ_URL)
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    answered = 0
    while "/results/" not in page.url:
        expect(page.locator(".quiz-progress__label")).to_have_text(f"Question {answered + 1} of 10")
        rows = page.locator(".sort-table tbody tr").count()
        if rows:
            for place in range(1, rows + 1):
                tab_to(page, f"input[name=row-{place}]")
                page.keyboard.press("ArrowRight")
            expect(page.locator(".sort-table input:checked")).to_have_count(rows)
        else:
            tab_to(page, ".choice input")
            page.keyboard.press("Space")
            expect(page.locator(".choice input:checked")).to_have_count(1)
        tab_to(page, ".certainty input")
        page.keyboard.press("Space")
        expect(page.locator(".certainty input:checked")).to_have_count(1)
        tab_to(page, "button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator(".verdict")).to_be_visible()
        answered += 1
        tab_to(page, "a.button")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    assert answered == 10
    expect(page.get_by_role("heading", level=1)).to_contain_text("of 10 marks")
    attempt = Attempt.objects.get()
    assert attempt.is_finished and attempt.answers.count() == 10
    assert page.console_watch.csp_violations == []


def ask_a_sort_question_second(page):
    attempt = Attempt.objects.get()
    question = Question.objects.get(slug=SORT_SLUG)
    ids = attempt.question_ids
    if question.pk in ids:
        ids[ids.index(question.pk)] = ids[1]
    ids[1] = question.pk
    # The page shows question 1 as drawn; from now on it must be one with choices (another sort may come first).
    sorts = set(Question.objects.filter(pk__in=ids, kind=Question.Kind.SORT).values_list("pk", flat=True))
    if ids[0] in sorts:
        swap = next(number for number in range(2, len(ids)) if ids[number] not in sorts)
        ids[0], ids[swap] = ids[swap], ids[0]
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()


CERTAINTIES = ["low", "medium", "high"] * 2 + ["low", "medium"]


def test_quiz_taker_completes_the_whole_quiz_with_javascript_disabled_saying_how_sure_each_time(site, make_page):
    page = make_page(java_script_enabled=False)
    start_quiz(page)
    ask_a_sort_question_second(page)
    expect(page.locator("#certainty-hint")).to_contain_text("Low never costs anything")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".error-summary")).to_contain_text("There is a problem with your answer")
    page.locator(".choice input").first.check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose how sure you are before you submit.")
    page.get_by_role("link", name="Choose how sure you are before you submit.").click()
    expect(page.locator(":target")).to_have_id("certainty-low")
    answer_with_first_choice(page, "low")
    expect(page.locator(".certainty-earned")).to_contain_text("How sure you were: Low")
    go_on(page)

    rows = page.locator(".sort-table tbody tr")
    expect(rows).to_have_count(4)
    rows.nth(0).get_by_label("BPO", exact=False).check()
    pick_certainty(page, "medium")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".error-summary")).to_contain_text("Place “Typing the details")
    expect(page.locator(".sort-table input:checked")).to_have_count(1)
    place_rows(page, ["BPO", "BPO", "KPO", "BPO"])
    pick_certainty(page, "medium")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".verdict")).to_have_text("Partly right.")
    expect(page.locator(".feedback-mark")).to_have_text("Your mark: 0.5 of 1.")
    expect(page.locator(".mistake-feedback h3")).to_have_text("Reviewing the loan contracts for legal problems")
    expect(page.locator(".certainty-earned")).to_contain_text("How sure you were: Medium")
    go_on(page)

    for certainty in CERTAINTIES:
        answer_with_first_choice(page, certainty)
        expect(page.locator(".certainty-earned")).to_contain_text(f"How sure you were: {certainty.capitalize()}")
        go_on(page)
    assert "/results/" in page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("of 10 marks")
    expect(page.locator('.answer-row[value="2"]')).to_contain_text("Partly right: 0.5 of 1")
    expect(page.locator(".certainty-score")).to_contain_text("per question")
    expect(page.locator(".topic-score")).not_to_have_count(0)
    answers = Attempt.objects.get().answers.order_by("answered_at")
    assert list(answers.values_list("certainty", flat=True)) == ["low", "medium", *CERTAINTIES]


def test_a_stranger_copies_the_share_link_with_the_copy_button(site, make_page):
    owner = make_page()
    start_quiz(owner)
    finish_quiz(owner)
    results_url = owner.url

    stranger = make_page(permissions=["clipboard-read", "clipboard-write"])
    stranger.goto(results_url)
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("Scored")
    stranger.get_by_role("button", name="Copy link").click()
    expect(stranger.get_by_role("status")).to_have_text("Link copied.")
    assert stranger.evaluate("navigator.clipboard.readText()") == results_url
    assert stranger.console_watch.csp_violations == []


def test_without_javascript_the_share_link_is_a_labelled_read_only_field(site, make_page):
    page = make_page(java_script_enabled=False)
    start_quiz(page)
    finish_quiz(page)
    field = page.get_by_label("Share these results")
    expect(field).to_have_value(page.url)
    expect(field).not_to_be_editable()
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
