"""History and revert: every admin change is kept with who and when, and an earlier version can be restored."""

import io

import pytest
from django.core.management import call_command

from content.models import ComparisonDimension, Example
from quiz.models import Question
from tests.editor_helpers import change_url, form_data, save
from tests.html_pages import parse

pytestmark = pytest.mark.django_db


def history(client, item):
    """(who, comment, revert link) for each version on the item's history page, oldest first."""
    table = parse(client.get(change_url(item).replace("/change/", "/history/"))).find("table", id="change-history")
    rows = table.find("tbody").find_all("tr")
    return [(row.find_all("td")[0].text, row.find_all("td")[-1].text, row.find("th").links()[0]) for row in rows]


def reader_text(client, url):
    """What a reader sees in the page's main content."""
    return parse(client.get(url)).find("main").text


def revert(client, link):
    """Open an earlier version the way the history page links to it, and save it as it is shown."""
    shown = client.get(link)
    assert shown.status_code == 200
    return client.post(link, form_data(shown))


@pytest.fixture
def telemarketing(shipped_content):
    return Example.objects.get(slug="telemarketing")


def test_an_editor_restores_the_first_of_two_versions_and_readers_see_it_again(editor_client, client, telemarketing):
    assert save(editor_client, change_url(telemarketing), summary="First rewrite of telemarketing.").status_code == 302
    assert save(editor_client, change_url(telemarketing), summary="Second rewrite of telemarketing.").status_code == 302

    versions = history(editor_client, telemarketing)
    assert [who for who, _comment, _link in versions] == ["maria", "maria"]
    assert "Summary" in versions[1][1]

    shown = parse(editor_client.get(versions[0][2]))
    assert shown.find("textarea", name="summary").text == "First rewrite of telemarketing."
    assert "Second rewrite" in reader_text(client, "/bpo/"), "opening an old version changes nothing"

    assert revert(editor_client, versions[0][2]).status_code == 302
    shown = reader_text(client, "/bpo/")
    assert "First rewrite of telemarketing." in shown
    assert "Second rewrite" not in shown
    after = history(editor_client, telemarketing)
    assert len(after) == 3 and after[2][1].startswith("Reverted to previous version")


def test_an_earlier_version_lists_what_restoring_it_would_change(editor_client, telemarketing):
    assert save(editor_client, change_url(telemarketing), summary="Old summary.", title="Old title").status_code == 302
    assert (
        save(editor_client, change_url(telemarketing), summary="New summary.", title="Telemarketing").status_code == 302
    )
    shown = parse(editor_client.get(history(editor_client, telemarketing)[0][2]))
    rows = shown.find("table", id="version-differences").find("tbody").find_all("tr")
    assert [tuple(cell.text for cell in row.children) for row in rows] == [
        ("Title", "Old title", "Telemarketing"),
        ("Summary", "Old summary.", "New summary."),
    ]


def test_restoring_a_question_restores_its_choices(editor_client, shipped_content):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    original = [(choice.text, choice.correct) for choice in question.choices.all()]
    assert save(editor_client, change_url(question), prompt="Before the choices change.").status_code == 302
    assert save(editor_client, change_url(question), **{"choices-0-text": "Changed choice"}).status_code == 302
    assert question.choices.first().text == "Changed choice"

    assert revert(editor_client, history(editor_client, question)[0][2]).status_code == 302
    assert [(choice.text, choice.correct) for choice in question.choices.all()] == original


def test_restoring_a_comparison_row_restores_its_values(editor_client, client, shipped_content):
    dimension = ComparisonDimension.objects.get(slug="skill-level")
    before = {value.pk: value.text for value in dimension.values.all()}
    assert save(editor_client, change_url(dimension), title="Skill level").status_code == 302
    assert save(editor_client, change_url(dimension), **{"values-0-text": "Anyone at all"}).status_code == 302
    assert "Anyone at all" in reader_text(client, "/")

    assert revert(editor_client, history(editor_client, dimension)[0][2]).status_code == 302
    assert {value.pk: value.text for value in dimension.values.all()} == before
    assert "Anyone at all" not in reader_text(client, "/")


def test_load_content_replace_is_recorded_and_the_editors_version_can_be_restored(editor_client, client, telemarketing):
    assert save(editor_client, change_url(telemarketing), summary="Words the editor chose.").status_code == 302
    call_command("load_content", "--replace", stdout=io.StringIO())
    assert "Words the editor chose." not in reader_text(client, "/bpo/")

    versions = history(editor_client, telemarketing)
    assert [(who, comment) for who, comment, _link in versions][1] == (
        "—",
        "Replaced with the content files (load_content --replace).",
    )
    assert revert(editor_client, versions[0][2]).status_code == 302
    assert "Words the editor chose." in reader_text(client, "/bpo/")


def test_load_content_without_replace_records_nothing(editor_client, telemarketing):
    assert save(editor_client, change_url(telemarketing), summary="Kept as the editor left it.").status_code == 302
    call_command("load_content", stdout=io.StringIO())
    assert len(history(editor_client, telemarketing)) == 1


def test_a_version_of_another_item_or_an_unknown_version_is_not_found(editor_client, shipped_content, telemarketing):
    other = Example.objects.get(slug="data-entry")
    assert save(editor_client, change_url(other), summary="Another example's change.").status_code == 302
    link = history(editor_client, other)[0][2]
    version_id = link.rstrip("/").split("/")[-1]
    base = change_url(telemarketing).replace("/change/", "/history/")
    assert editor_client.get(f"{base}{version_id}/").status_code == 404
    assert editor_client.post(f"{base}{version_id}/", {"summary": "tampered"}).status_code == 404
    assert editor_client.get(f"{base}999999/").status_code == 404
    telemarketing.refresh_from_db()
    assert "tampered" not in telemarketing.summary


def test_readers_cannot_see_history_or_restore(client, reader_user, telemarketing):
    client.force_login(reader_user)
    url = change_url(telemarketing).replace("/change/", "/history/")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
