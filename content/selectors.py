"""Read-side queries for the explainer pages: a fixed number of queries whatever the content size."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Max, Prefetch, Q, prefetch_related_objects

from .models import (
    EXAMPLES_PER_PAGE,
    Benefit,
    ComparisonDimension,
    ComparisonValue,
    Example,
    OutsourcingModel,
    Section,
    sees_drafts,
)

# The overview (/) lists this many examples per model, each in a line; its model's page lists every one. At most a
# page of them (``EXAMPLES_PER_PAGE``), so that each line's link leads to the first page.
OVERVIEW_EXAMPLES = 8
# The examples each model comes with, in order: all of them, the overview's first ones or a page of them.
FETCHED_EXAMPLES = "fetched_examples"


@dataclass
class ListedExamples:
    """The cell of a row that lists the examples (``ComparisonDimension.lists_examples``): the model's published ones.

    It stands where a ``ComparisonValue`` would, so templates show its ``text`` the same way. ``total`` says how
    many there are in all where ``examples`` are only the first ones.
    """

    examples: list
    total: int | None = None

    @property
    def text(self):
        titles = ", ".join(example.title for example in self.examples)
        more = (self.total or 0) - len(self.examples)
        return f"{titles} and {more} more" if more > 0 else titles

    def __bool__(self):
        return bool(self.examples)


class Cell(NamedTuple):
    """A ``ComparisonValue`` as the pages use it, read as a plain row: at hundreds of rows a fraction of the cost
    of model instances."""

    text: str
    guide_answer: str
    updated_at: datetime

    answer_text = property(ComparisonValue.answer_text.fget)


class Dimension(NamedTuple):
    """A ``ComparisonDimension`` as the pages use it, read as a plain row, like ``Cell``."""

    pk: int
    slug: str
    title: str
    published: bool
    lists_examples: bool
    guide_question: str
    updated_at: datetime

    anchor_prefix = ComparisonDimension.anchor_prefix
    anchor = property(ComparisonDimension.anchor.fget)
    asked_in_guide = property(ComparisonDimension.asked_in_guide.fget)
    get_absolute_url = ComparisonDimension.get_absolute_url


@dataclass
class ComparisonRow:
    dimension: Dimension
    cells: list = field(default_factory=list)  # (column model, Cell, ListedExamples or None) per column, in order


def outsourcing_models_for(user):
    """The models with every example fetched, each knowing its place among the published ones (for its address)."""
    examples = Example.objects.visible_to(user).order_by("position", "pk")
    models = with_example_counts(OutsourcingModel.objects.visible_to(user), user)
    models = list(models.prefetch_related(Prefetch("examples", queryset=examples, to_attr=FETCHED_EXAMPLES)))
    for model in models:
        for place, example in enumerate(published_examples(model)):
            example.listed_before = place
    return models


def with_example_counts(models, user):
    """``models`` with how many examples each has (``example_count``: those ``user`` sees; ``published_count``)
    and when its newest published one changed (``examples_changed_at``), in the models' own query."""
    published = Q(examples__published=True)
    # In order by hand: Django leaves a model's Meta.ordering out of a query that groups rows.
    return models.order_by("position", "pk").annotate(
        example_count=Count("examples", filter=None if sees_drafts(user) else published),
        published_count=Count("examples", filter=published),
        examples_changed_at=Max("examples__updated_at", filter=published),
    )


def overview_models_for(user):
    """The models, each with its first ``OVERVIEW_EXAMPLES`` examples fetched and its counts
    (``with_example_counts``): the same two queries whatever the number of examples."""
    examples = Example.objects.visible_to(user).order_by("position", "pk")[:OVERVIEW_EXAMPLES]
    models = with_example_counts(OutsourcingModel.objects.visible_to(user), user)
    return list(models.prefetch_related(Prefetch("examples", queryset=examples, to_attr=FETCHED_EXAMPLES)))


@dataclass
class ExamplesPage:
    """One page of a model's examples: its number and how many pages there are."""

    number: int
    count: int
    address: str  # the model page's

    @property
    def offset(self):
        return (self.number - 1) * EXAMPLES_PER_PAGE

    def address_of(self, number):
        return self.address if number == 1 else f"{self.address}?page={number}"

    @property
    def previous_address(self):
        return self.address_of(self.number - 1) if self.number > 1 else None

    @property
    def next_address(self):
        return self.address_of(self.number + 1) if self.number < self.count else None


