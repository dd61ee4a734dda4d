from django.conf import settings
from django.core.management.base import BaseCommand

from outsourcing_site.models import ContentVersion


class Command(BaseCommand):
    help = (
        "Make every cached page stale on every server, e.g. after restoring a backup or changing content "
        "with SQL: each server renders its pages afresh within CONTENT_VERSION_SECONDS."
    )

    def handle(self, **options):
        ContentVersion.replace()
        self.stdout.write(
            self.style.SUCCESS(
                f"Cached pages refreshed: every server shows the database's content within "
                f"{settings.CONTENT_VERSION_SECONDS} s."
            )
        )
