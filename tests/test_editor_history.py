"""History and revert: every admin change is kept with who and when, and an earlier version can be restored."""

import io
import re

import pytest
from django.core.management import call_command
from reversion.models import Revision, Version

from content.models import Benefit, ComparisonDimension, Example, OutsourcingModel, Section
from quiz.models import Question, Quiz
from tests.editor_helpers import change_url, form_data, save
from tests.html_pages import parse
from tests.quiz_helpers import answer, start

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

    versions = history(editor_client, telemarketing)[1:]
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
    assert len(after) == 4 and after[3][1].startswith("Reverted to previous version")


def test_an_earlier_version_lists_what_restoring_it_would_change(editor_client, telemarketing):
    assert save(editor_client, change_url(telemarketing), summary="Old summary.", title="Old title").status_code == 302
    assert (
        save(editor_client, change_url(telemarketing), summary="New summary.", title="Telemarketing").status_code == 302
    )
    shown = parse(editor_client.get(history(editor_client, telemarketing)[1][2]))
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
    assert [(who, comment) for who, comment, _link in versions][2] == (
        "—",
        "Replaced with the content files (load_content --replace).",
    )
    assert revert(editor_client, versions[1][2]).status_code == 302
    assert "Words the editor chose." in reader_text(client, "/bpo/")


def test_load_content_without_replace_adds_nothing_to_an_items_history(editor_client, telemarketing):
    assert save(editor_client, change_url(telemarketing), summary="Kept as the editor left it.").status_code == 302
    before = history(editor_client, telemarketing)
    call_command("load_content", stdout=io.StringIO())
    assert history(editor_client, telemarketing) == before
    assert len(before) == 2


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


LOADED = ("—", "Loaded from the content files (load_content).")
REPLACED = ("—", "Replaced with the content files (load_content --replace).")


def entries(client, item):
    return [(who, comment) for who, comment, _link in history(client, item)]


def items_of_every_kind():
    return [
        OutsourcingModel.objects.get(slug="kpo"),
        Example.objects.get(slug="telemarketing"),
        ComparisonDimension.objects.get(slug="skill-level"),
        Benefit.objects.first(),
        Section.objects.get(slug="introduction"),
        Quiz.objects.get(),
        Question.objects.get(slug="telemarketing-is-bpo"),
        Question.objects.exclude(generated_key="").first(),
    ]


def test_every_shipped_item_starts_its_history_with_the_loaded_text(editor_client, shipped_content):
    for item in items_of_every_kind():
        assert entries(editor_client, item) == [LOADED], item


def test_the_first_edit_of_a_shipped_item_is_undone_through_history_and_only_that_item_goes_back(
    editor_client, client, telemarketing
):
    shipped = telemarketing.summary
    data_entry = Example.objects.get(slug="data-entry")
    assert save(editor_client, change_url(data_entry), summary="Data entry, as the editor wrote it.").status_code == 302
    assert save(editor_client, change_url(telemarketing), summary="A first edit to undo.").status_code == 302

    loaded = history(editor_client, telemarketing)[0]
    assert (loaded[0], loaded[1]) == LOADED
    assert revert(editor_client, loaded[2]).status_code == 302

    telemarketing.refresh_from_db()
    assert telemarketing.summary == shipped
    assert "A first edit to undo." not in reader_text(client, "/bpo/")
    assert "Data entry, as the editor wrote it." in reader_text(client, "/bpo/")


def test_a_shipped_questions_first_edit_is_undone_with_its_choices(editor_client, shipped_content):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    shipped = (question.prompt, [(choice.text, choice.correct) for choice in question.choices.all()])
    changes = {"prompt": "A changed prompt?", "choices-0-text": "A changed choice"}
    assert save(editor_client, change_url(question), **changes).status_code == 302

    assert revert(editor_client, history(editor_client, question)[0][2]).status_code == 302
    question.refresh_from_db()
    assert (question.prompt, [(choice.text, choice.correct) for choice in question.choices.all()]) == shipped


def test_loading_again_records_nothing_new(editor_client, shipped_content):
    before = Version.objects.count()
    call_command("load_content", stdout=io.StringIO())
    assert Version.objects.count() == before


