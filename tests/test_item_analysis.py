"""Item analysis on a data set small enough to check by hand.

Five finished attempts at three questions (1 = right):

    attempt  Q1 Q2 Q3  total
    1         1  1  1    3
    2         1  1  0    2
    3         1  0  0    1
    4         0  1  0    1
    5         1  0  1    2

Facility = mean of the column. Discrimination = Pearson r between the column
and (total - column): Q1 r(x, [2,1,0,1,1]) = 0/… = 0.000;
Q2 r = -0.6 / sqrt(1.2 × 2.8) = -0.327; Q3 r = 0.2 / sqrt(1.2 × 1.2) = 0.167.
Every wrong answer picks choice B. A sixth, unfinished attempt is ignored.
"""

import csv
import io

import pytest

from quiz.analysis import ItemStatistics, as_csv_rows, item_analysis
from quiz.models import Attempt, Choice
from quiz.services import record_answer
from tests.factories import OutsourcingModelFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

GRID = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 1, 0), (1, 0, 1)]


@pytest.fixture
def quiz():
    quiz = QuizFactory()
    for number in range(1, 4):
        QuestionFactory(quiz=quiz, prompt=f"Q{number}", choices=[("A", True), ("B", False), ("C", False)])
    questions = list(quiz.questions.all())

    def take(row, finish=True):
        attempt = Attempt.objects.create(
            quiz=quiz,
            owner_token=f"reader {Attempt.objects.count()}",
            question_ids=[q.pk for q in questions],
            choice_order={str(q.pk): [c.pk for c in q.choices.all()] for q in questions},
        )
        for number, (question, right) in enumerate(zip(questions, row, strict=True), start=1):
            if not finish and number > 1:
                break
            record_answer(attempt, number, [question.choices.get(text="A" if right else "B")])

    for row in GRID:
        take(row)
    take((0, 0, 0), finish=False)
    return quiz


def test_facility_and_discrimination_match_the_hand_computed_figures(quiz):
    rows = item_analysis(quiz).rows
    figures = [(row.question.prompt, row.answers, round(row.facility, 3), round(row.discrimination, 3)) for row in rows]
    assert figures == [("Q1", 5, 0.8, 0.0), ("Q2", 5, 0.6, -0.327), ("Q3", 5, 0.4, 0.167)]


def test_choice_counts_and_flags(quiz, settings):
    settings.QUIZ_ANALYSIS_MIN_ANSWERS = 5
    q3 = item_analysis(quiz).rows[2]
    assert [(choice.text, count) for choice, count in q3.choice_counts] == [("A", 2), ("B", 3), ("C", 0)]
    assert [flag.split(":")[0] for flag in q3.flags] == [
        "weak discrimination",
        "the wrong choice “B” is picked more often than the right one",
    ]


def test_a_question_answered_right_by_everyone_is_flagged_too_easy():
    row = ItemStatistics(question=None, answers=30, facility=1.0, discrimination=None)
    assert [flag.split(":")[0] for flag in row.flags] == ["too easy"]
    too_hard = ItemStatistics(question=None, answers=30, facility=0.1, discrimination=0.5)
    assert [flag.split(":")[0] for flag in too_hard.flags] == ["too hard"]


