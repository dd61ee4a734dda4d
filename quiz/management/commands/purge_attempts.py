from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quiz.models import Attempt, ReviewPlan


class Command(BaseCommand):
    help = (
        "Delete unfinished quiz attempts started more than --older-than days ago (finished attempts are kept), and "
        "review links unused for REVIEW_PLAN_RETENTION_DAYS days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="age in whole days, at least 1"
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would be deleted, delete nothing")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day, so attempts in progress are never deleted.")
        now = timezone.now()
        cutoff = now - timedelta(days=older_than)
        unused_since = now - timedelta(days=settings.REVIEW_PLAN_RETENTION_DAYS)
        with transaction.atomic():
            abandoned = Attempt.objects.abandoned(cutoff)
            unused = ReviewPlan.objects.unused_since(unused_since)
            count, plans = abandoned.count(), unused.count()
            if not dry_run:
                abandoned.delete()
                unused.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} unfinished attempt(s) started before {cutoff:%Y-%m-%d %H:%M} UTC.")
        self.stdout.write(f"{verb} {plans} review link(s) unused since {unused_since:%Y-%m-%d %H:%M} UTC.")
