"""Markdown files with YAML front matter: the on-disk format of the site's content."""

from dataclasses import dataclass
from pathlib import Path

import yaml

DELIMITER = "---"


class ContentFileError(Exception):
    """A content file that cannot be loaded; the message names the file and the problem."""

    def __init__(self, path, problem):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


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

    def require_body(self):
        if not self.body.strip():
            raise ContentFileError(self.path, "missing body: write the Markdown text below the front matter")
        return self.body


def read_document(path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentFileError(path, "is not UTF-8 text") from None
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


def write_document(path, meta, body):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    front_matter = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    text = f"{DELIMITER}\n{front_matter}{DELIMITER}\n"
    if body.strip():
        text += f"{body.strip()}\n"
    path.write_text(text, encoding="utf-8")


def read_folder(folder):
    """Every ``*.md`` document in ``folder``, sorted by file name; none if the folder is absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [read_document(path) for path in sorted(folder.glob("*.md"))]
