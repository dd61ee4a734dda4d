from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from markdownx.models import MarkdownxField

from .markdown import render_markdown


class ContentQuerySet(models.QuerySet):
    """``bulk_create`` skips ``save()``, so it renders the Markdown fields here."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            if isinstance(obj, RenderedMarkdownModel):
                obj.render_markdown_fields()
        return super().bulk_create(objs, *args, **kwargs)


def sees_drafts(user):
    """Staff see drafts (marked on the page); readers see published items only."""
    return user.is_active and user.is_staff


class PublishableQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Everything for staff (drafts are marked on the page), published items for readers."""
        if sees_drafts(user):
            return self
        return self.published()


class RenderedMarkdownModel(models.Model):
    """Keeps a sanitized HTML copy of each Markdown field, rendered once at save time.

    Subclasses list their fields in ``markdown_fields`` as {source: html_field}.
    """

    markdown_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.render_markdown_fields()
        else:
            sources = [source for source in self.markdown_fields if source in update_fields]
            self.render_markdown_fields(sources)
            kwargs["update_fields"] = {*update_fields, *(self.markdown_fields[source] for source in sources)}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        """A Markdown field is valid if it renders: within the size cap and the time limit."""
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for source in self.markdown_fields:
            if source in errors or (exclude and source in exclude):
                continue
            try:
                render_markdown(getattr(self, source))
            except ValidationError as refusal:
                errors[source] = refusal.error_list
        if errors:
            raise ValidationError(errors)

    def render_markdown_fields(self, sources=None):
        """Render the Markdown fields ``sources`` (all of them by default) into their HTML fields."""
        for source in self.markdown_fields if sources is None else sources:
            setattr(self, self.markdown_fields[source], render_markdown(getattr(self, source)))


KEY_POINTS_RANGE = (2, 3)
KEY_POINT_MAX_LENGTH = 90


def key_point_lines(text):
    """The key points written one per line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_key_points(text):
    points = key_point_lines(text)
    fewest, most = KEY_POINTS_RANGE
    if not fewest <= len(points) <= most:
        raise ValidationError(
            f"Write {fewest} or {most} key points, one per line (there are {len(points)}).", code="key_point_count"
        )
    too_long = [point for point in points if len(point) > KEY_POINT_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            f"Keep each key point within {KEY_POINT_MAX_LENGTH} characters so it fits the first screen; "
            f"“{too_long[0][:40]}…” has {len(too_long[0])}.",
            code="key_point_length",
        )


def meta_description_field(help_text):
    """What search engines and link previews show for a page: one sentence, within their 160 characters."""
    return models.CharField(max_length=160, blank=True, help_text=help_text)


class ContentItem(RenderedMarkdownModel):
    slug = models.SlugField(
        unique=True,
        help_text="Part of the address and the anchor other pages and quiz questions link to. "
        "Lowercase letters, digits and hyphens; changing it breaks existing links.",
    )
    position = models.PositiveIntegerField(default=0, db_index=True, help_text="Lower numbers come first.")
    published = models.BooleanField(
        default=True,
        help_text="Untick to keep this as a draft: readers will not see it; staff see it marked as a draft.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    @property
    def anchor(self):
        return self.slug


class OutsourcingModel(ContentItem):
    """A kind of outsourcing, such as BPO or KPO. Each one is a column of the comparison."""

    abbreviation = models.CharField(max_length=12, help_text="Short name shown in tables, e.g. “BPO”.")
    name = models.CharField(max_length=120, help_text="Full name, e.g. “Business Process Outsourcing”.")
    summary = models.CharField(max_length=200, help_text="One plain sentence shown under the name.")
    meta_description = meta_description_field(
        "What search engines and link previews show for this model’s page, at most 160 characters. Empty: the summary."
    )
    definition = MarkdownxField(help_text="What this model is and what kind of work it covers. Markdown.")
    definition_html = models.TextField(editable=False, default="")
    key_points = models.TextField(
        blank=True,
        validators=[validate_key_points],
        help_text=f"The key takeaways at the top of the overview: {KEY_POINTS_RANGE[0]} or {KEY_POINTS_RANGE[1]} "
        f"short points, one per line, each within {KEY_POINT_MAX_LENGTH} characters. Plain text.",
    )

    markdown_fields = {"definition": "definition_html"}

    class Meta(ContentItem.Meta):
        verbose_name = "outsourcing model"

    def __str__(self):
        return f"{self.abbreviation} ({self.name})"

    def get_absolute_url(self):
        """Reversed once per instance and slug: every example listed under the model links to it."""
        slug, address = self.__dict__.get("_address", (None, None))
        if slug != self.slug:
            slug, address = self._address = (self.slug, reverse("content:model-detail", kwargs={"slug": self.slug}))
        return address

    @property
    def page_title(self):
        return f"{self.abbreviation}: {self.name} explained"

    @property
    def key_point_list(self):
        return key_point_lines(self.key_points)

    @property
    def page_description(self):
        return self.meta_description or self.summary


REASON_LENGTH = 400


def reason_field(what):
    """Why an item belongs to its model: the explanation of the quiz question built from it."""
    return models.TextField(
        blank=True,
        max_length=REASON_LENGTH,
        validators=[MaxLengthValidator(REASON_LENGTH)],
        help_text=f"One or two sentences: {what}. The quiz question built from this item is explained with it "
        "after every answer, so say why, not just which model. Plain text; Markdown *emphasis* and links work. "
        f"At most {REASON_LENGTH} characters.",
    )


def misconception_field(thing):
    """Why a reader might put ``thing`` under another model: the feedback on the quiz question's wrong choices."""
    return models.TextField(
        blank=True,
        max_length=REASON_LENGTH,
        validators=[MaxLengthValidator(REASON_LENGTH)],
        help_text=f"Shown to a reader who puts {thing} under another model: why that answer is tempting and why "
        f"it is wrong. Plain text, at most {REASON_LENGTH} characters. Empty: the quiz shows what the picked "
        "model covers instead.",
    )


