"""Steps a reader takes in the browser, shared by the browser tests."""

QUIZ_URL = "/quiz/bpo-or-kpo/"
SORT_SLUG = "sort-a-banks-outsourced-work"  # its rows belong under BPO, BPO, KPO, KPO


def start_quiz(page):
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1/")


def place_rows(page, models):
    """On a sort question, place the rows, in order, under the models named by their abbreviations."""
    for row, model in zip(page.locator(".sort-table tbody tr").all(), models, strict=True):
        row.get_by_label(model, exact=False).check()


def answer_with_first_choice(page):
    """Tick the first choice (on a sort question, the first model of every row), submit, and land on the feedback
    page."""
    if page.locator(".sort-table").count():
        for row in page.locator(".sort-table tbody tr").all():
            row.locator("input").first.check()
    else:
        page.locator(".choice input").first.check()
    page.get_by_role("button", name="Submit answer").click()
    page.locator(".verdict").wait_for()


def go_on(page):
    """From a feedback page to the next question or, after the last one, the results."""
    with page.expect_navigation():
        page.locator("a.button").click()


def finish_quiz(page):
    """Answer every remaining question with its first choice; ends on the results page."""
    while "/results/" not in page.url:
        answer_with_first_choice(page)
        go_on(page)
