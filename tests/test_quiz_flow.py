import re

import pytest
from django.test import Client

from quiz.models import Answer, Attempt, Choice, Question, Quiz
from tests.factories import QuizFactory
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, WHOLE_BANK, answer, question_at, start

pytestmark = pytest.mark.django_db


def results_url(attempt):
    return f"/quiz/attempts/{attempt.public_id}/results/"


def choice_labels(page):
    return [label.text for label in page.find("fieldset").find_all("label")]


def test_quiz_landing_lists_the_shipped_quiz_and_links_to_it(client, shipped_content):
    card = parse(client.get("/quiz/")).find("section", class_="quiz-card")
    assert card.find("h2").text == "BPO or KPO?"
    assert f"/quiz/{QUIZ_SLUG}/" in card.links()


def test_quiz_page_offers_a_start_form_and_says_how_long_the_quiz_is(client, shipped_content):
    page = parse(client.get(f"/quiz/{QUIZ_SLUG}/"))
    assert page.find("form", method="post")["action"] == f"/quiz/{QUIZ_SLUG}/start/"
    facts = [fact.text for fact in page.find("ul", class_="quiz-facts").find_all("li")]
    assert facts[:2] == ["10 questions, one at a time", "You pass with 70% or more"]


@pytest.mark.parametrize("blueprint", [{"examples_questions": 3, "differences_questions": 2}, {}])
def test_the_quiz_page_states_the_length_the_quiz_is_set_to(client, shipped_quiz, blueprint):
    Quiz.objects.filter(pk=shipped_quiz.pk).update(**{**WHOLE_BANK, **blueprint})
    length = sum(blueprint.values()) or shipped_quiz.bank().count()
    facts = parse(client.get(f"/quiz/{QUIZ_SLUG}/")).find("ul", class_="quiz-facts")
    assert facts.find("li").text == f"{length} question{'' if length == 1 else 's'}, one at a time"
    assert start(client).total == length


def test_a_whole_attempt_some_right_some_wrong(client, shipped_content):
    attempt = start(client)
    assert attempt.total == 10
    wrong_numbers = {2, 5, 9}
    for number in range(1, 11):
        page = parse(client.get(attempt.question_url(number)))
        assert page.find(class_="quiz-progress__label").text == f"Question {number} of 10"
        response = answer(client, attempt, number, right=number not in wrong_numbers)
        assert response.status_code == 302 and response.url == attempt.question_url(number)
        feedback = parse(client.get(response.url))
        assert feedback.find("h1", class_="verdict").text == ("Not quite." if number in wrong_numbers else "Right!")
        explanation = feedback.find("section", class_="explanation")
        assert explanation.find("h2").text == "Why"
        assert question_at(attempt, number).learn_more_url in explanation.links()

    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 7 and attempt.answered_count == 10
    stored = {answer.question_id: answer.correct for answer in Answer.objects.filter(attempt=attempt)}
    assert stored == {attempt.question_id_at(n): n not in wrong_numbers for n in range(1, 11)}

    results = parse(client.get(results_url(attempt)))
    assert results.find("h1").text == "Passed: 7 of 10 marks (70%)"
    rows = results.find_all("li", class_="answer-row")
    assert ["answer-row--wrong" in row.classes for row in rows] == [n in wrong_numbers for n in range(1, 11)]
    reread = results.find("section", class_="reread").links()
    assert set(reread) == {question_at(attempt, number).learn_more_url for number in wrong_numbers}


