"""Rows for tests, with only what a test cares about spelled out: everything else gets a sensible value.

``SomeFactory(...)`` saves a row (signals run, as on an editor's save); ``SomeFactory.build(...)`` makes
an unsaved one, for ``bulk_create``.
"""

import factory
from django.utils.text import slugify

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from outsourcing_site.page_cache import mark_content_changed
from quiz.models import Choice, Question, Quiz


class OutsourcingModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutsourcingModel

    abbreviation = factory.Sequence(lambda n: f"M{n}PO")
    name = factory.LazyAttribute(lambda model: f"Model {model.abbreviation} Outsourcing")
    slug = factory.LazyAttribute(lambda model: slugify(model.abbreviation))
    summary = "Work handed to a provider."
    definition = "What this kind of outsourcing covers."
    position = factory.Sequence(lambda n: 100 + n)


class ExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Example

    outsourcing_model = factory.SubFactory(OutsourcingModelFactory)
    title = factory.Sequence(lambda n: f"Example work {n}")
    slug = factory.LazyAttribute(lambda example: slugify(example.title))
    summary = "Work that shows what the model covers."
    position = factory.Sequence(lambda n: 100 + n)


class ComparisonDimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparisonDimension

    title = factory.Sequence(lambda n: f"Dimension {n}")
    slug = factory.LazyAttribute(lambda dimension: slugify(dimension.title))
    position = factory.Sequence(lambda n: 100 + n)


class ComparisonValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparisonValue

    dimension = factory.SubFactory(ComparisonDimensionFactory)
    outsourcing_model = factory.SubFactory(OutsourcingModelFactory)
    text = factory.LazyAttribute(lambda value: f"Value of {value.dimension.title}")


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Benefit {n}")
    slug = factory.LazyAttribute(lambda benefit: slugify(benefit.title))
    body = "What the benefit means in practice."
    position = factory.Sequence(lambda n: 100 + n)

    @factory.post_generation
    def applies_to(self, create, models, **kwargs):
        if create and models:
            self.applies_to.set(models)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda section: slugify(section.title))
    body = "What the section says."
    position = factory.Sequence(lambda n: 100 + n)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    title = factory.Sequence(lambda n: f"Quiz {n}")
    slug = factory.LazyAttribute(lambda quiz: slugify(quiz.title))
    introduction = "What the quiz checks."


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question; ``choices=[(text, correct), ...]`` gives it its choices in that order."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    quiz = factory.SubFactory(QuizFactory)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    topic = Question.Topic.EXAMPLES
    explanation = "Why the right answer is right."
    learn_more_section = factory.SubFactory(SectionFactory)

    @factory.post_generation
    def choices(self, create, choices, **kwargs):
        if create:
            for position, (text, correct) in enumerate(choices or [("Yes", True), ("No", False)]):
                Choice.objects.create(question=self, text=text, correct=correct, position=position)


def multiply_content(factor):
    """Add (factor - 1) copies of every example and comparison row there is, each named after the one it copies.

    Inserted in bulk, so no signal runs and no generated quiz question follows; tests that want them sync them.
    The content is marked changed at the end, as an edit's signal would, so pages show the copies.
    """
    models = list(OutsourcingModel.objects.all())
    examples = list(Example.objects.select_related("outsourcing_model"))
    shipped_dimensions = list(ComparisonDimension.objects.all())
    copies = range(1, factor)
    Example.objects.bulk_create(
        ExampleFactory.build(
            outsourcing_model=example.outsourcing_model,
            title=f"{example.title} {copy}",
            summary=example.summary,
            position=example.position + copy * 10,
        )
        for copy in copies
        for example in examples
    )
    added_dimensions = ComparisonDimension.objects.bulk_create(
        ComparisonDimensionFactory.build(title=f"{dimension.title} {copy}", position=dimension.position + copy * 10)
        for copy in copies
        for dimension in shipped_dimensions
    )
    ComparisonValue.objects.bulk_create(
        ComparisonValueFactory.build(dimension=dimension, outsourcing_model=model, text=f"Value {dimension.title}")
        for dimension in added_dimensions
        for model in models
    )
    mark_content_changed()
