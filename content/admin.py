from django.contrib import admin

from .editing import MarkdownEditing
from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section


class ExampleInline(MarkdownEditing, admin.StackedInline):
    model = Example
    extra = 0
    fields = ["title", "slug", "summary", "position", "published"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(OutsourcingModel)
class OutsourcingModelAdmin(MarkdownEditing, admin.ModelAdmin):
    list_display = ["abbreviation", "name", "position", "published", "updated_at"]
    list_editable = ["position", "published"]
    list_filter = ["published"]
    search_fields = ["abbreviation", "name", "summary", "definition"]
    fields = ["abbreviation", "name", "slug", "summary", "meta_description", "definition", "position", "published"]
    inlines = [ExampleInline]


@admin.register(Example)
class ExampleAdmin(MarkdownEditing, admin.ModelAdmin):
    list_display = ["title", "outsourcing_model", "position", "published", "updated_at"]
    list_editable = ["position", "published"]
    list_filter = ["published", "outsourcing_model"]
    list_select_related = ["outsourcing_model"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["outsourcing_model", "title", "slug", "summary", "position", "published"]


class ComparisonValueInline(admin.TabularInline):
    model = ComparisonValue
    extra = 0
    fields = ["outsourcing_model", "text"]


@admin.register(ComparisonDimension)
class ComparisonDimensionAdmin(MarkdownEditing, admin.ModelAdmin):
    list_display = ["title", "position", "published", "updated_at"]
    list_editable = ["position", "published"]
    list_filter = ["published"]
    search_fields = ["title", "explanation", "values__text"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "explanation", "position", "published"]
    inlines = [ComparisonValueInline]


@admin.register(Benefit)
class BenefitAdmin(MarkdownEditing, admin.ModelAdmin):
    list_display = ["title", "position", "published", "updated_at"]
    list_editable = ["position", "published"]
    list_filter = ["published", "applies_to"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["applies_to"]
    fields = ["title", "slug", "body", "applies_to", "position", "published"]


@admin.register(Section)
class SectionAdmin(MarkdownEditing, admin.ModelAdmin):
    list_display = ["title", "slug", "position", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "body"]
    fields = ["title", "slug", "meta_description", "body", "position", "published"]
