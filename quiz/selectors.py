"""Read-side queries of the quiz that span relations: an attempt's results, a quiz's item analysis and the
editors' figures on the admin index."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.db.models.functions import Coalesce

from content.models import OutsourcingModel
from editorial.kept import KeptWhileUnchanged

from . import certainty as cbm
from . import practice
from .drawing import candidates
from .learn_more import LEARN_MORE_KINDS
from .models import Answer, Attempt, Question


@dataclass
class PlacedRow:
    """A row of a sort question as the reader placed it (``placed``: a model, or None) and where it belongs."""

    choice: object
    placed: object
    right: object

    @property
    def is_right(self):
        return self.placed is not None and self.placed == self.right


def placed_rows(question, choices, answer, models_by_pk):
    """A PlacedRow for each row of a sort question shown in the attempt; [] for other kinds."""
    if not question.is_sort:
        return []
    placements = answer.placements if answer else {}
    return [
        PlacedRow(choice, models_by_pk.get(placements.get(str(choice.pk))), models_by_pk.get(choice.placed_under_id))
        for choice in choices
    ]


# Room for a bank a hundred times today's, each question with and without its learn-more target.
asked = KeptWhileUnchanged(size=10_000)


def models_to_sort_into():
    """The columns of a sort question: every published model."""
    return asked.get("models to sort into", lambda: list(OutsourcingModel.objects.published()))


@dataclass
class AnsweredQuestion:
    question: Question
    answer: Answer | None
    choices: list
    placed_rows: list

    @property
    def is_right(self):
        return bool(self.answer and self.answer.correct)

    @property
    def mark(self):
        return self.answer.mark if self.answer else 0.0

    @property
    def verdict(self):
        if self.is_right:
            return "Right"
        return "Partly right" if self.answer and self.answer.is_partly_right else "Wrong"

    @property
    def chosen_choices(self):
        chosen = set(self.answer.picked) if self.answer else set()
        return [choice for choice in self.choices if choice.pk in chosen]

    @property
    def correct_choices(self):
        return [choice for choice in self.choices if choice.correct]

    @property
    def is_misconception(self):
        return bool(self.answer and self.answer.is_misconception)

    @property
    def certainty_mark(self):
        """The certainty-based mark as readers see it (“+3”, “−6”), or "" for an answer given without a certainty."""
        mark = self.answer.certainty_mark if self.answer else None
        return "" if mark is None else cbm.signed(mark)


def bank_to_draw_from(quiz):
    """The quiz's bank as drawing Candidates (its active questions with their choices), shared by every draw in this
    process: a tuple, so that no draw can reorder it for the others."""
    return asked.get(("bank", quiz.pk), lambda: tuple(candidates(quiz.bank_with_choices())))


def question_to_ask(question_id, with_learn_more=False):
    """The question with its choices, and its learn-more target when asked for (its feedback shows it), or None."""
    return asked.get(("question", question_id, with_learn_more), partial(read_question, question_id, with_learn_more))


def read_question(question_id, with_learn_more):
    questions = Question.objects.with_learn_more() if with_learn_more else Question.objects.all()
    # Unordered: the default ordering, by quiz, would join the quiz table to sort a single row.
    return questions.prefetch_related("choices").filter(pk=question_id).order_by().first()


def answer_given(attempt, question):
    """The attempt's answer to ``question``, or None if it has not been answered."""
    # Unordered: at most one row, and the default ordering, by attempt, would join the attempt table to sort it.
    return Answer.objects.filter(attempt=attempt, question=question).order_by().first()


def answers_in_order(attempt):
    """One AnsweredQuestion per question of the attempt, in the order asked."""
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    questions = Question.objects.with_learn_more().prefetch_related("choices").in_bulk(attempt.question_ids)
    sorting = any(question.is_sort for question in questions.values())
    models_by_pk = OutsourcingModel.objects.in_bulk() if sorting else {}
    rows = []
    for pk in attempt.question_ids:
        if pk in questions:
            question, answer = questions[pk], answers.get(pk)
            choices = attempt.ordered_choices(question)
            rows.append(
                AnsweredQuestion(question, answer, choices, placed_rows(question, choices, answer, models_by_pk))
            )
    return rows


def in_review_order(rows):
    """(number asked, row) pairs: answers given wrong with high certainty first, then the rest, each in order asked."""
    numbered = list(enumerate(rows, start=1))
    return [pair for pair in numbered if pair[1].is_misconception] + [
        pair for pair in numbered if not pair[1].is_misconception
    ]


