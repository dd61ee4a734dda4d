"""Bring questions in line with the “learn more” rules the next migration puts in the database.

A question with several targets keeps the first in this order, the one its results page
linked to; a published question without a target is unpublished, as deleting its target
now does. Separate from the constraints so PostgreSQL has no pending updates when they are added.
"""

from django.db import migrations

TARGETS = ["learn_more_model", "learn_more_example", "learn_more_dimension", "learn_more_benefit", "learn_more_section"]


def keep_one_target(apps, schema_editor):
    questions = apps.get_model("quiz", "Question").objects
    for place, kept in enumerate(TARGETS[:-1]):
        questions.filter(**{f"{kept}__isnull": False}).update(**dict.fromkeys(TARGETS[place + 1 :]))
    questions.filter(published=True, **{f"{name}__isnull": True for name in TARGETS}).update(published=False)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0003_editors_may_edit_the_quiz"),
    ]

    operations = [migrations.RunPython(keep_one_target, migrations.RunPython.noop)]
