"""Item statistics on a data set small enough to work out by hand, and the page and CSV that show them.

Four questions, every attempt asking them in this order: Q1 to Q3 single choice (A right, B and C wrong; a
wrong answer picks B), M multiple response (A and B right, C wrong: ticking A and B earns 1, A alone 1/3, C 0).
Each reader's first finished attempt (t = 1/3):

    reader  Q1 Q2 Q3  M   score
    r1       1  1  1  1   4
    r2       1  1  0  t   2.333
    r3       1  0  1  t   2.333
    r4       0  1  0  0   1
    r5       1  0  0  t   1.333
    r6       0  0  0  0   0

r1 also finished a second attempt (1, 1, 1, t), counted only when all attempts count. A practice attempt, a
staff test run (both with full marks) and an unfinished attempt never count.

By hand, over the first attempts (x a question's marks, y the scores on the rest of the attempt):

    question  facility  SD     r      95% interval     efficiency
    Q1        0.667     0.516  0.492  -0.532 to 0.932  66.7%
    Q2        0.500     0.548  0.101  -0.774 to 0.843  12.5%
    Q3        0.333     0.516  0.492  -0.532 to 0.932  57.1%
    M         0.333     0.365  0.870   0.200 to 0.986  100.0%

e.g. Q2: x = 1 1 0 1 0 0, y = 3 1.333 2.333 0 1.333 0; cov(x, y) = 0.1 / … and r = cov / (sd_x sd_y). The
interval is tanh(atanh r ± 1.96 / sqrt(6 - 3)); the efficiency is cov(x, y) over the covariance of x and y each
sorted, paired in order. Quiz: mean 1.833, SD 1.378; alpha = 4/3 × (1 - Σ item variances / score variance)
= 4/3 × (1 - (0.267 + 0.3 + 0.267 + 0.133) / 1.9) = 0.655; SEM = 1.378 × sqrt(1 - 0.655) = 0.810.
The tests also work each figure out afresh from the table with the plain textbook formulas.
"""

import csv
import io
import statistics
from math import atanh, sqrt, tanh

import pytest

from quiz.analysis import ALL, FIRST, item_analysis
from quiz.models import Attempt, Choice
from quiz.services import record_answer
from tests.factories import OutsourcingModelFactory, QuestionFactory, QuizFactory
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

T = 1 / 3
FIRST_ATTEMPTS = [
    ("r1", (1, 1, 1, 1)),
    ("r2", (1, 1, 0, T)),
    ("r3", (1, 0, 1, T)),
    ("r4", (0, 1, 0, 0)),
    ("r5", (1, 0, 0, T)),
    ("r6", (0, 0, 0, 0)),
]
SECOND_ATTEMPT = ("r1", (1, 1, 1, T))
TICKS = {1: ("A", "B"), T: ("A",), 0: ("C",)}
HAND_COMPUTED = {  # facility, SD, r, interval low, interval high, efficiency %
    "Q1": (0.667, 0.516, 0.492, -0.532, 0.932, 66.7),
    "Q2": (0.500, 0.548, 0.101, -0.774, 0.843, 12.5),
    "Q3": (0.333, 0.516, 0.492, -0.532, 0.932, 57.1),
    "M": (0.333, 0.365, 0.870, 0.200, 0.986, 100.0),
}


def take(quiz, questions, owner_token, marks, finish=True, **flags):
    attempt = Attempt.objects.create(
        quiz=quiz,
        owner_token=owner_token,
        question_ids=[question.pk for question in questions],
        choice_order={str(question.pk): [choice.pk for choice in question.choices.all()] for question in questions},
        **flags,
    )
    for number, (question, mark) in enumerate(zip(questions, marks, strict=True), start=1):
        if not finish and number > 1:
            break
        texts = TICKS[mark] if question.kind == "multiple" else {1: ("A",), 0: ("B",)}[mark]
        record_answer(attempt, number, list(question.choices.filter(text__in=texts)))
    return attempt


@pytest.fixture
def quiz():
    quiz = QuizFactory()
    for prompt in ("Q1", "Q2", "Q3"):
        QuestionFactory(quiz=quiz, prompt=prompt, choices=[("A", True), ("B", False), ("C", False)])
    QuestionFactory(quiz=quiz, prompt="M", kind="multiple", choices=[("A", True), ("B", True), ("C", False)])
    questions = list(quiz.questions.order_by("position", "pk"))
    take(quiz, questions, "r2", (0, 0, 0, 0), finish=False)  # started first, never finished
    for owner_token, marks in FIRST_ATTEMPTS:
        take(quiz, questions, owner_token, marks)
    take(quiz, questions, *SECOND_ATTEMPT)
    take(quiz, questions, "r6", (1, 1, 1, 1), is_practice=True)
    take(quiz, questions, "staff", (1, 1, 1, 1), by_staff=True)
    return quiz


