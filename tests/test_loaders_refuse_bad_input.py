"""load_content and export_content trust no file, folder or stored slug: each refusal names the path and the problem,
exits non-zero, and changes nothing, in the database or on disk."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from editorial.exporting import MANIFEST
from quiz.models import Choice, Question, Quiz
from tests.content_files import minimal_content, write

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOADED_MODELS = [
    OutsourcingModel,
    Example,
    ComparisonDimension,
    ComparisonValue,
    Benefit,
    Section,
    Quiz,
    Question,
    Choice,
]
INVALID_SLUG = "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."

QUIZ = "---\nslug: check\ntitle: Check\npass_mark: 50\nposition: 1\npublished: false\n---\nIntro\n"
QUESTION = """---
slug: {slug}
quiz: check
kind: single
topic: examples
prompt: {prompt}
learn_more: model:bpo
position: 1
choices:
- text: {choice}
  correct: true
- text: KPO
  correct: false
---
BPO handles routine work.
"""


def with_feedback(feedback):
    """The question file, with ``feedback`` on its wrong choice."""
    question = QUESTION.format(slug="routine", prompt="Which?", choice="BPO")
    return question.replace(
        "- text: KPO\n  correct: false\n", f"- text: KPO\n  correct: false\n  feedback: {feedback}\n"
    )


NEW_ITEM = {
    "models": "---\nslug: {slug}\nabbreviation: XPO\nname: X\nsummary: X.\nposition: 2\n---\nBody\n",
    "examples": "---\nslug: {slug}\ntitle: T\nmodel: bpo\nposition: 2\n---\nBody\n",
    "comparison": "---\nslug: {slug}\ntitle: T\nposition: 2\nvalues:\n  bpo: V\n---\n",
    "benefits": "---\nslug: {slug}\ntitle: T\nmodels: [bpo]\nposition: 2\n---\nBody\n",
    "sections": "---\nslug: {slug}\ntitle: T\nposition: 2\n---\nBody\n",
    "quizzes": "---\nslug: {slug}\ntitle: T\npass_mark: 50\nposition: 2\npublished: false\n---\nIntro\n",
    "questions": QUESTION.replace("{prompt}", "P?").replace("{choice}", "BPO"),
}


def load(*args):
    call_command("load_content", *map(str, args), stdout=io.StringIO())


def export(target):
    call_command("export_content", str(target), stdout=io.StringIO())


def database_snapshot():
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in LOADED_MODELS}


def folder_snapshot(folder):
    return {path.relative_to(folder): path.read_bytes() for path in Path(folder).rglob("*") if path.is_file()}


def refusal(*args, command="load_content"):
    """The lines of the CommandError the command exits with, without the leading “Nothing was ….”."""
    with pytest.raises(CommandError) as error:
        call_command(command, *map(str, args), stdout=io.StringIO())
    first, *rest = str(error.value).splitlines()
    return [first.partition(". ")[2], *rest]


@pytest.fixture
def data(tmp_path):
    """A minimal content folder with a quiz and one question, already loaded."""
    folder = minimal_content(tmp_path / "data")
    write(folder, "quizzes/check.md", QUIZ)
    write(folder, "questions/routine.md", QUESTION.format(slug="routine", prompt="Which model?", choice="BPO"))
    load(folder)
    return folder


@pytest.mark.parametrize("folder", NEW_ITEM)
@pytest.mark.parametrize("slug", ["../../../x", "not a slug", "Ünïcode"])
def test_a_file_whose_slug_is_no_slug_is_refused_in_every_folder(data, folder, slug):
    before = database_snapshot()
    bad_file = write(data, f"{folder}/new.md", NEW_ITEM[folder].format(slug=f'"{slug}"'))

    assert refusal(data, "--replace") == [f"{bad_file}: field “slug”: {INVALID_SLUG}"]
    assert database_snapshot() == before


KNOWN_FIELDS = {
    "models": "slug, abbreviation, name, summary, meta_description, key_points, position, published",
    "examples": ("slug, title, model, reason, misconception, overview_line, classification_note, position, published"),
    "comparison": "slug, title, lists_examples, values, guide_question, guide_answers, position, published",
    "benefits": "slug, title, models, position, published",
    "sections": "slug, title, meta_description, position, published",
    "quizzes": (
        "slug, title, blueprint, two_option_cap, pass_mark, generated_questions, certainty_based_marking, "
        "position, published"
    ),
    "questions": "slug, quiz, kind, topic, prompt, learn_more, facts, choices, position, published",
}
EXISTING_FILE = {
    "models": "bpo",
    "examples": "data-entry",
    "comparison": "skill-level",
    "benefits": "cost-reduction",
    "sections": "introduction",
    "quizzes": "check",
    "questions": "routine",
}


def with_front_matter_line(text, line):
    """``text``, a content file, with ``line`` added at the top of its front matter."""
    return text.replace("---\n", f"---\n{line}\n", 1)


@pytest.mark.parametrize("folder", NEW_ITEM)
@pytest.mark.parametrize("item", ["new", "existing"])
@pytest.mark.parametrize("replace", [True, False], ids=["replace", "plain"])
def test_a_misspelt_front_matter_field_is_refused_in_every_folder_naming_the_file_the_field_and_the_known_ones(
    data, folder, item, replace
):
    before = database_snapshot()
    slug = EXISTING_FILE[folder] if item == "existing" else "new"
    good_new_section = write(data, "sections/another.md", NEW_ITEM["sections"].format(slug="another"))
    bad_file = write(
        data, f"{folder}/{slug}.md", with_front_matter_line(NEW_ITEM[folder].format(slug=slug), "sumary: S.")
    )

    assert refusal(data, *(["--replace"] if replace else [])) == [
        f"{bad_file}: unknown field “sumary” (use {KNOWN_FIELDS[folder]})"
    ]
    assert database_snapshot() == before
    assert good_new_section.exists() and not Section.objects.filter(slug="another").exists()


def test_every_unknown_field_of_a_file_is_named_and_every_such_file_gets_its_line(data):
    model = write(data, "models/bpo.md", with_front_matter_line(NEW_ITEM["models"].format(slug="bpo"), "Title: X"))
    question = write(
        data,
        "questions/routine.md",
        with_front_matter_line(NEW_ITEM["questions"].format(slug="routine"), "learn-more: model:bpo\n7: seven"),
    )

    assert sorted(refusal(data, "--replace")) == [
        f"{model}: unknown field “Title” (use {KNOWN_FIELDS['models']})",
        f"{question}: unknown fields “learn-more”, “7” (use {KNOWN_FIELDS['questions']})",
    ]


SORT_QUESTION = QUESTION.replace("kind: single", "kind: sort").replace(
    "- text: {choice}\n  correct: true\n- text: KPO\n  correct: false\n",
    "- text: {choice}\n  model: bpo\n- text: Legal review\n  model: bpo\n",
)


@pytest.mark.parametrize(
    "relative, text, problem",
    [
        (
            "questions/routine.md",
            with_feedback("Not quite.").replace("  feedback:", "  feedbak:"),
            "field “choices”, choice 2: unknown field “feedbak” (use text, correct, feedback)",
        ),
        (
            "questions/routine.md",
            QUESTION.format(slug="routine", prompt="Which?", choice="BPO").replace("correct: true", "corect: true"),
            "field “choices”, choice 1: unknown field “corect” (use text, correct, feedback)",
        ),
        (
            "questions/sorting.md",
            SORT_QUESTION.format(slug="sorting", prompt="Sort these", choice="Data entry").replace(
                "  model: bpo\n- text: Legal", "  model: bpo\n  modle: kpo\n- text: Legal"
            ),
            "field “choices”, item 1: unknown field “modle” (use text, model, feedback)",
        ),
        (
            "comparison/skill-level.md",
            "---\nslug: skill-level\ntitle: Skill\nposition: 1\nvalues:\n  bpo:\n    text: Low\n    reasn: Why.\n---\n",
            "field “values”, “bpo”: unknown field “reasn” (use text, reason, misconception)",
        ),
    ],
    ids=["choice-feedback", "choice-correct", "sort-row-model", "comparison-value-reason"],
)
def test_a_misspelt_field_inside_a_front_matter_field_is_refused_naming_where_it_sits(data, relative, text, problem):
    before = database_snapshot()
    bad_file = write(data, relative, text)

    assert refusal(data, "--replace") == [f"{bad_file}: {problem}"]
    assert database_snapshot() == before


MODEL_WITH_POINTS = (
    "---\nslug: bpo\nabbreviation: BPO\nname: B\nsummary: S.\nkey_points: {points}\nposition: 1\n---\nB\n"
)
EXAMPLES_ROW = "---\nslug: examples\ntitle: Examples\nposition: 2\n{fields}\n---\n"


@pytest.mark.parametrize(
    "relative, text, problem",
    [
        (
            "examples/data-entry.md",
            "---\nslug: data-entry\ntitle: " + "t" * 121 + "\nmodel: bpo\nposition: 1\n---\nBody\n",
            "field “title”: Ensure this value has at most 120 characters (it has 121).",
        ),
        (
            "models/bpo.md",
            "---\nslug: bpo\nabbreviation: BPO-TOO-LONG-X\nname: B\nsummary: S.\nposition: 1\n---\nBody\n",
            "field “abbreviation”: Ensure this value has at most 12 characters (it has 14).",
        ),
        (
            "comparison/skill-level.md",
            "---\nslug: skill-level\ntitle: Skill\nposition: 1\nvalues:\n  bpo: " + "v" * 201 + "\n---\n",
            "field “values”, “bpo”: Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            "models/bpo.md",
            "---\nslug: bpo\nabbreviation: BPO\nname: B\nsummary: S.\nkey_points: [Only one]\nposition: 1\n---\nBody\n",
            "field “key_points”: Write 2 or 3 key points, one per line (there are 1).",
        ),
        (
            "models/bpo.md",
            "---\nslug: bpo\nabbreviation: BPO\nname: B\nsummary: S.\nkey_points: [a, b, c, d]\nposition: 1\n---\nB\n",
            "field “key_points”: Write 2 or 3 key points, one per line (there are 4).",
        ),
        (
            "models/bpo.md",
            "---\nslug: bpo\nabbreviation: BPO\nname: B\nsummary: S.\nkey_points: [Short, " + "p" * 91 + "]\n"
            "position: 1\n---\nBody\n",
            "field “key_points”: Keep each key point within 90 characters so it fits the first screen; "
            "“pppppppppppppppppppppppppppppppppppppppp…” has 91.",
        ),
        (
            "examples/data-entry.md",
            "---\nslug: data-entry\ntitle: T\nmodel: bpo\noverview_line: " + "o" * 121 + "\nposition: 1\n---\nBody\n",
            "field “overview_line”: Ensure this value has at most 120 characters (it has 121).",
        ),
        (
            "examples/data-entry.md",
            "---\nslug: data-entry\ntitle: T\nmodel: bpo\nclassification_note: "
            + "n" * 401
            + "\nposition: 1\n---\nB\n",
            "field “classification_note”: Ensure this value has at most 400 characters (it has 401).",
        ),
        (
            "sections/introduction.md",
            "---\nslug: introduction\ntitle: Intro\nposition: -1\n---\nBody\n",
            "field “position”: Ensure this value is greater than or equal to 0.",
        ),
        (
            "questions/routine.md",
            QUESTION.format(slug="routine", prompt="p" * 301, choice="BPO"),
            "field “prompt”: Ensure this value has at most 300 characters (it has 301).",
        ),
        (
            "questions/routine.md",
            QUESTION.format(slug="routine", prompt="Which?", choice="c" * 301),
            "field “choices”, choice 1: Ensure this value has at most 300 characters (it has 301).",
        ),
        (
            "questions/routine.md",
            with_feedback("f" * 1001),
            "field “choices”, choice 2 feedback: Ensure this value has at most 1000 characters (it has 1001).",
        ),
        (
            "questions/routine.md",
            with_feedback("[not, text]"),
            "choice “KPO”: “feedback” must be text",
        ),
        (
            "questions/routine.md",
            QUESTION.format(slug="r" * 81, prompt="Which?", choice="BPO"),
            "field “slug”: Ensure this value has at most 80 characters (it has 81).",
        ),
        (
            "quizzes/check.md",
            QUIZ.replace("pass_mark: 50", "blueprint:\n  examples: -1\npass_mark: 50"),
            "field “blueprint”, topic “examples”: Ensure this value is greater than or equal to 0.",
        ),
        (
            "quizzes/check.md",
            QUIZ.replace("pass_mark: 50", "blueprint:\n  examples: 1\npass_mark: 50"),
            "field “blueprint”, topic “examples”: Draw none or at least 2 questions of a topic, so its score never "
            "rests on a single answer.",
        ),
        (
            "quizzes/check.md",
            QUIZ.replace("pass_mark: 50", "blueprint:\n  history: 2\npass_mark: 50"),
            "field “blueprint”: unknown topic “history” (use one of definitions, examples, differences, benefits)",
        ),
        (
            "quizzes/check.md",
            QUIZ.replace("pass_mark: 50", "blueprint:\n  examples: two\npass_mark: 50"),
            "field “blueprint”, topic “examples”: must be a whole number",
        ),
        (
            "quizzes/check.md",
            QUIZ.replace("pass_mark: 50", "blueprint: [examples]\npass_mark: 50"),
            "field “blueprint” must be a mapping",
        ),
        (
            "quizzes/check.md",
            QUIZ.replace("pass_mark: 50", "two_option_cap: -2\npass_mark: 50"),
            "field “two_option_cap”: Ensure this value is greater than or equal to 0.",
        ),
        (
            "questions/routine.md",
            QUESTION.format(slug="routine", prompt="Which?", choice="BPO").replace(
                "position: 1", "facts:\n- example:space-travel\nposition: 1"
            ),
            "field “facts”: There is no example “space-travel” (fact “example:space-travel”).",
        ),
        (
            "questions/routine.md",
            QUESTION.format(slug="routine", prompt="Which?", choice="BPO").replace(
                "position: 1", "facts: example:data-entry\nposition: 1"
            ),
            "field “facts” must be a list",
        ),
        ("models/bpo.md", MODEL_WITH_POINTS.format(points="One point"), "field “key_points” must be a list"),
        (
            "models/bpo.md",
            MODEL_WITH_POINTS.format(points="[A point, {nested: map}]"),
            "field “key_points”: each point must be one line of text",
        ),
        (
            "models/bpo.md",
            MODEL_WITH_POINTS.format(points='[A point, "two\\nlines"]'),
            "field “key_points”: each point must be one line of text",
        ),
        (
            "models/bpo.md",
            MODEL_WITH_POINTS.format(points='[A point, "  "]'),
            "field “key_points”: each point must be one line of text",
        ),
        (
            "examples/data-entry.md",
            "---\nslug: data-entry\ntitle: T\nmodel: bpo\noverview_line: [x]\nposition: 1\n---\nBody\n",
            "field “overview_line” must be text",
        ),
        (
            "comparison/examples.md",
            EXAMPLES_ROW.format(fields="lists_examples: true\nvalues:\n  bpo: Customer service"),
            "field “values”: a row that lists the examples takes no typed values",
        ),
        (
            "comparison/examples.md",
            EXAMPLES_ROW.format(fields="lists_examples: yes please"),
            "field “lists_examples” must be true or false",
        ),
    ],
)
@pytest.mark.parametrize("replace", [True, False], ids=["replace", "plain"])
def test_a_bad_field_is_refused_naming_the_file_and_field_whether_or_not_the_item_is_written(
    data, relative, text, problem, replace
):
    before = database_snapshot()
    bad_file = write(data, relative, text)

    assert refusal(data, *(["--replace"] if replace else [])) == [f"{bad_file}: {problem}"]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "relative, make, problem",
    [
        ("examples/x.md", Path.mkdir, "is a folder, not a file"),
        (
            "examples/gone.md",
            lambda path: path.symlink_to(path.parent / "nowhere"),
            "cannot be read: No such file or directory",
        ),
        ("questions/null.md", lambda path: path.symlink_to(os.devnull), "is not a regular file"),
        ("sections/latin1.md", lambda path: path.write_bytes(b"---\nslug: caf\xe9\n---\n"), "is not UTF-8 text"),
    ],
    ids=["folder-named-md", "dangling-link", "device", "not-utf8"],
)
def test_a_content_file_that_cannot_be_read_is_named_with_the_problem(data, relative, make, problem):
    before = database_snapshot()
    make(data / relative)

    assert refusal(data, "--replace") == [f"{data / relative}: {problem}"]
    assert database_snapshot() == before


def test_several_bad_paths_give_one_line_each(data):
    (data / "examples" / "x.md").mkdir()
    (data / "sections" / "y.md").mkdir()
    (data / "questions" / "latin1.md").write_bytes(b"\xff\xfe")
    (data / "quizzes").rename(data / "old-quizzes")
    (data / "quizzes").write_text("not a folder")

    lines = refusal(data)

    assert sorted(lines) == sorted(
        [
            f"{data / 'examples' / 'x.md'}: is a folder, not a file",
            f"{data / 'sections' / 'y.md'}: is a folder, not a file",
            f"{data / 'questions' / 'latin1.md'}: is not UTF-8 text",
            f"{data / 'quizzes'}: is not a folder",
        ]
    )


@pytest.mark.parametrize(
    "target, problem",
    [
        ("missing", "no such folder"),
        (os.devnull, "is not a folder"),
        (
            "empty",
            "has none of the content folders (models, examples, comparison, benefits, sections, quizzes, questions)",
        ),
    ],
)
def test_loading_a_folder_that_is_not_a_content_folder_is_refused(tmp_path, target, problem):
    (tmp_path / "empty").mkdir()
    path = tmp_path / target

    assert refusal(path) == [f"{path}: {problem}"]
    assert not OutsourcingModel.objects.exists()


def test_load_content_of_dev_null_exits_non_zero_with_one_line_and_no_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "load_content", os.devnull],
        cwd=PROJECT_DIR,
        env={key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert result.stderr.splitlines() == [f"CommandError: Nothing was loaded. {os.devnull}: is not a folder"]
    assert "Nothing to change" not in result.stdout


def test_export_to_a_non_folder_is_refused(data):
    assert refusal(os.devnull, command="export_content") == [f"{os.devnull}: is not a folder"]


def test_export_into_a_non_empty_folder_that_is_no_earlier_export_leaves_its_files_untouched(data, tmp_path):
    foreign = tmp_path / "foreign"
    write(foreign, "notes.txt", "mine")
    write(foreign, "sections/draft.md", "my draft")
    before = folder_snapshot(foreign)

    [line] = refusal(foreign, command="export_content")

    assert line == (
        f"{foreign}: is not empty and has no {MANIFEST}, so it is not an earlier export: choose a new or empty folder"
    )
    assert folder_snapshot(foreign) == before


def test_export_replaces_and_removes_only_files_it_wrote(data, tmp_path):
    exported = tmp_path / "exported"
    Section.objects.create(slug="extra", title="Extra", position=2, body="More.")
    export(exported)
    write(exported, "sections/notes.md", "an editor's notes")
    Section.objects.filter(slug="extra").delete()
    Section.objects.create(slug="notes", title="Notes", position=3, body="Clash.")

    [line] = refusal(exported, command="export_content")

    assert line.startswith(f"{exported / 'sections' / 'notes.md'}: not written over: no export wrote it")
    assert (exported / "sections" / "notes.md").read_text() == "an editor's notes"
    assert (exported / "sections" / "extra.md").exists()

    Section.objects.filter(slug="notes").delete()
    export(exported)

    assert (exported / "sections" / "notes.md").read_text() == "an editor's notes"
    assert not (exported / "sections" / "extra.md").exists()


def test_export_never_writes_outside_its_folder_for_a_stored_slug_that_leads_out(data, tmp_path):
    Section.objects.create(slug="../../escape", title="Escape", position=2, body="Out.")
    exported = tmp_path / "deep" / "exported"

    [line] = refusal(exported, command="export_content")

    assert line.startswith(f"{exported / 'sections' / '../../escape.md'}: not written: “../../escape” is not a valid")
    assert not (tmp_path / "deep" / "escape.md").exists()
    assert not exported.exists()


def test_export_never_writes_or_removes_through_a_link_or_a_tampered_manifest(data, tmp_path):
    exported, outside = tmp_path / "exported", tmp_path / "outside"
    export(exported)
    write(outside, "introduction.md", "not the export's")
    write(outside, "victim.md", "not the export's either")
    (exported / "sections" / "introduction.md").unlink()
    (exported / "sections").rmdir()
    (exported / "sections").symlink_to(outside, target_is_directory=True)
    with (exported / MANIFEST).open("a") as manifest:
        manifest.write("benefits/../../outside/victim.md\n")
    before = folder_snapshot(outside)

    lines = refusal(exported, command="export_content")

    assert lines == [
        f"{exported / MANIFEST}: “benefits/../../outside/victim.md” is not the path of a content file (folder/slug.md)"
    ]
    (exported / MANIFEST).write_text(
        (exported / MANIFEST).read_text().replace("benefits/../../outside/victim.md\n", "")
    )

    [line] = refusal(exported, command="export_content")

    assert line == f"{exported / 'sections'}: leads outside {exported}, and the export writes only inside it"
    assert folder_snapshot(outside) == before


def test_an_export_that_cannot_write_a_file_says_it_stopped_part_way_and_lists_what_it_wrote(data, tmp_path):
    exported = tmp_path / "exported"
    export(exported)
    introduction = exported / "sections" / "introduction.md"
    introduction.unlink()
    introduction.symlink_to(exported / "no-such-folder" / "introduction.md")

    with pytest.raises(CommandError) as error:
        export(exported)

    assert str(error.value) == (
        "The export stopped part-way; fix this and export again. "
        f"{introduction}: cannot be written: No such file or directory"
    )
    assert "sections/introduction.md" in (exported / MANIFEST).read_text().splitlines()
