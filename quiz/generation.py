"""Questions built from the content: one per published example and one per comparison value.

A comparison row that lists the examples has no values of its own: the example questions already ask about them.

This module says what the bank should hold; ``quiz.services.sync_generated_questions``
writes it and only what differs: after a content change, for the questions built
from the changed item (receivers in ``quiz/signals.py``), and for all of them at
the end of ``load_content``.
"""

from dataclasses import dataclass

from content.models import ComparisonDimension, ComparisonValue, Example

from .learn_more import KIND_NAMED, pointing_at
from .models import Question


@dataclass
class GeneratedQuestion:
    key: str
    prompt: str
    topic: str
    explanation: str
    choices: list  # dicts of Choice fields, in order, as ``choice_specs`` gives them
    learn_more: dict  # every learn-more column, as ``learn_more.pointing_at`` gives them


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

    def questions(self, queryset):
        """The generated questions built from these sources, by their ``generated_key``."""
        if self.everything:
            return queryset.exclude(generated_key="")
        keys = [example_key(pk) for pk in self.example_ids] + [value_key(pk) for pk in self.value_ids]
        return queryset.filter(generated_key__in=keys)


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
    model_ids = [model.pk for model in models]
    examples = Example.objects.published().filter(outsourcing_model__in=model_ids).select_related("outsourcing_model")
    values = ComparisonValue.objects.filter(
        dimension__published=True, dimension__lists_examples=False, outsourcing_model__in=model_ids
    )
    values = values.select_related("dimension", "outsourcing_model")
    questions = [example_question(example, models) for example in sources.examples(examples)]
    questions += [value_question(value, models) for value in sources.values(values)]
    return {question.key: question for question in questions}


def example_question(example, models):
    """Explained with the example's reason, or its summary (which says why too) while it has none."""
    model = example.outsourcing_model
    prompt = f"Which model does “{example.title}” belong to?"
    explanation = f"**{example.title} is {model.abbreviation} work.** {example.reason.strip() or example.summary}"
    learn_more = pointing_at(KIND_NAMED["example"], example.pk)
    choices = choice_specs(models, model.pk, example.misconception)
    return GeneratedQuestion(example_key(example.pk), prompt, Question.Topic.EXAMPLES, explanation, choices, learn_more)


def value_question(value, models):
    """Explained with the value's reason; while it has none, the dimension's explanation or the model's summary."""
    model = value.outsourcing_model
    dimension = value.dimension
    prompt = f"Which model is described by: “{value.text}”?"
    reason = value.reason.strip() or dimension.explanation.strip() or model.summary
    explanation = f"**On {dimension.title.lower()}, this describes {model.abbreviation}.** {reason}"
    learn_more = pointing_at(KIND_NAMED["dimension"], value.dimension_id)
    choices = choice_specs(models, model.pk, value.misconception)
    return GeneratedQuestion(value_key(value.pk), prompt, Question.Topic.DIFFERENCES, explanation, choices, learn_more)


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