def textbook_figures(table):
    """{question: (facility, SD, r, low, high, efficiency)} and (n, mean, SD, alpha, SEM) from a mark table."""
    scores = [sum(marks) for marks in table]
    n, figures = len(table), {}
    for column, prompt in enumerate(HAND_COMPUTED):
        x = [marks[column] for marks in table]
        y = [score - mark for score, mark in zip(scores, x, strict=True)]
        mean_x, mean_y = statistics.mean(x), statistics.mean(y)
        r = statistics.correlation(x, y)
        half = 1.959963984540054 / sqrt(n - 3)
        covariance = sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y, strict=True)) / (n - 1)
        largest = sum((a - mean_x) * (b - mean_y) for a, b in zip(sorted(x), sorted(y), strict=True)) / (n - 1)
        figures[prompt] = (
            mean_x,
            statistics.stdev(x),
            r,
            tanh(atanh(r) - half),
            tanh(atanh(r) + half),
            100 * covariance / largest,
        )
    items = len(HAND_COMPUTED)
    item_variances = sum(statistics.variance([marks[column] for marks in table]) for column in range(items))
    alpha = items / (items - 1) * (1 - item_variances / statistics.variance(scores))
    sd = statistics.stdev(scores)
    return figures, (n, statistics.mean(scores), sd, alpha, sd * sqrt(1 - alpha))


def figures_of(analysis):
    return {
        row.question.prompt: (
            row.facility,
            row.sd,
            row.discrimination,
            *row.interval,
            row.efficiency,
        )
        for row in analysis.rows
    }


def summary_of(analysis):
    summary = analysis.summary
    return (summary.attempts, summary.mean, summary.sd, summary.alpha, summary.sem)


def rounded(values, places=3):
    return tuple(round(value, places) for value in values)


def test_each_questions_figures_match_the_hand_computed_ones_to_three_decimals(quiz):
    figures = figures_of(item_analysis(quiz))
    for prompt, expected in HAND_COMPUTED.items():
        assert rounded(figures[prompt][:5]) == expected[:5], prompt
        assert round(figures[prompt][5], 1) == expected[5], prompt
    textbook, _quiz = textbook_figures([marks for _token, marks in FIRST_ATTEMPTS])
    for prompt, expected in textbook.items():
        assert rounded(figures[prompt]) == rounded(expected), prompt


def test_the_quizs_mean_sd_alpha_and_standard_error_match_the_hand_computed_ones(quiz):
    analysis = item_analysis(quiz)
    assert rounded(summary_of(analysis)) == (6, 1.833, 1.378, 0.655, 0.810)
    _questions, textbook = textbook_figures([marks for _token, marks in FIRST_ATTEMPTS])
    assert rounded(summary_of(analysis)) == rounded(textbook)
    assert analysis.summary.positions == 4


def test_counts_behind_each_figure_and_the_random_guess_scores(quiz):
    rows = {row.question.prompt: row for row in item_analysis(quiz).rows}
    assert {prompt: row.answers for prompt, row in rows.items()} == {"Q1": 6, "Q2": 6, "Q3": 6, "M": 6}
    # One of three choices at random; M: of the 7 non-empty sets of A, B, C, {A, B} marks 1, and {A}, {B} and
    # {A, B, C} 1/3 each (two of three boxes decided right, one wrong).
    assert {prompt: round(row.guess_score, 3) for prompt, row in rows.items()} == {
        "Q1": 0.333,
        "Q2": 0.333,
        "Q3": 0.333,
        "M": round((1 + 3 * T) / 7, 3),
    }
    assert [(choice.text, count) for choice, count in rows["Q1"].choice_counts] == [("A", 4), ("B", 2), ("C", 0)]
    assert [(choice.text, count) for choice, count in rows["M"].choice_counts] == [("A", 4), ("B", 1), ("C", 2)]


def test_practice_attempts_and_staff_test_runs_never_count(quiz):
    for which in (FIRST, ALL):
        analysis = item_analysis(quiz, which)
        assert analysis.summary.attempts == Attempt.objects.finished().by_readers().count() - (which == FIRST)
    assert Attempt.objects.finished().count() == 9