def test_results_below_the_pass_mark_say_not_passed(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        answer(client, attempt, number, right=number <= 6)
    results = parse(client.get(results_url(attempt)))
    assert results.find("h1").text == "Not passed yet: 6 of 10 marks (60%)"


def shown_question(client, attempt, number):
    """The prompt and the choices, in order, that question ``number`` shows."""
    page = parse(client.get(attempt.question_url(number)))
    if page.has("table", class_="sort-table"):
        rows = page.find("table", class_="sort-table").find("tbody").find_all("th")
        return page.find(id="sort-prompt").text, [row.text for row in rows]
    return page.find(class_="choices__prompt").text, choice_labels(page)


def test_question_and_choice_order_are_frozen_at_start(client, shipped_content):
    attempt = start(client)
    shown = [shown_question(client, attempt, 1)]
    answer(client, attempt, 1)
    shown.append(shown_question(client, attempt, 2))
    attempt.refresh_from_db()
    for number, (prompt, labels) in enumerate(shown, start=1):
        question = question_at(attempt, number)
        assert prompt == question.prompt
        assert labels == [choice.text for choice in attempt.ordered_choices(question)]
    assert shown_question(client, attempt, 2) == shown[1]
    frozen = attempt.ordered_choices(question_at(attempt, 1))
    assert [choice.pk for choice in frozen] == attempt.choice_order[str(attempt.question_id_at(1))]


def test_choices_are_sent_as_places_not_database_ids(client, shipped_content):
    attempt = start(client)
    question = question_at(attempt, 1)
    inputs = parse(client.get(attempt.question_url(1))).find_all("input", name="choice")
    assert [choice["value"] for choice in inputs] == [str(place) for place in range(1, question.choices.count() + 1)]


def test_each_attempt_draws_its_own_order(client, shipped_content):
    orders = {tuple(start(client).question_ids) for _ in range(5)}
    assert len(orders) == 5


def test_the_answer_key_is_not_in_an_unanswered_question(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        question = question_at(attempt, number)
        html = client.get(attempt.question_url(number)).content.decode()
        assert "correct" not in html.lower()
        assert parse(question.explanation_html).text not in parse(html).text
        answer(client, attempt, number)


def test_a_double_submit_stores_one_answer_and_keeps_the_first(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1, right=False)
    second = answer(client, attempt, 1, right=True, follow=True)
    assert "Your first answer is the one that counts" in parse(second).find("p", class_="notice").text
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert Answer.objects.get(attempt=attempt).correct is False
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.answered_count == 1


def test_reloading_a_question_after_answering_shows_its_feedback(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    page = parse(client.get(attempt.question_url(1)))
    assert page.find("h1", class_="verdict").text == "Right!"
    assert not page.has("input", type="radio") and not page.has("input", type="checkbox")


def test_an_unfinished_attempt_can_be_resumed_from_the_quiz_page(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    answer(client, attempt, 2)
    resume = parse(client.get(f"/quiz/{QUIZ_SLUG}/")).find("section", class_="resume")
    assert "You have answered 2 of 10 questions" in resume.text
    assert resume.links() == [attempt.question_url(3)]


def test_an_attempt_resumed_before_any_answer_invites_to_start_not_to_continue_from_zero(client, shipped_content):
    attempt = start(client)
    resume = parse(client.get(f"/quiz/{QUIZ_SLUG}/")).find("section", class_="resume")
    assert "answered 0" not in resume.text
    assert "have not answered one yet" in resume.text
    assert resume.find("a", class_="button").text == "Start with question 1"
    assert resume.links() == [attempt.question_url(1)]


def test_the_quiz_list_speaks_of_one_quiz_in_the_singular(client, shipped_content):
    page = parse(client.get("/quiz/"))
    assert page.find("p", class_="lead").text.startswith("A short quiz on")
    assert page.find("title").text.startswith("A quiz on BPO and KPO")


def test_the_quiz_list_speaks_of_several_quizzes_in_the_plural(client, shipped_content):
    QuizFactory(published=True)
    page = parse(client.get("/quiz/"))
    assert page.find("p", class_="lead").text.startswith("Short quizzes on")
    assert page.find("title").text.startswith("Quizzes on BPO and KPO")


def test_retake_starts_a_new_attempt_with_a_new_order(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        answer(client, attempt, number)
    retake_form = parse(client.get(results_url(attempt))).find("section", class_="next-steps").find("form")
    assert retake_form.find("button").text == "Retake the quiz"
    response = client.post(retake_form["action"])
    assert response.status_code == 302
    retake = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response.url == retake.question_url(1)
    assert retake.question_ids != attempt.question_ids
    assert retake.total == attempt.total


def test_results_link_is_shareable_and_read_only(client, shipped_content):
    attempt = start(client)
    for number in range(1, 11):
        answer(client, attempt, number)
    url = results_url(attempt)
    client.logout()
    client.cookies.clear()
    results = parse(client.get(url))
    assert results.find("h1").text == "Scored 10 of 10 (100%): passed"
    assert results.find("section", class_="next-steps").find("button").text == "Take the quiz yourself"
    assert client.post(url).status_code == 405


def finish_with_marked_answers(client):
    """A finished attempt, half right, whose choices and explanations carry words found nowhere else on the site."""
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number, right=number % 2 == 0)
    for choice in Choice.objects.filter(question_id__in=attempt.question_ids):
        Choice.objects.filter(pk=choice.pk).update(text=f"choicemarker{choice.pk}")
    for question_id in attempt.question_ids:
        Question.objects.filter(pk=question_id).update(explanation_html=f"<p>explanationmarker{question_id}</p>")
    return attempt


def test_the_shared_view_shows_the_score_and_the_chart_but_no_answers(client, shipped_content):
    attempt = finish_with_marked_answers(client)
    page = parse(Client().get(results_url(attempt)))
    article = page.find("article", class_="quiz-results")
    assert article.find("h1").text == "Scored 5 of 10 (50%)"
    assert "choicemarker" not in page.text
    assert "explanationmarker" not in page.text
    assert not re.search(r"\byou(r)?\b", page.find("main").text, re.IGNORECASE)
    assert page.find_all("li", class_="topic-score")
    sections = [section["class"] for section in article.find_all("section")]
    assert sections[0] == "next-steps"
    assert article.find("section", class_="next-steps").find("button").text == "Take the quiz yourself"


def test_the_owner_view_keeps_the_full_review(client, shipped_content):
    attempt = finish_with_marked_answers(client)
    rows = parse(client.get(results_url(attempt))).find("ol", class_="answer-list").find_all("li", class_="answer-row")
    assert len(rows) == 10
    first_wrong = rows[0].find_all("p")
    assert first_wrong[0].text.startswith("Your answer: choicemarker")
    assert first_wrong[1].text.startswith("Right answer: choicemarker")


def test_the_share_field_is_a_labelled_read_only_field_enhanced_by_a_script(client, shipped_content):
    attempt = finish_with_marked_answers(client)
    for viewer in (client, Client()):
        page = parse(viewer.get(results_url(attempt)))
        field = page.find("input", id="share-link")
        assert "readonly" in field.attrs
        assert field["value"] == f"http://testserver{results_url(attempt)}"
        assert page.find("label", **{"for": "share-link"}).text
        assert any(script["src"].endswith("js/share-link.js") for script in page.find_all("script", src=True))
        assert all("src" in script.attrs for script in page.find_all("script"))


def test_a_question_page_says_where_the_reader_is_with_a_progress_bar(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    progress = parse(client.get(attempt.question_url(2))).find(class_="quiz-progress")
    assert progress.find("p").text == "Question 2 of 10"
    bar = progress.find("progress")
    assert (bar["max"], bar["value"]) == ("10", "2")


def test_choices_are_a_fieldset_whose_legend_is_the_prompt(client, shipped_content):
    attempt = start(client)
    question = question_at(attempt, 1)
    fieldset = parse(client.get(attempt.question_url(1))).find("fieldset")
    assert fieldset.children[0].tag == "legend"
    assert fieldset.children[0].find(class_="choices__prompt").text == question.prompt
    kind = "checkbox" if question.kind == Question.Kind.MULTIPLE else "radio"
    inputs = fieldset.find_all("input", name="choice")
    assert [choice["type"] for choice in inputs] == [kind] * question.choices.count()
    labels = fieldset.find_all("label")
    assert [label["for"] for label in labels] == [choice["id"] for choice in inputs]
