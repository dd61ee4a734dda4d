"""Saving one content item syncs only the quiz questions built from it: its cost does not grow with the content."""

import io
import shutil
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from quiz import services
from quiz.models import Question
from quiz.services import sync_generated_questions
from tests.editor_helpers import form_data
from tests.factories import multiply_content

pytestmark = pytest.mark.django_db


def ten_times_the_content():
    multiply_content(10)
    sync_generated_questions()
    # 100 examples; 8 typed values and 90 copied ones (the shipped Examples row lists the examples: no values);
    # and the two sort questions
    assert Question.objects.exclude(generated_key="").filter(active=True).count() == 200


def question_for(example):
    return Question.objects.get(generated_key=f"example:{example.pk}", active=True)


def through_the_orm(client, example, title):
    """The save, ready to run."""
    example.title = title
    return example.save


def in_the_admin(client, example, title):
    """The editor's click on Save, on a change form already open."""
    url = f"/admin/content/example/{example.pk}/change/"
    data = {**form_data(client.get(url)), "title": title}
    return lambda: client.post(url, data)


def cost_of_saving(client, way, title):
    """(queries run, generated questions looked at) to save the example “data-entry” with a new title."""
    example = Example.objects.get(slug="data-entry")
    save = way(client, example, title)
    with (
        CaptureQueriesContext(connection) as captured,
        mock.patch.object(services, "sync_question", wraps=services.sync_question) as looked_at,
    ):
        save()
    assert question_for(example).prompt == f"Which model does “{title}” belong to?"
    return len(captured), looked_at.call_count


# The admin's count includes locking the row to check that no one saved it after the form was opened, and, since
# the example is published, reading it once more to offer the draft buttons, looking for its draft and deleting it
# as the change is published; both include keeping the example's row of the generated sort question in step
# (7 queries, however big its pool).
@pytest.mark.parametrize("way, queries", [(through_the_orm, 16), (in_the_admin, 36)])
def test_saving_an_example_costs_the_same_with_ten_times_the_content(admin_client, shipped_content, way, queries):
    cost_of_saving(admin_client, way, "Warming up")
    shipped = cost_of_saving(admin_client, way, "Keying in records")
    ten_times_the_content()
    assert shipped == cost_of_saving(admin_client, way, "Typing in records") == (queries, 1)


@pytest.mark.parametrize(
    "model, lookup, looked_at",
    [
        (Example, {"slug": "telemarketing"}, 1),
        (ComparisonValue, {"dimension__slug": "technology", "outsourcing_model__slug": "bpo"}, 1),
        (ComparisonDimension, {"slug": "technology"}, 2),  # its value for each of the two models
        (OutsourcingModel, {"slug": "bpo"}, 18),  # named in the choices of every generated question
    ],
)
def test_saving_an_item_looks_only_at_the_questions_built_from_it(shipped_content, model, lookup, looked_at):
    item = model.objects.get(**lookup)
    with mock.patch.object(services, "sync_question", wraps=services.sync_question) as sync_question:
        item.save()
    assert sync_question.call_count == looked_at


def test_load_content_syncs_every_generated_question_once_at_the_end(shipped_content, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(settings.CONTENT_DATA_DIR, data)
    for name in ("data-entry", "telemarketing", "legal-services"):
        path = data / "examples" / f"{name}.md"
        path.write_text(path.read_text().replace("\ntitle: ", "\ntitle: Renamed "))

    with mock.patch.object(services, "wanted_questions", wraps=services.wanted_questions) as wanted:
        call_command("load_content", str(data), "--replace", stdout=io.StringIO())

    [(sources, _models)] = [call.args for call in wanted.call_args_list]
    assert sources.everything
    renamed = Question.objects.filter(active=True, prompt__startswith="Which model does “Renamed ")
    assert renamed.count() == 3
