"""The loading framework: folders of content files into the database (the way back is in ``exporting``).

A loader owns some folders of the data directory. ``load_content`` and ``export_content`` run every loader
named in ``settings.CONTENT_LOADERS``, so each app adds its own content without the others knowing about it.
Every file is read before anything is loaded, and every item passes its model's full validation before it is
saved; a refusal names the file and the field.
"""

import copy
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.module_loading import import_string

from .documents import ContentFileError, each_checked, list_folder, read_folder
from .history import note_changed
from .rendering import rendered_ahead

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# Front matter every item has besides its slug: its place in its list and whether it is shown.
COMMON_FIELDS = ("position", "published")


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

    A subclass maps each of its folders to the front matter fields its files may have besides the slug and
    ``COMMON_FIELDS`` (``front_matter``; any other field is refused) and implements ``load``, which takes each
    folder's documents as ``read`` returns them; for each folder it has an ``export_<folder>`` method that
    yields the folder's items as (front matter, body) pairs.
    """

    front_matter = {}

    @property
    def folders(self):
        return tuple(self.front_matter)

    def read(self, data_dir):
        """Each folder's documents, no two with one slug and none with a field its folder does not know;
        ContentRefused names every file that cannot be read."""
        documents = each_checked(
            self.folders, lambda folder: read_items(Path(data_dir) / folder, known_fields(self.front_matter[folder]))
        )
        return dict(zip(self.folders, documents, strict=True))

    def load(self, documents, replace, report):
        raise NotImplementedError

    def loading(self):
        """A context the whole load runs in, every loader's part included: e.g. to hold back work until the end."""
        return nullcontext()

    def exported_documents(self):
        """(folder, front matter, body) for every item, folder by folder."""
        for folder in self.folders:
            for meta, body in getattr(self, f"export_{folder}")():
                yield folder, meta, body


def read_content(loaders, data_dir):
    """Every loader's documents, all read before anything is loaded; ContentRefused names every bad path."""
    folders = [folder for loader in loaders for folder in loader.folders]
    if not {path.name for path in list_folder(data_dir)} & set(folders):
        raise ContentFileError(data_dir, f"has none of the content folders ({', '.join(folders)})")
    return each_checked(loaders, lambda loader: loader.read(data_dir))


@contextmanager
def markdown_rendered_ahead(contents):
    """A block in which the Markdown body of every document in ``contents`` (as ``read_content`` returns them)
    is rendered already.

    Open the load's transaction inside it: the saves then look the HTML up (see editorial.rendering).
    A body the renderer refuses stops the load before it starts, naming the file.
    """
    documents = [document for read in contents for folder in read.values() for document in folder]
    with rendered_ahead() as render:
        for document in documents:
            try:
                render(document.body)
            except ValidationError as refusal:
                problem = f"the Markdown text below the front matter: {' '.join(refusal.messages)}"
                raise ContentFileError(document.path, problem) from None
        yield


def known_fields(folder_fields):
    """The front matter fields a file of a folder with ``folder_fields`` may have."""
    return ("slug", *folder_fields, *COMMON_FIELDS)


def read_items(folder, known):
    """The documents in ``folder``, each with a slug that no other document in the folder has and no front matter
    field outside ``known``."""
    documents = read_folder(folder)
    seen = {}

    def require_known_fields_and_unique_slug(document):
        document.refuse_unknown_fields(known)
        slug = document.require("slug", str)
        if slug in seen:
            raise ContentFileError(document.path, f"duplicate slug “{slug}” (also in {seen[slug].name})")
        seen[slug] = document.path

    each_checked(documents, require_known_fields_and_unique_slug)
    return documents


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
    return field_values(item, *COMMON_FIELDS)


def save_item(model, document, fields, replace, relations=None, key=None, labels=None):
    """Create the item ``document`` describes or, with ``replace``, bring it in line with ``fields``.

    The item is found by ``key`` (its slug unless given) and, as the file describes it, must pass the model's
    full validation whether or not it is written; ``labels`` names fields in refusals (see ``require_valid``).
    Without ``replace`` an existing item stays exactly as an editor left it.
    ``relations`` maps many-to-many names to the wanted related objects.
    Returns the item and the outcome.
    """
    relations = relations or {}
    key = key or {"slug": document.meta["slug"]}
    existing = model.objects.filter(**key).first()
    item = model(**key) if existing is None else copy.copy(existing)
    for name, value in fields.items():
        setattr(item, name, value)
    require_valid(item, document, labels)
    if existing is None:
        item.save()
        for name, related in relations.items():
            getattr(item, name).set(related)
        return item, CREATED
    if not replace:
        return existing, UNCHANGED
    changed = [name for name, value in fields.items() if getattr(existing, name) != value]
    if changed:
        item.save()
    for name, related in relations.items():
        manager = getattr(item, name)
        if set(manager.all()) != set(related):
            manager.set(related)
            note_changed(item)
            changed.append(name)
    return item, UPDATED if changed else UNCHANGED


def require_valid(item, document, labels=None, exclude=None):
    """Run the model's full validation on ``item``, read from ``document``; a refusal names the file and each field.

    A field is named as the front matter names it, the body as “the body”; ``labels`` maps field names to other
    words, for values that sit inside a front matter field.
    """
    try:
        item.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = [
            field_label(item, name, labels or {}) + " ".join(messages) for name, messages in error.message_dict.items()
        ]
        raise ContentFileError(document.path, "; ".join(problems)) from None


def field_label(item, name, labels):
    if name in labels:
        return f"{labels[name]}: "
    if name == NON_FIELD_ERRORS:
        return ""
    if name in getattr(item, "markdown_fields", {}):
        return "the body: "
    return f"field “{name}”: "