def certainty_summary(rows):
    """The certainty.Summary of the rows answered with a certainty, or None if none was."""
    answers = [(row.answer.fraction, row.answer.certainty) for row in rows if row.answer and row.answer.certainty]
    return cbm.summarise(answers) if answers else None


def topic_marks(rows):
    """(topic, mark) of each answered row."""
    return [(row.question.topic, row.mark) for row in rows if row.answer is not None]


def score_by_topic(rows):
    """[(topic label, marks, answered)] in the order of Question.Topic, for the topics answered often enough."""
    scored = practice.scored_topics(topic_marks(rows))
    return [(label, *scored[value]) for value, label in Question.Topic.choices if value in scored]


@dataclass
class TopicToReread:
    label: str
    url: str
    target: object


def topic_to_reread(rows, pass_mark):
    """The weakest topic (practice.weak_topics) with the learn-more target of its first question missed, or None."""
    for topic in practice.weak_topics(topic_marks(rows), pass_mark):
        for row in rows:
            if row.question.topic == topic and not row.is_right and row.question.learn_more is not None:
                label = Question.Topic(topic).label
                return TopicToReread(label, row.question.learn_more_url, row.question.learn_more)
    return None


def to_practise(rows):
    """The rows whose answer needs practice (practice.needs_practice) and whose question is still in the bank."""
    return [
        row
        for row in rows
        if row.answer is not None
        and practice.needs_practice(row.answer.correct, row.answer.certainty)
        and row.question.is_in_the_bank
    ]


def practice_material(attempt):
    """(questions to practise, the quiz's bank as drawing Candidates, the attempt's weak topics) for a practice.

    The questions are those of ``attempt`` whose answers need practice, as Candidates of the bank (a question no
    longer in the bank is not practised).
    """
    answers = attempt.answers.values_list("question_id", "question__topic", "mark", "correct", "certainty")
    answers = list(answers)
    missed = {pk for pk, _topic, _mark, correct, certainty in answers if practice.needs_practice(correct, certainty)}
    bank = bank_to_draw_from(attempt.quiz) if missed else []
    weak = practice.weak_topics([(topic, mark) for _pk, topic, mark, _c, _s in answers], attempt.quiz.pass_mark)
    return [candidate for candidate in bank if candidate.question.pk in missed], bank, weak


def reader_history(quiz, owner_token):
    """The practice.History of the reader owning ``owner_token`` at ``quiz``: one query."""
    if not owner_token:
        return practice.History()
    answers = Answer.objects.filter(attempt__quiz=quiz, attempt__owner_token=owner_token)
    fields = ("question_id", "question__topic", "mark", "correct", "attempt_id")
    rows = answers.order_by("answered_at", "pk").values_list(*fields, "attempt__finished_at", "attempt__is_practice")
    return practice.history(rows, quiz.pass_mark)


def sections_to_reread(rows):
    """(url, item) for each distinct learn-more target of a question answered wrong, in the order asked."""
    targets = {}
    for row in rows:
        if not row.is_right and row.question.learn_more is not None:
            targets.setdefault(row.question.learn_more_url, row.question.learn_more)
    return list(targets.items())


def counted_answers(quiz, first_only):
    """The answers to ``quiz`` item analysis counts: in readers' own finished attempts (not practice, not staff),
    and with ``first_only`` only in each reader's first. ``Answer.counted`` says so, set as attempts finish."""
    # Its questions as a list the index is searched by: a join would make SQLite sort the groups.
    answers = Answer.objects.filter(question__in=Question.objects.filter(quiz=quiz).values("pk")).order_by()
    if first_only:
        return answers.filter(counted=Answer.Counted.FIRST)
    return answers.filter(counted__in=[Answer.Counted.ALL, Answer.Counted.FIRST])


CERTAINTY_LEVEL = Case(
    *(When(certainty=value, then=rank) for rank, value in enumerate(cbm.LEVELS, start=1)),
    default=None,
    output_field=IntegerField(),
)


def answer_groups(answers):
    """How ``answers`` fall: a row (question id, mark, rest, position, answers, sum of certainty levels, answers
    with a certainty) for each distinct combination, read in the order of an index that holds them all.

    Rest: the score on the rest of the attempt; position: where in its attempt the question was asked (1 = first);
    both stored as the attempt finishes (``services.store_for_item_analysis``). Certainty levels: 1 (low) to 3
    (high). Marks and rest scores take few distinct values, so the rows stay few.
    """
    groups = answers.values_list("question_id", "mark", "rest_score", "position").annotate(
        answers=Count("*"), levels=Coalesce(Sum(CERTAINTY_LEVEL), 0), with_level=Count(CERTAINTY_LEVEL)
    )
    return list(groups)


