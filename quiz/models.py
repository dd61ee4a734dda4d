import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from content.models import (
    ContentQuerySet,
    OutsourcingModel,
    PublishableQuerySet,
    RenderedMarkdownModel,
    examples_listed_before,
)

from . import certainty as cbm
from .learn_more import FIELD_NAMES, HELP_TEXT, KIND_NAMED, LEARN_MORE_KINDS, at_most_one_target, some_target
from .scoring import TOLERANCE, format_mark, passes

TRUE_FALSE_TEXTS = ("True", "False")
PUBLISHED_NEEDS = (
    "A published question needs an explanation and a “learn more” target, so readers who get it wrong "
    "know why and where to read. Add them, or untick “published” to keep it as a draft."
)


# The questions an attempt may draw: active (not retired) and published.
IN_THE_BANK = {"active": True, "published": True}


MIN_PER_TOPIC = 2


def blueprint_field_name(topic):
    return f"{topic}_questions"


def blueprint_field(topic):
    return models.PositiveSmallIntegerField(
        f"{topic} questions",
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=f"How many questions on {topic} each attempt draws: none, or at least {MIN_PER_TOPIC}.",
    )


class QuizQuerySet(PublishableQuerySet):
    def with_bank_size(self):
        """Each quiz annotated with ``bank_size``, the number of questions an attempt may draw from."""
        in_the_bank = models.Q(**{f"questions__{name}": value for name, value in IN_THE_BANK.items()})
        return self.annotate(bank_size=models.Count("questions", filter=in_the_bank))