def test_a_database_loaded_before_history_was_kept_gets_each_items_first_version(editor_client, shipped_content):
    Revision.objects.all().delete()
    call_command("load_content", stdout=io.StringIO())
    for item in items_of_every_kind():
        assert entries(editor_client, item) == [LOADED], item


def test_replace_records_a_version_for_each_item_it_changes_and_only_those(editor_client, shipped_content):
    telemarketing = Example.objects.get(slug="telemarketing")
    benefit = Benefit.objects.filter(applies_to__isnull=False).distinct().first()
    question = Question.objects.get(slug="telemarketing-is-bpo")
    assert save(editor_client, change_url(telemarketing), summary="An editor's summary.").status_code == 302
    benefit.applies_to.clear()
    assert save(editor_client, change_url(question), **{"choices-0-text": "An editor's choice"}).status_code == 302

    call_command("load_content", "--replace", stdout=io.StringIO())

    editors_version = form_data(editor_client.get(history(editor_client, question)[-2][2]))
    assert editors_version["choices-0-text"] == "An editor's choice"
    for item in (telemarketing, benefit, question):
        assert entries(editor_client, item)[-1] == REPLACED, item
    assert entries(editor_client, Example.objects.get(slug="data-entry")) == [LOADED]
    replaced = form_data(editor_client.get(history(editor_client, question)[-1][2]))
    shown_choices = [value for name, value in replaced.items() if re.fullmatch(r"choices-\d+-text", name)]
    assert "An editor's choice" not in shown_choices
    assert shown_choices == [choice.text for choice in question.choices.all()]


def test_restoring_a_version_that_would_delete_a_choice_readers_picked_is_refused(editor_client, client, shipped_quiz):
    question = Question.objects.get(slug="telemarketing-is-bpo", kind=Question.Kind.SINGLE)
    data = form_data(editor_client.get(change_url(question)))
    added = int(data["choices-TOTAL_FORMS"])
    data.update(
        {
            "choices-TOTAL_FORMS": added + 1,
            f"choices-{added}-text": "A choice added later",
            f"choices-{added}-question": question.pk,
        }
    )
    assert editor_client.post(change_url(question), data).status_code == 302
    new_choice = question.choices.get(text="A choice added later")
    attempt = start(client)
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [new_choice.pk] + [
        choice.pk for choice in question.choices.exclude(pk=new_choice.pk)
    ]
    attempt.save()
    assert answer(client, attempt, 1, right=False).status_code == 302
    versions_before = Version.objects.count()

    loaded_link = history(editor_client, question)[0][2]
    for response in (editor_client.get(loaded_link), editor_client.post(loaded_link, {"prompt": "Tampered"})):
        assert response.status_code == 302
        assert response.url == change_url(question).replace("/change/", "/history/")
        message = " ".join(str(message) for message in response.wsgi_request._messages)
        assert "“A choice added later” (picked in 1 answer)" in message
        assert "cannot be restored" in message

    assert question.choices.filter(pk=new_choice.pk).exists()
    assert list(attempt.answers.get().chosen.all()) == [new_choice]
    question.refresh_from_db()
    assert question.prompt != "Tampered"
    assert Version.objects.count() == versions_before


def test_a_version_of_another_kind_of_item_or_a_malformed_version_is_not_found(editor_client, shipped_content):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    other_kind = Version.objects.get_for_model(Example).exclude(object_id=str(question.pk)).first()
    same_id_example = Example.objects.filter(pk=question.pk).first()
    history_url = change_url(question).replace("/change/", "/history/")
    assert editor_client.get(f"{history_url}{other_kind.pk}/").status_code == 404
    assert editor_client.post(f"{history_url}{other_kind.pk}/", {"prompt": "tampered"}).status_code == 404
    for version_id in ["abc", "1.5", "99999999999999999999"]:
        assert editor_client.post(f"{history_url}{version_id}/", {"prompt": "tampered"}).status_code in (302, 404)
    if same_id_example is not None:
        version = Version.objects.get_for_object(same_id_example).first()
        assert editor_client.get(f"{history_url}{version.pk}/").status_code == 404
    for version_id in [other_kind.pk, "99999999999999999999"]:
        assert editor_client.get(f"/admin/quiz/question/recover/{version_id}/").status_code == 404
    question.refresh_from_db()
    assert question.prompt != "tampered"