def belongs_to_model(on_delete, related_name, help_text):
    """The outsourcing model an item belongs to, called “model” in the admin."""
    return models.ForeignKey(
        OutsourcingModel, on_delete=on_delete, related_name=related_name, verbose_name="model", help_text=help_text
    )


# A model's page lists its examples' full explanations this many to a page (``?page=2`` and on).
EXAMPLES_PER_PAGE = 20


def examples_listed_before(example_path=""):
    """A subquery: how many published examples the model page lists before the example at ``example_path`` of
    the outer query, or the outer query's own example (examples are listed by position, then pk)."""
    prefix = f"{example_path}__" if example_path else ""
    position, pk = OuterRef(f"{prefix}position"), OuterRef(f"{prefix}pk")
    earlier = Example.objects.published().filter(
        Q(position__lt=position) | Q(position=position, pk__lt=pk),
        outsourcing_model=OuterRef(f"{prefix}outsourcing_model"),
    )
    counted = earlier.order_by().values("outsourcing_model").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


class Example(ContentItem):
    outsourcing_model = belongs_to_model(
        models.PROTECT, "examples", "The model this is an example of: the example is listed under it and on its page."
    )
    title = models.CharField(
        max_length=120,
        help_text="The kind of work, e.g. “Customer service”. The quiz asks “Which model does … belong to?” with it.",
    )
    summary = MarkdownxField(
        help_text="Two to four sentences: what the work involves and why it belongs to this model."
    )
    summary_html = models.TextField(editable=False, default="")
    reason = reason_field("what the work involves and why that puts it in its model")
    misconception = misconception_field("this example")
    overview_line = models.CharField(
        max_length=120,
        blank=True,
        help_text="One line for the overview page, where the example links to its full explanation, "
        "e.g. “Answering enquiries and solving customers’ problems”. Plain text.",
    )
    classification_note = models.CharField(
        max_length=400,
        blank=True,
        help_text="Optional: where people disagree about this example’s model, a short note saying so and why "
        "it is listed here. Shown beside the explanation. Plain text.",
    )

    markdown_fields = {"summary": "summary_html"}

    class Meta(ContentItem.Meta):
        ordering = ["outsourcing_model__position", "position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """Its explanation on its model's page, on the page of examples that lists it (readers' numbering)."""
        page = self.listed_before // EXAMPLES_PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        return f"{self.outsourcing_model.get_absolute_url()}{query}#{self.anchor}"

    @cached_property
    def listed_before(self):
        """How many published examples its model's page lists before it; lists that know it set it."""
        earlier = Example.objects.published().filter(
            Q(position__lt=self.position) | Q(position=self.position, pk__lt=self.pk),
            outsourcing_model=self.outsourcing_model_id,
        )
        return earlier.count()


