"""Load the explainer from ``content/data/`` into the database and export it back."""

from django.db.models import Prefetch

from editorial.documents import ContentFileError, refuse_unknown_keys
from editorial.loading import Loader, common_fields, common_meta, field_values, save_item

from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section

# Why an example or a value belongs to its model, and why another is tempting.
REASON_FIELDS = ("reason", "misconception")
# An example's optional texts, in the order its file has them.
EXAMPLE_OPTIONAL_TEXTS = (*REASON_FIELDS, "overview_line", "classification_note")


class ExplainerLoader(Loader):
    """Outsourcing models, their examples, the comparison, the benefits and the prose sections."""

    front_matter = {
        "models": ("abbreviation", "name", "summary", "meta_description", "key_points"),
        "examples": ("title", "model", *EXAMPLE_OPTIONAL_TEXTS),
        "comparison": ("title", "lists_examples", "values", "guide_question", "guide_answers"),
        "benefits": ("title", "models"),
        "sections": ("title", "meta_description"),
    }

    def load(self, documents, replace, report):
        plans = self.plan(documents)
        for document, fields in plans["models"]:
            report.add("outsourcing models", save_item(OutsourcingModel, document, fields, replace)[1])
        models = {model.slug: model for model in OutsourcingModel.objects.all()}
        for document, fields, model in plans["examples"]:
            fields["outsourcing_model"] = models[model]
            report.add("examples", save_item(Example, document, fields, replace)[1])
        for document, fields, values in plans["comparison"]:
            dimension, outcome = save_item(ComparisonDimension, document, fields, replace)
            report.add("comparison dimensions", outcome)
            for model, value in values.items():
                report.add("comparison values", self.save_value(document, dimension, models[model], value, replace))
        for document, fields, applies_to in plans["benefits"]:
            relations = {"applies_to": [models[model] for model in applies_to]}
            report.add("benefits", save_item(Benefit, document, fields, replace, relations)[1])
        for document, fields in plans["sections"]:
            report.add("sections", save_item(Section, document, fields, replace)[1])

    def plan(self, documents):
        """Every folder's items read and checked, before anything is saved."""
        known_models = set(OutsourcingModel.objects.values_list("slug", flat=True))
        known_models.update(document.meta["slug"] for document in documents["models"])

        def model_slug(document, value):
            if value not in known_models:
                raise ContentFileError(document.path, f"unknown model “{value}”")
            return value

        return {
            "models": [self.plan_model(document) for document in documents["models"]],
            "examples": [self.plan_example(document, model_slug) for document in documents["examples"]],
            "comparison": [self.plan_dimension(document, model_slug) for document in documents["comparison"]],
            "benefits": [self.plan_benefit(document, model_slug) for document in documents["benefits"]],
            "sections": [self.plan_section(document) for document in documents["sections"]],
        }

    @staticmethod
    def plan_model(document):
        fields = {
            "abbreviation": document.require("abbreviation", str),
            "name": document.require("name", str),
            "summary": document.require("summary", str),
            "meta_description": document.optional("meta_description", str, ""),
            "definition": document.require_body(),
            "key_points": "\n".join(key_points(document)),
            **common_fields(document),
        }
        return document, fields

    @staticmethod
    def plan_example(document, model_slug):
        fields = {
            "title": document.require("title", str),
            "summary": document.require_body(),
            **optional_texts(document, *EXAMPLE_OPTIONAL_TEXTS),
            **common_fields(document),
        }
        return document, fields, model_slug(document, document.require("model", str))

    @staticmethod
    def plan_dimension(document, model_slug):
        fields = {
            "title": document.require("title", str),
            "explanation": document.body,
            "guide_question": document.optional("guide_question", str, ""),
            "lists_examples": document.optional("lists_examples", bool, False),
            **common_fields(document),
        }
        if fields["lists_examples"]:
            if "values" in document.meta:
                raise ContentFileError(
                    document.path, "field “values”: a row that lists the examples takes no typed values"
                )
            return document, fields, {}
        guide_answers = document.optional("guide_answers", dict, {})
        values = {
            model_slug(document, model): value_fields(document, model, value)
            for model, value in document.require("values", dict).items()
        }
        for model, answer in guide_answers.items():
            if model not in values:
                raise ContentFileError(document.path, f"field “guide_answers” names “{model}”, which has no value")
            if not isinstance(answer, str) or not answer.strip():
                raise ContentFileError(document.path, f"the guide answer for “{model}” must be non-empty text")
        for model, fields_of_value in values.items():
            fields_of_value["guide_answer"] = guide_answers.get(model, "")
        return document, fields, values

    @staticmethod
    def plan_benefit(document, model_slug):
        fields = {
            "title": document.require("title", str),
            "body": document.require_body(),
            **common_fields(document),
        }
        applies_to = [model_slug(document, model) for model in document.require("models", list)]
        return document, fields, applies_to

    @staticmethod
    def plan_section(document):
        fields = {
            "title": document.require("title", str),
            "meta_description": document.optional("meta_description", str, ""),
            "body": document.require_body(),
            **common_fields(document),
        }
        return document, fields

    @staticmethod
    def save_value(document, dimension, model, fields, replace):
        key = {"dimension": dimension, "outsourcing_model": model}
        labels = {"text": f"field “values”, “{model.slug}”", "guide_answer": f"field “guide_answers”, “{model.slug}”"}
        labels.update({name: f"field “values”, “{model.slug}”, “{name}”" for name in REASON_FIELDS})
        return save_item(ComparisonValue, document, fields, replace, key=key, labels=labels)[1]

    def export_models(self):
        for model in OutsourcingModel.objects.all():
            meta = {
                **field_values(model, "slug", "abbreviation", "name", "summary"),
                **written_only_when_set(model, "meta_description"),
                **({"key_points": model.key_point_list} if model.key_points else {}),
                **common_meta(model),
            }
            yield meta, model.definition

    def export_examples(self):
        for example in Example.objects.select_related("outsourcing_model"):
            meta = {
                **field_values(example, "slug", "title"),
                "model": example.outsourcing_model.slug,
                **written_only_when_set(example, *EXAMPLE_OPTIONAL_TEXTS),
                **common_meta(example),
            }
            yield meta, example.summary

    def export_comparison(self):
        values = ComparisonValue.objects.select_related("outsourcing_model").order_by("outsourcing_model__position")
        for dimension in ComparisonDimension.objects.prefetch_related(Prefetch("values", queryset=values)):
            values = dimension.values.all()
            meta = {**field_values(dimension, "slug", "title"), **common_meta(dimension)}
            if dimension.lists_examples:
                meta["lists_examples"] = True
            else:
                meta["values"] = {value.outsourcing_model.slug: value_meta(value) for value in values}
            meta.update(guide_wording(dimension, values))
            yield meta, dimension.explanation

    def export_benefits(self):
        for benefit in Benefit.objects.prefetch_related("applies_to"):
            applies_to = sorted(benefit.applies_to.all(), key=lambda model: (model.position, model.pk))
            meta = {
                **field_values(benefit, "slug", "title"),
                "models": [model.slug for model in applies_to],
                **common_meta(benefit),
            }
            yield meta, benefit.body

    def export_sections(self):
        for section in Section.objects.all():
            meta = {
                **field_values(section, "slug", "title"),
                **written_only_when_set(section, "meta_description"),
                **common_meta(section),
            }
            yield meta, section.body


