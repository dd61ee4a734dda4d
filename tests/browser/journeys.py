"""Steps a reader takes in the browser, shared by the browser tests."""

QUIZ_URL = "/quiz/bpo-or-kpo/"
SORT_SLUG = "sort-a-banks-outsourced-work"  # its rows belong under BPO, BPO, KPO, KPO


def start_quiz(page):
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1/")


def pick_certainty(page, certainty):
    """Answer “How sure are you?” with ``certainty`` (low, medium or high), as the shipped quiz asks."""
    page.get_by_role("group", name="How sure are you?").get_by_role("radio", name=certainty.capitalize()).check()


def place_rows(page, models):
    """On a sort question, place the rows, in order, under the models named by their abbreviations."""
    for row, model in zip(page.locator(".sort-table tbody tr").all(), models, strict=True):
        row.get_by_label(model, exact=False).check()


def answer_with_first_choice(page, certainty="high"):
    """Tick the first choice (on a sort question, the first model of every row) and, where the quiz asks, a
    certainty; submit, and land on the feedback page."""
    if page.locator(".sort-table").count():
        for row in page.locator(".sort-table tbody tr").all():
            row.locator("input").first.check()
    else:
        page.locator(".choice input").first.check()
    if page.locator(".certainty").count():
        pick_certainty(page, certainty)
    page.get_by_role("button", name="Submit answer").click()
    page.locator(".verdict").wait_for()


def go_on(page):
    """From a feedback page to the next question or, after the last one, the results."""
    with page.expect_navigation():
        page.locator("a.button").click()


def finish_quiz(page, certainty="high"):
    """Answer every remaining question with its first choice at ``certainty``; ends on the results page.

    At high certainty every wrong first choice is a sure mistake, which the results put first.
    """
    while "/results/" not in page.url:
        answer_with_first_choice(page, certainty)
        go_on(page)
