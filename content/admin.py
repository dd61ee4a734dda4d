import reversion
from adminsortable2.admin import SortableAdminMixin
from django.contrib import admin
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from .editing import EditableAdmin, MarkdownEditing
from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section

# What a revert restores together: a comparison row with its cells. A model does not follow its examples,
# so restoring an older definition never deletes an example added since; each example has its own history.
reversion.register(OutsourcingModel)
reversion.register(Example)
reversion.register(ComparisonValue)
reversion.register(ComparisonDimension, follow=["values"])
reversion.register(Benefit)
reversion.register(Section)


class SortableByPosition(SortableAdminMixin):
    """Drag-and-drop ordering of the list by ``position``; the site shows the new order on the next request.

    Rows may share a position (each model numbers its examples from 1), so the numbers the browser sends
    are only read as the new order of the rows it moved: those rows take the places they held between
    them, in that order, and the whole list is renumbered from 1. The move is recorded in the history of
    the rows the browser reports as moved.
    """

    ordering = ["position", "pk"]

    def update_order(self, request):
        with self.create_revision(request):
            reversion.set_comment("Moved by dragging in the list.")
            return super().update_order(request)

    def _update_order(self, updated_items, extra_model_filters):
        moved = [int(pk) for pk, _order in sorted(updated_items, key=lambda item: item[1])]
        with transaction.atomic():
            rows = list(self.model.objects.select_for_update().filter(**extra_model_filters).order_by(*self.ordering))
            by_pk = {row.pk: row for row in rows}
            moved_ids = set(moved)
            if len(moved_ids) != len(moved) or not moved_ids <= by_pk.keys():
                raise ValueError("the moved rows are not rows of this list")
            moved_in_order = iter(moved)
            reordered = [by_pk[next(moved_in_order)] if row.pk in moved_ids else row for row in rows]
            now = timezone.now()
            changed = []
            for position, row in enumerate(reordered, start=1):
                if row.position != position:
                    row.position, row.updated_at = position, now
                    changed.append(row)
            updated = self.model.objects.bulk_update(changed, ["position", "updated_at"])
            for row in changed:
                if row.pk in moved_ids:
                    reversion.add_to_revision(row)
            return updated


class ExampleInline(MarkdownEditing, admin.StackedInline):
    model = Example
    extra = 0
    fields = ["title", "slug", "summary", "position", "published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(OutsourcingModel)
class OutsourcingModelAdmin(SortableByPosition, EditableAdmin):
    list_display = ["position", "abbreviation", "name", "summary", "published", "updated_at"]
    list_display_links = ["abbreviation"]
    list_editable = ["published"]
    list_filter = ["published"]
    search_fields = ["abbreviation", "name", "summary", "definition"]
    fields = ["abbreviation", "name", "slug", "summary", "meta_description", "definition", "published"]
    inlines = [ExampleInline]


@admin.register(Example)
class ExampleAdmin(SortableByPosition, EditableAdmin):
    list_display = ["position", "title", "outsourcing_model", "published", "updated_at"]
    list_display_links = ["title"]
    list_editable = ["published"]
    list_filter = ["published", "outsourcing_model"]
    list_select_related = ["outsourcing_model"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["outsourcing_model", "title", "slug", "summary", "published"]


class ComparisonValueFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        return "Each model has one value in a row: this row gives the same model two values. Remove one of them."


class ComparisonValueInline(admin.TabularInline):
    model = ComparisonValue
    formset = ComparisonValueFormSet
    extra = 0
    fields = ["outsourcing_model", "text"]


@admin.register(ComparisonDimension)
class ComparisonDimensionAdmin(SortableByPosition, EditableAdmin):
    list_display = ["position", "title", "cells", "published", "updated_at"]
    list_display_links = ["title"]
    list_editable = ["published"]
    list_filter = ["published"]
    search_fields = ["title", "explanation", "values__text"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "explanation", "published"]
    inlines = [ComparisonValueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values__outsourcing_model")

    @admin.display(description="values")
    def cells(self, dimension):
        return " · ".join(f"{value.outsourcing_model.abbreviation}: {value.text}" for value in dimension.values.all())


@admin.register(Benefit)
class BenefitAdmin(SortableByPosition, EditableAdmin):
    list_display = ["position", "title", "models", "published", "updated_at"]
    list_display_links = ["title"]
    list_editable = ["published"]
    list_filter = ["published", "applies_to"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["applies_to"]
    fields = ["title", "slug", "body", "applies_to", "published"]

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
    fieldsets = [
        (
            None,
            {
                "description": "The explainer places the sections “introduction”, “key-differences”, “benefits” "
                "and “conclusion” by their slug, so keep those slugs as they are.",
                "fields": ["title", "slug", "meta_description", "body", "position", "published"],
            },
        )
    ]
