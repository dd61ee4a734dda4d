"""Markdown rendering is bounded: a size cap and a time limit that the admin, the loader and the preview
enforce with a message, and no conversion inside a save's transaction.

Python-Markdown needs time that grows with the square of the length for some texts: 5,000 characters of
"`[" take it about three seconds, 20,000 about a minute. The tests lower the time limit to keep fast.
"""

import os
import re
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from content.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, converter, render_markdown
from content.models import Example, OutsourcingModel, Section
from editorial.documents import read_document
from tests.editor_helpers import save
from tests.markdown_conversions import record_conversions

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
# About three seconds for an unbounded Python-Markdown on the machine these tests were written on.
PATHOLOGICAL = "`[" * 2_500
TEST_CAP = 5_000
TEST_TIME_LIMIT = 0.5
TOO_SLOW = "could not be formatted in time"


@pytest.fixture
def markdown_conversions(monkeypatch):
    return record_conversions(monkeypatch)


@pytest.fixture
def tight_limits(settings):
    settings.MARKDOWN_MAX_CHARACTERS = TEST_CAP
    settings.MARKDOWN_RENDER_SECONDS = TEST_TIME_LIMIT


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def shipped_markdown():
    return [read_document(path).body for path in sorted(Path(django_settings.CONTENT_DATA_DIR).rglob("*.md"))]


def seconds_to_render(texts):
    started = time.perf_counter()
    for text in texts:
        render_markdown(text)
    return time.perf_counter() - started


# Through the preview endpoint


def test_the_preview_refuses_text_over_the_size_cap_naming_the_limit(editor_client, tight_limits):
    response = editor_client.post(PREVIEW, {"content": "a" * (TEST_CAP + 1)})
    assert response.status_code == 400
    assert "at most 5,000 characters" in response.content.decode()


def test_the_preview_refuses_text_that_takes_too_long_and_answers_within_the_limit(editor_client, tight_limits):
    started = time.monotonic()
    response = editor_client.post(PREVIEW, {"content": PATHOLOGICAL})
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert TOO_SLOW in response.content.decode()
    assert "unclosed [ or ![" in response.content.decode()
    assert elapsed < TEST_TIME_LIMIT + 1


def test_the_preview_works_again_right_after_a_refused_text(editor_client, tight_limits):
    assert editor_client.post(PREVIEW, {"content": PATHOLOGICAL}).status_code == 400
    response = editor_client.post(PREVIEW, {"content": "Back to **normal**."})
    assert response.status_code == 200
    assert response.content.decode() == "<p>Back to <strong>normal</strong>.</p>"


def test_the_preview_refuses_text_nested_too_deeply_to_format(editor_client):
    response = editor_client.post(PREVIEW, {"content": "1. " * 1_000})
    assert response.status_code == 400
    assert "nests lists or quotes too deeply" in response.content.decode()


# Through the admin


def test_an_admin_save_over_the_size_cap_is_an_error_on_that_field_and_saves_nothing(
    editor_client, shipped_content, tight_limits
):
    section = Section.objects.get(slug="conclusion")
    response = save(editor_client, change_url(section), body="a" * (TEST_CAP + 1))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["body"]
    assert "at most 5,000 characters" in errors["body"][0]
    assert Section.objects.get(pk=section.pk).body == section.body


def test_an_inline_row_over_the_size_cap_is_an_error_on_that_row_and_saves_nothing(
    editor_client, shipped_content, tight_limits
):
    model = OutsourcingModel.objects.get(slug="bpo")
    before = list(model.examples.values_list("summary", flat=True))
    response = save(editor_client, change_url(model), **{"examples-1-summary": "a" * (TEST_CAP + 1)})
    assert response.status_code == 200
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert [list(row.errors) for row in rows][:3] == [[], ["summary"], []]
    assert "at most 5,000 characters" in rows[1].errors["summary"][0]
    assert list(model.examples.values_list("summary", flat=True)) == before


def test_an_admin_save_of_text_that_takes_too_long_is_refused_in_bounded_time(
    editor_client, shipped_content, tight_limits
):
    example = Example.objects.get(slug="data-entry")
    started = time.monotonic()
    response = save(editor_client, change_url(example), summary=PATHOLOGICAL)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert TOO_SLOW in response.context["adminform"].form.errors["summary"][0]
    assert Example.objects.get(pk=example.pk).summary == example.summary
    assert elapsed < 2 * TEST_TIME_LIMIT + 2