def picks_and_placements(answers):
    """(Counter {choice id: times picked}, Counter {(sort item id, model id): times placed there}) over
    ``answers``. SQL counts each distinct (question, choices picked, placements), few; Python adds them up."""
    picked, placed = Counter(), Counter()
    groups = answers.values_list("question_id", "picked", "placements").annotate(answers=Count("*"))
    for _question, choices, placements, count in groups:
        for choice in choices:
            picked[choice] += count
        for item, model in placements.items():
            placed[int(item), model] += count
    return picked, placed


def questions_with_choices(quiz):
    return list(Question.objects.filter(quiz=quiz).prefetch_related("choices"))


def sort_model_count():
    """How many models a sort question's rows may be placed under: the published ones."""
    return OutsourcingModel.objects.published().count()


def answered_choices_other_than(question, choice_ids):
    """The choices of ``question`` not in ``choice_ids`` that readers picked, each with ``times_picked``."""
    choices = question.choices.exclude(pk__in=choice_ids).annotate(times_picked=Count("answers"))
    return list(choices.filter(times_picked__gt=0))


@dataclass
class Window:
    """What readers did with the quizzes in the last ``days`` days."""

    days: int
    started: int
    finished: int
    passed: int

    @property
    def pass_rate(self):
        """The share of finished attempts that passed, as a whole percentage; None before any finished."""
        return round(100 * self.passed / self.finished) if self.finished else None


@dataclass
class MissedQuestion:
    question: Question
    missed: int
    answered: int


@dataclass
class MissedTarget:
    """A part of the explainer, and how often the questions sending readers to it were missed."""

    kind: object
    target: object
    missed: int
    answered: int


def attempts_in_windows(now, windows=(7, 30)):
    """A Window per number of days: readers' attempts started, finished and passed in that many days before ``now``
    (practice and staff test runs left out)."""
    counts = {}
    for days in windows:
        since = now - timedelta(days=days)
        counts[f"started_{days}"] = Count("pk", filter=Q(started_at__gte=since))
        counts[f"finished_{days}"] = Count("pk", filter=Q(finished_at__gte=since))
        counts[f"passed_{days}"] = Count(
            "pk", filter=Q(finished_at__gte=since, pk__in=Attempt.objects.passed().values("pk"))
        )
    totals = Attempt.objects.by_readers().aggregate(**counts)
    return [
        Window(days, totals[f"started_{days}"], totals[f"finished_{days}"], totals[f"passed_{days}"])
        for days in windows
    ]


def answer_counts(since):
    """Answers readers gave since ``since`` (not in practice or staff test runs): how many, and how many missed."""
    missed = Answer.objects.missed().values("pk")
    recent = Answer.objects.by_readers().filter(answered_at__gte=since)
    return recent, {"answered": Count("pk"), "missed": Count("pk", filter=Q(pk__in=missed))}


def most_missed_questions(since, limit=5):
    """The ``limit`` questions missed most often since ``since``, with their learn-more target."""
    recent, counts = answer_counts(since)
    rows = list(
        recent.values("question")
        .annotate(**counts)
        .filter(missed__gt=0)
        .order_by("-missed", "-answered", "question")[:limit]
    )
    questions = Question.objects.with_learn_more().in_bulk([row["question"] for row in rows])
    return [MissedQuestion(questions[row["question"]], row["missed"], row["answered"]) for row in rows]


def most_missed_targets(since, limit=5):
    """The ``limit`` parts of the explainer whose questions were missed most often since ``since``."""
    recent, counts = answer_counts(since)
    columns = [f"question__{kind.attname}" for kind in LEARN_MORE_KINDS]
    totals = {}
    for row in recent.values(*columns).annotate(**counts).filter(missed__gt=0).order_by():
        kind = next((kind for kind, column in zip(LEARN_MORE_KINDS, columns, strict=True) if row[column]), None)
        if kind is not None:
            key = (kind, row[f"question__{kind.attname}"])
            missed, answered = totals.get(key, (0, 0))
            totals[key] = (missed + row["missed"], answered + row["answered"])
    top = sorted(totals.items(), key=lambda item: (-item[1][0], -item[1][1], item[0][0].name, item[0][1]))[:limit]
    targets = {}
    for kind in LEARN_MORE_KINDS:
        ids = [target_id for (of_kind, target_id), _counts in top if of_kind == kind]
        if ids:
            targets[kind] = kind.targets().in_bulk(ids)
    return [
        MissedTarget(kind, targets[kind][target_id], missed, answered)
        for (kind, target_id), (missed, answered) in top
        if target_id in targets[kind]
    ]
