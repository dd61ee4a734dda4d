"""Questions built from the content: one per published example and one per comparison value.

This module says what the bank should hold; ``quiz.services.sync_generated_questions``
writes it, after any content change (signals in apps.py) and at the end of
``load_content``, and only writes what differs.
"""

from dataclasses import dataclass

from content.models import ComparisonValue, Example, OutsourcingModel

from .learn_more import KIND_NAMED, pointing_at
from .models import Question


@dataclass
class GeneratedQuestion:
    key: str
    prompt: str
    topic: str
    explanation: str
    correct_model_id: int
    learn_more: dict  # every learn-more column, as ``learn_more.pointing_at`` gives them


def wanted_questions():
    """What the bank should hold now: {key: GeneratedQuestion}, and the published models as choices."""
    models = list(OutsourcingModel.objects.published())
    if len(models) < 2:
        return {}, models
    model_ids = {model.pk for model in models}
    wanted = {}
    examples = Example.objects.published().filter(outsourcing_model__in=model_ids).select_related("outsourcing_model")
    for example in examples:
        abbreviation = example.outsourcing_model.abbreviation
        wanted[f"example:{example.pk}"] = GeneratedQuestion(
            key=f"example:{example.pk}",
            prompt=f"Which model does “{example.title}” belong to?",
            topic=Question.Topic.EXAMPLES,
            explanation=f"**{example.title}** is an example of {abbreviation}.\n\n{example.summary}",
            correct_model_id=example.outsourcing_model_id,
            learn_more=pointing_at(KIND_NAMED["example"], example.pk),
        )
    values = ComparisonValue.objects.filter(dimension__published=True, outsourcing_model__in=model_ids).select_related(
        "dimension", "outsourcing_model"
    )
    for value in values:
        model = value.outsourcing_model
        wanted[f"value:{value.pk}"] = GeneratedQuestion(
            key=f"value:{value.pk}",
            prompt=f"Which model is described by: “{value.text}”?",
            topic=Question.Topic.DIFFERENCES,
            explanation=f"On **{value.dimension.title.lower()}**, “{value.text}” describes {model.abbreviation} "
            f"({model.name}).",
            correct_model_id=model.pk,
            learn_more=pointing_at(KIND_NAMED["dimension"], value.dimension_id),
        )
    return wanted, models


def choice_specs(models, correct_model_id):
    return [
        {
            "text": f"{model.abbreviation} ({model.name})",
            "correct": model.pk == correct_model_id,
            "generated_for_id": model.pk,
        }
        for model in models
    ]
