"""What a reader practises and what a new attempt prefers: the rules of practice in one place.

Pure functions over plain values and drawing.Candidates, with a ``random.Random`` passed in; the services
and selectors read the database once and hand these functions what they need.

- An answer needs practice when it missed full marks or was given with low certainty.
- A topic is weak when its score, as the results page's topic chart shows it (at least
  ``ANSWERS_TO_SCORE_A_TOPIC`` answers), is below the quiz's pass mark.
- A practice attempt asks the questions needing practice, plus for each one companion from the bank: one
  testing the same fact, else one of the same topic, a weak topic's first.
- A new attempt prefers the questions the reader has not been asked, then the ones they last got wrong, then
  the rest; a weak topic's before another's of the same tier.
"""

from dataclasses import dataclass, field

from . import certainty as cbm

# A topic's score needs this many answers: one answer tells too little about a reader's grasp of a topic.
ANSWERS_TO_SCORE_A_TOPIC = 2

UNSEEN, MISSED, SEEN = 0, 1, 2  # what a new attempt prefers, first to last


def needs_practice(correct, certainty):
    """Whether an answer (full marks or not, and how sure the reader was) is worth practising."""
    return not correct or certainty == cbm.LOW


def topic_totals(marks_by_topic):
    """{topic: (marks, answered)} from (topic, mark) pairs."""
    totals = {}
    for topic, mark in marks_by_topic:
        marks, answered = totals.get(topic, (0, 0))
        totals[topic] = (marks + mark, answered + 1)
    return totals


def scored_topics(marks_by_topic):
    """{topic: (marks, answered)} for the topics answered often enough to score."""
    return {
        topic: (marks, answered)
        for topic, (marks, answered) in topic_totals(marks_by_topic).items()
        if answered >= ANSWERS_TO_SCORE_A_TOPIC
    }


def weak_topics(marks_by_topic, pass_mark):
    """The topics scored below ``pass_mark`` (a percentage), weakest first (ties in the order first answered)."""
    scored = scored_topics(marks_by_topic)
    weak = [topic for topic, (marks, answered) in scored.items() if 100 * marks < pass_mark * answered]
    return sorted(weak, key=lambda topic: scored[topic][0] / scored[topic][1])


def companions(practised, bank, weak, rng):
    """One companion from ``bank`` for each of the ``practised`` Candidates, when the bank has one.

    A companion tests a fact its question tests, else shares its topic; among those, a weak topic's comes first,
    then any at random. No question is asked twice.
    """
    taken = {candidate.question.pk for candidate in practised}
    found = []
    for candidate in practised:
        others = [other for other in bank if other.question.pk not in taken]
        rng.shuffle(others)
        ranked = [(companion_rank(candidate, other, weak), other) for other in others]
        ranked = [(rank, other) for rank, other in ranked if rank is not None]
        if ranked:
            _rank, companion = min(ranked, key=lambda pair: pair[0])
            taken.add(companion.question.pk)
            found.append(companion)
    return found


def companion_rank(candidate, other, weak):
    """How well ``other`` fits as ``candidate``'s companion, lower first; None when it does not fit."""
    if other.facts & candidate.facts:
        relation = 0
    elif other.topic == candidate.topic:
        relation = 1
    else:
        return None
    return relation, other.topic not in weak


@dataclass
class History:
    """What a reader has done with a quiz, as a new attempt's draw needs it."""

    seen: set = field(default_factory=set)  # question ids the reader has answered
    missed: set = field(default_factory=set)  # of those, the ones whose latest answer missed full marks
    weak: list = field(default_factory=list)  # the weak topics of their last finished attempt, weakest first

    def preference(self, candidate):
        """A sort key for the draw: unseen, then missed, then seen; a weak topic's first within each."""
        pk = candidate.question.pk
        tier = UNSEEN if pk not in self.seen else MISSED if pk in self.missed else SEEN
        return tier, candidate.topic not in self.weak


def history(answers, pass_mark):
    """The History told by one reader's ``answers`` in the order given: (question id, topic, mark, correct,
    attempt id, when the attempt finished or None, whether it is practice) tuples. Weak topics come from the last
    finished attempt that is not practice: practice asks mostly what was missed, so says little of a topic."""
    latest_correct = {}
    for question_id, _topic, _mark, correct, *_attempt in answers:
        latest_correct[question_id] = correct
    finished = {(done, attempt) for *_answer, attempt, done, is_practice in answers if done and not is_practice}
    weak = []
    if finished:
        _done, last = max(finished)
        marks = [(topic, mark) for _pk, topic, mark, _correct, attempt, *_rest in answers if attempt == last]
        weak = weak_topics(marks, pass_mark)
    return History(
        seen=set(latest_correct),
        missed={pk for pk, correct in latest_correct.items() if not correct},
        weak=weak,
    )
