import copy
from urllib.parse import urlencode

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import Textarea
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import get_text_list

from editorial.admin import EditableAdmin
from editorial.history import keep_history
from editorial.spreadsheets import write_csv

from . import selectors, services, views
from .analysis import FIRST, as_csv_rows, item_analysis
from .drawing import CannotDraw
from .forms import AnalysisOptionsForm, QuestionAdminForm, answer_form
from .guessing import guessing_bound, publishing_problems
from .models import Answer, Attempt, Choice, Question, Quiz, blueprint_field_name, choice_problems, sort_row_problems

# A question is restored with its choices. A quiz does not follow its questions: each has its own history.
# Attempts and answers are readers' records, never edited, so they have no history.
keep_history(Quiz)
keep_history(Choice)
keep_history(Question, follow=["choices"])


class QuizForm(forms.ModelForm):
    """Publishing is refused while the blueprint does not fit the bank or a reader guessing could do too well."""

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("published"):
            return cleaned
        quiz = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(quiz, name, value)
        bank = quiz.bank_with_choices() if quiz.pk else []
        for name, problem in publishing_problems(quiz, bank).items():
            self.add_error(name, problem)
        return cleaned


BLUEPRINT_FIELDS = [blueprint_field_name(topic) for topic in Question.Topic.values]


