from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editorial.documents import ContentRefused
from editorial.exporting import MANIFEST, ExportStopped, export_content
from editorial.loading import configured_loaders


class Command(BaseCommand):
    help = (
        "Write the database's content to Markdown files in the format load_content reads. "
        f"The folder must be new, empty or an earlier export; the export lists the files it writes in {MANIFEST} "
        "and replaces or removes no other file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir",
            nargs="?",
            default=str(settings.CONTENT_DATA_DIR),
            help="Folder to write (default: %(default)s).",
        )

    def handle(self, data_dir, **options):
        try:
            written = export_content(configured_loaders(), data_dir)
        except ExportStopped as stopped:
            raise CommandError(f"The export stopped part-way; fix this and export again. {stopped}") from stopped
        except ContentRefused as refusal:
            raise CommandError(f"Nothing was exported. {refusal}") from refusal
        self.stdout.write(self.style.SUCCESS(f"{written} files exported to {data_dir}."))