def written_only_when_set(item, *names):
    """``item``'s optional fields ``names`` that have a value, so files without them stay short."""
    return {name: getattr(item, name) for name in names if getattr(item, name)}


def optional_texts(document, *names):
    """The text fields ``names``, which a file may leave out: empty when it does (``written_only_when_set``'s
    way back)."""
    return {name: document.optional(name, str, "") for name in names}


def key_points(document):
    """The model's key takeaways, a list of one-line texts; the model's validation checks how many and how long."""
    points = document.optional("key_points", list, [])
    for point in points:
        if not isinstance(point, str) or not point.strip() or "\n" in point.strip():
            raise ContentFileError(document.path, "field “key_points”: each point must be one line of text")
    return [point.strip() for point in points]


def value_fields(document, model, value):
    """A comparison value is its text, or a mapping of its text and, optionally, its reasons."""
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        raise ContentFileError(
            document.path, f"the value for “{model}” must be text, or a mapping with “text”, “reason”, “misconception”"
        )
    refuse_unknown_keys(document.path, value, ("text", *REASON_FIELDS), f"field “values”, “{model}”: ")
    fields = {"text": value.get("text"), **{name: value.get(name, "") for name in REASON_FIELDS}}
    for name, text in fields.items():
        if not isinstance(text, str) or ((name == "text" or name in value) and not text.strip()):
            raise ContentFileError(document.path, f"the {name} of the value for “{model}” must be non-empty text")
    return fields


def value_meta(value):
    """Just the text when a value has no reasons, as the files are easiest to read that way."""
    reasons_set = written_only_when_set(value, *REASON_FIELDS)
    return {"text": value.text, **reasons_set} if reasons_set else value.text


def guide_wording(dimension, values):
    """The guide's question and reworded answers, written only when set, so rows the guide skips stay short."""
    meta = {"guide_question": dimension.guide_question} if dimension.guide_question else {}
    answers = {value.outsourcing_model.slug: value.guide_answer for value in values if value.guide_answer}
    return {**meta, "guide_answers": answers} if answers else meta
