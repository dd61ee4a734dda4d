import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, execute_from_command_line

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from editorial.exporting import MANIFEST
from editorial.loading import configured_loaders
from quiz.models import Answer, Attempt, Question, Quiz
from tests.content_files import minimal_content, write

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [OutsourcingModel, Example, ComparisonDimension, ComparisonValue, Benefit, Section]


def load(*args):
    out = io.StringIO()
    call_command("load_content", *map(str, args), stdout=out)
    return out.getvalue()


def database_snapshot():
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in CONTENT_MODELS}


def test_shipped_content_loads_every_fact_of_the_source():
    output = load()
    assert OutsourcingModel.objects.count() == 2
    assert Example.objects.filter(outsourcing_model__slug="bpo").count() == 5
    assert Example.objects.filter(outsourcing_model__slug="kpo").count() == 5
    assert ComparisonDimension.objects.count() == 5
    assert list(ComparisonDimension.objects.filter(lists_examples=True).values_list("slug", flat=True)) == ["examples"]
    assert ComparisonValue.objects.count() == 8
    assert Benefit.objects.count() == 5
    assert set(Section.objects.values_list("slug", flat=True)) >= {"introduction", "key-differences", "conclusion"}
    assert "outsourcing models: 2 created, 0 updated, 0 unchanged" in output


def test_second_load_changes_nothing_and_says_so():
    load()
    before = database_snapshot()
    output = load()
    assert "Total: 0 created, 0 updated" in output
    assert "Nothing to change" in output
    assert database_snapshot() == before


def test_plain_load_keeps_an_editors_change():
    load()
    Example.objects.filter(slug="data-entry").update(title="Keying in data")
    load()
    assert Example.objects.get(slug="data-entry").title == "Keying in data"


def test_replace_restores_the_files_version():
    load()
    Example.objects.filter(slug="data-entry").update(title="Keying in data")
    output = load("--replace")
    assert Example.objects.get(slug="data-entry").title == "Data entry"
    assert "examples: 0 created, 1 updated, 9 unchanged" in output


def test_load_adds_only_what_is_missing(tmp_path):
    data = minimal_content(tmp_path)
    load(data)
    Example.objects.all().delete()
    output = load(data)
    assert Example.objects.count() == 1
    assert "examples: 1 created, 0 updated, 0 unchanged" in output


def test_markdown_is_rendered_when_loaded(tmp_path):
    data = minimal_content(tmp_path)
    write(
        data,
        "sections/introduction.md",
        "---\nslug: introduction\ntitle: Intro\nposition: 1\n---\nSome **bold** <script>x</script>\n",
    )
    load(data)
    assert Section.objects.get().body_html == "<p>Some <strong>bold</strong> </p>"


@pytest.mark.parametrize(
    "relative, text, problem",
    [
        ("examples/broken.md", "---\nslug: broken\nmodel: bpo\nposition: 2\n---\nBody\n", "missing field “title”"),
        (
            "examples/broken.md",
            "---\nslug: broken\ntitle: Broken\nmodel: ito\nposition: 2\n---\nBody\n",
            "unknown model “ito”",
        ),
        (
            "examples/copy.md",
            "---\nslug: data-entry\ntitle: Copy\nmodel: bpo\nposition: 2\n---\nBody\n",
            "duplicate slug “data-entry”",
        ),
        ("examples/broken.md", "---\nslug: [unclosed\n---\nBody\n", "bad front matter"),
        ("examples/broken.md", "no front matter at all\n", "bad front matter"),
        (
            "examples/broken.md",
            "---\nslug: broken\ntitle: Broken\nmodel: bpo\nposition: first\n---\nBody\n",
            "“position” must be a whole number",
        ),
        ("examples/broken.md", "---\nslug: broken\ntitle: Broken\nmodel: bpo\nposition: 2\n---\n\n", "missing body"),
        (
            "benefits/broken.md",
            "---\nslug: broken\ntitle: Broken\nmodels: [bpo, lpo]\nposition: 2\n---\nBody\n",
            "unknown model “lpo”",
        ),
    ],
)
def test_a_malformed_file_stops_the_load_and_leaves_the_database_untouched(tmp_path, relative, text, problem):
    data = minimal_content(tmp_path)
    load(data)
    Example.objects.filter(slug="data-entry").update(title="Edited")
    before = database_snapshot()
    bad_file = write(data, relative, text)
    write(data, "sections/new-section.md", "---\nslug: new-section\ntitle: New\nposition: 9\n---\nText\n")

    with pytest.raises(CommandError) as error:
        load(data, "--replace")

    message = str(error.value)
    assert str(bad_file.parent) in message and bad_file.name in message
    assert problem in message
    assert database_snapshot() == before


