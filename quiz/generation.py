"""Questions built from the content: one per published example and one per comparison value.

``sync_generated_questions`` brings every quiz that takes generated questions in
line with the content. It runs after any content change (signals in apps.py)
and at the end of ``load_content``, and only writes what differs.
"""

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from content.models import ComparisonValue, Example, OutsourcingModel

from .models import Question, Quiz


@dataclass
class GeneratedQuestion:
    key: str
    prompt: str
    topic: str
    explanation: str
    correct_model_id: int
    learn_more: dict = field(default_factory=dict)


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
            learn_more={"learn_more_example_id": example.pk},
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
            learn_more={"learn_more_dimension_id": value.dimension_id},
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


def answer_key(question):
    return [(choice.generated_for_id, choice.correct) for choice in question.choices.all()]


def wanted_answer_key(specs):
    return [(spec["generated_for_id"], spec["correct"]) for spec in specs]


@transaction.atomic
def sync_generated_questions():
    """Create, update and retire generated questions; returns how many of each outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "retired": 0, "deleted": 0}
    quizzes = list(Quiz.objects.filter(generated_questions=True))
    if not quizzes:
        return counts
    wanted, models = wanted_questions()
    for quiz in quizzes:
        current = (
            quiz.questions.filter(active=True)
            .exclude(generated_key="")
            .annotate(answer_count=Count("answers"))
            .prefetch_related("choices")
        )
        seen = set()
        for question in current:
            spec = wanted.get(question.generated_key)
            seen.add(question.generated_key)
            if spec is None:
                counts[retire(question)] += 1
                continue
            specs = choice_specs(models, spec.correct_model_id)
            if answer_key(question) != wanted_answer_key(specs) and question.answer_count:
                counts[retire(question)] += 1
                create(quiz, spec, specs)
                counts["created"] += 1
            else:
                counts["updated" if update(question, spec, specs) else "unchanged"] += 1
        for key, spec in wanted.items():
            if key not in seen:
                create(quiz, spec, choice_specs(models, spec.correct_model_id))
                counts["created"] += 1
    return counts


def retire(question):
    """A question with answers stays, inactive, so the answers keep their meaning; one without goes."""
    if question.answer_count:
        question.active = False
        question.save(update_fields=["active", "updated_at"])
        return "retired"
    question.delete()
    return "deleted"


def create(quiz, spec, specs):
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
    question.set_choices(specs)
    return question


def update(question, spec, specs):
    fields = {"prompt": spec.prompt, "topic": spec.topic, "explanation": spec.explanation, **spec.learn_more}
    for name in Question.LEARN_MORE_FIELDS:
        fields.setdefault(f"{name}_id", None)
    changed = [name for name, value in fields.items() if getattr(question, name) != value]
    for name in changed:
        setattr(question, name, fields[name])
    if changed:
        question.save()
    texts_changed = [choice.text for choice in question.choices.all()] != [spec["text"] for spec in specs]
    if texts_changed or answer_key(question) != wanted_answer_key(specs):
        question.set_choices(specs)
        changed.append("choices")
    return bool(changed)
