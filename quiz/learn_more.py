"""The parts of the explainer a question can send a reader to, its “learn more” target, defined once.

Each kind gives ``Question`` a nullable foreign key ``learn_more_<name>``, and the
content files name a target as ``<name>:<slug>``. Everything else (the admin's
fields, the queries, the database rules, the loader, the generated questions)
follows from ``LEARN_MORE_KINDS``.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models

from content.models import Benefit, ComparisonDimension, Example, OutsourcingModel, Section, examples_listed_before

HELP_TEXT = (
    "Pick exactly one “learn more” target: the part of the explainer a reader who got this wrong should re-read."
)


@dataclass(frozen=True)
class LearnMoreKind:
    name: str
    model: type
    label: str
    group: str  # the kind's heading in the admin's chooser
    anchor: str = ""  # where on the target's page to land, when not at the target's own address
    url_needs: tuple = ()  # relations of the target its address is built from, fetched with it

    @property
    def field_name(self):
        return f"learn_more_{self.name}"

    @property
    def attname(self):
        return f"{self.field_name}_id"

    @property
    def select_related(self):
        return "__".join((self.field_name, *self.url_needs))

    def foreign_key(self, help_text=""):
        return models.ForeignKey(
            self.model,
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="+",
            verbose_name=f"learn more: {self.label}",
            help_text=help_text,
        )

    def targets(self):
        """The kind's targets, fetched with what their addresses are built from (an example: its page place)."""
        targets = self.model.objects.select_related(*self.url_needs)
        return targets.annotate(listed_before=examples_listed_before()) if self.model is Example else targets

    def url(self, target):
        address = target.get_absolute_url()
        return f"{address}#{self.anchor}" if self.anchor else address

    def reference(self, target):
        """How the content files name ``target``: ``<kind>:<slug>``."""
        return f"{self.name}:{target.slug}"


LEARN_MORE_KINDS = (
    LearnMoreKind("model", OutsourcingModel, "model", "Models: their definition", anchor="definition"),
    LearnMoreKind("example", Example, "example", "Examples", url_needs=("outsourcing_model",)),
    LearnMoreKind("dimension", ComparisonDimension, "comparison dimension", "Rows of the comparison"),
    LearnMoreKind("benefit", Benefit, "benefit", "Benefits"),
    LearnMoreKind("section", Section, "section", "Sections of the explainer"),
)
KIND_NAMED = {kind.name: kind for kind in LEARN_MORE_KINDS}
KIND_FOR_MODEL = {kind.model: kind for kind in LEARN_MORE_KINDS}
FIELD_NAMES = tuple(kind.field_name for kind in LEARN_MORE_KINDS)


def pointing_at(kind, target_id):
    """Every learn-more column's value for a question whose one target is ``target_id`` of ``kind``."""
    return {other.attname: target_id if other == kind else None for other in LEARN_MORE_KINDS}


def only_target(kind):
    return models.Q(**{f"{other.field_name}__isnull": other != kind for other in LEARN_MORE_KINDS})


def at_most_one_target():
    no_target = models.Q(**{f"{kind.field_name}__isnull": True for kind in LEARN_MORE_KINDS})
    return reduce(or_, (only_target(kind) for kind in LEARN_MORE_KINDS), no_target)


def some_target():
    return reduce(or_, (models.Q(**{f"{kind.field_name}__isnull": False}) for kind in LEARN_MORE_KINDS))


def choice_value(kind, target_id):
    """How the admin's chooser names a target: ``<kind>:<id>``."""
    return f"{kind.name}:{target_id}"


def grouped_choices():
    """Every possible target, as (group, [(value, label)]) per kind, for one select with a group per kind."""
    groups = []
    for kind in LEARN_MORE_KINDS:
        targets = kind.model.objects.all()
        if kind.model is Example:
            targets = targets.select_related("outsourcing_model")
        options = [(choice_value(kind, target.pk), target_label(target)) for target in targets]
        groups.append((kind.group, options))
    return groups


def target_label(target):
    if isinstance(target, Example):
        return f"{target.title} ({target.outsourcing_model.abbreviation})"
    return str(target)


def parse_choice(value):
    """(kind, target id) named by a chooser value; None for an empty one. Call it on values from ``grouped_choices``."""
    if not value:
        return None
    kind_name, _, target_id = value.partition(":")
    return KIND_NAMED[kind_name], int(target_id)
