from contextlib import ExitStack

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from editorial.documents import ContentRefused
from editorial.history import recorded_in_history
from editorial.loading import (
    CREATED,
    UNCHANGED,
    UPDATED,
    LoadReport,
    configured_loaders,
    markdown_rendered_ahead,
    read_content,
)


class Command(BaseCommand):
    help = (
        "Load the site's content from Markdown files into the database, in one transaction. "
        "Items that already exist are left as editors left them unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir", nargs="?", default=str(settings.CONTENT_DATA_DIR), help="Folder to load (default: %(default)s)."
        )
        parser.add_argument("--replace", action="store_true", help="Overwrite existing items with the files' versions.")

    def handle(self, data_dir, replace, **options):
        report = LoadReport()
        loaders = configured_loaders()
        try:
            contents = read_content(loaders, data_dir)
            with (
                markdown_rendered_ahead(contents),
                transaction.atomic(),
                recorded_in_history(replace),
                ExitStack() as stack,
            ):
                for loader in loaders:
                    stack.enter_context(loader.loading())
                for loader, documents in zip(loaders, contents, strict=True):
                    loader.load(documents, replace, report)
        except ContentRefused as refusal:
            raise CommandError(f"Nothing was loaded. {refusal}") from refusal
        for kind, counts in report.counts.items():
            self.stdout.write(
                f"{kind}: {counts[CREATED]} created, {counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged"
            )
        summary = (
            f"Total: {report.total(CREATED)} created, {report.total(UPDATED)} updated, "
            f"{report.total(UNCHANGED)} unchanged."
        )
        if report.changed_anything:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{summary} Nothing to change: the database already has this content.")
            )
