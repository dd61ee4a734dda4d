import io

import pytest
from django.core.management import call_command

from content.models import ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from quiz.models import Question
from tests.quiz_helpers import answer_first

pytestmark = pytest.mark.django_db


def generated(key_prefix=""):
    return Question.objects.exclude(generated_key="").filter(generated_key__startswith=key_prefix)


def question_for(item, active=True):
    prefix = "example" if isinstance(item, Example) else "value"
    return Question.objects.get(generated_key=f"{prefix}:{item.pk}", active=active)


def test_every_published_example_and_comparison_value_yields_a_question(shipped_content):
    assert generated("example:").filter(active=True).count() == Example.objects.published().count() == 10
    assert generated("value:").filter(active=True).count() == ComparisonValue.objects.count() == 8
    telemarketing = Example.objects.get(slug="telemarketing")
    question = question_for(telemarketing)
    assert question.prompt == "Which model does “Telemarketing” belong to?"
    assert question.quiz.slug == "bpo-or-kpo" and question.published and question.learn_more == telemarketing
    assert [(choice.text, choice.correct) for choice in question.choices.all()] == [
        ("BPO (Business Process Outsourcing)", True),
        ("KPO (Knowledge Process Outsourcing)", False),
    ]
    value = ComparisonValue.objects.select_related("dimension").get(
        dimension__slug="skill-level", outsourcing_model__slug="kpo"
    )
    value_question = question_for(value)
    assert value_question.prompt == f"Which model is described by: “{value.text}”?"
    assert value_question.learn_more == value.dimension
    assert [choice.correct for choice in value_question.choices.all()] == [False, True]


def test_adding_an_example_adds_a_question(shipped_content):
    kpo = OutsourcingModel.objects.get(slug="kpo")
    example = Example.objects.create(
        outsourcing_model=kpo, slug="actuarial-work", title="Actuarial work", summary="Risk models."
    )
    assert question_for(example).prompt == "Which model does “Actuarial work” belong to?"


def test_editing_an_example_updates_its_question_in_place(shipped_content):
    example = Example.objects.get(slug="data-entry")
    before = question_for(example)
    example.title = "Keying in records"
    example.save()
    after = question_for(example)
    assert after.pk == before.pk
    assert after.prompt == "Which model does “Keying in records” belong to?"


def test_moving_an_example_to_the_other_model_changes_the_right_answer(shipped_content):
    example = Example.objects.get(slug="data-entry")
    example.outsourcing_model = OutsourcingModel.objects.get(slug="kpo")
    example.save()
    assert [choice.correct for choice in question_for(example).choices.all()] == [False, True]


def test_moving_an_answered_example_retires_the_old_question_and_asks_a_new_one(client, shipped_content):
    example = Example.objects.get(slug="data-entry")
    answered = question_for(example)
    answer_first(client, answered)
    example.outsourcing_model = OutsourcingModel.objects.get(slug="kpo")
    example.save()
    answered.refresh_from_db()
    assert answered.active is False
    assert [choice.correct for choice in answered.choices.all()] == [True, False]
    assert question_for(example).pk != answered.pk


def test_unpublishing_an_example_removes_its_unanswered_question(shipped_content):
    example = Example.objects.get(slug="telemarketing")
    pk = question_for(example).pk
    example.published = False
    example.save()
    assert not Question.objects.filter(pk=pk).exists()


def test_deleting_an_example_removes_its_unanswered_question(shipped_content):
    example = Example.objects.get(slug="telemarketing")
    pk = question_for(example).pk
    example.delete()
    assert not Question.objects.filter(pk=pk).exists()
    assert generated("example:").filter(active=True).count() == 9


def test_a_generated_question_with_answers_survives_deletion_as_inactive(client, shipped_content):
    example = Example.objects.get(slug="telemarketing")
    question = question_for(example)
    answer_first(client, question)
    example.delete()
    question.refresh_from_db()
    assert question.active is False
    assert question.answers.count() == 1
    assert question not in question.quiz.bank()


def test_editing_a_comparison_value_updates_its_question(shipped_content):
    value = ComparisonValue.objects.get(dimension__slug="technology", outsourcing_model__slug="bpo")
    value.text = "Ticketing and call-centre software"
    value.save()
    assert question_for(value).prompt == "Which model is described by: “Ticketing and call-centre software”?"


def test_adding_and_deleting_a_comparison_value_changes_the_bank(shipped_content):
    dimension = ComparisonDimension.objects.create(slug="pricing", title="Pricing", position=9)
    value = ComparisonValue.objects.create(
        dimension=dimension, outsourcing_model=OutsourcingModel.objects.get(slug="kpo"), text="Priced on expertise"
    )
    question = question_for(value)
    assert question in question.quiz.bank()
    value.delete()
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not question.quiz.bank().filter(generated_key=f"value:{value.pk}").exists()


def test_unpublishing_a_dimension_retires_its_value_questions(shipped_content):
    dimension = ComparisonDimension.objects.get(slug="technology")
    dimension.published = False
    dimension.save()
    assert generated("value:").filter(active=True).count() == 6
    for value in dimension.values.all():
        assert not Question.objects.filter(generated_key=f"value:{value.pk}", active=True).exists()


def test_renaming_a_model_updates_every_generated_choice(shipped_content):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    bpo.name = "Business process outsourcing"
    bpo.save()
    texts = {choice.text for question in generated().filter(active=True) for choice in question.choices.all()}
    assert "BPO (Business process outsourcing)" in texts and "BPO (Business Process Outsourcing)" not in texts


def test_loading_content_again_leaves_generated_questions_alone(shipped_content):
    before = sorted(generated().values_list("pk", "prompt", "updated_at"))
    out = io.StringIO()
    call_command("load_content", stdout=out)
    assert "generated questions: 0 created, 0 updated, 20 unchanged" in out.getvalue()
    assert sorted(generated().values_list("pk", "prompt", "updated_at")) == before
