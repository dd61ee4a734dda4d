"""The answer part of a question page (its choices or sort table, and “How sure are you?”), rendered once per
question, order of its choices and content version in each process (``editorial.kept``): every reader shown the
question in that order gets the same HTML. A form sent back with errors is rendered each time."""

from functools import partial

from django.template.loader import render_to_string

from editorial.kept import KeptWhileUnchanged

# Each question in the orders its choices were shown in: a few thousand parts of a few kilobytes each.
answer_parts = KeptWhileUnchanged(size=2_000)


def answer_fields(question, number, form, certainty_form):
    context = {"question": question, "number": number, "form": form, "certainty_form": certainty_form}
    render = partial(render_to_string, "quiz/answer_fields.html", context)
    if form.is_bound or (certainty_form is not None and certainty_form.is_bound):
        return render()
    # The certainty hint is longer on the first question; the rest of the part depends on nothing else.
    key = (question.pk, tuple(choice.pk for choice in form.choices), number == 1, certainty_form is not None)
    return answer_parts.get(key, render)