class OverviewItem(ContentItem):
    """An item of the overview page (/), where it stands under its own anchor: ``anchor_prefix`` + slug."""

    anchor_prefix = ""

    class Meta(ContentItem.Meta):
        abstract = True

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:home") + f"#{self.anchor}"

    @property
    def anchor(self):
        return f"{self.anchor_prefix}{self.slug}"


# The parameter of /which-fits/ that carries the reader's description of their task; the others are
# dimension slugs, so no dimension may take this one.
GUIDE_DESCRIPTION_PARAMETER = "task"


class ComparisonDimension(OverviewItem):
    """A row of the comparison table, such as “Skill level”."""

    title = models.CharField(max_length=120, help_text="The row's label in the comparison table, e.g. “Skill level”.")
    explanation = MarkdownxField(blank=True, help_text="Optional: what this dimension means for a learner.")
    explanation_html = models.TextField(editable=False, default="")
    guide_question = models.CharField(
        max_length=200,
        blank=True,
        help_text="The question the “Which fits my work?” guide asks about the reader's own process, "
        "e.g. “How routine is the work?”. Its answers are this row's values. Empty: the guide does not ask "
        "about this row (as for “Examples”, which describes no quality of a process).",
    )
    lists_examples = models.BooleanField(
        "lists the examples",
        default=False,
        help_text="Tick for a row that lists each model’s published examples, kept up to date by the site; "
        "such a row uses no typed values, and the quiz asks no question about it.",
    )

    markdown_fields = {"explanation": "explanation_html"}

    anchor_prefix = "compare-"

    class Meta(OverviewItem.Meta):
        verbose_name = "comparison dimension"

    def clean(self):
        super().clean()
        if self.slug == GUIDE_DESCRIPTION_PARAMETER:
            raise ValidationError(
                {"slug": f"“{self.slug}” is taken by the guide for the reader’s description: choose another slug."}
            )

    @property
    def asked_in_guide(self):
        return bool(self.guide_question.strip())


class ComparisonValue(models.Model):
    """What one model looks like along one dimension: a cell of the comparison table."""

    dimension = models.ForeignKey(ComparisonDimension, on_delete=models.CASCADE, related_name="values")
    outsourcing_model = belongs_to_model(
        models.CASCADE, "comparison_values", "The column this value fills; each model has one value per row."
    )
    text = models.CharField(
        max_length=200,
        help_text="A short phrase that fits in a table cell. The quiz asks “Which model is described by …?” with it.",
    )
    reason = reason_field("what this says about the work and why that marks out its model")
    misconception = misconception_field("this value")
    guide_answer = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the “Which fits my work?” guide offers this value as an answer about the reader's own "
        "work, e.g. “Mostly the same steps, again and again”. Empty: the value itself.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["dimension__position", "outsourcing_model__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "outsourcing_model"], name="one_comparison_value_per_dimension_and_model"
            )
        ]

    def __str__(self):
        return f"{self.dimension}: {self.outsourcing_model.abbreviation}"

    def get_absolute_url(self):
        return self.dimension.get_absolute_url()

    @property
    def answer_text(self):
        """The value as the guide offers it to a reader describing their own work."""
        return self.guide_answer.strip() or self.text


class Benefit(OverviewItem):
    title = models.CharField(max_length=120)
    body = MarkdownxField(help_text="What the benefit means in practice. Markdown.")
    body_html = models.TextField(editable=False, default="")
    applies_to = models.ManyToManyField(
        OutsourcingModel,
        related_name="benefits",
        blank=True,
        help_text="The models that offer this benefit; readers get a link to each one's page.",
    )

    markdown_fields = {"body": "body_html"}
    anchor_prefix = "benefit-"


class Section(OverviewItem):
    """A prose part of the explainer: the introduction, the lead-ins, the conclusion."""

    title = models.CharField(max_length=120, help_text="The section's heading on the page.")
    meta_description = meta_description_field(
        "On the introduction: what search engines and link previews show for the explainer page, "
        "at most 160 characters."
    )
    body = MarkdownxField(help_text="The section's text. Markdown.")
    body_html = models.TextField(editable=False, default="")

    markdown_fields = {"body": "body_html"}
