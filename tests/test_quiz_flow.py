import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from quiz.models import Answer, Question
from quiz.services import sync_generated_questions
from tests.quiz_helpers import QUIZ_SLUG, answer, question_at, start

pytestmark = pytest.mark.django_db


def test_quiz_landing_lists_the_shipped_quiz_and_links_to_it(client, shipped_content):
    html = client.get("/quiz/").content.decode()
    assert "BPO or KPO?" in html
    assert f'href="/quiz/{QUIZ_SLUG}/"' in html


def test_quiz_page_offers_a_start_form_and_says_how_long_the_quiz_is(client, shipped_content):
    html = client.get(f"/quiz/{QUIZ_SLUG}/").content.decode()
    assert f'action="/quiz/{QUIZ_SLUG}/start/"' in html
    assert "10 questions, one at a time" in html
    assert "70%" in html


def test_a_whole_attempt_some_right_some_wrong(client, shipped_content):
    attempt = start(client)
    assert attempt.total == 10
    wrong_numbers = {2, 5, 9}
    for number in range(1, 11):
        page = client.get(attempt.question_url(number)).content.decode()
        assert f"Question {number} of 10" in page
        response = answer(client, attempt, number, right=number not in wrong_numbers)
        assert response.status_code == 302 and response.url == attempt.question_url(number)
        feedback = client.get(response.url).content.decode()
        assert ("Right!" in feedback) == (number not in wrong_numbers)
        assert "Why" in feedback and "Learn more:" in feedback

    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 7 and attempt.answered_count == 10
    stored = {answer.question_id: answer.correct for answer in Answer.objects.filter(attempt=attempt)}
    assert stored == {attempt.question_id_at(n): n not in wrong_numbers for n in range(1, 11)}

    results = client.get(f"/quiz/attempts/{attempt.public_id}/results/")
    html = results.content.decode()
    assert "Not passed yet: 7 of 10 right (70%)" not in html
    assert "Passed: 7 of 10 right (70%)" in html
    assert html.count('class="answer-row answer-row--wrong"') == 3
    reread = re.search(r'<section class="reread".*?</section>', html, re.S).group(0)
    for number in wrong_numbers:
        assert question_at(attempt, number).learn_more_url in reread
    for number in set(range(1, 11)) - wrong_numbers:
        url = question_at(attempt, number).learn_more_url
        if all(question_at(attempt, n).learn_more_url != url for n in wrong_numbers):
            assert url not in reread


def test_results_below_the_pass_mark_say_not_passed(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        answer(client, attempt, number, right=number <= 6)
    html = client.get(f"/quiz/attempts/{attempt.public_id}/results/").content.decode()
    assert "Not passed yet: 6 of 10 right (60%)" in html


def test_question_and_choice_order_are_frozen_at_start(client, shipped_content):
    attempt = start(client)
    first = client.get(attempt.question_url(1)).content.decode()
    again = client.get(attempt.question_url(1)).content.decode()
    labels = re.findall(r'<label for="choice-\d+">(.*?)</label>', first)
    assert labels and labels == re.findall(r'<label for="choice-\d+">(.*?)</label>', again)
    frozen = attempt.ordered_choices(question_at(attempt, 1))
    assert [choice.pk for choice in frozen] == attempt.choice_order[str(attempt.question_id_at(1))]
    assert labels == [escape(choice.text) for choice in frozen]


def test_choices_are_sent_as_places_not_database_ids(client, shipped_content):
    attempt = start(client)
    question = question_at(attempt, 1)
    html = client.get(attempt.question_url(1)).content.decode()
    values = re.findall(r'name="choice" id="choice-\d+" value="(\d+)"', html)
    assert values == [str(place) for place in range(1, question.choices.count() + 1)]


def test_each_attempt_draws_its_own_order(client, shipped_content):
    orders = {tuple(start(client).question_ids) for _ in range(5)}
    assert len(orders) > 1


def test_the_answer_key_is_not_in_an_unanswered_question(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        question = question_at(attempt, number)
        html = client.get(attempt.question_url(number)).content.decode()
        assert "correct" not in html.lower()
        assert question.explanation_html not in html
        answer(client, attempt, number)


def test_a_double_submit_stores_one_answer_and_keeps_the_first(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1, right=False)
    second = answer(client, attempt, 1, right=True, follow=True)
    assert "Your first answer is the one that counts" in second.content.decode()
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert Answer.objects.get(attempt=attempt).correct is False
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.answered_count == 1


def test_reloading_a_question_after_answering_shows_its_feedback(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    html = client.get(attempt.question_url(1)).content.decode()
    assert "Right!" in html and 'type="radio"' not in html and 'type="checkbox"' not in html


def test_an_unfinished_attempt_can_be_resumed_from_the_quiz_page(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    answer(client, attempt, 2)
    html = client.get(f"/quiz/{QUIZ_SLUG}/").content.decode()
    assert "You have answered 2 of 10 questions" in html
    assert f'href="{attempt.question_url(3)}"' in html


def test_retake_starts_a_new_attempt_with_a_new_order(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        answer(client, attempt, number)
    html = client.get(f"/quiz/attempts/{attempt.public_id}/results/").content.decode()
    assert "Retake the quiz" in html
    retake = start(client)
    assert retake.pk != attempt.pk and retake.public_id != attempt.public_id


def test_results_link_is_shareable_and_read_only(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        answer(client, attempt, number)
    url = f"/quiz/attempts/{attempt.public_id}/results/"
    client.logout()
    client.cookies.clear()
    html = client.get(url).content.decode()
    assert "Passed: 10 of 10 right (100%)" in html
    assert "Take the quiz yourself" in html
    assert client.post(url).status_code == 405


def test_a_question_page_says_where_the_reader_is_with_a_progress_bar(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    html = client.get(attempt.question_url(2)).content.decode()
    assert "Question 2 of 10" in html
    assert '<progress max="10" value="2"' in html


def test_choices_are_a_fieldset_whose_legend_is_the_prompt(client, shipped_content):
    attempt = start(client)
    question = question_at(attempt, 1)
    html = client.get(attempt.question_url(1)).content.decode()
    assert re.search(
        r"<fieldset[^>]*>\s*<legend><span class=\"choices__prompt\">"
        + re.escape(question.prompt.replace('"', "&quot;").replace("'", "&#x27;")),
        html,
    )
    kind = "checkbox" if question.kind == Question.Kind.MULTIPLE else "radio"
    assert html.count(f'type="{kind}"') == question.choices.count()
    for index in range(question.choices.count()):
        assert f'<label for="choice-{index}">' in html


@pytest.mark.parametrize("page, queries", [("question", 6), ("results", 7)])
def test_quiz_pages_run_the_same_number_of_queries_with_ten_times_the_questions(client, shipped_content, page, queries):
    from tests.test_explainer_pages import multiply_content

    def measure():
        attempt = start(client)
        if page == "results":
            for number in range(1, attempt.total + 1):
                answer(client, attempt, number)
        url = attempt.question_url(1) if page == "question" else f"/quiz/attempts/{attempt.public_id}/results/"
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    shipped = measure()
    multiply_content(10)
    sync_generated_questions()
    assert Question.objects.filter(active=True).count() > 150
    assert shipped == measure() == queries
