"""Questions built from the content: one per published example and one per comparison value, and two sort
questions whose rows are the published examples and the comparison values (an attempt places a few of them).

A comparison row that lists the examples has no values of its own: the example questions already ask about them.

This module says what the bank should hold; ``quiz.services.sync_generated_questions``
writes it and only what differs: after a content change, for the questions built
from the changed item (receivers in ``quiz/signals.py``), and for all of them at
the end of ``load_content``.
"""

from dataclasses import dataclass

from content.models import ComparisonDimension, ComparisonValue, Example

from .learn_more import KIND_NAMED, pointing_at
from .models import FEEDBACK_LENGTH, Question


@dataclass
class GeneratedQuestion:
    key: str
    prompt: str
    topic: str
    explanation: str
    choices: list  # dicts of Choice fields, in order, as ``choice_specs`` gives them
    learn_more: dict  # every learn-more column, as ``learn_more.pointing_at`` gives them
    facts: list


@dataclass
class SortPool:
    """A generated sort question: what it asks, and the rows it draws from, as Choice fields by row key."""

    key: str
    prompt: str
    topic: str
    explanation: str
    learn_more: dict
    rows: dict  # {row key: Choice fields}; only the rows of the sources a sync looks at


EXAMPLES_POOL, VALUES_POOL = "sort:examples", "sort:values"


@dataclass(frozen=True)
class Sources:
    """The content a sync brings questions in line with: some examples and comparison values, or all of it.

    Each method narrows a queryset of its kind to these sources.
    """

    example_ids: frozenset = frozenset()
    value_ids: frozenset = frozenset()
    everything: bool = False

    def examples(self, queryset):
        return queryset if self.everything else queryset.filter(pk__in=self.example_ids)

    def values(self, queryset):
        return queryset if self.everything else queryset.filter(pk__in=self.value_ids)

    @property
    def keys(self):
        return [example_key(pk) for pk in self.example_ids] + [value_key(pk) for pk in self.value_ids]

    def questions(self, queryset):
        """The generated questions built from these sources (sort pools aside), by their ``generated_key``."""
        if self.everything:
            return queryset.exclude(generated_key="").exclude(kind=Question.Kind.SORT)
        return queryset.filter(generated_key__in=self.keys)

    def rows(self, queryset):
        """The rows of a generated sort question built from these sources, by their ``generated_key``."""
        return queryset if self.everything else queryset.filter(generated_key__in=self.keys)


ALL_CONTENT = Sources(everything=True)


def sources_of(item):
    """What to sync when ``item`` changes. Every generated question offers every published model as a choice."""
    if isinstance(item, Example):
        return Sources(example_ids=frozenset([item.pk]))
    if isinstance(item, ComparisonValue):
        return Sources(value_ids=frozenset([item.pk]))
    if isinstance(item, ComparisonDimension):
        return Sources(value_ids=frozenset(item.values.values_list("pk", flat=True)))
    return ALL_CONTENT


def example_key(pk):
    return f"example:{pk}"


def value_key(pk):
    return f"value:{pk}"


def wanted_questions(sources, models):
    """What the bank should hold of the questions built from ``sources``: {key: GeneratedQuestion}.

    ``models`` are the published models, every question's choices; with fewer than two there is nothing to ask.
    """
    if len(models) < 2:
        return {}
    examples, values = sources.examples(published_examples(models)), sources.values(published_values(models))
    questions = [example_question(example, models) for example in examples]
    titles = example_titles(models) if values else {}
    questions += [value_question(value, titles, models) for value in values]
    return {question.key: question for question in questions}


def published_examples(models):
    examples = Example.objects.published().filter(outsourcing_model__in=[model.pk for model in models])
    return examples.select_related("outsourcing_model")


def published_values(models):
    values = ComparisonValue.objects.filter(
        dimension__published=True, dimension__lists_examples=False, outsourcing_model__in=[m.pk for m in models]
    )
    return values.select_related("dimension", "outsourcing_model")


def example_titles(models):
    """{(model id, lowercased title): slug} of the published examples, to find the examples a value names."""
    examples = Example.objects.published().filter(outsourcing_model__in=[model.pk for model in models])
    return {
        (model_id, title.lower()): slug
        for model_id, title, slug in examples.values_list("outsourcing_model", "title", "slug")
    }


def example_facts(example):
    return [f"example:{example.slug}"]


