from django import forms

from editorial.locking import VersionCheckedForm

from . import certainty as cbm
from .analysis import FIRST, WHICH_ATTEMPTS
from .learn_more import HELP_TEXT, LEARN_MORE_KINDS, choice_value, grouped_choices, parse_choice, pointing_at
from .models import Certainty, Question

ROW_PREFIX = "row-"


class AnswerForm(forms.Form):
    """The reader's pick among one question's choices, in the attempt's frozen order.

    Choices are sent as their place in that order (1, 2, …), never as database ids,
    whose order could hint at which choice an author wrote first.
    """

    def __init__(self, question, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.choices = choices
        options = [(str(place), choice.text) for place, choice in enumerate(choices, start=1)]
        messages = {
            "required": "Choose an answer before you submit.",
            "invalid_choice": "That is not one of this question's answers. Choose one of the answers shown.",
            "invalid_list": "That is not one of this question's answers. Choose one of the answers shown.",
        }
        if question.kind == Question.Kind.MULTIPLE:
            self.fields["choice"] = forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, error_messages=messages
            )
        else:
            self.fields["choice"] = forms.ChoiceField(
                choices=options, widget=forms.RadioSelect, error_messages=messages
            )

    def clean(self):
        cleaned = super().clean()
        if self.question.kind != Question.Kind.MULTIPLE and len(self.data.getlist("choice")) > 1:
            raise forms.ValidationError("This question has one right answer: choose only one.", code="several")
        return cleaned

    @property
    def allows_several(self):
        return self.question.kind == Question.Kind.MULTIPLE

    def chosen_choices(self):
        picked = self.cleaned_data["choice"]
        picked = set(picked) if isinstance(picked, list) else {picked}
        return [choice for place, choice in enumerate(self.choices, start=1) if str(place) in picked]

    def response(self):
        """The answer as ``services.record_answer`` takes it."""
        return {"chosen_choices": self.chosen_choices()}

    def error_messages(self):
        """(message, field id) pairs for the error summary at the top of the page."""
        return [(message, "choice-0") for message in self.errors.get("choice", [])] + [
            (message, "choice-0") for message in self.non_field_errors()
        ]


class CertaintyForm(forms.Form):
    """How sure the reader is of the answer sent with it, asked when the attempt uses certainty-based marking."""

    certainty = forms.ChoiceField(
        choices=Certainty.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how sure you are before you submit.",
            "invalid_choice": "That is not one of the certainty levels. Choose low, medium or high.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        if len(self.data.getlist("certainty")) > 1 and "certainty" not in self.errors:
            self.add_error("certainty", forms.ValidationError("Choose one level of certainty only.", code="several"))
        return cleaned

    def levels(self):
        """(value, label, mark if right, mark if wrong, picked) for each level, lowest first.

        A level picked in a form sent back for another mistake stays picked.
        """
        picked = getattr(self, "cleaned_data", {}).get("certainty")
        return [
            (value, label, cbm.signed(cbm.RIGHT[value]), cbm.signed(cbm.WRONG[value]), value == picked)
            for value, label in Certainty.choices
        ]

    def error_messages(self):
        """(message, field id) pairs for the error summary at the top of the page."""
        return [(message, f"certainty-{cbm.LOW}") for message in self.errors.get("certainty", [])]


class QuestionAdminForm(VersionCheckedForm):
    """A question's form in the admin: its “learn more” target is one select, grouped by kind of target."""

    learn_more = forms.ChoiceField(
        label="Learn more",
        required=False,
        help_text=HELP_TEXT,
        error_messages={
            "invalid_choice": "That is not one of the parts of the explainer in this list. Pick one from the list."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "learn_more" in self.fields:
            self.fields["learn_more"].choices = [("", "— None yet (a draft may have none) —"), *grouped_choices()]
            kind = self.instance.learn_more_kind
            if kind is not None:
                self.initial["learn_more"] = choice_value(kind, getattr(self.instance, kind.attname))

    def clean(self):
        cleaned_data = super().clean()
        if "learn_more" in self.fields and "learn_more" in cleaned_data:
            chosen = parse_choice(cleaned_data["learn_more"])
            targets = pointing_at(*chosen) if chosen else {kind.attname: None for kind in LEARN_MORE_KINDS}
            for attname, target_id in targets.items():
                setattr(self.instance, attname, target_id)
        return cleaned_data


class SortForm(forms.Form):
    """The reader's placing of each row of a sort question under one of the ``models``: one radio group a row.

    Rows are sent as ``row-<place>`` in the attempt's frozen order, models as their slug.
    """

    allows_several = False

    def __init__(self, question, choices, models, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.choices = choices
        self.models = models
        options = [(model.slug, model.abbreviation) for model in models]
        for place, row in enumerate(choices, start=1):
            self.fields[f"{ROW_PREFIX}{place}"] = forms.ChoiceField(
                label=row.text,
                choices=options,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Place “{row.text}” under one of the models.",
                    "invalid_choice": f"“{row.text}” was placed under a model this question does not offer. "
                    "Choose one of the models shown.",
                },
            )

    def clean(self):
        cleaned = super().clean()
        unknown = [name for name in self.data if name.startswith(ROW_PREFIX) and name not in self.fields]
        if unknown:
            raise forms.ValidationError(
                "The answer names a row this question does not have. Place each row shown, once.", code="unknown_row"
            )
        twice = [name for name in self.fields if len(self.data.getlist(name)) > 1]
        if twice:
            row = self.fields[twice[0]].label
            raise forms.ValidationError(f"“{row}” was placed twice. Place each row under one model only.", code="twice")
        return cleaned

    @property
    def rows(self):
        """(place, row, bound field) for each row, in the attempt's order."""
        return [(place, row, self[f"{ROW_PREFIX}{place}"]) for place, row in enumerate(self.choices, start=1)]

    def response(self):
        by_slug = {model.slug: model for model in self.models}
        return {
            "placements": {
                row: by_slug[self.cleaned_data[f"{ROW_PREFIX}{place}"]]
                for place, row in enumerate(self.choices, start=1)
            }
        }

    def error_messages(self):
        """(message, field id) pairs for the error summary: each row's problem links to its first radio."""
        field_errors = [(message, f"{name}-0") for name in self.fields for message in self.errors.get(name, [])]
        return field_errors + [(message, f"{ROW_PREFIX}1-0") for message in self.non_field_errors()]


def answer_form(question, choices, models, data=None):
    """The form that takes an answer to ``question``: a sort table, or a set of choices."""
    if question.is_sort:
        return SortForm(question, choices, models, data)
    return AnswerForm(question, choices, data)


class AnalysisOptionsForm(forms.Form):
    """Which attempts item analysis counts, from the page's address; missing means each reader's first."""

    attempts = forms.ChoiceField(
        label="Attempts counted",
        choices=[(value, text[0].upper() + text[1:]) for value, text in WHICH_ATTEMPTS.items()],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "That is not a choice of attempts this page offers."},
    )

    def clean_attempts(self):
        return self.cleaned_data["attempts"] or FIRST
