"""Steps a reader takes in the browser, shared by the browser tests."""

QUIZ_URL = "/quiz/bpo-or-kpo/"


def start_quiz(page):
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1/")


def answer_with_first_choice(page):
    """Tick the first choice, submit, and land on the feedback page."""
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
