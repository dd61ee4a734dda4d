"""Every write the quiz makes: attempts and answers, question choices, and the questions built from the content."""

import secrets
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Subquery, Value, When
from django.utils import timezone

from content.models import OutsourcingModel

from . import practice, reviews, scoring, selectors
from .drawing import Drawn, candidates, draw_attempt, shown_choices
from .exceptions import FINISHED, AlreadyAnswered, AttemptNotOpen, NothingToPractise
from .generation import ALL_CONTENT, wanted_pools, wanted_questions
from .models import Answer, Attempt, Choice, Question, Quiz


def start_attempt(quiz, owner_token, rng=None, by_staff=False):
    """A new attempt whose questions, choices and sort rows are drawn (``quiz.drawing``) once, then frozen.

    The draw prefers what the reader owning ``owner_token`` has not been asked, then what they missed, a weak
    topic's questions first (practice.History). Raises CannotDraw when the bank cannot fill the quiz's blueprint.
    """
    preference = selectors.reader_history(quiz, owner_token).preference
    bank = selectors.bank_to_draw_from(quiz)
    rng = rng or secrets.SystemRandom()
    picks = draw_attempt(bank, quiz.blueprint, quiz.two_option_cap, rng, preference=preference)
    return create_attempt(quiz, owner_token, picks, by_staff=by_staff)


def practise_missed(attempt, rng=None, by_staff=False):
    """A practice attempt of what the reader missed in finished ``attempt``, each with a companion question.

    The answers needing practice and the companions follow ``quiz.practice``. Raises NothingToPractise when no
    answer needs practice (or no such question is still in the bank).
    """
    missed, bank, weak = selectors.practice_material(attempt)
    if not missed:
        raise NothingToPractise
    rng = rng or secrets.SystemRandom()
    chosen = [*missed, *practice.companions(missed, bank, weak, rng)]
    return start_practice(attempt.quiz, attempt.owner_token, [c.question for c in chosen], rng, by_staff)


def start_practice(quiz, owner_token, questions, rng=None, by_staff=False, review_plan=None):
    """A practice attempt asking ``questions`` (of ``quiz``, choices prefetched) in a new random order.

    Practice is never passed or failed and item analysis leaves it out; otherwise it works like an attempt.
    Its answers move ``review_plan`` (practice started from a review link), by default the reader's own plan.
    """
    rng = rng or secrets.SystemRandom()
    picks = [Drawn(c.question, shown_choices(c, frozenset(), rng)) for c in candidates(questions)]
    rng.shuffle(picks)
    return create_attempt(quiz, owner_token, picks, is_practice=True, by_staff=by_staff, review_plan=review_plan)


def create_attempt(quiz, owner_token, picks, by_staff=False, review_plan=None, **flags):
    """A new attempt; its answers move ``review_plan``, or the reader's own plan for the quiz when they have one.
    A staff test run moves no plan."""
    return Attempt.objects.create(
        quiz=quiz,
        owner_token=owner_token,
        question_ids=[pick.question.pk for pick in picks],
        choice_order={str(pick.question.pk): pick.choice_ids for pick in picks},
        certainty_based_marking=quiz.certainty_based_marking,
        by_staff=by_staff,
        review_plan=None if by_staff else review_plan or reviews.plan_for(owner_token, quiz),
        **flags,
    )


def record_answer(attempt, number, chosen_choices=(), placements=None, certainty="", question=None):
    """Store the answer to question ``number`` exactly once, mark it, update the score and ``attempt``.

    ``chosen_choices``: the choices ticked; ``placements``: for a sort question, {row (Choice): model};
    ``certainty``: how sure the reader said they were, given when the attempt uses certainty-based marking;
    ``question``: the question asked at ``number`` with its choices prefetched, when the caller has loaded it.
    Raises AlreadyAnswered for a repeat, AttemptNotOpen when the attempt cannot take it.

    Three writes: the attempt's counters move on only from the state the answer was given in (answered
    ``number - 1``, unfinished), so of two posts racing for one question exactly one updates a row; that update
    takes the row's lock (the write lock on SQLite) until the answer and its choices are stored with it. An attempt
    that moves a review plan reads and writes the plan's entries for the question's facts too (``quiz.reviews``);
    the last answer stores what item analysis reads on the attempt's answers (``store_for_item_analysis``).
    """
    if question is None:
        question = selectors.question_to_ask(attempt.question_id_at(number))
    placed = {str(row.pk): model.pk for row, model in (placements or {}).items()}
    mark = scoring.mark(
        question,
        attempt.choice_order.get(str(question.pk), []),
        chosen_ids=[choice.pk for choice in chosen_choices],
        placements={int(row): model for row, model in placed.items()},
        model_count=len(selectors.models_to_sort_into()) if question.is_sort else 2,
    )
    finished_at = timezone.now() if number == attempt.total else None
    try:
        with transaction.atomic():
            moved_on = Attempt.objects.filter(
                pk=attempt.pk, answered_count=number - 1, finished_at__isnull=True
            ).update(answered_count=F("answered_count") + 1, score=F("score") + mark, finished_at=finished_at)
            if not moved_on:
                raise refusal(attempt, number)
            answer = Answer.objects.create(
                attempt=attempt,
                question=question,
                placements=placed,
                mark=mark,
                correct=scoring.is_full_marks(mark),
                certainty=certainty,
                picked=sorted(choice.pk for choice in chosen_choices),
            )
            Answer.chosen.through.objects.bulk_create(
                Answer.chosen.through(answer=answer, choice=choice) for choice in chosen_choices
            )
            if attempt.review_plan_id:
                reviews.schedule_answer(attempt.review_plan_id, question, answer.correct)
            if finished_at:
                store_for_item_analysis(attempt)
    except IntegrityError:
        raise AlreadyAnswered from None
    if attempt.answered_count == number - 1:
        attempt.answered_count, attempt.score, attempt.finished_at = number, attempt.score + mark, finished_at
    else:
        attempt.refresh_from_db()
    return answer