def model_page_for(user, slug, page_number):
    """(model with this page's examples fetched, the other models, the page) for its page ``page_number``;
    (None, ...) when ``user`` sees no such model or it has no such page. Two queries at any size."""
    models = list(with_example_counts(OutsourcingModel.objects.visible_to(user), user))
    outsourcing_model = next((model for model in models if model.slug == slug), None)
    if outsourcing_model is None:
        return None, models, None
    page_count = max(1, -(-outsourcing_model.example_count // EXAMPLES_PER_PAGE))
    if page_number > page_count:
        return None, models, None
    page = ExamplesPage(page_number, page_count, outsourcing_model.get_absolute_url())
    examples = Example.objects.visible_to(user).order_by("position", "pk")
    on_page = examples[page.offset : page.offset + EXAMPLES_PER_PAGE]
    prefetch_related_objects([outsourcing_model], Prefetch("examples", queryset=on_page, to_attr=FETCHED_EXAMPLES))
    return outsourcing_model, [model for model in models if model != outsourcing_model], page


def published_examples(outsourcing_model):
    """The model's fetched examples that readers see: a draft shown to staff is not listed in the comparison."""
    return [example for example in outsourcing_model.fetched_examples if example.published]


def comparison_rows(user, columns):
    """Rows are dimensions and columns are ``columns`` (outsourcing models, their examples fetched), so a new model
    adds a column. Two queries, the dimensions and values read as plain rows (``Dimension``, ``Cell``); the values
    are sorted into rows here, which at hundreds of rows costs a fraction of what a prefetch (a queryset per row)
    does."""
    shown_dimensions = ComparisonDimension.objects.visible_to(user).values_list(*Dimension._fields)
    dimensions = [Dimension(*row) for row in shown_dimensions]
    values = ComparisonValue.objects.filter(
        dimension__in=ComparisonDimension.objects.visible_to(user).filter(lists_examples=False).values("pk"),
        outsourcing_model__in=[column.pk for column in columns],
    )
    typed = {}
    shown = values.order_by().values_list("dimension_id", "outsourcing_model_id", *Cell._fields)
    for dimension_id, model_id, *cell in shown:
        typed.setdefault(dimension_id, {})[model_id] = Cell(*cell)
    listed = {
        column.pk: ListedExamples(published_examples(column)[:OVERVIEW_EXAMPLES], column.published_count)
        for column in columns
    }
    rows = []
    for dimension in dimensions:
        by_model = listed if dimension.lists_examples else typed.get(dimension.pk, {})
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
    models = overview_models_for(user)
    rows = comparison_rows(user, models)
    return {
        "sections": sections_for(user),
        "outsourcing_models": models,
        "comparison_rows": rows,
        "benefits": benefits_for(user, models),
    }


def latest_change(items, models=()):
    """The newest ``updated_at`` among the published ``items`` and the published examples of ``models``
    (``with_example_counts``), or None."""
    stamps = [item.updated_at for item in items if getattr(item, "published", True)]
    stamps += [model.examples_changed_at for model in models if model.examples_changed_at]
    return max(stamps, default=None)


def model_page_last_modified(outsourcing_model, comparison):
    """The newest change to what a model's page shows: the model, its examples and its side of the comparison."""
    items = [outsourcing_model]
    items += [dimension for dimension, value in comparison]
    items += [value for dimension, value in comparison if isinstance(value, Cell)]
    return latest_change(items, [outsourcing_model])


def explainer_last_modified(explainer):
    """The newest change to anything published that the explainer page (``explainer_for``) shows."""
    items = [*explainer["sections"].values(), *explainer["benefits"].benefits, *explainer["outsourcing_models"]]
    for row in explainer["comparison_rows"]:
        items += [row.dimension, *(value for column, value in row.cells if isinstance(value, Cell))]
    return latest_change(items, explainer["outsourcing_models"])


def guide_last_modified(questions, models):
    """The newest change to what the guide uses: its questions' rows and values, and the examples it suggests."""
    items = [item for question in questions for item in (question.dimension, *(o.value for o in question.options))]
    items += [example for model in models for example in model.fetched_examples]
    return latest_change(items)