def test_all_attempts_count_a_readers_later_attempts_too(quiz):
    table = [marks for _token, marks in FIRST_ATTEMPTS] + [SECOND_ATTEMPT[1]]
    textbook, (n, mean, sd, alpha, sem) = textbook_figures(table)
    analysis = item_analysis(quiz, ALL)
    assert rounded(summary_of(analysis)) == rounded((n, mean, sd, alpha, sem)) == (7, 2.048, 1.38, 0.689, 0.77)
    figures = figures_of(analysis)
    for prompt, expected in textbook.items():
        assert rounded(figures[prompt]) == rounded(expected), prompt
    assert round(figures["Q2"][2], 3) == 0.203


def test_flags_are_absent_under_the_minimum_count_and_say_so(quiz, settings):
    settings.QUIZ_ANALYSIS_MIN_ANSWERS = 7
    rows = {row.question.prompt: row for row in item_analysis(quiz).rows}
    assert all(row.flags == [] for row in rows.values())
    assert rows["Q2"].too_few_note == "too few answers to judge (6 of 7)"


def test_flags_appear_at_the_minimum_count_and_say_what_to_look_at(quiz, settings):
    settings.QUIZ_ANALYSIS_MIN_ANSWERS = 6
    rows = {row.question.prompt: row for row in item_analysis(quiz).rows}
    assert rows["Q2"].too_few_note == ""
    assert rows["Q2"].flags == [
        "weak discrimination: it hardly tells readers who know the material from those who do not"
    ]
    assert rows["Q1"].flags == []
    assert rows["M"].flags == ["the wrong choice “C” is picked more often than the right choice “B”"]


def test_the_default_minimum_is_thirty_answers(quiz):
    assert item_analysis(quiz).rows[0].too_few_note == "too few answers to judge (6 of 30)"


def analysis_url(quiz, query=""):
    return f"/admin/quiz/quiz/{quiz.pk}/analysis/{query}"


def test_the_page_shows_the_figures_and_offers_the_choice_of_attempts(admin_client, quiz):
    page = parse(admin_client.get(analysis_url(quiz)))
    q2 = next(
        row
        for row in page.find_all("tr")
        if row.has("a", href=f"/admin/quiz/question/{quiz.questions.get(prompt='Q2').pk}/change/")
    )
    cells = [cell.text for cell in q2.find_all("td")]
    assert cells[:6] == ["6", "0.500", "0.548", "0.333", "0.101 (-0.774 to 0.843)", "12.5%"]
    assert cells[7] == "Too few answers to judge (6 of 30)"
    summary = [item.text for item in page.find("dl").find_all("dd")]
    assert summary[:3] == ["6", "1.833 marks", "1.378 marks"]
    assert summary[3].startswith("0.655") and summary[4] == "0.810 marks"
    checked = page.find("input", name="attempts", checked=True)
    assert checked["value"] == FIRST
    assert page.find("label", **{"for": checked["id"]}).text == "Each reader's first finished attempt"
    every = parse(admin_client.get(analysis_url(quiz, "?attempts=all")))
    assert every.find("dl").find("dd").text == "7"
    assert every.find("input", name="attempts", checked=True)["value"] == ALL
    assert every.find("a", href="?attempts=all&format=csv").text == "Download as CSV"


@pytest.mark.parametrize(
    "query",
    [
        "?attempts=bogus",
        "?attempts=",
        "?attempts=FIRST",
        "?attempts=all&attempts=x" + "y" * 5000,
        "?attempts[]=all",
        "?attempts=%00",
        "?format=xml",
        "?format=csv&format=",
        "?attempts=first&unknown=1",
    ],
)
def test_tampered_parameters_fall_back_to_each_readers_first_attempt(admin_client, quiz, query):
    response = admin_client.get(analysis_url(quiz, query))
    assert response.status_code == 200
    page = parse(response)
    assert page.find("input", name="attempts", checked=True)["value"] == FIRST
    assert page.find("dl").find("dd").text == "6"
    refused = "That is not a choice of attempts this page offers." in page.text
    assert refused == (query.startswith("?attempts=") and query not in ("?attempts=", "?attempts=first&unknown=1"))


def test_an_unknown_or_out_of_range_quiz_is_a_404_in_the_admin(admin_client, quiz):
    for quiz_id in (quiz.pk + 1000, 2**70):
        response = admin_client.get(f"/admin/quiz/quiz/{quiz_id}/analysis/")
        assert response.status_code == 404