def refusal(attempt, number):
    """Why the attempt, as it is now, does not take an answer to question ``number``."""
    current = Attempt.objects.only("answered_count", "finished_at").get(pk=attempt.pk)
    if current.is_finished:
        return AttemptNotOpen(FINISHED)
    if number <= current.answered_count:
        return AlreadyAnswered()
    return AttemptNotOpen(f"Answer question {current.answered_count + 1} first; questions go in order.")


def store_for_item_analysis(attempt):
    """At ``attempt``'s finish, store on its answers what item analysis groups by, so that it reads answers
    alone (no join, window or JSON function): each answer's position, the score on the rest of the attempt and
    which analyses count it (the choices it picked are stored with it). A reader's first finished attempt at a quiz
    is their lowest id one: an attempt started earlier and finished later takes the place of the one that finished
    before it."""
    counted = Answer.Counted.NOT
    if not (attempt.is_practice or attempt.by_staff):
        readers = Attempt.objects.filter(quiz_id=attempt.quiz_id, owner_token=attempt.owner_token).by_readers()
        others = list(readers.finished().exclude(pk=attempt.pk).values_list("pk", flat=True))
        counted = Answer.Counted.FIRST if all(pk > attempt.pk for pk in others) else Answer.Counted.ALL
        if counted == Answer.Counted.FIRST and others:
            Answer.objects.filter(attempt__in=others, counted=Answer.Counted.FIRST).update(counted=Answer.Counted.ALL)
    positions = [When(question_id=pk, then=Value(number)) for number, pk in enumerate(attempt.question_ids, start=1)]
    score = Attempt.objects.filter(pk=attempt.pk).values("score")
    Answer.objects.filter(attempt=attempt).update(
        position=Case(*positions, default=None),
        rest_score=Subquery(score) - F("mark"),
        counted=counted,
    )


def set_choices(question, specs):
    """Make the choices match ``specs`` (dicts of Choice fields, in order), reusing rows by position."""
    existing = list(question.choices.all())
    for position, (spec, choice) in enumerate(zip(specs, existing, strict=False)):
        fields = {**spec, "position": position}
        if any(getattr(choice, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(choice, name, value)
            choice.save()
    Choice.objects.bulk_create(
        Choice(question=question, position=position, **spec)
        for position, spec in enumerate(specs)
        if position >= len(existing)
    )
    Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(specs) :]]).delete()


_syncing_held_back = ContextVar("syncing_held_back", default=False)


@contextmanager
def syncing_held_back():
    """Content saved inside this block syncs no generated questions; the caller syncs them all once at the end."""
    token = _syncing_held_back.set(True)
    try:
        yield
    finally:
        _syncing_held_back.reset(token)


def sync_generated_questions_from(sources):
    """The sync a content save triggers: only the questions built from ``sources``, unless held back."""
    if not _syncing_held_back.get():
        with outside_history():
            sync_generated_questions(sources)


@contextmanager
def outside_history():
    """Generated questions follow their content: restoring a content item's version rebuilds them from it, so the
    revision an editor's save opens does not record them."""
    if not reversion.is_active():
        yield
        return
    with reversion.create_revision(manage_manually=True):
        yield


