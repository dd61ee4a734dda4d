"""Editors may add, change, delete and view quizzes, questions and choices, and only view attempts and answers."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CODENAMES = [
    *(f"{action}_{model}" for model in ["quiz", "question", "choice"] for action in ["add", "change", "delete", "view"]),
    "view_attempt",
    "view_answer",
]


def quiz_permissions(apps):
    create_permissions(installed_apps.get_app_config("quiz"), apps=apps, verbosity=0)
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="quiz", codename__in=CODENAMES
    )
    return permissions


def grant(apps, schema_editor):
    editors, _created = apps.get_model("auth", "Group").objects.get_or_create(name=EDITORS)
    editors.permissions.add(*quiz_permissions(apps))


def revoke(apps, schema_editor):
    for editors in apps.get_model("auth", "Group").objects.filter(name=EDITORS):
        editors.permissions.remove(*quiz_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_editors_group"),
        ("quiz", "0002_editor_help_texts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
