"""Export: the database's content written out as content files, in the format the loaders read.

An export writes only inside its target folder, and lists the files it wrote in the folder's manifest; the next
export into the folder replaces or removes those files and no others. A folder that is neither new, empty nor
an earlier export is refused, and so is any other file in the way: everything is checked before anything is
written.
"""

import re
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from .documents import (
    ContentFileError,
    ContentRefused,
    each_checked,
    format_document,
    list_folder,
    read_text,
    write_text,
)

MANIFEST = "exported-files.txt"
MANIFEST_HEADER = (
    "# The files export_content wrote here, one a line. The next export replaces or removes these and no others;\n"
    "# it refuses to write over any other file. List a file here to let the export replace it.\n"
)
CONTENT_FILE = re.compile(r"[-a-zA-Z0-9_]+/[-a-zA-Z0-9_]+\.md")


class ExportStopped(ContentRefused):
    """Writing failed part-way: some files are written, and the manifest lists them."""


def export_content(loaders, target):
    """Write every loader's items to the folder ``target``; returns how many files were written.

    Raises ContentRefused, naming every path in the way, before writing anything.
    """
    target = Path(target)
    previous = previous_export(target)
    files = planned_files(loaders, target)
    require_touchable(target, set(files) | previous, previous)
    write_text(target / MANIFEST, manifest_text(previous | set(files)))
    try:
        for relative, text in files.items():
            write_text(target / relative, text)
        for relative in previous - set(files):
            remove(target / relative)
        write_text(target / MANIFEST, manifest_text(files))
    except ContentRefused as refusal:
        raise ExportStopped(refusal.errors) from None
    return len(files)


def previous_export(target):
    """The files an earlier export wrote to ``target``, as its manifest lists them; none for a new or empty folder."""
    if not target.exists() and not target.is_symlink():
        return set()
    entries = list_folder(target)
    manifest = target / MANIFEST
    if manifest not in entries:
        if entries:
            raise ContentFileError(
                target,
                f"is not empty and has no {MANIFEST}, so it is not an earlier export: choose a new or empty folder",
            )
        return set()
    require_inside(target, manifest)
    lines = [line.strip() for line in read_text(manifest).splitlines()]
    listed = [line for line in lines if line and not line.startswith("#")]
    return set(each_checked(listed, lambda line: manifest_entry(manifest, line)))


def manifest_entry(manifest, line):
    if not CONTENT_FILE.fullmatch(line):
        raise ContentFileError(manifest, f"“{line}” is not the path of a content file (folder/slug.md)")
    return PurePosixPath(line)


def manifest_text(files):
    return MANIFEST_HEADER + "".join(f"{relative}\n" for relative in sorted(files))


def planned_files(loaders, target):
    """{path inside ``target``: text} for every item; ContentRefused names each item whose slug is no file name."""
    items = [item for loader in loaders for item in loader.exported_documents()]
    paths = each_checked(items, lambda item: file_path(target, folder=item[0], slug=item[1]["slug"]))
    return {path: format_document(meta, body) for path, (_folder, meta, body) in zip(paths, items, strict=True)}


def file_path(target, folder, slug):
    relative = PurePosixPath(folder, f"{slug}.md")
    try:
        validate_slug(slug)
    except ValidationError:
        raise ContentFileError(
            target / relative,
            f"not written: “{slug}” is not a valid slug (letters, digits, hyphens and underscores); "
            "change it in the admin",
        ) from None
    return relative


def require_touchable(target, touched, previous):
    """Refuse, naming each, every path to write or remove that is not the export's to touch."""
    each_checked(sorted({relative.parent for relative in touched}), lambda folder: require_folder(target, folder))
    each_checked(sorted(touched), lambda relative: require_replaceable(target, relative, previous))


def require_folder(target, folder):
    path = target / folder
    require_inside(target, path)
    if path.exists() and not path.is_dir():
        raise ContentFileError(path, "is not a folder")


def require_replaceable(target, relative, previous):
    """Refuse to write or remove ``relative`` unless it is inside ``target`` and absent or an earlier export's."""
    path = target / relative
    require_inside(target, path)
    if path.is_dir():
        raise ContentFileError(path, "is a folder, not a file")
    if (path.exists() or path.is_symlink()) and relative not in previous:
        raise ContentFileError(
            path,
            f"not written over: no export wrote it (it is not listed in {MANIFEST}); move it away, or list it there",
        )


def require_inside(target, path):
    """Refuse ``path`` if, links followed, it is outside ``target``."""
    if not path.resolve().is_relative_to(target.resolve()):
        raise ContentFileError(path, f"leads outside {target}, and the export writes only inside it")


def remove(path):
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise ContentFileError(path, f"cannot be removed: {error.strerror}") from None
