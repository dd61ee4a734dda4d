"""Every model an editor changes in the admin makes the cached pages stale: create, change, delete, relink, reorder.

The models come from the admin itself (registered ones and those edited inline), so a model added to the admin
later is walked here too, and fails until this test can build one and the page cache is told about it.
"""

import itertools
import json

import pytest
from adminsortable2.admin import SortableAdminMixin
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from outsourcing_site.page_cache import content_version
from quiz.models import Answer, Attempt, Choice, Question, Quiz

pytestmark = pytest.mark.django_db

# Readers' records, not content: no cached page shows them, and the admin only lets staff look at them.
EXEMPT = {
    Attempt: "a reader's attempt; the admin refuses to add or change one",
    Answer: "shown only inline, read-only, under its attempt",
}

numbers = itertools.count(1)


def admins_by_model():
    """Each content and quiz model the admin edits, with the admin it is edited in (inline models too)."""
    edited = {}
    for model, model_admin in admin.site._registry.items():
        for candidate in [model, *(inline.model for inline in model_admin.inlines)]:
            if candidate._meta.app_label in {"content", "quiz"}:
                edited.setdefault(candidate, model_admin)
    return edited


ADMINS = admins_by_model()
COVERED = [model for model in ADMINS if model not in EXEMPT]
SORTABLE = [model for model in COVERED if isinstance(admin.site._registry.get(model), SortableAdminMixin)]
MANY_TO_MANY = [(model, field.name) for model in COVERED for field in model._meta.many_to_many]


def label(model):
    return model._meta.label


def unsaved_outsourcing_model():
    number = next(numbers)
    return OutsourcingModel(
        slug=f"model-{number}", abbreviation=f"M{number}", name=f"Model {number}", summary="A kind.", definition="It."
    )


def unsaved_example():
    return Example(
        outsourcing_model=saved(OutsourcingModel), slug=f"example-{next(numbers)}", title="Work", summary="S."
    )


def unsaved_dimension():
    return ComparisonDimension(slug=f"dimension-{next(numbers)}", title="Skill level")


def unsaved_comparison_value():
    return ComparisonValue(dimension=saved(ComparisonDimension), outsourcing_model=saved(OutsourcingModel), text="Low")


def unsaved_benefit():
    return Benefit(slug=f"benefit-{next(numbers)}", title="Cost", body="Cheaper.")


def unsaved_section():
    return Section(slug=f"section-{next(numbers)}", title="Introduction", body="Hello.")


def unsaved_quiz():
    return Quiz(slug=f"quiz-{next(numbers)}", title="A quiz", introduction="Try it.")


def unsaved_question():
    return Question(
        quiz=saved(Quiz),
        slug=f"question-{next(numbers)}",
        topic=Question.Topic.EXAMPLES,
        prompt="Which?",
        learn_more_section=saved(Section),
    )


def unsaved_choice():
    return Choice(question=saved(Question), text="BPO")


# One way to build each covered model, its required relations saved first so that only its own save is measured.
UNSAVED = {
    OutsourcingModel: unsaved_outsourcing_model,
    Example: unsaved_example,
    ComparisonDimension: unsaved_dimension,
    ComparisonValue: unsaved_comparison_value,
    Benefit: unsaved_benefit,
    Section: unsaved_section,
    Quiz: unsaved_quiz,
    Question: unsaved_question,
    Choice: unsaved_choice,
}


def saved(model):
    instance = UNSAVED[model]()
    instance.save()
    return instance


def changes_the_stamp(action):
    before = content_version()
    action()
    return content_version() != before


def test_every_model_edited_in_the_admin_can_be_built_here_or_is_exempt_with_a_reason():
    missing = [label(model) for model in COVERED if model not in UNSAVED]
    assert not missing, f"Add a builder to UNSAVED (or a reason to EXEMPT) for {missing}"
    assert Example in COVERED and Choice in COVERED


@pytest.mark.parametrize("model", EXEMPT, ids=label)
def test_exempt_models_cannot_be_added_or_changed_in_the_admin(model, admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = ADMINS[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)


@pytest.mark.parametrize("model", COVERED, ids=label)
def test_creating_a_row_makes_cached_pages_stale(model):
    instance = UNSAVED[model]()
    assert changes_the_stamp(instance.save)


@pytest.mark.parametrize("model", COVERED, ids=label)
def test_changing_a_row_makes_cached_pages_stale(model):
    instance = saved(model)
    assert changes_the_stamp(instance.save)


@pytest.mark.parametrize("model", COVERED, ids=label)
def test_deleting_a_row_makes_cached_pages_stale(model):
    instance = saved(model)
    assert changes_the_stamp(instance.delete)


@pytest.mark.parametrize("model, field", MANY_TO_MANY, ids=lambda value: getattr(value, "__name__", value))
def test_linking_and_unlinking_rows_makes_cached_pages_stale(model, field):
    instance = saved(model)
    related = getattr(instance, field)
    other = saved(related.model)
    assert changes_the_stamp(lambda: related.add(other))
    assert changes_the_stamp(lambda: related.remove(other))


@pytest.mark.parametrize("model", SORTABLE, ids=label)
def test_dragging_a_row_in_the_admin_list_makes_cached_pages_stale(model, admin_client):
    first, second = saved(model), saved(model)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_sortable_update")
    body = json.dumps({"updatedItems": [[str(second.pk), 1], [str(first.pk), 2]]})

    def drag():
        response = admin_client.post(url, body, content_type="application/json")
        assert response.status_code == 200, response.content

    assert changes_the_stamp(drag)
    assert list(model.objects.filter(pk__in=[first.pk, second.pk]).order_by("position")) == [second, first]
