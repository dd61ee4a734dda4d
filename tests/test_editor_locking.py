"""No silent overwrites: a save over a change someone made after the form was opened is refused, text kept;
and the change form names the other editors who opened it in the last few minutes."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from content.models import Example
from editorial import presence
from quiz.models import Question
from tests.editor_helpers import EDITOR_PASSWORD, change_url, form_data, save
from tests.html_pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_editor_client(editor, monkeypatch):
    """A second member of the Editors group, signed in from another browser."""
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("create_editor", "anna", "--email", "anna@example.com", stdout=io.StringIO())
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "anna", "password": EDITOR_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def telemarketing(shipped_content):
    return Example.objects.get(slug="telemarketing")


def opened(client, item):
    """What the browser would post back for the item's change form as it is now, unchanged."""
    response = client.get(change_url(item))
    assert response.status_code == 200
    return form_data(response)


def errors(response):
    return " ".join(error.text for error in parse(response).find_all(class_="errorlist"))


def test_a_save_after_someone_elses_is_refused_naming_them_and_keeping_the_text(
    editor_client, other_editor_client, telemarketing
):
    marias_form = opened(editor_client, telemarketing)
    assert save(other_editor_client, change_url(telemarketing), summary="Anna's summary.").status_code == 302

    response = editor_client.post(change_url(telemarketing), {**marias_form, "summary": "Maria's summary."})

    assert response.status_code == 200
    assert "anna saved this example" in errors(response)
    assert parse(response).find("textarea", name="summary").text == "Maria's summary."
    telemarketing.refresh_from_db()
    assert telemarketing.summary == "Anna's summary."


def test_the_refusal_lists_what_the_other_editor_changed(editor_client, other_editor_client, telemarketing):
    assert save(editor_client, change_url(telemarketing), title="Telemarketing calls").status_code == 302
    marias_form = opened(editor_client, telemarketing)
    assert save(other_editor_client, change_url(telemarketing), title="Outbound calls").status_code == 302

    response = editor_client.post(change_url(telemarketing), {**marias_form, "summary": "Maria's summary."})

    rows = parse(response).find("table", id="changed-since-opened").find("tbody").find_all("tr")
    assert [tuple(cell.text for cell in row.children) for row in rows] == [
        ("Title", "Telemarketing calls", "Outbound calls")
    ]


def test_a_refused_form_stays_refused_and_a_reloaded_one_saves(editor_client, other_editor_client, telemarketing):
    marias_form = opened(editor_client, telemarketing)
    assert save(other_editor_client, change_url(telemarketing), title="Outbound calls").status_code == 302
    refused = editor_client.post(change_url(telemarketing), {**marias_form, "summary": "Maria's summary."})

    again = editor_client.post(change_url(telemarketing), form_data(refused))
    assert again.status_code == 200 and "anna saved" in errors(again)

    assert save(editor_client, change_url(telemarketing), summary="Maria's summary.").status_code == 302
    telemarketing.refresh_from_db()
    assert (telemarketing.title, telemarketing.summary) == ("Outbound calls", "Maria's summary.")


def test_a_change_to_a_questions_choices_makes_an_older_form_of_the_question_stale(
    editor_client, other_editor_client, shipped_content
):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    marias_form = opened(editor_client, question)
    assert save(other_editor_client, change_url(question), **{"choices-0-text": "Anna's choice"}).status_code == 302

    response = editor_client.post(change_url(question), {**marias_form, "prompt": "Maria's prompt?"})

    assert response.status_code == 200 and "anna saved this question" in errors(response)
    question.refresh_from_db()
    assert question.prompt != "Maria's prompt?"
    assert question.choices.first().text == "Anna's choice"


@pytest.mark.parametrize("version", ["", "garbage", "2001-01-01T00:00:00", "2999-01-01T00:00:00+00:00", None])
def test_a_missing_or_tampered_version_is_refused_and_nothing_changes(editor_client, telemarketing, version):
    data = {**opened(editor_client, telemarketing), "summary": "Tampered summary.", "opened_version": version}

    response = editor_client.post(
        change_url(telemarketing), {name: value for name, value in data.items() if value is not None}
    )

    assert response.status_code == 200
    assert "Reload the page" in errors(response)
    telemarketing.refresh_from_db()
    assert telemarketing.summary != "Tampered summary."


def test_the_version_field_is_in_the_change_form(editor_client, telemarketing):
    shown = parse(editor_client.get(change_url(telemarketing))).find("input", name="opened_version")
    assert shown["type"] == "hidden"
    assert shown["value"] == telemarketing.updated_at.isoformat()


def also_editing(client, item):
    notice = parse(client.get(change_url(item))).find_all(id="also-editing")
    return notice[0].text if notice else None


def test_the_change_form_names_the_other_editor_who_opened_it(editor_client, other_editor_client, telemarketing):
    assert also_editing(editor_client, telemarketing) is None
    assert "Also being edited by maria" in also_editing(other_editor_client, telemarketing)
    assert "Also being edited by anna" in also_editing(editor_client, telemarketing)


def test_an_editor_alone_on_an_item_sees_no_notice(editor_client, other_editor_client, telemarketing):
    other_editor_client.get(change_url(Example.objects.exclude(pk=telemarketing.pk).first()))
    assert also_editing(editor_client, telemarketing) is None
    assert also_editing(editor_client, telemarketing) is None


def test_an_opening_is_forgotten_after_a_few_minutes(editor_client, other_editor_client, telemarketing, monkeypatch):
    other_editor_client.get(change_url(telemarketing))
    monkeypatch.setattr(presence, "OPEN_FORM_SECONDS", 0)
    assert also_editing(editor_client, telemarketing) is None
