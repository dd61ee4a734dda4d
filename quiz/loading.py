"""Load the quizzes and their hand-written questions from ``content/data/`` and export them back.

Generated questions are not files: they follow the content and are rebuilt
by ``sync_generated_questions`` once everything else is loaded.
"""

from editorial.documents import ContentFileError
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

from .learn_more import KIND_NAMED, pointing_at
from .models import Choice, Question, Quiz, choice_problems
from .services import set_choices, sync_generated_questions, syncing_held_back


class QuizLoader(Loader):
    """The quizzes and their hand-written questions."""

    folders = ("quizzes", "questions")

    def loading(self):
        """The explainer's items are saved before this loader runs: their questions are synced once, at the end."""
        return syncing_held_back()

    def load(self, documents, replace, report):
        for document in documents["quizzes"]:
            report.add("quizzes", save_item(Quiz, document, self.plan_quiz(document), replace)[1])
        quizzes = {quiz.slug: quiz for quiz in Quiz.objects.all()}
        plans = [self.plan_question(document, quizzes) for document in documents["questions"]]
        for document, fields, choices in plans:
            report.add("questions", self.save_question(document, fields, choices, replace))
        generated = sync_generated_questions()
        report.add("generated questions", CREATED, generated["created"])
        report.add("generated questions", UPDATED, generated["updated"] + generated["retired"] + generated["deleted"])
        report.add("generated questions", UNCHANGED, generated["unchanged"])

    def plan_quiz(self, document):
        return {
            "title": document.require("title", str),
            "introduction": document.require_body(),
            "questions_per_attempt": document.require("questions_per_attempt", int),
            "pass_mark": self.require_pass_mark(document),
            "generated_questions": document.optional("generated_questions", bool, False),
            "certainty_based_marking": document.optional("certainty_based_marking", bool, True),
            **common_fields(document),
        }

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
        choices = [
            self.read_choice(document, number, choice)
            for number, choice in enumerate(document.require("choices", list), start=1)
        ]
        problems = choice_problems(kind, [(choice["text"], choice["correct"]) for choice in choices])
        if problems:
            raise ContentFileError(document.path, " ".join(problems))
        fields = {
            "quiz": quizzes[quiz_slug],
            "kind": kind,
            "topic": topic,
            "prompt": document.require("prompt", str),
            "explanation": document.require_body(),
            **self.learn_more(document),
            **common_fields(document),
        }
        return document, fields, choices

    @staticmethod
    def save_question(document, fields, choices, replace):
        question, outcome = save_item(Question, document, fields, replace)
        current = [(choice.text, choice.correct, choice.feedback) for choice in question.choices.all()]
        wanted = [(choice["text"], choice["correct"], choice["feedback"]) for choice in choices]
        if outcome == CREATED or (replace and current != wanted):
            set_choices(question, choices)
            note_changed(question)
            outcome = CREATED if outcome == CREATED else UPDATED
        return outcome

    @staticmethod
    def read_choice(document, number, choice):
        if not isinstance(choice, dict) or not isinstance(choice.get("text"), str) or not choice["text"].strip():
            raise ContentFileError(document.path, "each choice needs a non-empty “text”")
        if not isinstance(choice.get("correct"), bool):
            raise ContentFileError(
                document.path, f"choice “{choice['text']}” needs “correct: true” or “correct: false”"
            )
        if not isinstance(choice.get("feedback", ""), str):
            raise ContentFileError(document.path, f"choice “{choice['text']}”: “feedback” must be text")
        fields = {"text": choice["text"], "correct": choice["correct"], "feedback": choice.get("feedback", "").strip()}
        labels = {"text": f"field “choices”, choice {number}", "feedback": f"field “choices”, choice {number} feedback"}
        require_valid(Choice(**fields), document, labels=labels, exclude=["question"])
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
        names = (
            "slug",
            "title",
            "questions_per_attempt",
            "pass_mark",
            "generated_questions",
            "certainty_based_marking",
        )
        for quiz in Quiz.objects.all():
            yield {**field_values(quiz, *names), **common_meta(quiz)}, quiz.introduction

    def export_questions(self):
        questions = Question.objects.filter(generated_key="").with_learn_more().select_related("quiz")
        for question in questions.prefetch_related("choices"):
            meta = {
                "slug": question.slug,
                "quiz": question.quiz.slug,
                **field_values(question, "kind", "topic", "prompt"),
                "learn_more": self.learn_more_reference(question),
                **common_meta(question),
                "choices": [self.choice_meta(choice) for choice in question.choices.all()],
            }
            yield meta, question.explanation

    @staticmethod
    def choice_meta(choice):
        meta = {"text": choice.text, "correct": choice.correct}
        return {**meta, "feedback": choice.feedback} if choice.feedback else meta

    @staticmethod
    def learn_more_reference(question):
        kind = question.learn_more_kind
        return kind.reference(question.learn_more) if kind else ""
