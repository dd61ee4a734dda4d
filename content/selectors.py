"""Read-side queries for the explainer pages: a fixed number of queries whatever the content size."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section


@dataclass
class ListedExamples:
    """The cell of a row that lists the examples (``ComparisonDimension.lists_examples``): the model's published ones.

    It stands where a ``ComparisonValue`` would, so templates show its ``text`` the same way.
    """

    examples: list

    @property
    def text(self):
        return ", ".join(example.title for example in self.examples)

    def __bool__(self):
        return bool(self.examples)


@dataclass
class ComparisonRow:
    dimension: ComparisonDimension
    cells: list = field(default_factory=list)  # (column model, ComparisonValue or None) per column, in order


def outsourcing_models_for(user):
    examples = Example.objects.visible_to(user).order_by("position", "pk")
    return list(OutsourcingModel.objects.visible_to(user).prefetch_related(Prefetch("examples", queryset=examples)))


def published_examples(outsourcing_model):
    """The model's fetched examples that readers see: a draft shown to staff is not listed in the comparison."""
    return [example for example in outsourcing_model.examples.all() if example.published]


def comparison_rows(user, columns):
    """Rows are dimensions and columns are ``columns`` (outsourcing models, their examples fetched), so a new model
    adds a column."""
    values = ComparisonValue.objects.filter(
        dimension__lists_examples=False, outsourcing_model__in=[column.pk for column in columns]
    )
    dimensions = ComparisonDimension.objects.visible_to(user).prefetch_related(Prefetch("values", queryset=values))
    listed = {column.pk: ListedExamples(published_examples(column)) for column in columns}
    rows = []
    for dimension in dimensions:
        by_model = (
            listed
            if dimension.lists_examples
            else {value.outsourcing_model_id: value for value in dimension.values.all()}
        )
        rows.append(ComparisonRow(dimension, [(column, by_model.get(column.pk)) for column in columns]))
    return rows


def comparison_columns(models, rows):
    """The comparison turned on its side: per model, its (dimension, value) pairs in row order."""
    return [(model, [(row.dimension, row.cells[index][1]) for row in rows]) for index, model in enumerate(models)]


@dataclass
class Benefits:
    """The benefits section: each benefit that applies to every model (``shared``) says so once, for the section."""

    benefits: list
    every_model: list  # the models a shared benefit applies to

    @property
    def shared(self):
        return [benefit for benefit in self.benefits if benefit.applies_to_every_model]

    @property
    def all_shared(self):
        return len(self.shared) == len(self.benefits)


def benefits_for(user, models):
    """The benefits, each marked ``applies_to_every_model`` when it applies to every one of ``models``."""
    applies_to = OutsourcingModel.objects.visible_to(user).only("pk", "slug", "abbreviation", "position")
    benefits = list(Benefit.objects.visible_to(user).prefetch_related(Prefetch("applies_to", queryset=applies_to)))
    every_model = {model.pk for model in models}
    for benefit in benefits:
        applies = {model.pk for model in benefit.applies_to.all()}
        benefit.applies_to_every_model = bool(every_model) and applies >= every_model
    return Benefits(benefits, models)


def sections_for(user):
    """Sections by slug, with hyphens as underscores so templates can name them (``sections.key_differences``)."""
    return {section.slug.replace("-", "_"): section for section in Section.objects.visible_to(user)}


def explainer_for(user):
    models = outsourcing_models_for(user)
    rows = comparison_rows(user, models)
    return {
        "sections": sections_for(user),
        "outsourcing_models": models,
        "comparison_rows": rows,
        "benefits": benefits_for(user, models),
    }


def latest_change(items):
    """The newest ``updated_at`` among the published ``items``, or None."""
    stamps = [item.updated_at for item in items if getattr(item, "published", True)]
    return max(stamps, default=None)


def model_page_last_modified(outsourcing_model, comparison):
    """The newest change to what a model's page shows: the model, its examples and its side of the comparison."""
    items = [outsourcing_model, *outsourcing_model.examples.all()]
    items += [dimension for dimension, value in comparison]
    items += [value for dimension, value in comparison if isinstance(value, ComparisonValue)]
    return latest_change(items)


def explainer_last_modified(explainer):
    """The newest change to anything published that the explainer page (``explainer_for``) shows."""
    items = [*explainer["sections"].values(), *explainer["benefits"].benefits]
    for model in explainer["outsourcing_models"]:
        items += [model, *model.examples.all()]
    for row in explainer["comparison_rows"]:
        items += [row.dimension, *(value for column, value in row.cells if isinstance(value, ComparisonValue))]
    return latest_change(items)


def guide_last_modified(questions, models):
    """The newest change to what the guide uses: its questions' rows and values, and the examples it suggests."""
    items = [item for question in questions for item in (question.dimension, *(o.value for o in question.options))]
    items += [example for model in models for example in model.examples.all()]
    return latest_change(items)