@admin.register(Quiz)
class QuizAdmin(EditableAdmin):
    form = QuizForm
    list_display = [
        "title",
        "attempt_length",
        "pass_mark",
        "generated_questions",
        "certainty_based_marking",
        "published",
        "analysis_link",
    ]
    list_filter = ["published", "generated_questions", "certainty_based_marking"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["random_reader", "analysis_link"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "introduction",
                    "pass_mark",
                    "generated_questions",
                    "certainty_based_marking",
                    "position",
                    "published",
                ]
            },
        ),
        (
            "Blueprint: what each attempt draws",
            {
                "description": "How many questions of each topic an attempt asks (none, or at least two), never two "
                "on the same fact. With every topic at 0, an attempt asks the whole bank. A quiz is published only "
                "if a reader answering at random averages at most 25% and passes at most 1 time in 200.",
                "fields": [*BLUEPRINT_FIELDS, "two_option_cap", "random_reader"],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        """An existing quiz's form links to its item analysis."""
        fieldsets = super().get_fieldsets(request, obj)
        return [*fieldsets, ("Item analysis", {"fields": ["analysis_link"]})] if obj else fieldsets

    @admin.display(description="questions per attempt")
    def attempt_length(self, quiz):
        return sum(quiz.blueprint.values()) or "all"

    @admin.display(description="a reader answering at random")
    def random_reader(self, quiz):
        if quiz.pk is None:
            return "Shown once the quiz is saved and has questions."
        bank = quiz.bank_with_choices()
        try:
            return str(guessing_bound(quiz, bank))
        except CannotDraw as refusal:
            return str(refusal)

    @admin.display(description="Item analysis")
    def analysis_link(self, quiz):
        return format_html('<a href="{}">Question statistics</a>', reverse("admin:quiz_quiz_analysis", args=[quiz.pk]))

    def get_urls(self):
        analysis = self.admin_site.admin_view(self.analysis_view)
        return [path("<int:quiz_id>/analysis/", analysis, name="quiz_quiz_analysis"), *super().get_urls()]

    def analysis_view(self, request, quiz_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        quiz = get_object_or_404(Quiz, pk=quiz_id)
        options = AnalysisOptionsForm(request.GET)
        which = options.cleaned_data["attempts"] if options.is_valid() else FIRST
        analysis = item_analysis(quiz, which)
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{quiz.slug}-item-analysis-{which}.csv"'
            write_csv(response, as_csv_rows(analysis))
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": f"Item analysis: {quiz.title}",
            "quiz": quiz,
            "analysis": analysis,
            "options": AnalysisOptionsForm(initial={"attempts": which}),
            "refused_options": options.errors.get("attempts", []),
            "csv_query": urlencode({"attempts": which, "format": "csv"}),
            "min_answers": settings.QUIZ_ANALYSIS_MIN_ANSWERS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/quiz/item_analysis.html", context)


class ChoiceFormSet(CustomInlineFormSet):
    """Checks the choices together against the question's kind, with the rule stated in plain words."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if self.instance.kind == Question.Kind.SORT:
            problems = sort_row_problems([(row["text"], row.get("placed_under")) for row in kept])
        else:
            problems = choice_problems(self.instance.kind, [(row["text"], row.get("correct", False)) for row in kept])
        if problems:
            raise ValidationError(problems)


class ChoiceInline(SortableTabularInline):
    """Choices in the order they are dragged to; true/false questions keep it, the others shuffle it per attempt.

    A sort question's choices are its items: each needs “placed under”, and “correct” is not used.
    """

    model = Choice
    formset = ChoiceFormSet
    fields = ["text", "correct", "placed_under", "feedback"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}
    extra = 0
    min_num = 2

    # A generated question's choices are rewritten from the content on every content save; an edit
    # here would be lost then, or worse, move a choice that already has answers to another model.
    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_generated) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_generated) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_generated) and super().has_delete_permission(request, obj)


class FactsField(forms.CharField):
    """The facts a question tests, one key a line; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


@admin.register(Question)
class QuestionAdmin(SortableAdminBase, EditableAdmin):
    form = QuestionAdminForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "facts":
            return FactsField(required=False, label="Facts tested", help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    list_display = ["prompt", "quiz", "kind", "topic", "is_generated", "published", "active"]
    list_filter = ["quiz", "published", "active", "kind", "topic", ("generated_key", admin.EmptyFieldListFilter)]
    list_select_related = ["quiz"]
    search_fields = ["prompt", "slug", "explanation", "choices__text"]
    inlines = [ChoiceInline]
    readonly_fields = ["generated_key"]
    prepopulated_fields = {"slug": ["prompt"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "quiz",
                    "prompt",
                    "slug",
                    "kind",
                    "topic",
                    "explanation",
                    "facts",
                    "learn_more",
                    "position",
                    "published",
                    "active",
                ]
            },
        ),
        (
            "Built from the content",
            {
                "classes": ["collapse"],
                "description": "A generated question is rebuilt whenever its example or comparison value changes: "
                "edit that item to change the question. Here you can only publish or retire it.",
                "fields": ["generated_key"],
            },
        ),
    ]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj and obj.is_generated else super().get_prepopulated_fields(request, obj)

    def get_changeform_initial_data(self, request):
        """A new question belongs to the quiz when there is only one."""
        initial = super().get_changeform_initial_data(request)
        quizzes = list(Quiz.objects.values_list("pk", flat=True)[:2])
        if len(quizzes) == 1:
            initial.setdefault("quiz", quizzes[0])
        return initial

    def restore_refusal(self, question, version):
        """Restoring a version deletes the choices added since; a choice readers picked must stay for their answers."""
        in_version = version.revision.version_set.filter(content_type=ContentType.objects.get_for_model(Choice))
        kept = [int(pk) for pk in in_version.values_list("object_id", flat=True)]
        answered = selectors.answered_choices_other_than(question, kept)
        if not answered:
            return ""
        named = get_text_list(
            [
                f"“{choice.text}” (picked in {choice.times_picked} answer{pluralize(choice.times_picked)})"
                for choice in answered
            ],
            "and",
        )
        return (
            "This version cannot be restored: restoring it would delete the "
            f"{pluralize(len(answered), 'choice,choices')} {named}, and readers' answers keep the choices "
            "they picked. Change the question in its form instead, or untick “active” to retire it and write a new one."
        )

    def preview_page(self, request, question):
        """A question appears in attempts: its preview asks it as the first question of a practice attempt."""
        asked = selectors.question_to_ask(question.pk)
        attempt = services.start_practice(asked.quiz, "", [asked], by_staff=True)
        choices = attempt.ordered_choices(asked)
        models = selectors.models_to_sort_into() if asked.is_sort else []
        form = answer_form(asked, choices, models)
        return views.render_question(request, attempt, 1, asked, form, views.certainty_form_for(attempt))

    @admin.display(boolean=True, description="generated")
    def is_generated(self, question):
        return question.is_generated

    def get_readonly_fields(self, request, obj=None):
        """A generated question follows the content it was built from; editors only publish or retire it."""
        if obj and obj.is_generated:
            editable = {"published", "active"}
            return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"] if name not in editable]
        return super().get_readonly_fields(request, obj)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "correct", "certainty", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["public_id", "quiz", "started_at", "finished_at", "score", "answered_count"]
    list_filter = ["quiz", ("finished_at", admin.EmptyFieldListFilter)]
    list_select_related = ["quiz"]
    readonly_fields = [
        "public_id",
        "quiz",
        "started_at",
        "finished_at",
        "score",
        "answered_count",
        "certainty_based_marking",
    ]
    fields = readonly_fields
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
