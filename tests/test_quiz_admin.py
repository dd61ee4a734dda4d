import pytest

from content.models import Example, OutsourcingModel
from quiz.models import Question, Quiz
from tests.editor_helpers import form_data

pytestmark = pytest.mark.django_db


def question_form(quiz, kind="single", choices=(("Yes", True), ("No", False)), **overrides):
    data = {
        "quiz": quiz.pk,
        "prompt": "Is payroll BPO?",
        "slug": "payroll-bpo",
        "kind": kind,
        "topic": "examples",
        "explanation": "Payroll follows fixed rules.",
        "position": 1,
        "published": "on",
        "active": "on",
        "learn_more_example": Example.objects.get(slug="accounting-and-finance").pk,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, (text, correct) in enumerate(choices):
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-position"] = index
        if correct:
            data[f"choices-{index}-correct"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def quiz(shipped_content):
    return Quiz.objects.get(slug="bpo-or-kpo")


def add(admin_client, data):
    return admin_client.post("/admin/quiz/question/add/", data)


def test_an_editor_adds_a_valid_question_with_its_choices(admin_client, quiz):
    response = add(admin_client, question_form(quiz))
    assert response.status_code == 302
    question = Question.objects.get(slug="payroll-bpo")
    assert [(c.text, c.correct) for c in question.choices.all()] == [("Yes", True), ("No", False)]


@pytest.mark.parametrize(
    "kind, choices, message",
    [
        ("single", (("Yes", True), ("No", True)), "exactly one correct choice; 2 are marked correct"),
        ("single", (("Yes", False), ("No", False)), "exactly one correct choice; 0 are marked correct"),
        ("multiple", (("A", True), ("B", True)), "at least one correct choice and at least one wrong one"),
        ("multiple", (("A", False), ("B", False)), "at least one correct choice and at least one wrong one"),
        ("true_false", (("Yes", True), ("No", False)), "exactly two choices, “True” and “False”"),
        ("true_false", (("True", True), ("False", True)), "exactly one of “True” and “False” marked correct"),
    ],
)
def test_choices_that_do_not_suit_the_kind_are_explained(admin_client, quiz, kind, choices, message):
    response = add(admin_client, question_form(quiz, kind=kind, choices=choices))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.filter(slug="payroll-bpo").exists()


@pytest.mark.parametrize("overrides", [{"explanation": ""}, {"learn_more_example": None}])
def test_a_question_without_explanation_or_learn_more_cannot_be_published(admin_client, quiz, overrides):
    response = add(admin_client, question_form(quiz, **overrides))
    assert "A published question needs an explanation and a “learn more” target" in response.content.decode()
    assert not Question.objects.filter(slug="payroll-bpo").exists()
    draft = question_form(quiz, **overrides)
    del draft["published"]
    assert add(admin_client, draft).status_code == 302


def test_two_learn_more_targets_are_refused(admin_client, quiz):
    response = add(admin_client, question_form(quiz, learn_more_model=OutsourcingModel.objects.get(slug="bpo").pk))
    assert "Pick only one “learn more” target" in response.content.decode()


def test_generated_questions_are_marked_in_the_question_list(admin_client, quiz):
    html = admin_client.get("/admin/quiz/question/?generated_key__isempty=0").content.decode()
    assert "Which model does “Telemarketing” belong to?" in html
    assert "a benefit of BPO only" not in html
    assert (
        "a benefit of BPO only" in admin_client.get("/admin/quiz/question/?generated_key__isempty=1").content.decode()
    )


def test_attempts_are_read_only_in_the_admin(admin_client, client, quiz):
    from tests.quiz_helpers import start

    attempt = start(client)
    assert admin_client.get("/admin/quiz/attempt/add/").status_code == 403
    page = admin_client.get(f"/admin/quiz/attempt/{attempt.pk}/change/")
    assert page.status_code == 200 and 'name="score"' not in page.content.decode()


def test_a_generated_question_can_only_be_published_or_retired_in_the_admin(admin_client, quiz):
    generated = Question.objects.filter(quiz=quiz).exclude(generated_key="").first()
    choices_before = [(choice.pk, choice.text, choice.correct) for choice in generated.choices.all()]
    url = f"/admin/quiz/question/{generated.pk}/change/"

    page = admin_client.get(url)
    as_sent = form_data(page)
    as_sent.pop("active")
    tampered = admin_client.post(
        url,
        {
            **as_sent,
            "prompt": "Tampered prompt",
            "explanation": "Tampered",
            "choices-0-text": "Injected choice",
        },
    )

    assert "edit that item to change the question" in page.content.decode()
    assert 'name="prompt"' not in page.content.decode()
    assert 'name="choices-0-text"' not in page.content.decode()
    assert tampered.status_code == 302
    generated.refresh_from_db()
    assert generated.prompt != "Tampered prompt"
    assert generated.active is False
    assert [(choice.pk, choice.text, choice.correct) for choice in generated.choices.all()] == choices_before
