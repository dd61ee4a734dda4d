"""Markdown files with YAML front matter: the on-disk format of the site's content."""

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

DELIMITER = "---"


class ContentRefused(Exception):
    """Content files or folders that cannot be loaded or written: one line for each, naming it and the problem."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(f"{error.path}: {error.problem}" for error in self.errors))


class ContentFileError(ContentRefused):
    """One file or folder that cannot be loaded or written; the message names it and the problem."""

    def __init__(self, path, problem):
        self.path = Path(path)
        self.problem = problem
        super().__init__([self])


def each_checked(items, check):
    """``check(item)`` for each of ``items``; ContentRefused names every refusal, not only the first."""
    results, errors = [], []
    for item in items:
        try:
            results.append(check(item))
        except ContentRefused as refusal:
            errors.extend(refusal.errors)
    if errors:
        raise ContentRefused(errors)
    return results


@dataclass
class Document:
    path: Path
    meta: dict
    body: str

    def require(self, name, kind):
        """The front matter value ``name``, which must be present and of type ``kind``."""
        if name not in self.meta:
            raise ContentFileError(self.path, f"missing field “{name}”")
        value = self.meta[name]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            expected = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a mapping"}
            raise ContentFileError(self.path, f"field “{name}” must be {expected.get(kind, kind.__name__)}")
        if kind is str and not value.strip():
            raise ContentFileError(self.path, f"field “{name}” must not be empty")
        return value

    def optional(self, name, kind, default):
        return self.require(name, kind) if name in self.meta else default

    def require_one_of(self, name, choices):
        """The text value ``name``, which must be one of ``choices``."""
        value = self.require(name, str)
        if value not in choices:
            raise ContentFileError(self.path, f"unknown {name} “{value}” (use one of {', '.join(choices)})")
        return value

    def refuse_unknown_fields(self, known):
        """Refuse front matter naming a field outside ``known``, so a misspelt field is never silently ignored."""
        refuse_unknown_keys(self.path, self.meta, known, "")

    def require_body(self):
        if not self.body.strip():
            raise ContentFileError(self.path, "missing body: write the Markdown text below the front matter")
        return self.body


def refuse_unknown_keys(path, mapping, known, label):
    """Refuse a key of ``mapping`` outside ``known``, naming each such key and the known ones; ``label`` names
    where the mapping sits in the file (empty for the front matter itself)."""
    unknown = [str(key) for key in mapping if key not in known]
    if unknown:
        names = ", ".join(f"“{key}”" for key in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise ContentFileError(path, f"{label}unknown field{plural} {names} (use {', '.join(known)})")


def read_text(path):
    """The text of the UTF-8 file at ``path``; ContentFileError if it is no such file or cannot be read."""
    path = Path(path)
    if path.is_dir():
        raise ContentFileError(path, "is a folder, not a file")
    if path.exists() and not path.is_file():
        raise ContentFileError(path, "is not a regular file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentFileError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise ContentFileError(path, f"cannot be read: {error.strerror}") from None


def read_document(path):
    text = read_text(path)
    lines = text.split("\n")
    if not lines or lines[0].strip() != DELIMITER:
        raise ContentFileError(path, "bad front matter: the file must start with a line “---”")
    try:
        end = next(index for index, line in enumerate(lines[1:], start=1) if line.strip() == DELIMITER)
    except StopIteration:
        raise ContentFileError(path, "bad front matter: no closing “---” line") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise ContentFileError(path, f"bad front matter: {error}".replace("\n", " ")) from error
    if not isinstance(meta, dict):
        raise ContentFileError(path, "bad front matter: expected “field: value” lines")
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return Document(Path(path), meta, body)


def write_text(path, text):
    """Write ``text`` to ``path``, creating its folder; ContentFileError if it cannot be written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ContentFileError(path, f"cannot be written: {error.strerror}") from None


def format_document(meta, body):
    """The text of a content file with front matter ``meta`` and Markdown ``body``."""
    front_matter = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    text = f"{DELIMITER}\n{front_matter}{DELIMITER}\n"
    if body.strip():
        text += f"{body.strip()}\n"
    return text


def list_folder(folder):
    """The paths in ``folder``; ContentFileError if it is missing, not a folder or cannot be read."""
    try:
        with os.scandir(folder) as entries:
            return [Path(folder) / entry.name for entry in entries]
    except FileNotFoundError:
        raise ContentFileError(folder, "no such folder") from None
    except NotADirectoryError:
        raise ContentFileError(folder, "is not a folder") from None
    except OSError as error:
        raise ContentFileError(folder, f"cannot be read: {error.strerror}") from None


def read_folder(folder):
    """Every ``*.md`` document in ``folder``, sorted by file name; none if the folder is absent.

    ContentRefused names every file that cannot be read, and the folder if it is not one.
    """
    folder = Path(folder)
    if not folder.exists() and not folder.is_symlink():
        return []
    paths = sorted(path for path in list_folder(folder) if path.name.endswith(".md"))
    return each_checked(paths, read_document)
