from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quiz.models import Attempt


class Command(BaseCommand):
    help = "Delete unfinished quiz attempts started more than --older-than days ago. Finished attempts are kept."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="age in whole days, at least 1"
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would be deleted, delete nothing")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day, so attempts in progress are never deleted.")
        cutoff = timezone.now() - timedelta(days=older_than)
        with transaction.atomic():
            abandoned = Attempt.objects.abandoned(cutoff)
            count = abandoned.count()
            if dry_run:
                self.stdout.write(
                    f"Would delete {count} unfinished attempt(s) started before {cutoff:%Y-%m-%d %H:%M} UTC."
                )
                return
            abandoned.delete()
        self.stdout.write(f"Deleted {count} unfinished attempt(s) started before {cutoff:%Y-%m-%d %H:%M} UTC.")