class Quiz(RenderedMarkdownModel):
    slug = models.SlugField(unique=True, help_text="The last part of the quiz's address, e.g. “bpo-or-kpo”.")
    title = models.CharField(max_length=120)
    introduction = MarkdownxField(help_text="Shown on the quiz page before a reader starts. Markdown.")
    introduction_html = models.TextField(editable=False, default="")
    definitions_questions = blueprint_field("definitions")
    examples_questions = blueprint_field("examples")
    differences_questions = blueprint_field("differences")
    benefits_questions = blueprint_field("benefits")
    two_option_cap = models.PositiveSmallIntegerField(
        "two-option questions at most",
        default=2,
        help_text="The most questions with only two options (true/false, or a single choice between two) an attempt "
        "may ask. A reader guessing gets half of those right, so keep this low.",
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The percentage of the marks needed to pass.",
    )
    generated_questions = models.BooleanField(
        default=False,
        help_text="Add the questions built from the content (one per example and per comparison value) to this "
        "quiz's bank, and keep them in step when the content changes.",
    )
    certainty_based_marking = models.BooleanField(
        "certainty-based marking",
        default=True,
        help_text="Ask “How sure are you?” (low, medium, high) with every answer and show a certainty score beside "
        "the number right: sure and right earns most, sure and wrong costs most. Attempts already started keep "
        "the setting they started with.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first on the quiz page.")
    published = models.BooleanField(
        default=True, help_text="Untick to keep this quiz as a draft that only staff can see and take."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()
    markdown_fields = {"introduction": "introduction_html"}

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "quizzes"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quiz:detail", kwargs={"slug": self.slug})

    @property
    def page_title(self):
        return f"{self.title} — a quiz on BPO and KPO"

    def page_description(self, attempt_length):
        return (
            f"{self.title}: {attempt_length} question{pluralize(attempt_length)} on Business Process Outsourcing "
            "and Knowledge Process Outsourcing, each answer explained."
        )

    def bank(self):
        """The questions an attempt may draw: active and published."""
        return self.questions.filter(**IN_THE_BANK)

    @property
    def blueprint(self):
        """{topic: how many questions of it an attempt draws}, for the topics it draws; empty: the whole bank."""
        counts = {topic: getattr(self, blueprint_field_name(topic)) for topic in Question.Topic.values}
        return {topic: count for topic, count in counts.items() if count}

    def bank_with_choices(self):
        return list(self.bank().prefetch_related("choices"))

    def attempt_length(self, bank_size):
        """How many questions an attempt asks: the blueprint's total, or every question when it has none."""
        return sum(self.blueprint.values()) or bank_size

    def clean(self):
        problems = {
            blueprint_field_name(topic): f"Draw none or at least {MIN_PER_TOPIC} questions of a topic, so its "
            "score never rests on a single answer."
            for topic, count in self.blueprint.items()
            if 0 < count < MIN_PER_TOPIC
        }
        if problems:
            raise ValidationError(problems)


class QuestionQuerySet(PublishableQuerySet):
    def with_learn_more(self):
        """The learn-more target with each question; an example's place on its model's pages too, which its
        address needs (``Example.get_absolute_url``), counted in the same query."""
        return self.select_related(*(kind.select_related for kind in LEARN_MORE_KINDS)).annotate(
            learn_more_example_listed_before=examples_listed_before("learn_more_example")
        )


def choice_problems(kind, choices):
    """Why ``choices`` (a list of (text, correct) pairs) do not suit a question of ``kind``; empty if they do.

    The one statement of the answer rules, used by the admin and by ``load_content``.
    """
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if kind == Question.Kind.SINGLE:
        if len(choices) < 2:
            return ["A single-choice question needs at least two choices."]
        if correct != 1:
            return [f"A single-choice question needs exactly one correct choice; {correct} are marked correct."]
    elif kind == Question.Kind.MULTIPLE:
        if correct < 1 or correct == len(choices):
            return ["A multiple-choice question needs at least one correct choice and at least one wrong one."]
    elif kind == Question.Kind.SORT:
        return []
    elif kind == Question.Kind.TRUE_FALSE:
        if sorted(text.strip() for text, _correct in choices) != sorted(TRUE_FALSE_TEXTS):
            return ["A true/false question has exactly two choices, “True” and “False”."]
        if correct != 1:
            return ["A true/false question needs exactly one of “True” and “False” marked correct."]
    return []


def sort_row_problems(rows):
    """Why ``rows`` (a list of (text, model or None) pairs) do not make a sort question; empty if they do."""
    if len(rows) < 2:
        return ["A sort question needs at least two items to place."]
    unplaced = [text for text, model in rows if model is None]
    if unplaced:
        return [f"Say which model each item belongs under; “{unplaced[0]}” has none."]
    if len({model for _text, model in rows}) < 2:
        return ["A sort question needs items from at least two models, or there is nothing to tell apart."]
    return []


FACT_EXAMPLES = "e.g. “example:customer-service”, “dimension:skill-level”, “benefit:cost-reduction”, “model:bpo”"


def fact_problems(keys):
    """Why ``keys`` (the facts a question tests) are not valid: each is kind:slug naming an existing item."""
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        return ["List the facts as text, one key each."]
    problems = []
    wanted = {}
    for key in keys:
        kind_name, _, slug = key.partition(":")
        if kind_name not in KIND_NAMED or not slug:
            problems.append(f"“{key}” is not a fact key: write kind:slug with kind one of {', '.join(KIND_NAMED)}.")
        else:
            wanted.setdefault(kind_name, set()).add(slug)
    for kind_name, slugs in wanted.items():
        known = set(KIND_NAMED[kind_name].model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        problems += [
            f"There is no {KIND_NAMED[kind_name].label} “{slug}” (fact “{kind_name}:{slug}”)."
            for slug in sorted(slugs - known)
        ]
    if len(set(keys)) != len(keys):
        problems.append("Name each fact once.")
    return problems


class Question(RenderedMarkdownModel):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice (partial credit)"
        TRUE_FALSE = "true_false", "True or false"
        SORT = "sort", "Sort (place each item under its model; partial credit)"

    class Topic(models.TextChoices):
        DEFINITIONS = "definitions", "Definitions"
        EXAMPLES = "examples", "Examples"
        DIFFERENCES = "differences", "Differences"
        BENEFITS = "benefits", "Benefits"

    LEARN_MORE_FIELDS = FIELD_NAMES  # one foreign key per kind, added below the class

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="questions")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="A stable name for this question in the content files."
    )
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.SINGLE,
        help_text="Single choice: exactly one choice is right. Multiple choice: the reader ticks every right one, "
        "with credit for each box decided right. True or false: two choices, “True” and “False”, one of them right. "
        "Sort: each choice is an item the reader places under a model; set “placed under” on every item.",
    )
    topic = models.CharField(
        max_length=12, choices=Topic.choices, help_text="Used for the reader's score by topic on the results page."
    )
    prompt = models.CharField(max_length=300, help_text="The question as the reader sees it.")
    explanation = MarkdownxField(
        blank=True, help_text="Shown after the reader answers: why the right answer is right. Markdown."
    )
    explanation_html = models.TextField(editable=False, default="")
    facts = models.JSONField(
        default=list,
        blank=True,
        help_text="The facts this question tests, one key a line, e.g. “example:customer-service”, "
        "“dimension:skill-level”, “benefit:cost-reduction”, “section:introduction”, “model:bpo”. "
        "An attempt never asks two questions that test the same fact.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order in the admin; attempts shuffle questions.")
    published = models.BooleanField(default=True, help_text="Untick to keep this question out of new attempts.")
    active = models.BooleanField(
        default=True,
        help_text="Retired questions (inactive) are kept for the answers already given but never asked again.",
    )
    generated_key = models.CharField(
        max_length=40,
        blank=True,
        default="",
        editable=False,
        help_text="Set on questions built from the content, e.g. “example:12”; empty on hand-written ones.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()
    markdown_fields = {"explanation": "explanation_html"}

    class Meta:
        ordering = ["quiz", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "generated_key"],
                condition=models.Q(active=True) & ~models.Q(generated_key=""),
                name="one_active_generated_question_per_source",
            ),
            models.CheckConstraint(
                condition=at_most_one_target(),
                name="question_has_at_most_one_learn_more_target",
                violation_error_message="Pick only one “learn more” target.",
            ),
            models.CheckConstraint(
                condition=models.Q(published=False) | some_target(),
                name="published_question_has_a_learn_more_target",
                violation_error_message=PUBLISHED_NEEDS,
            ),
        ]

    def __str__(self):
        return self.prompt

    @property
    def is_generated(self):
        return bool(self.generated_key)

    @property
    def learn_more_kind(self):
        return next((kind for kind in LEARN_MORE_KINDS if getattr(self, kind.attname)), None)

    @property
    def learn_more(self):
        """The content item this question tests, whose page and anchor a reader is sent to."""
        kind = self.learn_more_kind
        target = getattr(self, kind.field_name) if kind else None
        listed_before = self.__dict__.get("learn_more_example_listed_before")
        if listed_before is not None and kind is KIND_NAMED["example"]:
            target.listed_before = listed_before
        return target

    @property
    def learn_more_url(self):
        kind = self.learn_more_kind
        return kind.url(self.learn_more) if kind else ""

    def get_absolute_url(self):
        """The part of the explainer the question tests, to check it against; its quiz if it has no such link yet."""
        return self.learn_more_url or self.quiz.get_absolute_url()

    def clean(self):
        """A published question needs an explanation and a target; a second target is the first constraint's to refuse.

        The error sits on “published”, the field that lifts the rule. Django then skips the second constraint's
        check, which would only repeat it, and the rule is still explained where that check cannot run: on
        generated questions, whose learn-more fields are read-only in the admin.
        """
        if self.published and not (self.explanation.strip() and self.learn_more_kind):
            raise ValidationError({"published": PUBLISHED_NEEDS})
        if not self.is_generated and (problems := fact_problems(self.facts)):
            raise ValidationError({"facts": problems})

    @property
    def is_sort(self):
        return self.kind == self.Kind.SORT

    @property
    def is_in_the_bank(self):
        """Whether new attempts may ask it, as ``Quiz.bank`` selects."""
        return all(getattr(self, name) == value for name, value in IN_THE_BANK.items())

    @property
    def has_two_options(self):
        """True/false, or a choice between two: a guess is right half the time. Uses the prefetched choices."""
        return not self.is_sort and len(self.choices.all()) == 2


