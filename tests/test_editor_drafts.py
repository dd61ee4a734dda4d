"""Drafts: readers never see them, signed-in staff see them marked; every change form has “View on site”."""

import pytest

from content.models import Benefit, ComparisonDimension, Example, OutsourcingModel, Section
from quiz.models import Question, Quiz
from tests.editor_helpers import change_url
from tests.html_pages import parse, sitemap_entries
from tests.quiz_helpers import WHOLE_BANK, start

pytestmark = pytest.mark.django_db

# (model, slug, pages where it appears, the id it appears under)
DRAFTS = [
    (Example, "telemarketing", ["/", "/bpo/"], "telemarketing"),
    (ComparisonDimension, "skill-level", ["/", "/bpo/", "/kpo/"], "compare-skill-level"),
    (Benefit, "cost-reduction", ["/"], "benefit-cost-reduction"),
    (Section, "conclusion", ["/"], "conclusion"),
    (OutsourcingModel, "kpo", ["/"], "kpo"),
]


def draft_badges(page):
    return page.find_all(class_="draft-badge")


def marked_as_draft(page, anchor):
    return page.by_id(anchor).has(class_="draft-badge")


@pytest.mark.parametrize("model, slug, pages, anchor", DRAFTS)
def test_readers_never_see_a_draft(client, reader_user, shipped_content, model, slug, pages, anchor):
    model.objects.filter(slug=slug).update(published=False)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(reader_user)
        for url in pages:
            page = parse(client.get(url))
            assert anchor not in page.ids(), url
            assert not draft_badges(page)


@pytest.mark.parametrize("model, slug, pages, anchor", DRAFTS)
def test_staff_see_a_draft_marked_as_a_draft(editor_client, shipped_content, model, slug, pages, anchor):
    for url in pages:
        assert not draft_badges(parse(editor_client.get(url)))
    model.objects.filter(slug=slug).update(published=False)
    for url in pages:
        page = parse(editor_client.get(url))
        assert marked_as_draft(page, anchor), url
        assert {badge.text for badge in draft_badges(page)} == {"Draft — only staff can see this"}


def test_a_draft_model_page_is_not_found_by_readers_but_previewed_by_staff(client, editor_client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    assert client.get("/kpo/").status_code == 404
    response = editor_client.get("/kpo/")
    assert response.status_code == 200
    assert parse(response).find("h1").has(class_="draft-badge")


def test_the_sitemap_never_lists_a_draft_even_for_staff(client, editor_client, shipped_content):
    assert "http://testserver/kpo/" in sitemap_entries(client)
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    for visitor in (client, editor_client):
        listed = sitemap_entries(visitor)
        assert "http://testserver/kpo/" not in listed and "http://testserver/bpo/" in listed


@pytest.fixture
def whole_bank_quiz(shipped_quiz):
    Quiz.objects.filter(pk=shipped_quiz.pk).update(**WHOLE_BANK)
    shipped_quiz.refresh_from_db()
    return shipped_quiz


@pytest.mark.parametrize("as_staff", [False, True])
def test_unpublished_questions_stay_out_of_new_attempts(client, staff_user, whole_bank_quiz, as_staff):
    if as_staff:
        client.force_login(staff_user)
    draft = Question.objects.get(slug="telemarketing-is-bpo")
    draft.published = False
    draft.save()
    attempt = start(client)
    assert draft.pk not in attempt.question_ids
    assert len(attempt.question_ids) == whole_bank_quiz.bank().count() > 0


def test_a_draft_example_yields_no_question_in_new_attempts(client, whole_bank_quiz):
    example = Example.objects.get(slug="telemarketing")
    generated = Question.objects.get(generated_key=f"example:{example.pk}", active=True)
    assert generated.pk in start(client).question_ids
    example.published = False
    example.save()
    assert generated.pk not in start(client).question_ids


def view_on_site(client, item):
    """Follow the change form's “View on site” link to the page it leads to."""
    link = parse(client.get(change_url(item))).find("a", class_="viewsitelink")["href"]
    response = client.get(link)
    assert response.status_code == 302
    return response.url.removeprefix("http://testserver")


@pytest.mark.parametrize(
    "model, slug, expected, heading",
    [
        (OutsourcingModel, "kpo", "/kpo/", "Knowledge Process Outsourcing (KPO)"),
        (Example, "telemarketing", "/bpo/#telemarketing", "Telemarketing"),
        (ComparisonDimension, "skill-level", "/#compare-skill-level", "Skill level"),
        (Benefit, "cost-reduction", "/#benefit-cost-reduction", "Lower operating costs"),
        (Section, "conclusion", "/#conclusion", "Choosing between them"),
        (Quiz, "bpo-or-kpo", "/quiz/bpo-or-kpo/", "BPO or KPO?"),
        (Question, "telemarketing-is-bpo", "/bpo/#telemarketing", "Telemarketing"),
    ],
)
def test_every_change_form_has_view_on_site_leading_to_the_item(
    editor_client, shipped_content, model, slug, expected, heading
):
    """The link leads to the page, and the anchor to the element that shows the item under its heading."""
    assert view_on_site(editor_client, model.objects.get(slug=slug)) == expected
    path, _, anchor = expected.partition("#")
    response = editor_client.get(path)
    assert response.status_code == 200
    target = parse(response).by_id(anchor) if anchor else parse(response).find("main")
    assert target.find_all(["h1", "h2", "h3", "h4", "th"])[0].text == heading


def test_view_on_site_previews_a_draft_for_staff(editor_client, shipped_content):
    example = Example.objects.get(slug="telemarketing")
    example.published = False
    example.save()
    url = view_on_site(editor_client, example)
    assert marked_as_draft(parse(editor_client.get(url.split("#")[0])), "telemarketing")


def test_a_question_without_a_learn_more_target_views_its_quiz(editor_client, shipped_content):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    Question.objects.filter(pk=question.pk).update(published=False, learn_more_example=None)
    question.refresh_from_db()
    assert view_on_site(editor_client, question) == "/quiz/bpo-or-kpo/"
