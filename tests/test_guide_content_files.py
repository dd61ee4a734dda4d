"""The guide's wording lives in the comparison files: loaded, exported back, and refused by name when bad."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from content.models import ComparisonDimension, ComparisonValue
from tests.content_files import minimal_content, write

pytestmark = pytest.mark.django_db

ROW = """
---
slug: skill-level
title: Skill level
position: 1
published: true
values:
  bpo: Lower to moderate
{extra}
---
How much expertise the work needs.
"""


def load(folder, *args):
    call_command("load_content", str(folder), *args, stdout=io.StringIO())


def refusal(folder):
    with pytest.raises(CommandError) as error:
        load(folder, "--replace")
    return str(error.value)


def snapshot():
    return [sorted(map(repr, model.objects.values())) for model in (ComparisonDimension, ComparisonValue)]


def test_the_question_and_answers_load_and_export_back_as_written(tmp_path):
    data = minimal_content(tmp_path / "data")
    extra = "guide_question: What skill does it need?\nguide_answers:\n  bpo: 'Training teaches it: no degree needed'"
    row = write(data, "comparison/skill-level.md", ROW.format(extra=extra))
    load(data)

    dimension = ComparisonDimension.objects.get(slug="skill-level")
    assert dimension.guide_question == "What skill does it need?"
    assert dimension.values.get().guide_answer == "Training teaches it: no degree needed"
    call_command("export_content", str(tmp_path / "out"), stdout=io.StringIO())
    assert (tmp_path / "out/comparison/skill-level.md").read_text() == row.read_text()


def test_a_row_without_guide_wording_exports_without_it(tmp_path):
    data = minimal_content(tmp_path / "data")
    load(data)
    call_command("export_content", str(tmp_path / "out"), stdout=io.StringIO())
    exported = (tmp_path / "out/comparison/skill-level.md").read_text()
    assert "guide_" not in exported


@pytest.mark.parametrize(
    "extra, problem",
    [
        ("guide_question: 5", "field “guide_question” must be text"),
        ("guide_question: ' '", "field “guide_question” must not be empty"),
        ("guide_question: " + "Q" * 201, "field “guide_question”: Ensure this value has at most 200 characters"),
        ("guide_answers: [bpo]", "field “guide_answers” must be a mapping"),
        ("guide_answers:\n  kpo: Experts", "field “guide_answers” names “kpo”, which has no value"),
        ("guide_answers:\n  bpo: ''", "the guide answer for “bpo” must be non-empty text"),
        ("guide_answers:\n  bpo: [a]", "the guide answer for “bpo” must be non-empty text"),
        ("guide_answers:\n  bpo: " + "A" * 201, "field “guide_answers”, “bpo”: Ensure this value has at most 200"),
    ],
)
def test_bad_guide_wording_is_refused_naming_the_file_and_field_and_nothing_changes(tmp_path, extra, problem):
    data = minimal_content(tmp_path / "data")
    load(data)
    before = snapshot()
    row = write(data, "comparison/skill-level.md", ROW.format(extra=extra))

    message = refusal(data)
    assert str(row) in message and problem in message
    assert snapshot() == before


def test_a_row_may_not_take_the_slug_the_guide_gives_the_description(tmp_path):
    data = minimal_content(tmp_path / "data")
    load(data)
    row = write(data, "comparison/task.md", ROW.format(extra="").replace("slug: skill-level", "slug: task"))
    message = refusal(data)
    assert str(row) in message and "field “slug”: “task” is taken by the guide" in message


def test_a_site_loaded_before_the_guide_gets_the_shipped_wording_and_keeps_an_editors(shipped_content):
    shipped = {row.slug: row.guide_question for row in ComparisonDimension.objects.all()}
    shipped_answers = {str(value): value.guide_answer for value in ComparisonValue.objects.all()}
    ComparisonDimension.objects.update(guide_question="")
    ComparisonValue.objects.update(guide_answer="")
    ComparisonDimension.objects.filter(slug="technology").update(guide_question="Which tools?")

    migration = importlib.import_module("content.migrations.0007_guide_shipped_wording")
    migration.fill_empty_wording(apps, None)

    assert {row.slug: row.guide_question for row in ComparisonDimension.objects.all()} == {
        **shipped,
        "technology": "Which tools?",
    }
    assert {str(value): value.guide_answer for value in ComparisonValue.objects.all()} == shipped_answers
