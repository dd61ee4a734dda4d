# The indexes in a migration of their own: on PostgreSQL an index cannot be built in the transaction that
# updated the table's rows (0012's data), while their foreign-key checks are pending.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0012_item_analysis_stored_at_finish"),
    ]

    operations = [
        migrations.AddIndex(
            model_name='answer',
            index=models.Index(fields=['question', 'mark', 'rest_score', 'position', 'counted', 'certainty'], name='answer_item_analysis'),
        ),
        migrations.AddIndex(
            model_name='answer',
            index=models.Index(fields=['question', 'picked', 'placements', 'counted'], name='answer_picks_analysis'),
        ),
    ]