@transaction.atomic
def sync_generated_questions(sources=ALL_CONTENT):
    """Create, update and retire the generated questions built from ``sources``; returns how many of each outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "retired": 0, "deleted": 0}
    quizzes = list(Quiz.objects.filter(generated_questions=True))
    if not quizzes:
        return counts
    models = list(OutsourcingModel.objects.published())
    wanted = wanted_questions(sources, models)
    pools = wanted_pools(sources, models)
    for quiz in quizzes:
        for pool in pools:
            counts[sync_pool(quiz, pool, sources, models)] += 1
        current = sources.questions(quiz.questions.filter(active=True))
        current = current.annotate(answer_count=Count("answers")).prefetch_related("choices")
        seen = set()
        for question in current:
            seen.add(question.generated_key)
            for outcome in sync_question(question, wanted.get(question.generated_key)):
                counts[outcome] += 1
        for key, spec in wanted.items():
            if key not in seen:
                create_generated(quiz, spec, spec.choices)
                counts["created"] += 1
    return counts


def sync_question(question, spec):
    """Bring one generated question in line with ``spec`` (None: no longer wanted); returns the outcomes."""
    if spec is None:
        return [retire(question)]
    specs = spec.choices
    if question.answer_count and answer_key(question) != wanted_answer_key(specs):
        # Answers given to the old answer key keep it; readers get a new question with the new one.
        outcome = retire(question)
        create_generated(question.quiz, spec, specs)
        return [outcome, "created"]
    return ["updated" if update_generated(question, spec, specs) else "unchanged"]


def answer_key(question):
    return [(choice.generated_for_id, choice.correct) for choice in question.choices.all()]


def wanted_answer_key(specs):
    return [(spec["generated_for_id"], spec["correct"]) for spec in specs]


def sync_pool(quiz, pool, sources, models):
    """Bring a generated sort question's rows built from ``sources`` in line with ``pool``; returns the outcome.

    Only those rows are read and written, so a content save costs the same however big the pool. A row that
    leaves the pool or moves to another model retires an answered question: its answers keep their rows.
    """
    question = quiz.questions.filter(active=True, generated_key=pool.key).annotate(answer_count=Count("answers"))
    question = question.first()
    if question is None:
        if not pool.rows:
            return "unchanged"
        create_pool(quiz, pool, sources, models)
        return "created"
    rows = {row.generated_key: row for row in sources.rows(question.choices.all())}
    gone = [row for key, row in rows.items() if key not in pool.rows]
    moved = [
        row
        for key, row in rows.items()
        if key in pool.rows and row.placed_under_id != pool.rows[key]["placed_under_id"]
    ]
    if question.answer_count and (gone or moved):
        retire(question)
        create_pool(quiz, pool, sources, models)
        return "retired"
    Choice.objects.filter(pk__in=[row.pk for row in gone]).delete()
    changed = bool(gone)
    for key, fields in pool.rows.items():
        row = rows.get(key)
        if row is None:
            Choice.objects.create(question=question, generated_key=key, position=len(rows), **fields)
            changed = True
        elif any(getattr(row, name) != value for name, value in fields.items()):
            Choice.objects.filter(pk=row.pk).update(**fields)
            changed = True
    return "updated" if changed else "unchanged"


def create_pool(quiz, pool, sources, models):
    """A new sort question with every row of its pool, whatever ``sources`` the sync looked at."""
    if not sources.everything:
        [pool] = [whole for whole in wanted_pools(ALL_CONTENT, models) if whole.key == pool.key]
    question = Question.objects.create(
        quiz=quiz,
        slug=f"generated-{pool.key.replace(':', '-')}-{secrets.token_hex(3)}",
        kind=Question.Kind.SORT,
        topic=pool.topic,
        prompt=pool.prompt,
        explanation=pool.explanation,
        generated_key=pool.key,
        position=1000,
        **pool.learn_more,
    )
    Choice.objects.bulk_create(
        Choice(question=question, generated_key=key, position=position, **fields)
        for position, (key, fields) in enumerate(pool.rows.items())
    )


def retire(question):
    """A question with answers stays, inactive, so the answers keep their meaning; one without goes."""
    if question.answer_count:
        question.active = False
        question.save(update_fields=["active", "updated_at"])
        return "retired"
    question.delete()
    return "deleted"


def create_generated(quiz, spec, specs):
    question = Question.objects.create(
        quiz=quiz,
        slug=f"generated-{spec.key.replace(':', '-')}-{secrets.token_hex(3)}",
        kind=Question.Kind.SINGLE,
        topic=spec.topic,
        prompt=spec.prompt,
        explanation=spec.explanation,
        facts=spec.facts,
        generated_key=spec.key,
        position=1000,
        **spec.learn_more,
    )
    set_choices(question, specs)
    return question


def update_generated(question, spec, specs):
    fields = {
        "prompt": spec.prompt,
        "topic": spec.topic,
        "explanation": spec.explanation,
        "facts": spec.facts,
        **spec.learn_more,
    }
    changed = [name for name, value in fields.items() if getattr(question, name) != value]
    for name in changed:
        setattr(question, name, fields[name])
    if changed:
        question.save()
    shown = [(choice.text, choice.feedback) for choice in question.choices.all()]
    texts_changed = shown != [(spec["text"], spec["feedback"]) for spec in specs]
    if texts_changed or answer_key(question) != wanted_answer_key(specs):
        set_choices(question, specs)
        changed.append("choices")
    return bool(changed)