def test_many_slow_rows_keep_an_admin_save_waiting_for_about_one_time_limit_not_one_each(
    editor_client, shipped_content, tight_limits
):
    model = OutsourcingModel.objects.get(slug="bpo")
    slow_rows = {f"examples-{row}-summary": PATHOLOGICAL + "x" * row for row in range(5)}
    started = time.monotonic()
    response = save(editor_client, change_url(model), **slow_rows)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert all("summary" in row.errors for row in rows[:5])
    assert elapsed < 2 * TEST_TIME_LIMIT + 2


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_converts_its_markdown_before_the_transaction_opens(admin_client, markdown_conversions):
    model = OutsourcingModel.objects.create(
        slug="bpo", abbreviation="BPO", name="Business Process Outsourcing", summary="Routine work.", definition="Old."
    )
    Example.objects.create(outsourcing_model=model, slug="payroll", title="Payroll", summary="Old.", position=1)
    section = Section.objects.create(slug="conclusion", title="Conclusion", body="Old.")
    markdown_conversions.clear()

    assert save(admin_client, change_url(section), body="New *ending*.").status_code == 302
    changes = {"definition": "New **definition**.", "examples-0-summary": "New [summary](/kpo/)."}
    assert save(admin_client, change_url(model), **changes).status_code == 302

    converted = {conversion.text for conversion in markdown_conversions}
    assert {"New *ending*.", "New **definition**.", "New [summary](/kpo/)."} <= converted
    assert [conversion for conversion in markdown_conversions if conversion.in_transaction] == []
    assert (
        Example.objects.get(slug="payroll").summary_html
        == '<p>New <a href="/kpo/" rel="noopener noreferrer">summary</a>.</p>'
    )


# Through load_content


@pytest.fixture
def content_copy(tmp_path):
    return Path(shutil.copytree(django_settings.CONTENT_DATA_DIR, tmp_path / "data"))


def replace_body(path, body):
    text = path.read_text(encoding="utf-8")
    front_matter_end = text.index("\n---\n", 4) + len("\n---\n")
    path.write_text(text[:front_matter_end] + body + "\n", encoding="utf-8")


def test_load_content_refuses_a_file_whose_markdown_takes_too_long_naming_it(content_copy, tight_limits):
    slow = content_copy / "examples" / "data-entry.md"
    replace_body(slow, PATHOLOGICAL)
    with pytest.raises(CommandError) as refusal:
        call_command("load_content", str(content_copy))
    assert str(slow) in str(refusal.value)
    assert TOO_SLOW in str(refusal.value)
    assert not Example.objects.exists()


def test_load_content_refuses_a_file_over_the_size_cap_naming_it_and_the_limit(content_copy, tight_limits):
    long = content_copy / "sections" / "conclusion.md"
    replace_body(long, "a" * (TEST_CAP + 1))
    with pytest.raises(CommandError) as refusal:
        call_command("load_content", str(content_copy))
    assert str(long) in str(refusal.value)
    assert "at most 5,000 characters" in str(refusal.value)
    assert not Section.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_load_content_converts_every_files_markdown_before_its_transaction_opens(markdown_conversions):
    call_command("load_content", verbosity=0)
    in_transaction = {conversion.text for conversion in markdown_conversions if conversion.in_transaction}
    assert set(shipped_markdown()) <= {conversion.text for conversion in markdown_conversions}
    assert in_transaction.isdisjoint(shipped_markdown())


# The renderer itself, fed adversarial text


def test_a_render_that_overruns_holds_up_no_render_in_another_thread(settings):
    settings.MARKDOWN_RENDER_SECONDS = 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        slow = pool.submit(render_markdown, PATHOLOGICAL * 2)
        fast = [pool.submit(render_markdown, f"*Fast* {number}.") for number in range(3)]
        assert [render.result() for render in fast] == [f"<p><em>Fast</em> {number}.</p>" for number in range(3)]
        assert not slow.done()
        with pytest.raises(ValidationError, match=TOO_SLOW):
            slow.result()


