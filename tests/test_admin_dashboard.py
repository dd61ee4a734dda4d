"""The admin index shows editors what readers do with the quiz: attempts, pass rates, what they miss and where."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Example, Section
from quiz.models import Answer, Attempt, Question
from tests.editor_helpers import change_url
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

INDEX_QUERIES = 13  # at most one lookup per kind of learn-more target among the most missed


def finished_attempt(quiz, answers, days_ago=1, finished=True, **flags):
    """An attempt at ``quiz`` with ``answers`` [(question, right)], started and answered ``days_ago`` days ago;
    ``flags``: is_practice, by_staff."""
    when = timezone.now() - timedelta(days=days_ago)
    attempt = Attempt.objects.create(
        quiz=quiz,
        owner_token="token",
        question_ids=[question.pk for question, _right in answers],
        score=sum(right for _question, right in answers),
        answered_count=len(answers),
        **flags,
    )
    Attempt.objects.filter(pk=attempt.pk).update(started_at=when, finished_at=when if finished else None)
    Answer.objects.bulk_create(Answer(attempt=attempt, question=question, correct=right) for question, right in answers)
    Answer.objects.filter(attempt=attempt).update(answered_at=when)
    return attempt


def table_rows(index, table_id):
    """Each row's cells' text, without spaces (the parser drops those between a link and the text after it)."""
    table = index.find("table", id=table_id)
    return [["".join(cell.text.split()) for cell in row.children] for row in table.find("tbody").find_all("tr")]


def squeezed(text):
    return "".join(text.split())


def dashboard(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return parse(response)


@pytest.fixture
def questions(shipped_quiz):
    return list(shipped_quiz.questions.filter(generated_key="").order_by("pk")[:4])


def test_attempts_and_pass_rate_over_the_last_7_and_30_days(editor_client, shipped_quiz, questions):
    four = questions[:4]
    finished_attempt(shipped_quiz, [(question, True) for question in four], days_ago=1)  # 100%: passed
    finished_attempt(shipped_quiz, [(four[0], True), *[(q, False) for q in four[1:]]], days_ago=2)  # 25%
    finished_attempt(shipped_quiz, [(four[0], True)], days_ago=3, finished=False)
    finished_attempt(shipped_quiz, [(q, True) for q in four[:3]] + [(four[3], False)], days_ago=20)  # 75%: passed
    finished_attempt(shipped_quiz, [(question, True) for question in four], days_ago=40)

    assert table_rows(dashboard(editor_client), "attempt-figures") == [
        ["Last7days", "3", "2", "1", "50%"],
        ["Last30days", "4", "3", "2", "67%"],
    ]


def test_practice_and_staff_test_runs_are_left_out_of_the_figures(editor_client, shipped_quiz, questions):
    four = questions[:4]
    finished_attempt(shipped_quiz, [(question, True) for question in four], days_ago=1)
    finished_attempt(shipped_quiz, [(question, False) for question in four], days_ago=1, is_practice=True)
    finished_attempt(shipped_quiz, [(question, False) for question in four], days_ago=1, by_staff=True)

    index = dashboard(editor_client)

    one_reader_passed = [["Last7days", "1", "1", "1", "100%"], ["Last30days", "1", "1", "1", "100%"]]
    assert table_rows(index, "attempt-figures") == one_reader_passed
    assert table_rows(index, "missed-questions") == [["Noquestionwasansweredwronginthattime."]]


def test_without_attempts_the_pass_rate_is_a_dash_not_an_error(editor_client, shipped_quiz):
    index = dashboard(editor_client)
    assert table_rows(index, "attempt-figures") == [
        ["Last7days", "0", "0", "0", "—"],
        ["Last30days", "0", "0", "0", "—"],
    ]
    assert table_rows(index, "missed-questions") == [[squeezed("No question was answered wrong in that time.")]]


@pytest.mark.parametrize("pass_mark", [50, 60, 67, 70, 75, 80, 100])
def test_passed_counts_the_attempts_the_results_page_calls_passed(shipped_quiz, questions, pass_mark):
    shipped_quiz.pass_mark = pass_mark
    shipped_quiz.save()
    for total in range(1, 5):
        for score in range(total + 1):
            finished_attempt(shipped_quiz, [(q, index < score) for index, q in enumerate(questions[:total])])
    attempts = Attempt.objects.select_related("quiz")
    assert {attempt.pk for attempt in Attempt.objects.passed()} == {a.pk for a in attempts if a.passed}


def test_the_five_questions_missed_most_with_where_their_learn_more_points(editor_client, shipped_quiz):
    questions = list(shipped_quiz.questions.filter(generated_key="").with_learn_more().order_by("pk")[:7])
    for times, question in zip([6, 5, 4, 3, 2, 1], questions, strict=False):
        for _ in range(times):
            finished_attempt(shipped_quiz, [(question, False), (questions[6], True)])
    finished_attempt(shipped_quiz, [(questions[0], False)], days_ago=45)

    index = dashboard(editor_client)
    rows = table_rows(index, "missed-questions")
    assert [row[0] for row in rows] == [squeezed(question.prompt) for question in questions[:5]]
    assert [row[1] for row in rows] == ["6of6", "5of5", "4of4", "3of3", "2of2"]
    first = questions[0]
    assert rows[0][2] == squeezed(f"{first.learn_more} ({first.learn_more_kind.label})")
    links = index.find("table", id="missed-questions").links()
    assert change_url(first) in links and change_url(first.learn_more) in links


def test_the_parts_of_the_explainer_whose_questions_are_missed_most(editor_client, shipped_quiz):
    telemarketing = Example.objects.get(slug="telemarketing")
    about_telemarketing = Question.objects.filter(learn_more_example=telemarketing, active=True)
    assert about_telemarketing.count() >= 2
    introduction = Section.objects.get(slug="introduction")
    question, other = about_telemarketing[:2]
    section_question = Question.objects.create(
        quiz=shipped_quiz,
        slug="about-the-introduction",
        topic="definitions",
        prompt="Intro?",
        explanation="Why.",
        learn_more_section=introduction,
    )
    finished_attempt(shipped_quiz, [(question, False), (other, False), (section_question, False)])
    finished_attempt(shipped_quiz, [(question, False), (other, True), (section_question, True)])

    index = dashboard(editor_client)
    assert table_rows(index, "missed-targets") == [
        ["Telemarketing(example)", "3of4", "/bpo/#telemarketing"],
        [squeezed(f"{introduction.title}(section)"), "1of2", "/#introduction"],
    ]
    assert len(table_rows(index, "missed-targets")) == 2
    assert change_url(telemarketing) in index.find("table", id="missed-targets").links()


def many_attempts(quiz, questions, count):
    for number in range(count):
        answers = [(question, (number + index) % 3 == 0) for index, question in enumerate(questions)]
        finished_attempt(quiz, answers, days_ago=number % 40)


def test_the_dashboard_runs_the_same_few_queries_with_ten_times_the_attempts(editor_client, shipped_quiz):
    questions = list(shipped_quiz.questions.with_learn_more().order_by("pk")[:12])
    many_attempts(shipped_quiz, questions, 10)
    with CaptureQueriesContext(connection) as some:
        editor_client.get("/admin/")
    many_attempts(shipped_quiz, questions, 90)
    with CaptureQueriesContext(connection) as ten_times:
        index = dashboard(editor_client)
    assert Attempt.objects.count() == 100
    assert len(ten_times) == len(some) == INDEX_QUERIES
    assert len(table_rows(index, "missed-questions")) == 5


def test_the_index_and_the_quizs_form_link_to_item_analysis(editor_client, shipped_quiz):
    analysis = f"/admin/quiz/quiz/{shipped_quiz.pk}/analysis/"
    assert analysis in dashboard(editor_client).find(id="item-analysis-links").links()
    form = parse(editor_client.get(change_url(shipped_quiz)))
    assert analysis in form.find(class_="field-analysis_link").links()
    assert editor_client.get("/admin/quiz/quiz/add/").status_code == 200


def test_staff_without_quiz_permissions_see_no_figures(client, staff_user, shipped_quiz):
    client.force_login(staff_user)
    index = dashboard(client)
    assert not index.find_all(id="readers-dashboard")