def value_facts(value, titles):
    """A value tests its dimension, and the examples it names (the “Examples” row names some of them)."""
    text = value.text.lower()
    named = sorted(
        slug for (model_id, title), slug in titles.items() if model_id == value.outsourcing_model_id and title in text
    )
    return [f"dimension:{value.dimension.slug}"] + [f"example:{slug}" for slug in named]


def example_question(example, models):
    """Explained with the example's reason, or its summary (which says why too) while it has none."""
    model = example.outsourcing_model
    prompt = f"Which model does “{example.title}” belong to?"
    explanation = f"**{example.title} is {model.abbreviation} work.** {example.reason.strip() or example.summary}"
    learn_more = pointing_at(KIND_NAMED["example"], example.pk)
    choices = choice_specs(models, model.pk, example.misconception)
    return GeneratedQuestion(
        example_key(example.pk),
        prompt,
        Question.Topic.EXAMPLES,
        explanation,
        choices,
        learn_more,
        example_facts(example),
    )


def value_question(value, titles, models):
    """Explained with the value's reason; while it has none, the dimension's explanation or the model's summary."""
    model = value.outsourcing_model
    dimension = value.dimension
    prompt = f"Which model is described by: “{value.text}”?"
    reason = value.reason.strip() or dimension.explanation.strip() or model.summary
    explanation = f"**On {dimension.title.lower()}, this describes {model.abbreviation}.** {reason}"
    learn_more = pointing_at(KIND_NAMED["dimension"], value.dimension_id)
    choices = choice_specs(models, model.pk, value.misconception)
    return GeneratedQuestion(
        value_key(value.pk),
        prompt,
        Question.Topic.DIFFERENCES,
        explanation,
        choices,
        learn_more,
        value_facts(value, titles),
    )


def wanted_pools(sources, models):
    """The two sort pools, each with the rows built from ``sources``; none with fewer than two models."""
    if len(models) < 2:
        return []
    examples, values = sources.examples(published_examples(models)), sources.values(published_values(models))
    titles = example_titles(models) if values else {}
    return [
        SortPool(
            EXAMPLES_POOL,
            "Place each example under the model it belongs to.",
            Question.Topic.EXAMPLES,
            "Routine work done by set procedures and rules is BPO; work that needs specialist knowledge, analysis "
            "and judgment is KPO. The note under each item you placed wrongly says why it belongs where it does.",
            pointing_at(KIND_NAMED["model"], models[0].pk),
            {example_key(example.pk): example_row(example) for example in examples},
        ),
        SortPool(
            VALUES_POOL,
            "Place each description under the model it describes.",
            Question.Topic.DIFFERENCES,
            "Each row of the comparison describes one model: the routine, lower-skilled, procedure-bound end is "
            "BPO; the knowledge-intensive, expert, judgment-led end is KPO.",
            pointing_at(KIND_NAMED["dimension"], first_dimension_id(models)),
            {value_key(value.pk): value_row(value, titles) for value in values},
        ),
    ]


def first_dimension_id(models):
    value = published_values(models).order_by("dimension__position", "dimension__pk").first()
    return value.dimension_id if value else None


def example_row(example):
    return {
        "text": example.title,
        "placed_under_id": example.outsourcing_model_id,
        "facts": example_facts(example),
        "feedback": plain_feedback(example.reason.strip() or example.summary),
    }


def value_row(value, titles):
    return {
        "text": value.text,
        "placed_under_id": value.outsourcing_model_id,
        "facts": value_facts(value, titles),
        "feedback": plain_feedback(
            value.reason.strip()
            or f"On {value.dimension.title.lower()}, this describes {value.outsourcing_model.abbreviation}. "
            f"{value.dimension.explanation}"
        ),
    }


def plain_feedback(text):
    text = " ".join(text.replace("**", "").split())
    return text if len(text) <= FEEDBACK_LENGTH else text[: FEEDBACK_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def choice_specs(models, correct_model_id, misconception):
    """One choice per model; each wrong one carries the item's misconception, or what that model covers."""
    return [
        {
            "text": f"{model.abbreviation} ({model.name})",
            "correct": model.pk == correct_model_id,
            "feedback": "" if model.pk == correct_model_id else wrong_choice_feedback(model, misconception),
            "generated_for_id": model.pk,
        }
        for model in models
    ]


def wrong_choice_feedback(model, misconception):
    return (
        misconception.strip() or f"{model.abbreviation} is a different kind of work: {lowercase_first(model.summary)}"
    )


def lowercase_first(text):
    return text[:1].lower() + text[1:]
