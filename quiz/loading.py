"""Load the quizzes and their hand-written questions from ``content/data/`` and export them back.

Generated questions are not files: they follow the content and are rebuilt
by ``sync_generated_questions`` once everything else is loaded.
"""

from django.db.models import Prefetch

from content.models import OutsourcingModel
from editorial.documents import ContentFileError, refuse_unknown_keys
from editorial.history import note_changed
from editorial.loading import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Loader,
    common_fields,
    common_meta,
    field_values,
    require_valid,
    save_item,
)

from .guessing import publishing_problems
from .learn_more import KIND_NAMED, pointing_at
from .models import Choice, Question, Quiz, blueprint_field_name, choice_problems, fact_problems, sort_row_problems
from .services import set_choices, sync_generated_questions, syncing_held_back

BLUEPRINT_LABELS = {
    blueprint_field_name(topic): f"field “blueprint”, topic “{topic}”" for topic in Question.Topic.values
}

CHOICE_FIELDS = ("text", "correct", "feedback")
SORT_ROW_FIELDS = ("text", "model", "feedback")


class QuizLoader(Loader):
    """The quizzes and their hand-written questions."""

    front_matter = {
        "quizzes": (
            "title",
            "blueprint",
            "two_option_cap",
            "pass_mark",
            "generated_questions",
            "certainty_based_marking",
        ),
        "questions": ("quiz", "kind", "topic", "prompt", "learn_more", "facts", "choices"),
    }

    def loading(self):
        """The explainer's items are saved before this loader runs: their questions are synced once, at the end."""
        return syncing_held_back()

    def load(self, documents, replace, report):
        loaded = []
        for document in documents["quizzes"]:
            quiz, outcome = save_item(Quiz, document, self.plan_quiz(document), replace, labels=BLUEPRINT_LABELS)
            report.add("quizzes", outcome)
            loaded.append((document, quiz))
        quizzes = {quiz.slug: quiz for quiz in Quiz.objects.all()}
        plans = [self.plan_question(document, quizzes) for document in documents["questions"]]
        for document, fields, choices in plans:
            report.add("questions", self.save_question(document, fields, choices, replace))
        generated = sync_generated_questions()
        report.add("generated questions", CREATED, generated["created"])
        report.add("generated questions", UPDATED, generated["updated"] + generated["retired"] + generated["deleted"])
        report.add("generated questions", UNCHANGED, generated["unchanged"])
        for document, quiz in loaded:
            self.require_publishable(document, quiz)

    @staticmethod
    def require_publishable(document, quiz):
        """A published quiz's blueprint fits its bank, and a reader guessing stays under the bound."""
        if not quiz.published:
            return
        problems = publishing_problems(quiz, quiz.bank_with_choices())
        if problems:
            raise ContentFileError(
                document.path,
                "; ".join(
                    f"{BLUEPRINT_LABELS.get(name, f'field “{name}”')}: {problem}" for name, problem in problems.items()
                ),
            )

    def plan_quiz(self, document):
        return {
            "title": document.require("title", str),
            "introduction": document.require_body(),
            **self.read_blueprint(document),
            "two_option_cap": document.optional("two_option_cap", int, 2),
            "pass_mark": self.require_pass_mark(document),
            "generated_questions": document.optional("generated_questions", bool, False),
            "certainty_based_marking": document.optional("certainty_based_marking", bool, True),
            **common_fields(document),
        }

    @staticmethod
    def read_blueprint(document):
        """``blueprint``: {topic: how many questions of it}; a topic left out is not drawn; no blueprint asks all."""
        blueprint = document.optional("blueprint", dict, {})
        unknown = sorted(set(map(str, blueprint)) - set(Question.Topic.values))
        if unknown:
            raise ContentFileError(
                document.path,
                f"field “blueprint”: unknown topic “{unknown[0]}” (use one of {', '.join(Question.Topic.values)})",
            )
        for topic, count in blueprint.items():
            if isinstance(count, bool) or not isinstance(count, int):
                raise ContentFileError(document.path, f"field “blueprint”, topic “{topic}”: must be a whole number")
        return {blueprint_field_name(topic): blueprint.get(topic, 0) for topic in Question.Topic.values}

    @staticmethod
    def require_pass_mark(document):
        pass_mark = document.require("pass_mark", int)
        if not 1 <= pass_mark <= 100:
            raise ContentFileError(document.path, "field “pass_mark” must be a percentage from 1 to 100")
        return pass_mark

    def plan_question(self, document, quizzes):
        quiz_slug = document.require("quiz", str)
        if quiz_slug not in quizzes:
            raise ContentFileError(document.path, f"unknown quiz “{quiz_slug}”")
        kind = document.require_one_of("kind", Question.Kind.values)
        topic = document.require_one_of("topic", Question.Topic.values)
        read = self.read_sort_row if kind == Question.Kind.SORT else self.read_choice
        choices = [
            read(document, number, choice) for number, choice in enumerate(document.require("choices", list), start=1)
        ]
        if kind == Question.Kind.SORT:
            problems = sort_row_problems([(choice["text"], choice["placed_under"]) for choice in choices])
        else:
            problems = choice_problems(kind, [(choice["text"], choice["correct"]) for choice in choices])
        if problems:
            raise ContentFileError(document.path, "field “choices”: " + " ".join(problems))
        facts = document.optional("facts", list, [])
        if problems := fact_problems(facts):
            raise ContentFileError(document.path, "field “facts”: " + " ".join(problems))
        fields = {
            "quiz": quizzes[quiz_slug],
            "kind": kind,
            "topic": topic,
            "prompt": document.require("prompt", str),
            "explanation": document.require_body(),
            "facts": facts,
            **self.learn_more(document),
            **common_fields(document),
        }
        return document, fields, choices

    @staticmethod
    def save_question(document, fields, choices, replace):
        question, outcome = save_item(Question, document, fields, replace)
        current = [
            (c.text, c.correct, c.placed_under, c.feedback) for c in question.choices.select_related("placed_under")
        ]
        wanted = [(choice["text"], choice["correct"], choice["placed_under"], choice["feedback"]) for choice in choices]
        if outcome == CREATED or (replace and current != wanted):
            set_choices(question, choices)
            note_changed(question)
            outcome = CREATED if outcome == CREATED else UPDATED
        return outcome

    @staticmethod
    def read_choice(document, number, choice):
        if not isinstance(choice, dict) or not isinstance(choice.get("text"), str) or not choice["text"].strip():
            raise ContentFileError(document.path, "each choice needs a non-empty “text”")
        refuse_unknown_keys(document.path, choice, CHOICE_FIELDS, f"field “choices”, choice {number}: ")
        if not isinstance(choice.get("correct"), bool):
            raise ContentFileError(
                document.path, f"choice “{choice['text']}” needs “correct: true” or “correct: false”"
            )
        if not isinstance(choice.get("feedback", ""), str):
            raise ContentFileError(document.path, f"choice “{choice['text']}”: “feedback” must be text")
        fields = {
            "text": choice["text"],
            "correct": choice["correct"],
            "placed_under": None,
            "feedback": choice.get("feedback", "").strip(),
        }
        labels = {"text": f"field “choices”, choice {number}", "feedback": f"field “choices”, choice {number} feedback"}
        require_valid(Choice(**fields), document, labels=labels, exclude=["question"])
        return fields

    @staticmethod
    def read_sort_row(document, number, row):
        """An item of a sort question: its ``text``, the ``model`` (slug) it belongs under, optional ``feedback``."""
        label = f"field “choices”, item {number}"
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            raise ContentFileError(document.path, f"{label}: each item needs a non-empty “text”")
        refuse_unknown_keys(document.path, row, SORT_ROW_FIELDS, f"{label}: ")
        slug = row.get("model")
        model = OutsourcingModel.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        if model is None:
            raise ContentFileError(document.path, f"{label}: “model” must name an outsourcing model, not “{slug}”")
        if not isinstance(row.get("feedback", ""), str):
            raise ContentFileError(document.path, f"{label}: “feedback” must be text")
        fields = {
            "text": row["text"],
            "correct": False,
            "placed_under": model,
            "feedback": row.get("feedback", "").strip(),
        }
        require_valid(
            Choice(**fields), document, labels={"text": label, "feedback": f"{label} feedback"}, exclude=["question"]
        )
        return fields

    @staticmethod
    def learn_more(document):
        reference = document.require("learn_more", str)
        kind_name, _, slug = reference.partition(":")
        if kind_name not in KIND_NAMED or not slug:
            raise ContentFileError(
                document.path, f"“learn_more” must be type:slug with type one of {', '.join(KIND_NAMED)}"
            )
        kind = KIND_NAMED[kind_name]
        target = kind.model.objects.filter(slug=slug).first()
        if target is None:
            raise ContentFileError(document.path, f"learn_more: there is no {kind.name} “{slug}”")
        return pointing_at(kind, target.pk)

    def export_quizzes(self):
        for quiz in Quiz.objects.all():
            meta = {
                **field_values(quiz, "slug", "title"),
                "blueprint": quiz.blueprint,
                **field_values(quiz, "two_option_cap", "pass_mark", "generated_questions", "certainty_based_marking"),
                **common_meta(quiz),
            }
            yield meta, quiz.introduction

    def export_questions(self):
        questions = Question.objects.filter(generated_key="").with_learn_more().select_related("quiz")
        choices = Prefetch("choices", queryset=Choice.objects.select_related("placed_under"))
        for question in questions.prefetch_related(choices):
            meta = {
                "slug": question.slug,
                "quiz": question.quiz.slug,
                **field_values(question, "kind", "topic", "prompt"),
                "learn_more": self.learn_more_reference(question),
                **({"facts": question.facts} if question.facts else {}),
                **common_meta(question),
                "choices": [self.choice_meta(question, choice) for choice in question.choices.all()],
            }
            yield meta, question.explanation

    @staticmethod
    def choice_meta(question, choice):
        if question.is_sort:
            meta = {"text": choice.text, "model": choice.placed_under.slug if choice.placed_under else ""}
        else:
            meta = {"text": choice.text, "correct": choice.correct}
        return {**meta, "feedback": choice.feedback} if choice.feedback else meta

    @staticmethod
    def learn_more_reference(question):
        kind = question.learn_more_kind
        return kind.reference(question.learn_more) if kind else ""
