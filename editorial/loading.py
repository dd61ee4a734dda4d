"""The loading framework: folders of content files into the database, and the database back into files.

A loader owns some folders of the data directory. ``load_content`` and ``export_content`` run every loader
named in ``settings.CONTENT_LOADERS``, so each app adds its own content without the others knowing about it.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from .documents import ContentFileError, read_folder, write_document
from .rendering import rendered_ahead

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class LoadReport:
    """Counts of created/updated/unchanged items per kind, in the order the kinds were loaded."""

    counts: dict = field(default_factory=dict)

    def add(self, kind, outcome, count=1):
        self.counts.setdefault(kind, Counter())[outcome] += count

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def changed_anything(self):
        return bool(self.total(CREATED) or self.total(UPDATED))


def configured_loaders():
    return [import_string(path)() for path in settings.CONTENT_LOADERS]


class Loader:
    """Loads some folders of the data directory into the database and exports them back.

    A subclass names its ``folders`` and implements ``load``; for each folder it has an ``export_<folder>``
    method that yields the folder's items as (front matter, body) pairs, which ``export`` writes.
    """

    folders = ()

    def read(self, data_dir):
        """Each folder's documents, their slugs checked to be unique within the folder."""
        documents = {folder: read_folder(Path(data_dir) / folder) for folder in self.folders}
        for folder_documents in documents.values():
            require_unique_slugs(folder_documents)
        return documents

    def load(self, data_dir, replace, report):
        raise NotImplementedError

    def export(self, data_dir):
        for folder in self.folders:
            exporter = getattr(self, f"export_{folder}")
            write_folder(Path(data_dir) / folder, exporter())


@contextmanager
def markdown_rendered_ahead(loaders, data_dir):
    """A block in which the Markdown body of every document the ``loaders`` read is rendered already.

    Open the load's transaction inside it: the saves then look the HTML up (see editorial.rendering).
    A body the renderer refuses stops the load before it starts, naming the file.
    """
    documents = [document for loader in loaders for folder in loader.read(data_dir).values() for document in folder]
    with rendered_ahead() as render:
        for document in documents:
            try:
                render(document.body)
            except ValidationError as refusal:
                problem = f"the Markdown text below the front matter: {' '.join(refusal.messages)}"
                raise ContentFileError(document.path, problem) from None
        yield


def require_unique_slugs(documents):
    seen = {}
    for document in documents:
        slug = document.require("slug", str)
        if slug in seen:
            raise ContentFileError(document.path, f"duplicate slug “{slug}” (also in {seen[slug].name})")
        seen[slug] = document.path


def common_fields(document):
    """The front matter every item has: its place in its list and whether it is shown (by default it is)."""
    return {
        "position": document.require("position", int),
        "published": document.optional("published", bool, True),
    }


def field_values(item, *names):
    """``item``'s fields ``names`` in that order, for front matter that writes them as they are."""
    return {name: getattr(item, name) for name in names}


def common_meta(item):
    return field_values(item, "position", "published")


def save_item(model, document, fields, replace, relations=None):
    """Create the item ``document`` describes or, with ``replace``, bring it in line with ``fields``.

    Without ``replace`` an existing item stays exactly as an editor left it.
    ``relations`` maps many-to-many names to the wanted related objects.
    Returns the item and the outcome.
    """
    relations = relations or {}
    slug = document.meta["slug"]
    item = model.objects.filter(slug=slug).first()
    if item is None:
        item = model.objects.create(slug=slug, **fields)
        for name, related in relations.items():
            getattr(item, name).set(related)
        return item, CREATED
    if not replace:
        return item, UNCHANGED
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if changed:
        item.save()
    for name, related in relations.items():
        manager = getattr(item, name)
        if set(manager.all()) != set(related):
            manager.set(related)
            changed.append(name)
    return item, UPDATED if changed else UNCHANGED


def write_folder(folder, items):
    """Write each (front matter, body) pair to ``<slug>.md`` in ``folder``; remove the folder's other files."""
    written = set()
    for meta, body in items:
        path = folder / f"{meta['slug']}.md"
        write_document(path, meta, body)
        written.add(path)
    remove_stale_files(folder, written)


def remove_stale_files(folder, written):
    for path in Path(folder).glob("*.md"):
        if path not in written:
            path.unlink()
