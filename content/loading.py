"""Load the explainer from ``content/data/`` into the database and export it back.

Each loader owns some folders of the data directory. ``load_content`` and
``export_content`` run every loader named in ``settings.CONTENT_LOADERS``, so
another app can add its own content without this app knowing about it.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils.module_loading import import_string

from .documents import ContentFileError, read_folder, write_document
from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section

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


def save_item(model, slug, fields, replace, relations=None):
    """Create the item ``slug`` or, with ``replace``, bring it in line with ``fields``.

    Without ``replace`` an existing item stays exactly as an editor left it.
    ``relations`` maps many-to-many names to the wanted related objects.
    Returns the item and the outcome.
    """
    relations = relations or {}
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


def require_unique_slugs(documents):
    seen = {}
    for document in documents:
        slug = document.require("slug", str)
        if slug in seen:
            raise ContentFileError(document.path, f"duplicate slug “{slug}” (also in {seen[slug].name})")
        seen[slug] = document.path


def remove_stale_files(folder, written):
    for path in Path(folder).glob("*.md"):
        if path not in written:
            path.unlink()


class ExplainerLoader:
    """Outsourcing models, their examples, the comparison, the benefits and the prose sections."""

    folders = ("models", "examples", "comparison", "benefits", "sections")

    def read(self, data_dir):
        documents = {folder: read_folder(Path(data_dir) / folder) for folder in self.folders}
        for folder_documents in documents.values():
            require_unique_slugs(folder_documents)
        return documents

    def load(self, data_dir, replace, report):
        documents = self.read(data_dir)
        known_models = set(OutsourcingModel.objects.values_list("slug", flat=True))
        known_models.update(document.meta["slug"] for document in documents["models"])

        def model_slug(document, value):
            if value not in known_models:
                raise ContentFileError(document.path, f"unknown model “{value}”")
            return value

        plans = {
            "models": [self.plan_model(document) for document in documents["models"]],
            "examples": [self.plan_example(document, model_slug) for document in documents["examples"]],
            "comparison": [self.plan_dimension(document, model_slug) for document in documents["comparison"]],
            "benefits": [self.plan_benefit(document, model_slug) for document in documents["benefits"]],
            "sections": [self.plan_section(document) for document in documents["sections"]],
        }
        for slug, fields in plans["models"]:
            report.add("outsourcing models", save_item(OutsourcingModel, slug, fields, replace)[1])
        models = {model.slug: model for model in OutsourcingModel.objects.all()}
        for slug, fields, model in plans["examples"]:
            fields["outsourcing_model"] = models[model]
            report.add("examples", save_item(Example, slug, fields, replace)[1])
        for slug, fields, values in plans["comparison"]:
            dimension, outcome = save_item(ComparisonDimension, slug, fields, replace)
            report.add("comparison dimensions", outcome)
            for model, text in values.items():
                report.add("comparison values", self.save_value(dimension, models[model], text, replace))
        for slug, fields, applies_to in plans["benefits"]:
            relations = {"applies_to": [models[model] for model in applies_to]}
            report.add("benefits", save_item(Benefit, slug, fields, replace, relations)[1])
        for slug, fields in plans["sections"]:
            report.add("sections", save_item(Section, slug, fields, replace)[1])

    @staticmethod
    def common_fields(document):
        return {
            "position": document.require("position", int),
            "published": document.optional("published", bool, True),
        }

    def plan_model(self, document):
        fields = {
            "abbreviation": document.require("abbreviation", str),
            "name": document.require("name", str),
            "summary": document.require("summary", str),
            "meta_description": document.optional("meta_description", str, ""),
            "definition": self.require_body(document),
            **self.common_fields(document),
        }
        return document.meta["slug"], fields

    def plan_example(self, document, model_slug):
        fields = {
            "title": document.require("title", str),
            "summary": self.require_body(document),
            **self.common_fields(document),
        }
        return document.meta["slug"], fields, model_slug(document, document.require("model", str))

    def plan_dimension(self, document, model_slug):
        fields = {
            "title": document.require("title", str),
            "explanation": document.body,
            **self.common_fields(document),
        }
        values = document.require("values", dict)
        for model, text in values.items():
            model_slug(document, model)
            if not isinstance(text, str) or not text.strip():
                raise ContentFileError(document.path, f"the value for “{model}” must be non-empty text")
        return document.meta["slug"], fields, values

    def plan_benefit(self, document, model_slug):
        fields = {
            "title": document.require("title", str),
            "body": self.require_body(document),
            **self.common_fields(document),
        }
        applies_to = [model_slug(document, model) for model in document.require("models", list)]
        return document.meta["slug"], fields, applies_to

    def plan_section(self, document):
        fields = {
            "title": document.require("title", str),
            "meta_description": document.optional("meta_description", str, ""),
            "body": self.require_body(document),
            **self.common_fields(document),
        }
        return document.meta["slug"], fields

    @staticmethod
    def require_body(document):
        if not document.body.strip():
            raise ContentFileError(document.path, "missing body: write the Markdown text below the front matter")
        return document.body

    @staticmethod
    def save_value(dimension, model, text, replace):
        value = ComparisonValue.objects.filter(dimension=dimension, outsourcing_model=model).first()
        if value is None:
            ComparisonValue.objects.create(dimension=dimension, outsourcing_model=model, text=text)
            return CREATED
        if replace and value.text != text:
            value.text = text
            value.save()
            return UPDATED
        return UNCHANGED

    def export(self, data_dir):
        data_dir = Path(data_dir)
        written = {folder: set() for folder in self.folders}

        def write(folder, meta, body):
            path = data_dir / folder / f"{meta['slug']}.md"
            write_document(path, meta, body)
            written[folder].add(path)

        for model in OutsourcingModel.objects.all():
            meta = {
                "slug": model.slug,
                "abbreviation": model.abbreviation,
                "name": model.name,
                "summary": model.summary,
                **self.meta_description(model),
                **self.common_meta(model),
            }
            write("models", meta, model.definition)
        for example in Example.objects.select_related("outsourcing_model"):
            meta = {
                "slug": example.slug,
                "title": example.title,
                "model": example.outsourcing_model.slug,
                **self.common_meta(example),
            }
            write("examples", meta, example.summary)
        values = ComparisonValue.objects.select_related("outsourcing_model").order_by("outsourcing_model__position")
        for dimension in ComparisonDimension.objects.prefetch_related(Prefetch("values", queryset=values)):
            meta = {
                "slug": dimension.slug,
                "title": dimension.title,
                **self.common_meta(dimension),
                "values": {value.outsourcing_model.slug: value.text for value in dimension.values.all()},
            }
            write("comparison", meta, dimension.explanation)
        for benefit in Benefit.objects.prefetch_related("applies_to"):
            meta = {
                "slug": benefit.slug,
                "title": benefit.title,
                "models": [model.slug for model in sorted(benefit.applies_to.all(), key=lambda m: (m.position, m.pk))],
                **self.common_meta(benefit),
            }
            write("benefits", meta, benefit.body)
        for section in Section.objects.all():
            meta = {
                "slug": section.slug,
                "title": section.title,
                **self.meta_description(section),
                **self.common_meta(section),
            }
            write("sections", meta, section.body)
        for folder, paths in written.items():
            remove_stale_files(data_dir / folder, paths)

    @staticmethod
    def meta_description(item):
        return {"meta_description": item.meta_description} if item.meta_description else {}

    @staticmethod
    def common_meta(item):
        return {"position": item.position, "published": item.published}
