import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from .guide import DESCRIPTION_MAX_LENGTH, Answer, canonical_query
from .models import GUIDE_DESCRIPTION_PARAMETER

# Line breaks and tabs are typed; NUL is refused by the field itself, with the same message.
NOT_CHECKED_HERE = {"\t", "\n", "\r", "\x00"}
CONTROL_CHARACTERS_REFUSED = (
    "The description holds control characters that no keyboard types. Describe the task in plain words."
)


def refuse_control_characters(text):
    if any(unicodedata.category(character) == "Cc" for character in set(text) - NOT_CHECKED_HERE):
        raise ValidationError(CONTROL_CHARACTERS_REFUSED, code="control_characters")


class GuideForm(forms.Form):
    """The reader's answers to the guide's questions, one radio group each, and an optional description.

    Sent by GET, so a result has an address of its own. Each answer is the slug of the model whose value the
    reader picked; the description is only read, never stored.
    """

    def __init__(self, questions, query):
        """``query`` is the request's GET data; the form is bound only if it answers or describes anything."""
        names = [question.name for question in questions] + [GUIDE_DESCRIPTION_PARAMETER]
        super().__init__(query if any(name in query for name in names) else None)
        self.questions = questions
        for question in questions:
            self.fields[question.name] = forms.ChoiceField(
                label=question.text,
                choices=[(option.model.slug, option.text) for option in question.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Answer “{question.text}”",
                    "invalid_choice": f"The answer sent for “{question.text}” is not one of its answers: "
                    "choose one of those shown.",
                },
            )
        self.fields[GUIDE_DESCRIPTION_PARAMETER] = forms.CharField(
            label="Describe the task in a few words (optional)",
            required=False,
            max_length=DESCRIPTION_MAX_LENGTH,
            validators=[refuse_control_characters],
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX_LENGTH}),
            error_messages={
                "max_length": f"Keep the description to {DESCRIPTION_MAX_LENGTH} characters or fewer "
                "(it has %(show_value)d).",
                "null_characters_not_allowed": CONTROL_CHARACTERS_REFUSED,
            },
        )

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if len(self.data.getlist(name)) > 1:
                self.add_error(name, f"“{field.label}” was sent more than once: give one answer.")
        return cleaned

    @property
    def description(self):
        return self.cleaned_data.get(GUIDE_DESCRIPTION_PARAMETER, "") if self.is_valid() else ""

    def answers(self):
        """The answers of a valid form, in question order."""
        return [Answer(question, question.option_for(self.cleaned_data[question.name])) for question in self.questions]

    def canonical_query(self):
        return canonical_query(self.answers())

    def error_messages(self):
        """(message, id of the field to fix) pairs for the error summary, in the page's order."""
        return [(message, self.field_anchor(name)) for name in self.fields for message in self.errors.get(name, [])]

    def field_anchor(self, name):
        """The element an error links to: a question's first radio button, or the description's box."""
        return f"{self[name].auto_id}_0" if name != GUIDE_DESCRIPTION_PARAMETER else self[name].auto_id

    def question_fields(self):
        """(question, bound field) for each question, in order."""
        return [(question, self[question.name]) for question in self.questions]

    @property
    def description_field(self):
        return self[GUIDE_DESCRIPTION_PARAMETER]
