"""Steps a reader takes in the browser, shared by the browser tests."""

QUIZ_URL = "/quiz/bpo-or-kpo/"


def start_quiz(page):
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1/")


def pick_certainty(page, certainty):
    """Answer “How sure are you?” with ``certainty`` (low, medium or high), as the shipped quiz asks."""
    page.get_by_role("group", name="How sure are you?").get_by_role("radio", name=certainty.capitalize()).check()


def answer_with_first_choice(page, certainty="high"):
    """Tick the first choice and a certainty, submit, and land on the feedback page."""
    page.locator(".choice input").first.check()
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
