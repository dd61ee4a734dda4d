"""Editors may publish changes to published items; a site that wants review takes this permission away from them."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"


def publish_permission(apps):
    create_permissions(installed_apps.get_app_config("editorial"), apps=apps, verbosity=0)
    return apps.get_model("auth", "Permission").objects.filter(content_type__app_label="editorial", codename="publish")


def grant(apps, schema_editor):
    editors, _created = apps.get_model("auth", "Group").objects.get_or_create(name=EDITORS)
    editors.permissions.add(*publish_permission(apps))


def revoke(apps, schema_editor):
    for editors in apps.get_model("auth", "Group").objects.filter(name=EDITORS):
        editors.permissions.remove(*publish_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_draft_revisions"),
        ("content", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
