from itertools import groupby

from django.db import migrations, models

BATCH = 1_000


def store_picks_of_unfinished_attempts(apps, schema_editor):
    """Answers stored their picks only at their attempt's finish until now: give the rest theirs, as answers now
    carry them from the moment they are given."""
    Answer = apps.get_model("quiz", "Answer")
    chosen = (
        Answer.chosen.through.objects.filter(answer__attempt__finished_at__isnull=True)
        .order_by("answer_id", "choice_id")
        .values_list("answer_id", "choice_id")
    )
    answers = []
    for answer_id, rows in groupby(chosen.iterator(chunk_size=BATCH), key=lambda row: row[0]):
        answers.append(Answer(pk=answer_id, picked=[choice_id for _, choice_id in rows]))
        if len(answers) == BATCH:
            Answer.objects.bulk_update(answers, ["picked"])
            answers = []
    Answer.objects.bulk_update(answers, ["picked"])


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0013_item_analysis_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="picked",
            field=models.JSONField(
                default=list, editable=False, help_text="The ids of the choices picked (``chosen``), lowest first."
            ),
        ),
        migrations.RunPython(store_picks_of_unfinished_attempts, migrations.RunPython.noop, elidable=True),
    ]
