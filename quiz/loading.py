"""Load the quizzes and their hand-written questions from ``content/data/`` and export them back.

Generated questions are not files: they follow the content and are rebuilt
by ``sync_generated_questions`` once everything else is loaded.
"""

from pathlib import Path

from content.documents import ContentFileError, read_folder, write_document
from content.loading import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ExplainerLoader,
    remove_stale_files,
    require_unique_slugs,
    save_item,
)

from .learn_more import KIND_NAMED, pointing_at
from .models import Question, Quiz, choice_problems
from .services import set_choices, sync_generated_questions


class QuizLoader:
    folders = ("quizzes", "questions")

    def load(self, data_dir, replace, report):
        quiz_documents = read_folder(Path(data_dir) / "quizzes")
        question_documents = read_folder(Path(data_dir) / "questions")
        require_unique_slugs(quiz_documents)
        require_unique_slugs(question_documents)
        for document in quiz_documents:
            fields = {
                "title": document.require("title", str),
                "introduction": ExplainerLoader.require_body(document),
                "questions_per_attempt": document.require("questions_per_attempt", int),
                "pass_mark": self.require_pass_mark(document),
                "generated_questions": document.optional("generated_questions", bool, False),
                **ExplainerLoader.common_fields(document),
            }
            report.add("quizzes", save_item(Quiz, document.meta["slug"], fields, replace)[1])
        quizzes = {quiz.slug: quiz for quiz in Quiz.objects.all()}
        plans = [self.plan_question(document, quizzes) for document in question_documents]
        for slug, fields, choices in plans:
            question, outcome = save_item(Question, slug, fields, replace)
            current = [(choice.text, choice.correct) for choice in question.choices.all()]
            wanted = [(choice["text"], choice["correct"]) for choice in choices]
            if outcome == CREATED or (replace and current != wanted):
                set_choices(question, choices)
                outcome = CREATED if outcome == CREATED else UPDATED
            report.add("questions", outcome)
        generated = sync_generated_questions()
        report.add("generated questions", CREATED, generated["created"])
        report.add("generated questions", UPDATED, generated["updated"] + generated["retired"] + generated["deleted"])
        report.add("generated questions", UNCHANGED, generated["unchanged"])

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
        kind = document.require("kind", str)
        if kind not in Question.Kind.values:
            raise ContentFileError(
                document.path, f"unknown kind “{kind}” (use one of {', '.join(Question.Kind.values)})"
            )
        topic = document.require("topic", str)
        if topic not in Question.Topic.values:
            raise ContentFileError(
                document.path, f"unknown topic “{topic}” (use one of {', '.join(Question.Topic.values)})"
            )
        choices = [self.read_choice(document, choice) for choice in document.require("choices", list)]
        problems = choice_problems(kind, [(choice["text"], choice["correct"]) for choice in choices])
        if problems:
            raise ContentFileError(document.path, " ".join(problems))
        fields = {
            "quiz": quizzes[quiz_slug],
            "kind": kind,
            "topic": topic,
            "prompt": document.require("prompt", str),
            "explanation": ExplainerLoader.require_body(document),
            **self.learn_more(document),
            **ExplainerLoader.common_fields(document),
        }
        return document.meta["slug"], fields, choices

    @staticmethod
    def read_choice(document, choice):
        if not isinstance(choice, dict) or not isinstance(choice.get("text"), str) or not choice["text"].strip():
            raise ContentFileError(document.path, "each choice needs a non-empty “text”")
        if not isinstance(choice.get("correct"), bool):
            raise ContentFileError(
                document.path, f"choice “{choice['text']}” needs “correct: true” or “correct: false”"
            )
        return {"text": choice["text"], "correct": choice["correct"]}

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

    def export(self, data_dir):
        data_dir = Path(data_dir)
        written = {folder: set() for folder in self.folders}
        for quiz in Quiz.objects.all():
            meta = {
                "slug": quiz.slug,
                "title": quiz.title,
                "questions_per_attempt": quiz.questions_per_attempt,
                "pass_mark": quiz.pass_mark,
                "generated_questions": quiz.generated_questions,
                **ExplainerLoader.common_meta(quiz),
            }
            path = data_dir / "quizzes" / f"{quiz.slug}.md"
            write_document(path, meta, quiz.introduction)
            written["quizzes"].add(path)
        questions = Question.objects.filter(generated_key="").with_learn_more().select_related("quiz")
        for question in questions.prefetch_related("choices"):
            meta = {
                "slug": question.slug,
                "quiz": question.quiz.slug,
                "kind": question.kind,
                "topic": question.topic,
                "prompt": question.prompt,
                "learn_more": self.learn_more_reference(question),
                **ExplainerLoader.common_meta(question),
                "choices": [{"text": choice.text, "correct": choice.correct} for choice in question.choices.all()],
            }
            path = data_dir / "questions" / f"{question.slug}.md"
            write_document(path, meta, question.explanation)
            written["questions"].add(path)
        for folder, paths in written.items():
            remove_stale_files(data_dir / folder, paths)

    @staticmethod
    def learn_more_reference(question):
        kind = question.learn_more_kind
        return kind.reference(question.learn_more) if kind else ""
