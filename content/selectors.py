"""Read-side queries for the explainer pages: a fixed number of queries whatever the content size."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section


@dataclass
class ComparisonRow:
    dimension: ComparisonDimension
    cells: list = field(default_factory=list)  # (column model, ComparisonValue or None) per column, in order


def outsourcing_models_for(user):
    examples = Example.objects.visible_to(user).order_by("position", "pk")
    return list(OutsourcingModel.objects.visible_to(user).prefetch_related(Prefetch("examples", queryset=examples)))


def comparison_rows(user, columns):
    """Rows are dimensions and columns are ``columns`` (outsourcing models), so a new model adds a column."""
    values = ComparisonValue.objects.filter(outsourcing_model__in=[column.pk for column in columns])
    dimensions = ComparisonDimension.objects.visible_to(user).prefetch_related(Prefetch("values", queryset=values))
    rows = []
    for dimension in dimensions:
        by_model = {value.outsourcing_model_id: value for value in dimension.values.all()}
        rows.append(ComparisonRow(dimension, [(column, by_model.get(column.pk)) for column in columns]))
    return rows


def comparison_columns(models, rows):
    """The comparison turned on its side: per model, its (dimension, value) pairs in row order."""
    return [(model, [(row.dimension, row.cells[index][1]) for row in rows]) for index, model in enumerate(models)]


def benefits_for(user):
    applies_to = OutsourcingModel.objects.visible_to(user).only("pk", "slug", "abbreviation", "position")
    return list(Benefit.objects.visible_to(user).prefetch_related(Prefetch("applies_to", queryset=applies_to)))


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
        "comparison_columns": comparison_columns(models, rows),
        "benefits": benefits_for(user),
    }


def latest_change(items):
    """The newest ``updated_at`` among the published ``items``, or None."""
    stamps = [item.updated_at for item in items if getattr(item, "published", True)]
    return max(stamps, default=None)


def model_page_last_modified(outsourcing_model, comparison):
    """The newest change to what a model's page shows: the model, its examples and its side of the comparison."""
    items = [outsourcing_model, *outsourcing_model.examples.all()]
    items += [item for dimension, value in comparison for item in (dimension, value) if item]
    return latest_change(items)


def explainer_last_modified(explainer):
    """The newest change to anything published that the explainer page (``explainer_for``) shows."""
    items = [*explainer["sections"].values(), *explainer["benefits"]]
    for model in explainer["outsourcing_models"]:
        items += [model, *model.examples.all()]
    for row in explainer["comparison_rows"]:
        items += [row.dimension, *(value for column, value in row.cells if value)]
    return latest_change(items)


def guide_last_modified(questions, models):
    """The newest change to what the guide uses: its questions' rows and values, and the examples it suggests."""
    items = [item for question in questions for item in (question.dimension, *(o.value for o in question.options))]
    items += [example for model in models for example in model.examples.all()]
    return latest_change(items)
