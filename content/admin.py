from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.db import models
from django.forms import Textarea
from django.forms.models import BaseInlineFormSet

from editorial.admin import EditableAdmin, MarkdownEditing, SortableByPosition
from editorial.history import keep_history

from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section

# What a revert restores together: a comparison row with its cells. A model does not follow its examples,
# so restoring an older definition never deletes an example added since; each example has its own history.
keep_history(OutsourcingModel)
keep_history(Example)
keep_history(ComparisonValue)
keep_history(ComparisonDimension, follow=["values"])
keep_history(Benefit)
keep_history(Section)


# The reasons are a sentence or two of plain text: a small box, not the Markdown editor.
REASON_WIDGETS = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 60})}}


# An example's fields as an editor fills them in, in its own form and inline under its model.
EXAMPLE_FIELDS = [
    "title",
    "slug",
    "overview_line",
    "summary",
    "reason",
    "misconception",
    "classification_note",
    "position",
    "published",
]


class OrderedContentAdmin(SortableByPosition, EditableAdmin):
    """Items in the order the site shows them: drag a row to move it, untick “published” to make it a draft."""

    list_display_links = ["title"]
    list_editable = ["position", "published"]
    list_filter = ["published"]
    prepopulated_fields = {"slug": ["title"]}


class ExampleInline(MarkdownEditing, admin.StackedInline):
    model = Example
    extra = 0
    fields = EXAMPLE_FIELDS
    formfield_overrides = {**MarkdownEditing.formfield_overrides, **REASON_WIDGETS}
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(OutsourcingModel)
class OutsourcingModelAdmin(OrderedContentAdmin):
    list_display = ["position", "abbreviation", "name", "summary", "published", "updated_at"]
    list_display_links = ["abbreviation"]
    prepopulated_fields = {"slug": ["abbreviation"]}
    search_fields = ["abbreviation", "name", "summary", "definition"]
    fields = [
        "abbreviation",
        "name",
        "slug",
        "summary",
        "meta_description",
        "key_points",
        "definition",
        "position",
        "published",
    ]
    inlines = [ExampleInline]


class ExamplesOfModel(admin.SimpleListFilter):
    """Examples are numbered per model, so the list shows one model's examples (the first model's by default)."""

    title = "model"
    parameter_name = "model"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get(SEARCH_VAR))
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        models = [(str(model.pk), str(model)) for model in OutsourcingModel.objects.all()]
        return [*models, (self.ALL, "All models")]

    def value(self):
        chosen = super().value()
        if chosen is None and not self.searching and self.lookup_choices:
            return self.lookup_choices[0][0]
        return chosen

    def queryset(self, request, queryset):
        chosen = self.value()
        if chosen in (None, self.ALL):
            return queryset
        if chosen not in dict(self.lookup_choices):
            raise IncorrectLookupParameters(f"There is no model {chosen!r}.")
        return queryset.filter(outsourcing_model_id=chosen)

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            query = changelist.get_query_string({self.parameter_name: value})
            yield {"selected": self.value() == value, "query_string": query, "display": label}


@admin.register(Example)
class ExampleAdmin(OrderedContentAdmin):
    list_display = ["position", "title", "outsourcing_model", "published", "updated_at"]
    list_filter = [ExamplesOfModel, "published"]
    list_select_related = ["outsourcing_model"]
    search_fields = ["title", "slug", "summary", "reason", "misconception"]
    fields = ["outsourcing_model", *EXAMPLE_FIELDS]
    formfield_overrides = {**OrderedContentAdmin.formfield_overrides, **REASON_WIDGETS}


class ComparisonValueFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        return "Each model has one value in a row: this row gives the same model two values. Remove one of them."


class ComparisonValueInline(admin.TabularInline):
    model = ComparisonValue
    formset = ComparisonValueFormSet
    extra = 0
    fields = ["outsourcing_model", "text", "guide_answer", "reason", "misconception"]
    formfield_overrides = REASON_WIDGETS


@admin.register(ComparisonDimension)
class ComparisonDimensionAdmin(OrderedContentAdmin):
    list_display = ["position", "title", "cells", "published", "updated_at"]
    search_fields = ["title", "explanation", "values__text", "values__reason", "values__misconception"]
    fields = ["title", "slug", "explanation", "lists_examples", "guide_question", "position", "published"]
    inlines = [ComparisonValueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values__outsourcing_model")

    @admin.display(description="values")
    def cells(self, dimension):
        return " · ".join(f"{value.outsourcing_model.abbreviation}: {value.text}" for value in dimension.values.all())


@admin.register(Benefit)
class BenefitAdmin(OrderedContentAdmin):
    list_display = ["position", "title", "models", "published", "updated_at"]
    list_filter = ["published", "applies_to"]
    search_fields = ["title", "body"]
    filter_horizontal = ["applies_to"]
    fields = ["title", "slug", "body", "applies_to", "position", "published"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("applies_to")

    @admin.display(description="applies to")
    def models(self, benefit):
        return ", ".join(model.abbreviation for model in benefit.applies_to.all())


@admin.register(Section)
class SectionAdmin(EditableAdmin):
    list_display = ["title", "slug", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (
            None,
            {
                "description": "The explainer places the sections “key-takeaways”, “introduction”, “key-differences”, "
                "“benefits” and “conclusion” by their slug, so keep those slugs as they are.",
                "fields": ["title", "slug", "meta_description", "body", "position", "published"],
            },
        )
    ]