def test_the_csv_carries_the_same_figures_and_the_quizs(admin_client, quiz):
    download = admin_client.get(analysis_url(quiz, "?attempts=first&format=csv"))
    assert download["Content-Disposition"].endswith('-item-analysis-first.csv"')
    rows = list(csv.reader(io.StringIO(download.content.decode(), newline="")))
    header = rows[0]
    by_prompt = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:5]}
    assert [by_prompt["Q2"][name] for name in header[4:12]] == [
        "6",
        "0.500",
        "0.548",
        "0.333",
        "0.101",
        "-0.774",
        "0.843",
        "12.5",
    ]
    assert by_prompt["Q2"]["flags"] == "too few answers to judge (6 of 30)"
    assert by_prompt["M"]["choices picked, items placed"] == "A (correct): 4; B (correct): 1; C: 2"
    summary = {row[0]: row[1] for row in rows[6:]}
    assert summary == {
        "attempts counted": "each reader's first finished attempt",
        "attempts": "6",
        "mean score": "1.833",
        "standard deviation": "1.378",
        "positions (items of alpha)": "4",
        "Cronbach's alpha": "0.655",
        "standard error of measurement": "0.810",
    }
    every = admin_client.get(analysis_url(quiz, "?attempts=all&format=csv"))
    assert ["attempts", "7"] in list(csv.reader(io.StringIO(every.content.decode(), newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_flags_naming_a_choice_that_looks_like_a_formula_stay_text(admin_client, quiz, settings, start):
    settings.QUIZ_ANALYSIS_MIN_ANSWERS = 6
    quiz.questions.get(prompt="Q3").choices.filter(text="B").update(text=f"{start}SUM(1)")
    download = admin_client.get(analysis_url(quiz, "?format=csv"))
    rows = list(csv.reader(io.StringIO(download.content.decode(), newline="")))
    q3 = next(row for row in rows if row[:1] == ["Q3"])
    assert q3[12] == f"A (correct): 2; {start}SUM(1): 4; C: 0"
    # Q3's facility, 2 of 6, is what guessing among three choices earns: that flag comes first.
    assert q3[13] == (
        "no better than guessing: a reader answering at random expects 0.333; "
        f"the wrong choice “{start}SUM(1)” is picked more often than the right one"
    )


def test_the_pages_query_count_stays_the_same_with_ten_times_the_attempts(
    admin_client, quiz, django_assert_num_queries
):
    questions = list(quiz.questions.order_by("position", "pk"))
    admin_client.get(analysis_url(quiz))  # the session and the user are loaded once per request either way
    with django_assert_num_queries(7):
        admin_client.get(analysis_url(quiz))
    for copy in range(9):
        for owner_token, marks in [*FIRST_ATTEMPTS, SECOND_ATTEMPT]:
            take(quiz, questions, f"{owner_token}-{copy}", marks)
    with django_assert_num_queries(7):
        page = admin_client.get(analysis_url(quiz, "?attempts=all"))
    assert parse(page).find("dl").find("dd").text == "70"


def test_a_quiz_with_a_sort_question_costs_one_query_more_however_many_attempts(
    admin_client, django_assert_num_queries
):
    """The placements of a sort question's rows are counted with the picks (no query more) and compared with
    where each row belongs (its choices, loaded anyway); the random-guess score needs the number of models (one
    more). However many answers."""
    quiz = QuizFactory()
    first, second = OutsourcingModelFactory(), OutsourcingModelFactory()
    single = QuestionFactory(quiz=quiz, prompt="S", choices=[("A", True), ("B", False)])
    sort = QuestionFactory(quiz=quiz, prompt="Sort", kind="sort", choices=[])
    rows = [
        Choice.objects.create(question=sort, text=text, placed_under=model, position=number)
        for number, (text, model) in enumerate([("R1", first), ("R2", second)])
    ]

    def take_both(count):
        for _ in range(count):
            attempt = Attempt.objects.create(
                quiz=quiz,
                owner_token=f"reader {Attempt.objects.count()}",
                question_ids=[single.pk, sort.pk],
                choice_order={str(single.pk): [c.pk for c in single.choices.all()], str(sort.pk): [r.pk for r in rows]},
            )
            record_answer(attempt, 1, [single.choices.get(text="A")])
            record_answer(attempt, 2, placements={rows[0]: first, rows[1]: first})

    take_both(2)
    url = analysis_url(quiz)
    admin_client.get(url)
    with django_assert_num_queries(8):
        admin_client.get(url)
    take_both(18)
    with django_assert_num_queries(8):
        page = parse(admin_client.get(url))
    placed = [item.text for item in page.find_all("li") if item.text.startswith("R")]
    assert placed == ["R1: placed 20, under the right model 20", "R2: placed 20, under the right model 0"]
