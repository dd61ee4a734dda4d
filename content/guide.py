"""The “Which fits my work?” guide: one question per comparison row, a verdict from the answers, and the
examples whose text shares words with the reader's description of their task.

Everything here works on what the selectors have read already, so the guide runs no query of its own.
"""

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

DESCRIPTION_MAX_LENGTH = 300
SUGGESTIONS = 3
# A word of the description matches a longer word it begins (“invoice” matches “invoices”) from this length on.
PREFIX_MATCH_LENGTH = 4
WORD = re.compile(r"\w+")
# fmt: off
STOP_WORDS = frozenset({
    "about", "after", "all", "also", "and", "any", "are", "been", "but", "can", "could", "does", "doing", "done",
    "each", "for", "from", "had", "has", "have", "how", "into", "its", "just", "like", "lot", "lots", "more",
    "most", "much", "not", "off", "one", "our", "out", "own", "per", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "use", "used", "uses", "using",
    "very", "was", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
    "you", "your",
})
# fmt: on


@dataclass(frozen=True)
class Option:
    """One answer to a question: a model's value along the question's dimension."""

    model: object
    value: object

    @property
    def text(self):
        return self.value.answer_text


@dataclass(frozen=True)
class Question:
    dimension: object
    options: tuple

    @property
    def name(self):
        """The question's parameter in the guide's address."""
        return self.dimension.slug

    @property
    def text(self):
        return self.dimension.guide_question

    def option_for(self, model_slug):
        return next(option for option in self.options if option.model.slug == model_slug)


def questions_from(rows):
    """A question for each comparison row (``selectors.comparison_rows``) that has a guide question and values
    for two models or more: so a new row with a question adds a question, and a row without one (“Examples”)
    is not asked."""
    questions = []
    for row in rows:
        options = tuple(Option(model, value) for model, value in row.cells if value)
        if row.dimension.asked_in_guide and len(options) >= 2:
            questions.append(Question(row.dimension, options))
    return questions


def canonical_query(answers):
    """The one query string for a set of answers: the questions in their order, nothing else."""
    return urlencode([(answer.question.name, answer.option.model.slug) for answer in answers])


@dataclass(frozen=True)
class Answer:
    question: Question
    option: Option

    @property
    def model(self):
        return self.option.model


@dataclass(frozen=True)
class Verdict:
    """Where a complete set of answers points: the models in comparison order, with how many answers chose each."""

    CLEAR, LEANS, MIXED = "clear", "leans", "mixed"

    answers: tuple
    models: tuple

    @property
    def counts(self):
        """(model, answers pointing to it) for every model that got at least one, in comparison order."""
        tally = [(model, sum(answer.model == model for answer in self.answers)) for model in self.models]
        return [(model, count) for model, count in tally if count]

    @property
    def leading(self):
        """The models with the most answers: one, or several when the answers are split evenly."""
        most = max(count for model, count in self.counts)
        return [model for model, count in self.counts if count == most]

    @property
    def model(self):
        """The model the answers point to, or None when they are split evenly between two or more."""
        leading = self.leading
        return leading[0] if len(leading) == 1 else None

    @property
    def kind(self):
        if len(self.counts) == 1:
            return self.CLEAR
        return self.LEANS if self.model else self.MIXED


def normalized_words(text):
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def significant_words(text):
    """The words of ``text`` that can say what a task is, each once, in order: no short, stop or number words."""
    words = {}
    for word in normalized_words(text):
        if len(word) > 2 and word not in STOP_WORDS and not word.isdigit():
            words.setdefault(word)
    return list(words)


class Words:
    """A text's words, ready for matching."""

    def __init__(self, words):
        self.set = set(words)
        self.sorted = sorted(self.set)

    def has(self, term):
        """Whether ``term`` is one of the words, begins one of them, or one of them begins it (“invoice” and
        “invoices”), for words long enough that a shared beginning means a shared meaning."""
        if term in self.set:
            return True
        if len(term) < PREFIX_MATCH_LENGTH:
            return False
        if any(term[:length] in self.set for length in range(PREFIX_MATCH_LENGTH, len(term))):
            return True
        place = bisect.bisect_left(self.sorted, term)
        return place < len(self.sorted) and self.sorted[place].startswith(term)


class ExampleText:
    def __init__(self, example):
        self.example = example
        title = normalized_words(example.title)
        self.title = Words(title)
        self.all = Words([*title, *normalized_words(example.summary)])


@dataclass(frozen=True)
class Suggestion:
    example: object
    shared_words: tuple


def suggested_examples(description, examples, limit=SUGGESTIONS):
    """The ``limit`` examples whose title and summary share the most telling words with ``description``.

    A word that few examples share counts for more than one most of them have (inverse document frequency),
    and a word of the title counts twice. Ties keep the examples' own order, so the same description always
    gives the same suggestions. Examples sharing no word are never suggested.
    """
    terms = significant_words(description)
    texts = [ExampleText(example) for example in examples]
    if not terms or not texts:
        return []
    matches = [[term for term in terms if text.all.has(term)] for text in texts]
    shared_by = {term: sum(term in matched for matched in matches) for term in terms}
    scored = []
    for place, (text, matched) in enumerate(zip(texts, matches, strict=True)):
        if not matched:
            continue
        score = sum(
            math.log((len(texts) + 1) / shared_by[term]) * (2 if text.title.has(term) else 1) for term in matched
        )
        scored.append((-score, place, Suggestion(text.example, tuple(matched))))
    scored.sort(key=lambda entry: entry[:2])
    return [suggestion for _, _, suggestion in scored[:limit]]
