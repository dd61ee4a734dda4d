import secrets

from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("outsourcing_site", "ContentVersion").objects.create(pk=1, stamp=secrets.token_hex(8))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stamp", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "content version",
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
