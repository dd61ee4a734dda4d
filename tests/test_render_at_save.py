"""Markdown is turned into sanitized HTML when content is saved or loaded, never while a page is served."""

import pytest

from content.models import Example, Section
from tests.html_pages import parse
from tests.markdown_conversions import record_conversions
from tests.quiz_helpers import answer, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def markdown_conversions(monkeypatch):
    return record_conversions(monkeypatch)


def test_serving_every_public_page_converts_no_markdown(
    client, shipped_content, pages_rendered_every_time, markdown_conversions
):
    attempt = start(client)
    question_page = attempt.question_url(1)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number)
    urls = [
        "/",
        "/bpo/",
        "/kpo/",
        "/quiz/",
        "/quiz/bpo-or-kpo/",
        question_page,
        f"/quiz/attempts/{attempt.public_id}/results/",
    ]
    markdown_conversions.clear()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert parse(response).find("main").has("p"), url
    assert markdown_conversions == []


def test_saving_converts_and_sanitizes_once_into_the_stored_html(shipped_content, markdown_conversions):
    section = Section.objects.get(slug="conclusion")
    section.body = "**Choose** by the work. <script>alert('x')</script>"
    section.save()
    assert [conversion.text for conversion in markdown_conversions] == [section.body]
    stored = Section.objects.values_list("body_html", flat=True).get(pk=section.pk)
    assert stored == "<p><strong>Choose</strong> by the work. </p>"


def test_saving_only_some_fields_still_stores_fresh_html(shipped_content):
    section = Section.objects.get(slug="conclusion")
    section.body = "*New* ending."
    section.save(update_fields=["body"])
    assert Section.objects.get(pk=section.pk).body_html == "<p><em>New</em> ending.</p>"


def test_bulk_created_items_get_their_html_too(shipped_content):
    model = Example.objects.first().outsourcing_model
    Example.objects.bulk_create(
        [Example(outsourcing_model=model, slug="payroll", title="Payroll", summary="Runs **monthly**.", position=9)]
    )
    assert Example.objects.get(slug="payroll").summary_html == "<p>Runs <strong>monthly</strong>.</p>"
