"""Pre-rendered parts of the explainer pages: the HTML of each example, comparison row, benefit and section.

A page assembles its parts instead of rendering an include per item. Each part is rendered from its template
once and then looked up, in this process, under a key made of the saved item's pk and ``updated_at`` and of
every value its template shows (the item's fields as the page fetched them, the addresses and columns given
to it). So an edit gives a new key, even one made with ``QuerySet.update()``, which leaves ``updated_at``
alone, and no part is ever served for text other than its own; parts no page asks for any more fall out of
the bounded store, least recently used first.

An item that is not a saved row (a preview of a draft, an unsaved instance) is rendered without the store:
nothing is kept for it, and the same holds for everything rendered in a draft's preview
(``editorial.previews.previewing()``).
"""

import marshal

from django.template.loader import render_to_string

from editorial.kept import LeastRecentlyUsed
from editorial.previews import is_previewing

# About two parts per item (its line on / and its card on its model page): room for a hundred times today's content.
PARTS_KEPT = 5_000


class PartStore:
    """Rendered parts by (template, item version, context), the least recently used dropped beyond ``size``.

    A context holds plain values only (strings, numbers, booleans, None, and dicts, lists and tuples of them).
    """

    def __init__(self, size):
        self._parts = LeastRecentlyUsed(size)

    def part(self, template_name, item, context):
        """``template_name`` rendered with ``context``, which holds everything it shows of ``item``."""
        if is_previewing() or item is None or not is_saved(item):
            return render_to_string(template_name, context)
        try:
            # The context's bytes: a key made in C, a fraction of the cost of walking it in Python.
            shown = marshal.dumps(context)
        except ValueError:  # a value of another type than marshal's own (a str subclass): not kept
            return render_to_string(template_name, context)
        key = (template_name, type(item).__name__, item.pk, item.updated_at, shown)
        html = self._parts.get(key)
        if html is LeastRecentlyUsed.MISSING:
            html = render_to_string(template_name, context)
            self._parts.put(key, html)
        return html

    def clear(self):
        self._parts.clear()

    def __len__(self):
        return len(self._parts)


parts = PartStore(PARTS_KEPT)


def is_saved(item):
    """Whether ``item`` is a saved row: a model instance loaded or saved, or a row read as a plain tuple
    (``selectors.Dimension``), which always is."""
    state = getattr(item, "_state", None)
    return item.pk is not None and not (state and state.adding)


def example_line(example, url):
    """The example's line on the overview, linking to ``url``, its explanation."""
    shown = {
        "anchor": example.anchor,
        "url": url,
        "title": example.title,
        "published": example.published,
        "overview_line": example.overview_line,
        "classification_note": example.classification_note,
    }
    return parts.part("includes/example_line.html", example, {"example": shown})


def example_card(example, heading_level):
    """The example's full explanation on its model's page."""
    shown = {
        "anchor": example.anchor,
        "title": example.title,
        "published": example.published,
        "summary_html": example.summary_html,
        "classification_note": example.classification_note,
    }
    return parts.part("includes/example.html", example, {"example": shown, "heading_level": heading_level})


def cell_text(value):
    """What a comparison cell shows: the value's text, or None for an empty cell."""
    return value.text if value else None


def comparison_row(row):
    """A row of the overview's comparison table: the dimension and each column's cell."""
    dimension = row.dimension
    shown = {
        "anchor": dimension.anchor,
        "title": dimension.title,
        "published": dimension.published,
        "cells": [(column.abbreviation, cell_text(value)) for column, value in row.cells],
    }
    return parts.part("includes/comparison_row.html", dimension, {"row": shown})


def glance_row(dimension, value):
    """A row of a model page's “at a glance” list: the dimension and the model's value."""
    shown = {"anchor": dimension.anchor, "title": dimension.title, "published": dimension.published}
    return parts.part("includes/glance_row.html", dimension, {"dimension": shown, "text": cell_text(value)})


def model_link(model):
    return {"get_absolute_url": model.get_absolute_url(), "abbreviation": model.abbreviation}


def benefit_card(benefit):
    """A benefit of the overview, with links to the models it applies to unless it applies to every one."""
    shown = {
        "anchor": benefit.anchor,
        "title": benefit.title,
        "published": benefit.published,
        "body_html": benefit.body_html,
        "applies_to_every_model": benefit.applies_to_every_model,
        "models": [] if benefit.applies_to_every_model else [model_link(model) for model in benefit.applies_to.all()],
    }
    return parts.part("includes/benefit.html", benefit, {"benefit": shown})


def section_card(section, back_to_contents):
    """A prose section of the overview; an empty string's worth of layout where there is no such section."""
    shown = section and {
        "anchor": section.anchor,
        "title": section.title,
        "published": section.published,
        "body_html": section.body_html,
    }
    return parts.part("includes/section.html", section, {"section": shown, "back_to_contents": back_to_contents})


def overview_parts(explainer):
    """The parts of the overview (``selectors.explainer_for``): each model's example lines (``model.example_lines``),
    the comparison rows, the benefits and the introduction and conclusion."""
    for model in explainer["outsourcing_models"]:
        address = model.get_absolute_url()
        model.example_lines = [
            example_line(example, f"{address}#{example.anchor}") for example in model.fetched_examples
        ]
    sections = explainer["sections"]
    return {
        "comparison_row_parts": [comparison_row(row) for row in explainer["comparison_rows"]],
        "benefit_parts": [benefit_card(benefit) for benefit in explainer["benefits"].benefits],
        "introduction_part": section_card(sections.get("introduction"), back_to_contents=True),
        "conclusion_part": section_card(sections.get("conclusion"), back_to_contents=True),
    }


def model_page_parts(outsourcing_model, comparison):
    """The parts of a model's page: its page of example explanations and its “at a glance” rows."""
    return {
        "example_parts": [example_card(example, heading_level=3) for example in outsourcing_model.fetched_examples],
        "glance_parts": [glance_row(dimension, value) for dimension, value in comparison],
    }