def test_a_malformed_file_exits_non_zero(tmp_path):
    data = minimal_content(tmp_path)
    write(data, "examples/broken.md", "---\nslug: broken\n---\nBody\n")
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "load_content", str(data)])
    assert exit_info.value.code != 0


def test_export_then_load_into_an_empty_database_then_export_gives_identical_files(tmp_path):
    load()
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_content", str(first), stdout=io.StringIO())
    for model in [Answer, Attempt, Question, Quiz, *reversed(CONTENT_MODELS)]:
        model.objects.all().delete()
    load(first)
    call_command("export_content", str(second), stdout=io.StringIO())

    first_files = {path.relative_to(first): path.read_text() for path in first.rglob("*.md")}
    second_files = {path.relative_to(second): path.read_text() for path in second.rglob("*.md")}
    owned_folders = {folder for loader in configured_loaders() for folder in loader.folders}
    shipped = Path(settings.CONTENT_DATA_DIR)
    shipped_files = {path.relative_to(shipped) for path in shipped.rglob("*.md") if path.parent.name in owned_folders}
    assert set(first_files) == shipped_files
    assert first_files == second_files


def test_export_writes_what_editors_changed(tmp_path):
    load()
    Example.objects.filter(slug="telemarketing").update(published=False)
    call_command("export_content", str(tmp_path), stdout=io.StringIO())
    assert "published: false" in Path(tmp_path, "examples", "telemarketing.md").read_text()


def test_exporting_the_freshly_loaded_content_reproduces_the_shipped_files(tmp_path):
    load()
    call_command("export_content", str(tmp_path), stdout=io.StringIO())
    shipped = Path(settings.CONTENT_DATA_DIR)
    shipped_files = {path.relative_to(shipped): path.read_bytes() for path in shipped.rglob("*") if path.is_file()}
    exported = {path.relative_to(tmp_path): path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert exported == shipped_files
    assert Path(MANIFEST) in exported


def test_export_removes_the_file_of_an_item_deleted_since_the_last_export(tmp_path):
    load(minimal_content(tmp_path / "source"))
    exported = tmp_path / "exported"
    Section.objects.create(slug="extra", title="Extra", position=2, body="More.")
    call_command("export_content", str(exported), stdout=io.StringIO())
    assert (exported / "sections" / "extra.md").exists()

    Section.objects.filter(slug="extra").delete()
    call_command("export_content", str(exported), stdout=io.StringIO())

    assert not (exported / "sections" / "extra.md").exists()
    assert (exported / "sections" / "introduction.md").exists()


QUIZ_FILE = "---\nslug: check\ntitle: Check\npass_mark: {pass_mark}\nposition: 1\npublished: false\n---\nIntro\n"
QUESTION_FILE = """---
slug: routine
quiz: check
kind: {kind}
topic: {topic}
prompt: Which model handles routine work?
learn_more: model:bpo
position: 1
choices:
- text: BPO
  correct: true
- text: KPO
  correct: false
---
BPO handles routine work.
"""


@pytest.mark.parametrize(
    "pass_mark, kind, topic, bad_folder, problem",
    [
        (101, "single", "examples", "quizzes", "“pass_mark” must be a percentage from 1 to 100"),
        (70, "essay", "examples", "questions", "unknown kind “essay” (use one of single, multiple, true_false, sort)"),
        (70, "single", "history", "questions", "unknown topic “history” (use one of"),
    ],
)
def test_a_malformed_quiz_or_question_file_stops_the_load_and_names_the_file(
    tmp_path, pass_mark, kind, topic, bad_folder, problem
):
    data = minimal_content(tmp_path)
    quiz_file = write(data, "quizzes/check.md", QUIZ_FILE.format(pass_mark=pass_mark))
    question_file = write(data, "questions/routine.md", QUESTION_FILE.format(kind=kind, topic=topic))
    bad_file = quiz_file if bad_folder == "quizzes" else question_file

    with pytest.raises(CommandError) as error:
        load(data)

    assert str(bad_file) in str(error.value)
    assert problem in str(error.value)
    assert not Question.objects.exists()


def test_a_well_formed_question_file_loads_with_its_choices(tmp_path):
    data = minimal_content(tmp_path)
    write(data, "quizzes/check.md", QUIZ_FILE.format(pass_mark=70))
    write(data, "questions/routine.md", QUESTION_FILE.format(kind="single", topic="examples"))

    load(data)

    question = Question.objects.get(slug="routine")
    assert question.learn_more_model.slug == "bpo"
    assert [(choice.text, choice.correct) for choice in question.choices.all()] == [("BPO", True), ("KPO", False)]
