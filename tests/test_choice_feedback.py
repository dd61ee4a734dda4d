import io

import pytest
from django.core.management import call_command

from quiz.models import Choice, Question
from tests.html_pages import parse
from tests.quiz_helpers import start
from tests.test_quiz_admin import question_form

pytestmark = pytest.mark.django_db

QUESTION_SLUG = "kpo-technology"


def feedback_page(client, picked_text):
    """The feedback page after answering the shipped question QUESTION_SLUG, asked first, with ``picked_text``."""
    question = Question.objects.get(slug=QUESTION_SLUG)
    choices = list(question.choices.all())
    attempt = start(client)
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in choices]
    attempt.save()
    place = next(place for place, choice in enumerate(choices, start=1) if choice.text == picked_text)
    client.post(attempt.question_url(1), {"choice": [str(place)], "certainty": "low"})
    return parse(client.get(attempt.question_url(1)))


def test_every_wrong_choice_of_the_hand_written_questions_has_feedback(shipped_content):
    wrong = Choice.objects.filter(question__generated_key="", correct=False)
    assert wrong.count() >= 20
    assert not wrong.filter(feedback="").exists()


def test_the_feedback_of_the_chosen_wrong_choice_is_shown_and_no_other(client, shipped_content):
    picked = Choice.objects.get(question__slug=QUESTION_SLUG, text="Telephones and nothing else")
    page = feedback_page(client, picked.text)
    section = page.find("section", class_="mistake-feedback")
    assert section.find("h3").text == picked.text
    assert section.find("p").text == picked.feedback
    others = Choice.objects.filter(question__slug=QUESTION_SLUG).exclude(pk=picked.pk).exclude(feedback="")
    assert others.exists()
    assert all(other.feedback not in page.text for other in others)
    assert page.find("section", class_="explanation").find("a").text.startswith("Learn more:")


def test_a_right_answer_shows_no_choice_feedback(client, shipped_content):
    right = Choice.objects.get(question__slug=QUESTION_SLUG, correct=True)
    page = feedback_page(client, right.text)
    assert not page.has("section", class_="mistake-feedback")
    written = Choice.objects.filter(question__slug=QUESTION_SLUG).exclude(feedback="")
    assert written.count() == 3
    assert all(choice.feedback not in page.text for choice in written)


def test_feedback_is_read_from_the_content_files_restored_by_replace_and_exported(tmp_path, shipped_content):
    choice = Choice.objects.get(question__slug=QUESTION_SLUG, text="Telephones and nothing else")
    shipped_feedback = choice.feedback
    assert shipped_feedback.startswith("Phones are the picture")
    Choice.objects.filter(pk=choice.pk).update(feedback="Edited in the admin.")

    call_command("export_content", str(tmp_path), stdout=io.StringIO())
    assert "  feedback: Edited in the admin.\n" in (tmp_path / "questions" / f"{QUESTION_SLUG}.md").read_text()

    call_command("load_content", "--replace", stdout=io.StringIO())
    choice.refresh_from_db()
    assert choice.feedback == shipped_feedback


def test_an_editor_writes_a_choices_feedback_in_the_choice_inline(admin_client, shipped_quiz):
    page = parse(admin_client.get("/admin/quiz/question/add/"))
    assert page.has("textarea", name="choices-__prefix__-feedback")
    data = question_form(shipped_quiz, **{"choices-1-feedback": "Tempting, but payroll follows fixed rules."})
    assert admin_client.post("/admin/quiz/question/add/", data).status_code == 302
    choices = Question.objects.get(slug="payroll-bpo").choices.all()
    assert [choice.feedback for choice in choices] == ["", "Tempting, but payroll follows fixed rules."]
