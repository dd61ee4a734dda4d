"""Every write the quiz makes: attempts and answers, question choices, and the questions built from the content."""

import secrets
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from content.models import OutsourcingModel

from .exceptions import AlreadyAnswered, AttemptNotOpen
from .generation import ALL_CONTENT, wanted_questions
from .models import Answer, Attempt, Choice, Question, Quiz


def start_attempt(quiz, owner_token):
    """A new attempt with its questions and their choices drawn and shuffled once, then frozen."""
    shuffler = secrets.SystemRandom()
    bank = list(quiz.bank().prefetch_related("choices"))
    questions = shuffler.sample(bank, quiz.attempt_length(len(bank)))
    choice_order = {}
    for question in questions:
        choice_ids = [choice.pk for choice in question.choices.all()]
        if question.kind != Question.Kind.TRUE_FALSE:
            shuffler.shuffle(choice_ids)
        choice_order[str(question.pk)] = choice_ids
    return Attempt.objects.create(
        quiz=quiz,
        owner_token=owner_token,
        question_ids=[question.pk for question in questions],
        choice_order=choice_order,
        certainty_based_marking=quiz.certainty_based_marking,
    )


def record_answer(attempt, number, chosen_choices, certainty=""):
    """Store the answer to question ``number`` exactly once, update the score and refresh ``attempt``.

    ``certainty`` is how sure the reader said they were, given when the attempt uses certainty-based marking.
    Raises AlreadyAnswered for a repeat, AttemptNotOpen when the attempt cannot take it.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if locked.is_finished:
            raise AttemptNotOpen("This attempt is finished, so it takes no more answers.")
        if number <= locked.answered_count:
            raise AlreadyAnswered
        if number != locked.answered_count + 1:
            raise AttemptNotOpen(f"Answer question {locked.answered_count + 1} first; questions go in order.")
        question = Question.objects.prefetch_related("choices").get(pk=locked.question_id_at(number))
        correct = question.is_right(chosen_choices)
        try:
            with transaction.atomic():
                answer = Answer.objects.create(attempt=locked, question=question, correct=correct, certainty=certainty)
        except IntegrityError:
            raise AlreadyAnswered from None
        answer.chosen.set(chosen_choices)
        updates = {"answered_count": F("answered_count") + 1, "score": F("score") + int(correct)}
        if number == locked.total:
            updates["finished_at"] = timezone.now()
        Attempt.objects.filter(pk=locked.pk).update(**updates)
    attempt.refresh_from_db()
    return answer


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
    for quiz in quizzes:
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
    if answer_key(question) != wanted_answer_key(specs) and question.answer_count:
        # Answers given to the old answer key keep it; readers get a new question with the new one.
        outcome = retire(question)
        create_generated(question.quiz, spec, specs)
        return [outcome, "created"]
    return ["updated" if update_generated(question, spec, specs) else "unchanged"]


def answer_key(question):
    return [(choice.generated_for_id, choice.correct) for choice in question.choices.all()]


def wanted_answer_key(specs):
    return [(spec["generated_for_id"], spec["correct"]) for spec in specs]


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
        generated_key=spec.key,
        position=1000,
        **spec.learn_more,
    )
    set_choices(question, specs)
    return question


def update_generated(question, spec, specs):
    fields = {"prompt": spec.prompt, "topic": spec.topic, "explanation": spec.explanation, **spec.learn_more}
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
