"""A question's “learn more” target: one at most, one for every published question, in the database too."""

import io
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from pytest_django.asserts import assertContains

from content.models import Example, OutsourcingModel, Section
from quiz.models import Question
from tests.editor_helpers import form_data
from tests.quiz_helpers import answer_first

pytestmark = pytest.mark.django_db

TWO_TARGETS = "Pick only one “learn more” target."
NO_TARGET = "A published question needs an explanation and a “learn more” target"


@pytest.fixture
def question(shipped_content):
    """A published hand-written question whose target is an example."""
    return Question.objects.get(slug="telemarketing-is-bpo")


def refused_by_the_database(**changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(slug="telemarketing-is-bpo").update(**changes)


def test_the_database_refuses_a_second_target(question):
    refused_by_the_database(learn_more_model=OutsourcingModel.objects.get(slug="bpo"))
    question.published = False
    question.save()
    refused_by_the_database(learn_more_model=OutsourcingModel.objects.get(slug="bpo"))


def test_the_database_refuses_a_published_question_without_a_target_and_keeps_a_draft_without_one(question):
    refused_by_the_database(learn_more_example=None)
    Question.objects.filter(pk=question.pk).update(published=False, learn_more_example=None)
    question.refresh_from_db()
    assert question.learn_more is None and question.learn_more_url == ""


def test_each_kind_of_target_leads_to_its_place_in_the_explainer(shipped_content):
    urls = {question.learn_more_kind.name: question.learn_more_url for question in Question.objects.with_learn_more()}
    assert urls["model"] in ("/bpo/#definition", "/kpo/#definition")
    assert urls["example"].startswith(("/bpo/#", "/kpo/#"))
    assert urls["dimension"].startswith("/#compare-")
    assert urls["benefit"].startswith("/#benefit-")
    assert urls["section"] in ("/#introduction", "/#benefits", "/#key-differences")


def change_form(admin_client, question):
    return form_data(admin_client.get(f"/admin/quiz/question/{question.pk}/change/"))


def test_the_admin_explains_a_broken_rule_once_and_saves_nothing(admin_client, question):
    data = change_form(admin_client, question)
    data["learn_more"] = ""

    response = admin_client.post(f"/admin/quiz/question/{question.pk}/change/", data)

    assertContains(response, NO_TARGET, count=1)
    question.refresh_from_db()
    assert question.learn_more == Example.objects.get(slug="telemarketing")


def test_deleting_a_target_turns_its_questions_into_drafts(admin_client, shipped_content):
    question = Question.objects.get(learn_more_section__slug="benefits")
    section = question.learn_more_section

    response = admin_client.post(f"/admin/content/section/{section.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.published is False and question.learn_more is None


def test_republishing_a_retired_question_that_lost_its_target_is_explained_not_a_server_error(
    admin_client, client, shipped_content
):
    """Its learn-more fields are read-only in the admin, so only clean() can speak for the database here."""
    example = Example.objects.get(slug="telemarketing")
    generated = Question.objects.get(generated_key=f"example:{example.pk}")
    answer_first(client, generated)
    example.delete()
    data = change_form(admin_client, generated)
    data["published"] = "on"

    response = admin_client.post(f"/admin/quiz/question/{generated.pk}/change/", data)

    assertContains(response, NO_TARGET, count=1)
    generated.refresh_from_db()
    assert generated.published is False and generated.active is False


@pytest.mark.parametrize(
    "reference, problem",
    [
        ("chapter:introduction", "“learn_more” must be type:slug with type one of model, example, dimension, benefit"),
        ("section", "“learn_more” must be type:slug"),
        ("section:nowhere", "learn_more: there is no section “nowhere”"),
    ],
)
def test_the_loader_names_a_bad_target_in_words(tmp_path, db, reference, problem):
    data = tmp_path / "data"
    shutil.copytree(settings.CONTENT_DATA_DIR, data)
    path = data / "questions" / "telemarketing-is-bpo.md"
    path.write_text(path.read_text().replace("learn_more: example:telemarketing", f"learn_more: {reference}"))

    with pytest.raises(CommandError) as error:
        call_command("load_content", str(data), stdout=io.StringIO())

    assert problem in str(error.value) and path.name in str(error.value)
    assert not Section.objects.exists()
