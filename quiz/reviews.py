"""The review schedule: each missed fact comes back after 1 day, then 3, then 7 (a Leitner schedule).

The rules, in one place: a fact of an answer without full marks goes to box 1, due a day later; a right
answer on a scheduled fact moves it to the next box, and a right answer in the 7-day box retires it; a wrong
one sends it back to box 1. A question that names no facts stands for its own fact, “question:<id>”, so every
miss is scheduled. Staff test runs neither make nor move a plan.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from .learn_more import KIND_FOR_MODEL, KIND_NAMED, target_label
from .models import Answer, Attempt, Question, ReviewEntry, ReviewPlan

DAYS_IN_BOX = {1: 1, 2: 3, 3: 7}
RETIRED = 4
QUESTION_FACT = "question"


def fact_keys(question):
    """The facts an answer to ``question`` schedules: those it tests, or the question itself."""
    return list(question.facts) or [f"{QUESTION_FACT}:{question.pk}"]


def next_box(box, correct):
    """The box a fact moves to after an answer; ``box`` None: not scheduled. None: it stays unscheduled."""
    if not correct:
        return 1
    if box is None or box == RETIRED:
        return box
    return box + 1


def due_after(box, when):
    return None if box == RETIRED else when + timedelta(days=DAYS_IN_BOX[box])


def entries_after(plan_id, question, correct, boxes, when):
    """The entries to write for an answer, given the boxes its facts are in now ({fact: box})."""
    entries = []
    for fact in fact_keys(question):
        box = next_box(boxes.get(fact), correct)
        if box is not None and not (box == RETIRED and boxes.get(fact) == RETIRED):
            entries.append(
                ReviewEntry(plan_id=plan_id, fact=fact, box=box, due_at=due_after(box, when), last_question=question)
            )
    return entries


def write_entries(entries):
    ReviewEntry.objects.bulk_create(
        entries, update_conflicts=True, unique_fields=["plan", "fact"], update_fields=["box", "due_at", "last_question"]
    )


def schedule_answer(plan_id, question, correct):
    """Move the facts of an answer just recorded on their plan: one read, at most one write."""
    boxes = dict(ReviewEntry.objects.filter(plan_id=plan_id, fact__in=fact_keys(question)).values_list("fact", "box"))
    if entries := entries_after(plan_id, question, correct, boxes, timezone.now()):
        write_entries(entries)


def plan_for(owner_token, quiz):
    """The reader's plan for ``quiz``, marked as used, or None."""
    if not owner_token:
        return None
    plan = ReviewPlan.objects.filter(owner_token=owner_token, quiz=quiz).first()
    if plan is not None:
        touch(plan)
    return plan


def touch(plan):
    plan.last_used_at = timezone.now()
    ReviewPlan.objects.filter(pk=plan.pk).update(last_used_at=plan.last_used_at)


@transaction.atomic
def keep_review(attempt):
    """The plan of the reader who owns ``attempt`` for its quiz, made now if they have none.

    A new plan starts from every answer the reader gave in the quiz, replayed in order through the rules, and
    the reader's attempts from then on move it.
    """
    plan, created = ReviewPlan.objects.get_or_create(owner_token=attempt.owner_token, quiz=attempt.quiz)
    if not created:
        touch(plan)
        return plan
    answers = (
        Answer.objects.filter(attempt__owner_token=plan.owner_token, attempt__quiz=plan.quiz, attempt__by_staff=False)
        .select_related("question")
        .order_by("answered_at", "pk")
    )
    schedule, boxes = {}, {}
    for answer in answers:
        for entry in entries_after(plan.pk, answer.question, answer.correct, boxes, answer.answered_at):
            schedule[entry.fact], boxes[entry.fact] = entry, entry.box
    ReviewEntry.objects.bulk_create(schedule.values())
    Attempt.objects.filter(owner_token=plan.owner_token, quiz=plan.quiz, by_staff=False).update(review_plan=plan)
    return plan


def stop_review(plan):
    """The link stops working: the plan and its schedule are deleted; attempts keep their answers."""
    plan.delete()


@dataclass(frozen=True)
class ReviewItem:
    fact: str
    box: int
    due_at: object
    label: str  # the part of the explainer to re-read, in words
    url: str  # where it is, or "" when the explainer no longer has it

    @property
    def days_in_box(self):
        return DAYS_IN_BOX.get(self.box)


@dataclass(frozen=True)
class Schedule:
    due: list
    later: list
    retired: list

    @property
    def next_due_at(self):
        """When the next fact not yet due falls due."""
        return min((item.due_at for item in self.later), default=None)


def schedule_of(plan, now=None):
    """The plan's facts as a reader sees them: due now, due later (by date) and retired."""
    now = now or timezone.now()
    entries = list(plan.entries.all())
    targets = fact_targets([entry.fact for entry in entries])
    items = [ReviewItem(entry.fact, entry.box, entry.due_at, *targets[entry.fact]) for entry in entries]
    return Schedule(
        due=[item for item in items if item.due_at is not None and item.due_at <= now],
        later=[item for item in items if item.due_at is not None and item.due_at > now],
        retired=[item for item in items if item.due_at is None],
    )


def fact_targets(facts):
    """{fact: (label, url)}: what to re-read for each fact, one query per kind of target among them."""
    wanted = {}
    for fact in facts:
        kind_name, _, name = fact.partition(":")
        wanted.setdefault(kind_name, set()).add(name)
    found = {}
    for kind_name, names in wanted.items():
        if kind_name == QUESTION_FACT:
            ids = [int(name) for name in names if name.isdigit()]
            for question in Question.objects.with_learn_more().filter(pk__in=ids):
                found[f"{QUESTION_FACT}:{question.pk}"] = described(question.learn_more, f"“{question.prompt}”")
        elif kind_name in KIND_NAMED:
            kind = KIND_NAMED[kind_name]
            for target in kind.targets().filter(slug__in=names):
                found[f"{kind_name}:{target.slug}"] = described(target)
    return {fact: found.get(fact, ("A part of the explainer that has since been removed", "")) for fact in facts}


def described(target, fallback="A question whose part of the explainer has since been removed"):
    if target is None:
        return fallback, ""
    kind = KIND_FOR_MODEL[type(target)]
    return f"{kind.label.capitalize()}: {target_label(target)}", kind.url(target)


def questions_for_due(plan, bank, now=None, rng=None):
    """One question of ``bank`` per fact due now, preferring one other than the question last asked for it.

    A question already picked that tests a fact covers it too; a fact no question of the bank tests is left out.
    """
    now = now or timezone.now()
    rng = rng or secrets.SystemRandom()
    picked = []
    for entry in plan.entries.filter(due_at__lte=now):
        if any(entry.fact in fact_keys(question) for question in picked):
            continue
        testing = [question for question in bank if entry.fact in fact_keys(question)]
        fresh = [question for question in testing if question.pk != entry.last_question_id]
        if fresh or testing:
            picked.append(rng.choice(fresh or testing))
    return picked


@dataclass(frozen=True)
class Upcoming:
    due_now: bool  # something is due today
    next_due_at: object  # when the next fact not yet due falls due; None if none is waiting


def upcoming(plan, now=None):
    """Whether anything is due now, and the date a reminder is for: in one query."""
    now = now or timezone.now()
    dates = plan.entries.filter(due_at__isnull=False).aggregate(
        first=Min("due_at"), next=Min("due_at", filter=Q(due_at__gt=now))
    )
    return Upcoming(due_now=dates["first"] is not None and dates["first"] <= now, next_due_at=dates["next"])
