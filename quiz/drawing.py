"""The draw of an attempt's questions: random, within the quiz's blueprint.

The rules: so many questions of each topic as the blueprint says; never two questions, or two sort rows,
that test the same fact; at most the quiz's cap of two-option questions. A sort question built from the
content holds a pool of items, of which each attempt places 4 to 6 from at least two models.
A quiz without a blueprint asks its whole bank. The draw takes a ``random.Random`` (seeded in tests and in
the guessing bound, ``secrets.SystemRandom`` for readers) and touches no database beyond the choices
prefetched with the bank.
"""

from collections import Counter
from dataclasses import dataclass

from .models import Question

SORT_ROWS = (4, 6)  # how many rows a sort question built from the content places, at least and at most
TRIES = 200


class CannotDraw(Exception):
    """No attempt can follow the blueprint with this bank; ``topic`` is the one most often left short."""

    def __init__(self, topic):
        self.topic = topic
        super().__init__(f"Too few questions on {topic} that test different facts.")


@dataclass
class Drawn:
    question: Question
    choice_ids: list  # in the order the attempt shows them; a sort question's rows


@dataclass(frozen=True)
class Candidate:
    """What the draw needs to know of a question of the bank, read once from it and its prefetched choices."""

    question: Question
    facts: frozenset
    has_two_options: bool
    choices: tuple  # (choice id, model it belongs under, facts) in the question's order
    pooled: bool  # a sort question built from the content: each attempt places some of its rows

    @property
    def topic(self):
        return self.question.topic


def candidates(bank):
    """A Candidate for each question of ``bank`` (questions with their choices prefetched)."""
    return [
        Candidate(
            question,
            frozenset(question.facts),
            question.has_two_options,
            tuple((choice.pk, choice.placed_under_id, frozenset(choice.facts)) for choice in question.choices.all()),
            question.is_sort and question.is_generated,
        )
        for question in bank
    ]


def draw_attempt(bank, blueprint, two_option_cap, rng, shuffle_choices=True, preference=None):
    """The questions of one attempt, in order, each with its choices; raises CannotDraw when the rules can't hold.

    ``bank``: the Candidates to draw from. Without ``shuffle_choices`` each question's choices keep their order,
    for callers that only count them. ``preference``: a sort key of Candidates, lower first (practice.History's):
    the first half of the tries take the bank in that order, random within each key; the rest, should the
    preferred order keep leaving a topic short, in a purely random one.
    """
    if not blueprint:
        picks = [Drawn(c.question, shown_choices(c, frozenset(), rng, shuffle_choices)) for c in bank]
        rng.shuffle(picks)
        return picks
    short = Counter()
    for number in range(TRIES):
        preferring = preference if number < TRIES // 2 else None
        picks, missing = try_draw(bank, blueprint, two_option_cap, rng, shuffle_choices, preferring)
        if not missing:
            rng.shuffle(picks)
            return picks
        short.update(missing)
    raise CannotDraw(short.most_common(1)[0][0])


def try_draw(bank, blueprint, two_option_cap, rng, shuffle_choices=True, preference=None):
    """One pass over the bank in random order, taking each question that fits; returns (picks, topics left short).

    With a ``preference`` (a sort key of Candidates) the pass takes the bank in its order, random within each key.

    A sort question built from the content keeps its place when met, and draws its rows at the end of the pass,
    from the facts the other questions left: its many rows would otherwise crowd out the questions after it.
    """
    needed = dict(blueprint)
    still_needed = sum(needed.values())
    used_facts = set()
    two_options = 0
    picks, pooled = [], []
    order = list(bank)
    rng.shuffle(order)
    if preference is not None:
        order.sort(key=preference)
    for candidate in order:
        if not still_needed:
            break
        if not needed.get(candidate.topic) or candidate.facts & used_facts:
            continue
        if candidate.has_two_options and two_options >= two_option_cap:
            continue
        if candidate.pooled:
            pooled.append(candidate)
        else:
            choice_ids = shown_choices(candidate, used_facts, rng, shuffle_choices)
            if not choice_ids:
                continue
            take(candidate, choice_ids, used_facts)
            picks.append(Drawn(candidate.question, choice_ids))
        needed[candidate.topic] -= 1
        still_needed -= 1
        two_options += candidate.has_two_options
    for candidate in pooled:
        choice_ids = shown_choices(candidate, used_facts, rng)
        if not choice_ids:
            needed[candidate.topic] += 1
            continue
        take(candidate, choice_ids, used_facts)
        picks.append(Drawn(candidate.question, choice_ids))
    return picks, [topic for topic, count in needed.items() if count]


def take(candidate, choice_ids, used_facts):
    """Mark the facts of ``candidate`` and of the rows it shows as asked."""
    shown = set(choice_ids)
    used_facts.update(candidate.facts)
    used_facts.update(fact for pk, _model, facts in candidate.choices if pk in shown for fact in facts)


def shown_choices(candidate, used_facts, rng, shuffle_choices=True):
    """The choices (or sort rows) an attempt shows, in its order; [] when none can be shown without a repeated fact.

    Choices are shuffled, except true/false, which readers expect as “True”, “False”. A hand-written sort
    question places all its items. One built from the content places 4 to 6 of its pool, from at least two
    models, none testing a fact another question of the attempt tests (two rows may test one fact together:
    the two ends of one comparison row, say).
    """
    if not candidate.pooled:
        if any(facts & used_facts for _pk, _model, facts in candidate.choices):
            return []
        choice_ids = [pk for pk, _model, _facts in candidate.choices]
        if shuffle_choices and candidate.question.kind != Question.Kind.TRUE_FALSE:
            rng.shuffle(choice_ids)
        return choice_ids
    free = [row for row in candidate.choices if not row[2] & used_facts]
    rows = rng.sample(free, min(len(free), rng.randint(*SORT_ROWS)))
    if len(rows) < SORT_ROWS[0] or len({model for _pk, model, _facts in rows}) < 2:
        return []
    return [pk for pk, _model, _facts in rows]