def test_staff_see_the_analysis_page_and_download_it_as_csv(admin_client, quiz):
    page = admin_client.get(f"/admin/quiz/quiz/{quiz.pk}/analysis/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "-0.327" in html and "0.167" in html and "Download as CSV" in html
    download = admin_client.get(f"/admin/quiz/quiz/{quiz.pk}/analysis/?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert [rows[0][index] for index in (0, 4, 5, 8)] == ["question", "answers", "facility", "discrimination"]
    assert [rows[2][index] for index in (4, 5, 8)] == ["5", "0.600", "-0.327"]


def test_readers_cannot_see_the_analysis(client, quiz):
    response = client.get(f"/admin/quiz/quiz/{quiz.pk}/analysis/?format=csv")
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_keeps_text_that_looks_like_a_formula_as_text(admin_client, quiz, start):
    question = quiz.questions.get(prompt="Q1")
    question.prompt = f'{start}HYPERLINK("http://example.com", "Q1")'
    question.save()
    question.choices.filter(text="B").update(text=f"{start}1+2")
    download = admin_client.get(f"/admin/quiz/quiz/{quiz.pk}/analysis/?format=csv")
    rows = list(csv.reader(io.StringIO(download.content.decode(), newline="")))
    question_row = next(row for row in rows if "HYPERLINK" in row[0])
    assert question_row[0] == f'\'{start}HYPERLINK("http://example.com", "Q1")'
    assert question_row[12] == f"A (correct): 4; {start}1+2: 1; C: 0"  # not at the cell's start: left as written
    assert question_row[8] == "0.000"


def test_the_csv_leaves_negative_numbers_as_numbers(admin_client, quiz):
    download = admin_client.get(f"/admin/quiz/quiz/{quiz.pk}/analysis/?format=csv")
    rows = list(csv.reader(io.StringIO(download.content.decode(), newline="")))
    assert [row[8] for row in rows[1:4]] == ["0.000", "-0.327", "0.167"]


def test_mean_certainty_per_question_averages_low_1_medium_2_high_3_over_finished_answers(admin_client):
    quiz = QuizFactory()
    first, second = (
        QuestionFactory(quiz=quiz, prompt=prompt, choices=[("A", True), ("B", False)]) for prompt in ("C1", "C2")
    )

    def take(certainties):
        """An attempt answering a question right at each of ``certainties``; unfinished if they are fewer."""
        attempt = Attempt.objects.create(
            quiz=quiz,
            owner_token=f"reader {Attempt.objects.count()}",
            question_ids=[first.pk, second.pk],
            choice_order={str(q.pk): [c.pk for c in q.choices.all()] for q in (first, second)},
            certainty_based_marking=True,
        )
        for number, (question, certainty) in enumerate(zip((first, second), certainties, strict=False), start=1):
            record_answer(attempt, number, [question.choices.get(text="A")], certainty=certainty)

    take(["high", "low"])
    take(["medium", "low"])
    take(["high", "medium"])
    take(["low"])  # unfinished: ignored
    rows = item_analysis(quiz).rows
    assert [round(row.mean_certainty, 2) for row in rows] == [2.67, 1.33]
    download = admin_client.get(f"/admin/quiz/quiz/{quiz.pk}/analysis/?format=csv")
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert [row[-1] for row in table[:3]] == ["mean certainty", "2.67", "1.33"]


def test_mean_certainty_is_blank_where_no_answer_carried_a_certainty(quiz):
    assert {row.mean_certainty for row in item_analysis(quiz).rows} == {None}


def test_partial_marks_and_sort_items_are_analysed_one_row_per_item(db, settings):
    """Three finished attempts at a multiple-response question (A and B right, C wrong) and a sort question
    (rows R1, R2 under model M1, R3 under M2):

        attempt  ticked   mark   placed R1 R2 R3   mark          total
        1        A, B     1      M1 M1 M2          1             2
        2        A        0.33   M1 M2 M2          (2-1)/3=0.33  0.67
        3        C        0      M2 M2 M1          0             0

    Facility of the multiple question: (1 + 1/3 + 0) / 3 = 0.444; of the sort: the same.
    """
    quiz = QuizFactory()
    multiple = QuestionFactory(
        quiz=quiz, kind="multiple", prompt="Multiple", choices=[("A", True), ("B", True), ("C", False)]
    )
    first, second = OutsourcingModelFactory(), OutsourcingModelFactory()
    sort = QuestionFactory(quiz=quiz, kind="sort", prompt="Sort", choices=[])
    sort.choices.all().delete()
    rows = [
        Choice.objects.create(question=sort, text=text, placed_under=model, position=number)
        for number, (text, model) in enumerate([("R1", first), ("R2", first), ("R3", second)])
    ]
    placings = [(first, first, second), (first, second, second), (second, second, first)]
    ticks = [("A", "B"), ("A",), ("C",)]
    for ticked, placed in zip(ticks, placings, strict=True):
        attempt = Attempt.objects.create(
            quiz=quiz,
            owner_token=f"reader {Attempt.objects.count()}",
            question_ids=[multiple.pk, sort.pk],
            choice_order={
                str(multiple.pk): [c.pk for c in multiple.choices.all()],
                str(sort.pk): [row.pk for row in rows],
            },
        )
        record_answer(attempt, 1, list(multiple.choices.filter(text__in=ticked)))
        record_answer(attempt, 2, placements=dict(zip(rows, placed, strict=True)))

    settings.QUIZ_ANALYSIS_MIN_ANSWERS = 3
    by_prompt = {row.question.prompt: row for row in item_analysis(quiz).rows}
    assert round(by_prompt["Multiple"].facility, 3) == round(by_prompt["Sort"].facility, 3) == 0.444
    assert [(item.text, placed, right) for item, placed, right in by_prompt["Sort"].item_counts] == [
        ("R1", 3, 2),
        ("R2", 3, 1),
        ("R3", 3, 2),
    ]
    assert "the item “R2” is placed under the wrong model more often than the right one" in by_prompt["Sort"].flags
    assert by_prompt["Sort"].choice_counts == []
    assert [(choice.text, count) for choice, count in by_prompt["Multiple"].choice_counts] == [
        ("A", 2),
        ("B", 1),
        ("C", 1),
    ]
    csv_rows = list(as_csv_rows(item_analysis(quiz)))
    assert "R2: placed 3, right 1" in csv_rows[2][12]