def test_a_helper_process_killed_from_outside_is_replaced(tight_limits):
    render_markdown("*Started*.")
    for helper in converter.idle_helpers:
        os.kill(helper.process.pid, signal.SIGKILL)
        helper.process.join()
    assert render_markdown("*Still* here.") == "<p><em>Still</em> here.</p>"


def test_the_default_size_cap_is_far_above_the_longest_shipped_text():
    assert django_settings.MARKDOWN_MAX_CHARACTERS == DEFAULT_CAP
    assert 10 * max(map(len, shipped_markdown())) <= DEFAULT_CAP


@pytest.fixture(scope="module")
def shipped_render_seconds():
    """The time the renderer takes for all the shipped Markdown: the unit the bound below is stated in."""
    texts = shipped_markdown()
    seconds_to_render(texts)
    return min(seconds_to_render(texts) for _ in range(5))


# A render may take the time limit and a helper's restart; the test sets the limit to LIMIT_RATIO times the
# shipped content's render time and holds every render to BOUND_RATIO times it. Texts run up to the default cap.
LIMIT_RATIO = 5
BOUND_RATIO = 30
DEFAULT_CAP = 20_000
TOKENS = [
    "[",
    "![",
    "](",
    "]",
    "(",
    ")",
    "[a](",
    "![a](",
    "[^",
    "*[",
    "`[",
    "`",
    "*",
    "_",
    "**",
    "<",
    ">",
    "<a ",
    "&",
    "\\",
    "\n",
    "\n\n",
    "    ",
    "# ",
    "- ",
    "1. ",
    "> ",
    "|",
    ":",
    "<!--",
    "http://",
    "javascript:",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n",
    "<JaVaScRiPt:alert(1)>",
    '<div onclick="alert(1)">',
    '<div markdown="1">',
    '{: onclick="alert(1)" }',
    "<iframe src=//evil.example>",
    "<svg onload=alert(1)>",
    "<style>p{}</style>",
    "<base href=//evil.example>",
    "*[HTML]: Hyper Text\n",
]
runs = st.builds(lambda token, count: token * count, st.sampled_from(TOKENS), st.integers(1, 3_000))
pieces = st.one_of(runs, st.sampled_from(TOKENS), st.text(max_size=40))
adversarial = st.lists(pieces, min_size=1, max_size=12).map("".join)


C0_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))


class Markup(HTMLParser):
    """The tags and attributes in some HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def url_scheme(url):
    """The scheme a browser reads in ``url``: it strips controls and spaces around it and drops tabs and newlines."""
    url = re.sub("[\t\n\r]", "", url.strip(C0_CONTROLS_AND_SPACE))
    scheme = re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*(?=:)", url)
    return scheme and scheme.group().lower()


def assert_sanitized(html):
    assert "<script" not in html.lower()
    for tag, attributes in Markup(html).tags:
        assert tag in ALLOWED_TAGS
        assert set(attributes) <= ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name in ("href", "src"):
            scheme = url_scheme(attributes.get(name) or "")
            assert scheme is None or scheme in ALLOWED_URL_SCHEMES, attributes[name]


@hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(text=adversarial)
@example(text=PATHOLOGICAL * 2)
@example(text="[" * 8_000)
@example(text="1. " * 1_000)
@example(text='<a href="javascript:alert(1)" onclick="x()">[x](javascript:y)</a><script>z</script>')
def test_every_render_of_adversarial_text_up_to_the_cap_is_bounded_and_sanitized(
    text, settings, shipped_render_seconds
):
    settings.MARKDOWN_MAX_CHARACTERS = DEFAULT_CAP
    settings.MARKDOWN_RENDER_SECONDS = LIMIT_RATIO * shipped_render_seconds
    text = text[:DEFAULT_CAP]
    started = time.perf_counter()
    try:
        html = render_markdown(text)
    except ValidationError as refusal:
        assert [error.code for error in refusal.error_list] in (["markdown_too_slow"], ["markdown_too_deep"])
        event(refusal.error_list[0].code)
        html = ""
    elapsed = time.perf_counter() - started
    event(f"{elapsed / shipped_render_seconds:.0f}x the shipped content's time")
    assert elapsed <= BOUND_RATIO * shipped_render_seconds, f"{elapsed / shipped_render_seconds:.0f}x"
    assert_sanitized(html)
