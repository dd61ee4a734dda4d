"""The admin says whose it is, labels the live preview, and fills in what it can for a new question."""

import json

import pytest
from django.conf import settings

from quiz.models import Question
from tests.editor_helpers import change_url
from tests.factories import QuizFactory
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

ADD_QUESTION = "/admin/quiz/question/add/"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response)


def test_the_admin_header_title_and_index_carry_the_sites_name(editor_client):
    index = page(editor_client, "/admin/")
    assert index.find(id="site-name").text == settings.SITE_NAME
    assert settings.SITE_NAME in index.find("title").text
    assert settings.SITE_NAME in index.find(id="content").find("h1").text
    assert "Django administration" not in index.text


def test_the_live_preview_is_labelled_preview(editor_client, shipped_content):
    form = page(editor_client, "/admin/content/section/add/")
    assert [label.text for label in form.find_all("p", class_="markdownx-preview-label")] == ["Preview"]
    assert form.find("div", class_="markdownx-preview")["aria-label"] == "Preview"


def prepopulated(form):
    """{field id: the ids of the fields it is filled in from} for the form's prepopulated fields."""
    script = form.find("script", id="django-admin-prepopulated-fields-constants")
    return {field["id"]: field["dependency_ids"] for field in json.loads(script["data-prepopulated-fields"])}


def test_a_new_questions_slug_fills_in_from_its_prompt(editor_client, shipped_quiz):
    assert prepopulated(page(editor_client, ADD_QUESTION))["#id_slug"] == ["#id_prompt"]


def test_a_generated_questions_form_still_opens(editor_client, shipped_quiz):
    generated = Question.objects.exclude(generated_key="").first()
    assert prepopulated(page(editor_client, change_url(generated))) == {}


def selected_quiz(form):
    return [
        option["value"] for option in form.find("select", name="quiz").find_all("option") if "selected" in option.attrs
    ]


def test_the_only_quiz_is_preselected_for_a_new_question(editor_client, shipped_quiz):
    assert selected_quiz(page(editor_client, ADD_QUESTION)) == [str(shipped_quiz.pk)]


def test_no_quiz_is_preselected_when_there_are_two(editor_client, shipped_quiz):
    QuizFactory()
    assert (
        selected_quiz(page(editor_client, ADD_QUESTION)) == [""]
        or selected_quiz(page(editor_client, ADD_QUESTION)) == []
    )
