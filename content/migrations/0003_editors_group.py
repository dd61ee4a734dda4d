"""The “Editors” group: may add, change, delete and view the explainer's content, and nothing else here.

The quiz app adds its own permissions to the same group in its migrations.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CONTENT_MODELS = ["outsourcingmodel", "example", "comparisondimension", "comparisonvalue", "benefit", "section"]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors_group(apps, schema_editor):
    # On a fresh database, permissions are only created after all migrations have run; create ours now.
    create_permissions(installed_apps.get_app_config("content"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in ACTIONS]
    permissions = Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
    editors.permissions.add(*permissions)


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0002_editor_help_texts"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
