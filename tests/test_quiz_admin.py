import pytest

from content.models import Example, OutsourcingModel
from quiz.models import Attempt, Question
from tests.editor_helpers import form_data
from tests.html_pages import parse
from tests.quiz_helpers import start

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
        "learn_more": f"example:{Example.objects.get(slug='accounting-and-finance').pk}",
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


def add(admin_client, data):
    return admin_client.post("/admin/quiz/question/add/", data)


def errors_on(response):
    assert response.status_code == 200
    return " ".join(error.text for error in parse(response).find_all(class_="errorlist"))


def test_an_editor_adds_a_valid_question_with_its_choices(admin_client, shipped_quiz):
    response = add(admin_client, question_form(shipped_quiz))
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
def test_choices_that_do_not_suit_the_kind_are_explained(admin_client, shipped_quiz, kind, choices, message):
    response = add(admin_client, question_form(shipped_quiz, kind=kind, choices=choices))
    assert message in errors_on(response)
    assert not Question.objects.filter(slug="payroll-bpo").exists()


@pytest.mark.parametrize("overrides", [{"explanation": ""}, {"learn_more": None}, {"learn_more": ""}])
def test_a_question_without_explanation_or_learn_more_cannot_be_published(admin_client, shipped_quiz, overrides):
    response = add(admin_client, question_form(shipped_quiz, **overrides))
    assert "A published question needs an explanation and a “learn more” target" in errors_on(response)
    assert not Question.objects.filter(slug="payroll-bpo").exists()
    draft = question_form(shipped_quiz, **overrides)
    del draft["published"]
    assert add(admin_client, draft).status_code == 302


def test_learn_more_is_one_select_grouped_by_kind_of_target(admin_client, shipped_quiz):
    form = parse(admin_client.get("/admin/quiz/question/add/"))
    chooser = form.find("select", name="learn_more")
    groups = {
        group["label"]: [option.text for option in group.find_all("option")] for group in chooser.find_all("optgroup")
    }
    assert list(groups) == [
        "Models: their definition",
        "Examples",
        "Rows of the comparison",
        "Benefits",
        "Sections of the explainer",
    ]
    assert "Telemarketing (BPO)" in groups["Examples"] and "Legal services (KPO)" in groups["Examples"]
    assert form.find("label", **{"for": "id_learn_more"}).text.strip().startswith("Learn more")
    assert [select["name"] for select in form.find_all("select") if select["name"].startswith("learn_more")] == [
        "learn_more"
    ]


def test_the_chosen_target_is_saved_and_shown_when_the_form_opens_again(admin_client, shipped_quiz):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    assert add(admin_client, question_form(shipped_quiz, learn_more=f"model:{bpo.pk}")).status_code == 302
    question = Question.objects.get(slug="payroll-bpo")
    assert question.learn_more == bpo and question.learn_more_example is None
    shown = form_data(admin_client.get(f"/admin/quiz/question/{question.pk}/change/"))
    assert shown["learn_more"] == f"model:{bpo.pk}"


@pytest.mark.parametrize(
    "tampered",
    ["example:999999", "chapter:1", "example:abc", "example", ":", "model:1:2", "x" * 5000, "example:-1", "model: 1"],
)
def test_a_tampered_learn_more_value_is_refused_beside_the_chooser(admin_client, shipped_quiz, tampered):
    response = add(admin_client, question_form(shipped_quiz, learn_more=tampered))
    assert response.status_code == 200
    row = parse(response).find(class_="field-learn_more")
    assert "That is not one of the parts of the explainer in this list" in row.find(class_="errorlist").text
    assert not Question.objects.filter(slug="payroll-bpo").exists()


def test_the_old_learn_more_fields_are_not_read_from_the_form(admin_client, shipped_quiz):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    assert add(admin_client, question_form(shipped_quiz, learn_more_model=bpo.pk)).status_code == 302
    question = Question.objects.get(slug="payroll-bpo")
    assert question.learn_more == Example.objects.get(slug="accounting-and-finance")
    assert question.learn_more_model is None


def generated_column(admin_client):
    """Each listed question's prompt, with what its “generated” column shows."""
    rows = parse(admin_client.get("/admin/quiz/question/?all=")).find("table", id="result_list").find_all("tr")
    return {row.find("th").text: row.find("td", class_="field-is_generated").find("img")["alt"] for row in rows[1:]}


def test_generated_questions_are_marked_in_the_question_list(admin_client, shipped_quiz):
    shown = generated_column(admin_client)
    assert len(shown) == Question.objects.count()
    for question in Question.objects.all():
        assert shown[question.prompt] == str(question.is_generated), question.prompt
    assert shown["Which model does “Telemarketing” belong to?"] == "True"
    generated_only = parse(admin_client.get("/admin/quiz/question/?generated_key__isempty=0"))
    assert "Which model does “Telemarketing” belong to?" in generated_only.text
    assert "a benefit of BPO only" not in generated_only.text


def test_attempts_are_read_only_in_the_admin(admin_client, client, shipped_quiz):
    attempt = start(client)
    assert admin_client.get("/admin/quiz/attempt/add/").status_code == 403
    page = admin_client.get(f"/admin/quiz/attempt/{attempt.pk}/change/")
    assert page.status_code == 200 and not parse(page).has("input", name="score")
    assert admin_client.post(f"/admin/quiz/attempt/{attempt.pk}/change/", {"score": 99}).status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).score == 0


def test_a_generated_question_can_only_be_published_or_retired_in_the_admin(admin_client, shipped_quiz):
    generated = Question.objects.filter(quiz=shipped_quiz).exclude(generated_key="").first()
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

    form = parse(page).find(id="content-main")
    assert "edit that item to change the question" in form.text
    assert not form.has(name="prompt")
    assert not form.has(name="choices-0-text")
    assert tampered.status_code == 302
    generated.refresh_from_db()
    assert generated.prompt != "Tampered prompt"
    assert generated.active is False
    assert [(choice.pk, choice.text, choice.correct) for choice in generated.choices.all()] == choices_before
