"""Least privilege: the Editors group, the create_editor command, and what an editor can and cannot do."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from content.models import Example
from quiz.models import Question
from tests.editor_helpers import EDITOR_PASSWORD, save
from tests.html_pages import parse
from tests.quiz_helpers import start

pytestmark = pytest.mark.django_db

EDITABLE = {
    "content": ["outsourcingmodel", "example", "comparisondimension", "comparisonvalue", "benefit", "section"],
    "quiz": ["quiz", "question", "choice"],
}


def test_the_migrations_give_editors_exactly_the_content_and_quiz_permissions_and_publishing():
    expected = {
        f"{app}.{action}_{model}"
        for app, models in EDITABLE.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    } | {"quiz.view_attempt", "quiz.view_answer", "editorial.publish"}
    editors = Group.objects.get(name="Editors")
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in editors.permissions.select_related("content_type")}
    assert granted == expected
    assert len(granted) == 39


def test_create_editor_makes_an_active_staff_member_of_editors_only(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    out = io.StringIO()
    call_command("create_editor", "sam", "--email", "sam@example.com", stdout=out)
    user = get_user_model().objects.get(username="sam")
    assert user.is_active and user.is_staff and not user.is_superuser
    assert user.email == "sam@example.com"
    assert [group.name for group in user.groups.all()] == ["Editors"]
    assert not user.user_permissions.exists()
    assert user.check_password(EDITOR_PASSWORD)
    assert EDITOR_PASSWORD not in out.getvalue()


def test_create_editor_without_a_password_in_the_environment_prints_a_strong_one_once(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("create_editor", "sam", stdout=out)
    printed = out.getvalue().split("write it down): ")[1].strip()
    assert len(printed) >= 24
    assert get_user_model().objects.get(username="sam").check_password(printed)
    call_command("create_editor", "alex", stdout=(second := io.StringIO()))
    assert printed not in second.getvalue()


def test_an_existing_username_is_refused_with_a_clear_error(editor):
    with pytest.raises(CommandError, match="There is already an account named “maria”"):
        call_command("create_editor", "maria", stdout=io.StringIO())
    assert get_user_model().objects.filter(username="maria").count() == 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["bad name!"], "Enter a valid username"),
        (["sam", "--email", "not-an-address"], "Enter a valid email address"),
    ],
)
def test_a_malformed_username_or_email_is_refused(monkeypatch, arguments, message):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    with pytest.raises(CommandError, match=message):
        call_command("create_editor", *arguments, stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_a_weak_password_from_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="too weak"):
        call_command("create_editor", "sam", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_the_command_explains_when_the_group_is_missing(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    Group.objects.filter(name="Editors").delete()
    with pytest.raises(CommandError, match="Run `manage.py migrate` first"):
        call_command("create_editor", "sam", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_an_editor_changes_an_example_and_readers_see_it_on_the_next_request(editor_client, client, shipped_content):
    example = Example.objects.get(slug="telemarketing")
    response = save(
        editor_client, f"/admin/content/example/{example.pk}/change/", summary="Calling people who **asked** to hear."
    )
    assert response.status_code == 302
    shown = parse(client.get("/bpo/")).by_id(example.anchor)
    assert "<p>Calling people who <strong>asked</strong> to hear.</p>" in shown


def test_an_editor_changes_a_question(editor_client, shipped_content):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    response = save(editor_client, f"/admin/quiz/question/{question.pk}/change/", prompt="Is telemarketing BPO work?")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "Is telemarketing BPO work?"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/1/change/",
        "/admin/auth/group/",
        "/admin/auth/user/add/",
        "/admin/axes/accessattempt/",
    ],
)
def test_an_editor_cannot_open_users_groups_or_other_apps(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_the_admin_index_offers_an_editor_only_content_and_quiz(editor_client):
    apps = {link.split("/")[2] for link in parse(editor_client.get("/admin/")).find(id="content-main").links()}
    assert apps == {"content", "quiz"}


def test_an_editor_can_view_but_not_change_attempts(editor_client, client, shipped_content):
    attempt = start(client)
    page = editor_client.get(f"/admin/quiz/attempt/{attempt.pk}/change/")
    assert page.status_code == 200
    assert str(attempt.public_id) in parse(page).find(class_="field-public_id").text
    assert not parse(page).has("input", name="score")
    response = editor_client.post(f"/admin/quiz/attempt/{attempt.pk}/change/", {"score": 99})
    assert response.status_code == 403
    assert editor_client.post(f"/admin/quiz/attempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.score == 0
