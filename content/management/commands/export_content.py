from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from editorial.loading import configured_loaders


class Command(BaseCommand):
    help = "Write the database's content to Markdown files in the format load_content reads."

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir",
            nargs="?",
            default=str(settings.CONTENT_DATA_DIR),
            help="Folder to write (default: %(default)s).",
        )

    def handle(self, data_dir, **options):
        data_dir = Path(data_dir)
        for loader in configured_loaders():
            loader.export(data_dir)
        self.stdout.write(self.style.SUCCESS(f"Content exported to {data_dir}."))