for position, kind in enumerate(LEARN_MORE_KINDS):
    # The help text is the group's, shown once, under its first field.
    Question.add_to_class(kind.field_name, kind.foreign_key(help_text=HELP_TEXT if position == 0 else ""))


FEEDBACK_LENGTH = 1000


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    correct = models.BooleanField(default=False, help_text="Tick each choice that is a right answer.")
    feedback = models.TextField(
        blank=True,
        max_length=FEEDBACK_LENGTH,
        validators=[MaxLengthValidator(FEEDBACK_LENGTH)],
        help_text="Shown to a reader who picks this wrong choice: why it is tempting and why it is wrong. Plain text.",
    )
    placed_under = models.ForeignKey(
        OutsourcingModel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Sort questions only: the model this item belongs under.",
    )
    facts = models.JSONField(default=list, blank=True, editable=False)
    generated_key = models.CharField(
        max_length=40,
        blank=True,
        default="",
        editable=False,
        help_text="A generated sort row's source, e.g. “example:12”.",
    )
    position = models.PositiveIntegerField(default=0, db_index=True)
    generated_for = models.ForeignKey(
        OutsourcingModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class AttemptQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(finished_at__isnull=False)

    def by_readers(self):
        """Readers' own attempts: neither practice nor staff test runs, the ones item analysis counts."""
        return self.filter(is_practice=False, by_staff=False)

    def unfinished_for(self, quiz, owner_token):
        """The reader's unfinished attempts at ``quiz``, newest first; practice is resumed from its own address."""
        unfinished = self.filter(quiz=quiz, owner_token=owner_token, finished_at__isnull=True, is_practice=False)
        return unfinished.order_by("-started_at")

    def abandoned(self, older_than):
        """Unfinished attempts started before ``older_than``: nobody is coming back to them."""
        return self.filter(finished_at__isnull=True, started_at__lt=older_than)

    def passed(self):
        """Finished attempts whose marks reach the quiz's pass mark, as ``scoring.passes`` decides for one attempt.

        Practice is never passed."""
        # 100 * score >= pass_mark * total: a finished attempt answered every question, so total is answered_count.
        reached = models.F("score") * 100 - models.F("quiz__pass_mark") * models.F("answered_count")
        counted = self.finished().filter(answered_count__gt=0, is_practice=False)
        return counted.alias(reached=reached).filter(reached__gte=-TOLERANCE)


class Attempt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    owner_token = models.CharField(max_length=64, editable=False)
    question_ids = models.JSONField(default=list, editable=False)
    choice_order = models.JSONField(default=dict, editable=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(default=0, help_text="The sum of the answers' marks, each from 0 to 1.")
    answered_count = models.PositiveSmallIntegerField(default=0)
    certainty_based_marking = models.BooleanField(
        "certainty-based marking",
        default=False,
        editable=False,
        help_text="The quiz's setting when this attempt began.",
    )
    is_practice = models.BooleanField(
        "practice",
        default=False,
        editable=False,
        help_text="A practice attempt: never passed or failed, left out of item analysis.",
    )
    by_staff = models.BooleanField(
        "by staff",
        default=False,
        editable=False,
        help_text="Started by a signed-in staff member, a test run: left out of item analysis.",
    )
    review_plan = models.ForeignKey(
        "ReviewPlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempts",
        editable=False,
        help_text="The review schedule its answers move on.",
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.quiz} attempt of {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        if self.is_finished:
            return reverse("quiz:results", kwargs={"public_id": self.public_id})
        return self.question_url(self.answered_count + 1)

    def question_url(self, number):
        return reverse("quiz:question", kwargs={"public_id": self.public_id, "number": number})

    @property
    def total(self):
        return len(self.question_ids)

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def percentage(self):
        return round(100 * self.score / self.total) if self.total else 0

    @property
    def passed(self):
        """Whether the marks reach the quiz's pass mark; practice is never passed."""
        return not self.is_practice and passes(self.score, self.total, self.quiz.pass_mark)

    @property
    def marks(self):
        """The score as readers see it: “7”, “6.4”."""
        return format_mark(self.score)

    def is_owned_by(self, owner_token):
        return bool(owner_token) and secrets.compare_digest(self.owner_token, owner_token)

    def question_id_at(self, number):
        """The question asked at ``number`` (1-based), or None if the attempt has no such question."""
        return self.question_ids[number - 1] if 1 <= number <= self.total else None

    def ordered_choices(self, question):
        choices = {choice.pk: choice for choice in question.choices.all()}
        return [choices[pk] for pk in self.choice_order.get(str(question.pk), []) if pk in choices]


class Certainty(models.TextChoices):
    LOW = cbm.LOW, "Low"
    MEDIUM = cbm.MEDIUM, "Medium"
    HIGH = cbm.HIGH, "High"


class AnswerQuerySet(models.QuerySet):
    def by_readers(self):
        """Answers in readers' own attempts: neither practice nor staff test runs."""
        return self.filter(attempt__is_practice=False, attempt__by_staff=False)

    def missed(self):
        """Answers that did not get the question right: the one definition the editors' figures count."""
        return self.filter(correct=False)


class Answer(models.Model):
    class Counted(models.IntegerChoices):
        """Which item analyses count the answer: set as its attempt finishes (``services.store_for_item_analysis``)."""

        NOT = 0, "not counted (unfinished, practice or staff)"
        ALL = 1, "counted over every finished attempt"
        FIRST = 2, "counted over every finished attempt and over each reader's first"

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    chosen = models.ManyToManyField(Choice, related_name="answers")
    placements = models.JSONField(
        default=dict, blank=True, help_text="Sort questions: {item (choice) id: id of the model it was placed under}."
    )
    mark = models.FloatField(default=0, help_text="From 0 to 1: full marks, partial credit, or none.")
    correct = models.BooleanField(help_text="Full marks.")
    certainty = models.CharField(
        max_length=6,
        choices=Certainty.choices,
        blank=True,
        default="",
        help_text="How sure the reader said they were; empty when the attempt did not use certainty-based marking.",
    )
    answered_at = models.DateTimeField(auto_now_add=True)
    position = models.PositiveSmallIntegerField(
        null=True, editable=False, help_text="Where in its attempt the question was asked (1 = first); set at finish."
    )
    rest_score = models.FloatField(
        null=True, editable=False, help_text="The attempt's score on its other questions; set at finish."
    )
    counted = models.PositiveSmallIntegerField(choices=Counted.choices, default=Counted.NOT, editable=False)
    picked = models.JSONField(
        default=list, editable=False, help_text="The ids of the choices picked (``chosen``), lowest first."
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question_per_attempt")
        ]
        indexes = [
            # Item analysis groups by the leading columns and reads the rest: in index order, with no table reads,
            # no join and no sort.
            models.Index(
                fields=["question", "mark", "rest_score", "position", "counted", "certainty"],
                name="answer_item_analysis",
            ),
            models.Index(fields=["question", "picked", "placements", "counted"], name="answer_picks_analysis"),
        ]

    def __str__(self):
        return f"{format_mark(self.mark)} of 1: {self.question}"

    @property
    def marks(self):
        return format_mark(self.mark)

    @property
    def is_partly_right(self):
        return self.mark > 0 and not self.correct

    @property
    def fraction(self):
        """The answer's own mark, from 0 (wrong) to 1 (right)."""
        return self.mark

    @property
    def certainty_mark(self):
        """What the answer earned under certainty-based marking, or None if it was given without a certainty."""
        return cbm.mark(self.fraction, self.certainty) if self.certainty else None

    @property
    def is_misconception(self):
        """Wrong although the reader was very sure: the mistakes most worth correcting."""
        return self.certainty == Certainty.HIGH and self.fraction < 1


def new_review_token():
    return secrets.token_urlsafe(32)


class ReviewPlanQuerySet(models.QuerySet):
    def unused_since(self, cutoff):
        """Plans nobody has opened, practised from or fed an attempt to since ``cutoff``."""
        return self.filter(last_used_at__lt=cutoff)


class ReviewPlan(models.Model):
    """A reader's spaced review of what they missed in one quiz, reached by a private link that survives the
    session cookie. Stopping the link deletes the plan and its schedule."""

    token = models.CharField(max_length=43, unique=True, default=new_review_token, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="review_plans")
    owner_token = models.CharField(max_length=64, editable=False, help_text="The browser that made the link.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReviewPlanQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner_token", "quiz"], name="one_review_plan_per_reader")]

    def __str__(self):
        return f"Review of {self.quiz} made {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("quiz:review", kwargs={"token": self.token})

    def is_owned_by(self, owner_token):
        return bool(owner_token) and secrets.compare_digest(self.owner_token, owner_token)


class ReviewEntry(models.Model):
    """One fact of a review plan in its Leitner box (``quiz.reviews`` holds the rules that move it)."""

    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="entries")
    fact = models.CharField(max_length=120, help_text="A fact key, or “question:<id>” for a question without facts.")
    box = models.PositiveSmallIntegerField(help_text="1, 2 or 3: due 1, 3 or 7 days after; 4: retired.")
    due_at = models.DateTimeField(null=True, blank=True, help_text="Empty once retired.")
    last_question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_at", "fact"]
        constraints = [models.UniqueConstraint(fields=["plan", "fact"], name="one_review_entry_per_fact")]

    def __str__(self):
        return f"{self.fact} (box {self.box})"
