"""Working in the admin the way an editor's browser does: sign in, open a form, change a field, save."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

EDITOR_PASSWORD = "a-long-editor-password-for-tests"


@pytest.fixture
def editor(db, monkeypatch):
    """A member of the Editors group and nothing else, made the way the README says."""
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("create_editor", "maria", "--email", "maria@example.com", stdout=io.StringIO())
    return get_user_model().objects.get(username="maria")


@pytest.fixture
def editor_client(editor):
    """A browser signed in to the admin as the editor; the ``client`` fixture stays an anonymous reader."""
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "maria", "password": EDITOR_PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    return client


def form_data(response):
    """What the browser would post back for the form on an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def save(client, url, **changes):
    """Open the change form at ``url``, apply ``changes`` (form field names) and save it."""
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, data)
