"""What search engines and link previews see: titles, descriptions, canonical links, JSON-LD, sitemap, robots.txt."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from PIL import Image

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from quiz.models import Quiz
from tests.factories import QuizFactory
from tests.html_pages import parse, sitemap_entries
from tests.quiz_helpers import QUIZ_SLUG, answer, question_at, start

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/bpo/", "/kpo/", "/which-fits/", "/quiz/", f"/quiz/{QUIZ_SLUG}/"]


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response)


def title_of(page):
    return page.find("title").text


def meta(page, attribute, name):
    """The content of the page's <meta> whose ``attribute`` (name or property) is ``name``, or None."""
    tags = page.find_all("meta", **{attribute: name})
    assert len(tags) <= 1, tags
    return tags[0]["content"] if tags else None


def canonical_of(page):
    return page.find("link", rel="canonical")["href"]


def json_ld_of(page):
    [block] = page.find_all("script", type="application/ld+json")
    return json.loads(block.text)


def test_every_public_page_has_its_own_title_and_description(client, shipped_content):
    pages = {url: page_of(client, url) for url in PUBLIC_PAGES}
    titles = [title_of(page) for page in pages.values()]
    descriptions = [meta(page, "name", "description") for page in pages.values()]
    assert len(set(titles)) == len(PUBLIC_PAGES)
    assert len(set(descriptions)) == len(PUBLIC_PAGES)
    assert all(title.endswith("— Outsourcing Explained") for title in titles)
    assert all(20 < len(description) <= 200 for description in descriptions)
    assert title_of(pages["/kpo/"]) == "KPO: Knowledge Process Outsourcing explained — Outsourcing Explained"


def test_editors_set_the_description_of_a_model_page_and_of_the_explainer(client, shipped_content):
    OutsourcingModel.objects.filter(slug="bpo").update(meta_description="Routine work, handed over.")
    Section.objects.filter(slug="introduction").update(meta_description="Two kinds of outsourcing, side by side.")
    bpo, home = page_of(client, "/bpo/"), page_of(client, "/")
    assert meta(bpo, "name", "description") == "Routine work, handed over."
    assert meta(bpo, "property", "og:description") == "Routine work, handed over."
    assert meta(home, "name", "description") == "Two kinds of outsourcing, side by side."


def test_a_model_page_without_its_own_description_uses_the_summary(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(meta_description="")
    kpo = OutsourcingModel.objects.get(slug="kpo")
    assert meta(page_of(client, "/kpo/"), "name", "description") == kpo.summary


def test_meta_description_longer_than_search_results_show_is_refused(shipped_content):
    model = OutsourcingModel.objects.get(slug="bpo")
    model.meta_description = "x" * 161
    with pytest.raises(ValidationError, match="at most 160 characters"):
        model.full_clean()


def test_canonical_links_are_absolute_and_follow_site_url(client, shipped_content, settings):
    assert canonical_of(page_of(client, "/bpo/")) == "http://testserver/bpo/"
    settings.SITE_URL = "https://outsourcing.example.org"
    page = page_of(client, "/bpo/?utm_source=newsletter")
    assert canonical_of(page) == "https://outsourcing.example.org/bpo/"
    assert meta(page, "property", "og:url") == "https://outsourcing.example.org/bpo/"


def test_link_previews_have_open_graph_and_twitter_tags_with_our_1200_by_630_image(client, shipped_content):
    page = page_of(client, "/kpo/")
    assert meta(page, "property", "og:title") == "KPO: Knowledge Process Outsourcing explained"
    assert meta(page, "property", "og:type") == "article"
    assert meta(page, "name", "twitter:card") == "summary_large_image"
    image_url = meta(page, "property", "og:image")
    assert image_url.startswith("http://testserver/static/") and image_url.endswith(".png")
    assert meta(page, "name", "twitter:image") == image_url
    with Image.open(finders.find("img/og-image.png")) as image:
        assert image.size == (1200, 630)


def test_favicons_are_linked_and_exist(client, shipped_content):
    head = page_of(client, "/").find("head")
    icons = [link["href"] for link in head.find_all("link") if link["rel"] in {"icon", "apple-touch-icon"}]
    names = ["img/favicon.svg", "img/favicon.png", "img/apple-touch-icon.png"]
    assert icons == [f"/static/{name}" for name in names]
    for name in names:
        assert finders.find(name)


def test_explainer_pages_describe_themselves_as_articles_with_their_last_change(client, shipped_content):
    example = Example.objects.get(slug="telemarketing")
    example.title = "Telemarketing calls"
    example.save()
    for url in ["/", "/bpo/"]:
        page = page_of(client, url)
        data = json_ld_of(page)
        assert data["@type"] == "Article"
        assert data["url"] == f"http://testserver{url}"
        assert data["headline"] in title_of(page)
        assert data["dateModified"] == example.updated_at.isoformat()


def test_the_guide_describes_itself_as_a_web_page_with_its_last_change(client, shipped_content):
    value = ComparisonValue.objects.get(dimension__slug="technology", outsourcing_model__slug="kpo")
    value.guide_answer = "Analytics and AI tools"
    value.save()
    page = page_of(client, "/which-fits/")
    data = json_ld_of(page)
    assert data["@type"] == "WebPage"
    assert data["url"] == canonical_of(page) == "http://testserver/which-fits/"
    assert data["name"] in title_of(page)
    assert data["dateModified"] == value.updated_at.isoformat()


def test_the_guide_in_the_sitemap_changes_with_its_questions_not_with_unasked_rows(client, shipped_content):
    for model in [OutsourcingModel, Example, ComparisonDimension, ComparisonValue, Benefit, Section, Quiz]:
        model.objects.update(updated_at=datetime(2024, 1, 1, 12, tzinfo=UTC))
    ComparisonDimension.objects.filter(slug="examples").update(updated_at=datetime(2024, 5, 1, 12, tzinfo=UTC))
    assert sitemap_entries(client)["http://testserver/which-fits/"] == "2024-01-01"
    ComparisonValue.objects.filter(dimension__slug="skill-level").update(updated_at=datetime(2024, 6, 1, tzinfo=UTC))
    assert sitemap_entries(client)["http://testserver/which-fits/"] == "2024-06-01"


def test_quiz_page_describes_itself_as_a_quiz_without_giving_answers_away(client, shipped_content):
    quiz = Quiz.objects.get(slug=QUIZ_SLUG)
    data = json_ld_of(page_of(client, f"/quiz/{QUIZ_SLUG}/"))
    assert data["@type"] == "Quiz"
    assert data["name"] == quiz.title
    text = json.dumps(data, ensure_ascii=False)
    assert "acceptedAnswer" not in text and "hasPart" not in text
    for question in quiz.questions.prefetch_related("choices"):
        assert question.prompt not in text
        for choice in question.choices.filter(correct=True):
            assert choice.text not in {data["name"], data["description"]}


def test_json_ld_cannot_be_broken_out_of_by_what_an_editor_types(client, shipped_content):
    hostile = '</script><script>alert("x")</script><!-- & "quotes"'
    OutsourcingModel.objects.filter(slug="bpo").update(meta_description=hostile)
    response = client.get("/bpo/")
    assert "<script>alert" not in response.content.decode()
    page = parse(response)
    assert json_ld_of(page)["description"] == hostile
    assert meta(page, "name", "description") == hostile
    assert len(page.find_all("script")) == 1


def test_sitemap_lists_exactly_the_published_pages_with_their_last_change(client, shipped_content):
    for model in [OutsourcingModel, Example, ComparisonDimension, ComparisonValue, Benefit, Section, Quiz]:
        model.objects.update(updated_at=datetime(2024, 1, 1, 12, tzinfo=UTC))
    Example.objects.filter(slug="telemarketing").update(updated_at=datetime(2024, 3, 5, 12, tzinfo=UTC))
    assert sitemap_entries(client) == {
        "http://testserver/": "2024-03-05",
        "http://testserver/bpo/": "2024-03-05",
        "http://testserver/kpo/": "2024-01-01",
        "http://testserver/which-fits/": "2024-03-05",
        "http://testserver/quiz/": "2024-01-01",
        f"http://testserver/quiz/{QUIZ_SLUG}/": "2024-01-01",
    }


def test_drafts_stay_out_of_the_sitemap(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    QuizFactory(title="Draft quiz", published=False)
    assert set(sitemap_entries(client)) == {
        f"http://testserver{url}" for url in ["/", "/bpo/", "/which-fits/", "/quiz/", f"/quiz/{QUIZ_SLUG}/"]
    }


def test_sitemap_and_robots_use_site_url_when_set(client, shipped_content, settings):
    settings.SITE_URL = "https://outsourcing.example.org"
    assert "https://outsourcing.example.org/kpo/" in sitemap_entries(client)
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://outsourcing.example.org/sitemap.xml" in robots.content.decode()


def test_robots_names_the_absolute_sitemap_address(client, shipped_content):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_a_draft_model_appears_in_no_title_navigation_json_ld_or_at_a_glance_for_readers(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False, name="Secret Draft Outsourcing")
    Example.objects.filter(slug="telemarketing").update(published=False, title="Secret draft example")
    for url in ["/", "/bpo/", "/quiz/", f"/quiz/{QUIZ_SLUG}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Secret Draft Outsourcing" not in html, url
        assert "Secret draft example" not in html, url
        assert not [link for link in parse(response).links() if link.startswith("/kpo/")], url
    assert client.get("/kpo/").status_code == 404


def test_staff_see_a_draft_model_in_the_at_a_glance_visual_marked_as_a_draft(client, shipped_content, staff_user):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    client.force_login(staff_user)
    glance = page_of(client, "/").by_id("at-a-glance")
    drafts = [
        card.links() for card in glance.find_all("li", class_="spectrum__model") if card.has(class_="draft-badge")
    ]
    assert drafts == [["#kpo"]]


def test_at_a_glance_places_the_models_from_routine_to_knowledge_work_without_repeating_the_table(
    client, shipped_content
):
    glance = page_of(client, "/").by_id("at-a-glance")
    assert glance.find("figcaption").text
    scale = [end.text for end in glance.find_all("p", class_="spectrum__end")]
    assert scale == ["Routine, rule-based", "Knowledge-intensive, judgment-based"]
    cards = glance.find("ol", class_="spectrum__models").find_all("li")
    assert [card.links() for card in cards] == [[f"#{model.anchor}"] for model in OutsourcingModel.objects.all()]
    for value in ComparisonValue.objects.all():
        assert value.text not in glance.text
    for example in Example.objects.all():
        assert example.title not in glance.text


def test_results_chart_draws_score_by_topic_with_the_numbers_in_words(client, shipped_content):
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number, right=number % 2 == 1)
    scores = page_of(client, f"/quiz/attempts/{attempt.public_id}/results/").find_all("li", class_="topic-score")
    assert scores
    for score in scores:
        width = int(score.find("rect", class_="topic-score__fill")["width"])
        right, asked, percent = map(
            float,
            re.fullmatch(
                r"([\d.]+) of (\d+) marks \((\d+)%\)", score.find(class_="topic-score__numbers").text
            ).groups(),
        )
        assert width == percent == round(100 * right / asked)
    topics = [question_at(attempt, number).topic for number in range(1, attempt.total + 1)]
    right_in_charted_topics = sum(
        1 for number, topic in enumerate(topics, start=1) if number % 2 == 1 and topics.count(topic) >= 2
    )
    assert sum(float(score.find(class_="topic-score__numbers").text.split()[0]) for score in scores) == (
        right_in_charted_topics
    )


@pytest.mark.parametrize("url", PUBLIC_PAGES + ["/no-such-page/"])
def test_pages_carry_no_inline_style_or_script_that_the_content_security_policy_would_block(
    client, shipped_content, url
):
    elements = list(parse(client.get(url)).descendants())
    assert not [element for element in elements if element.tag == "style" or "style" in element.attrs]
    assert not [element for element in elements if any(name.startswith("on") for name in element.attrs)]
    scripts = [element for element in elements if element.tag == "script"]
    assert all(script.get("type") == "application/ld+json" or "src" in script.attrs for script in scripts)


def test_error_and_private_quiz_pages_offer_no_canonical_link_or_preview(client, shipped_content):
    not_found = parse(client.get("/no-such-page/"))
    attempt = start(client)
    question = page_of(client, attempt.question_url(1))
    for page in [not_found, question]:
        assert not page.has("link", rel="canonical")
        assert meta(page, "property", "og:title") is None
        assert meta(page, "name", "robots") == "noindex"
        assert meta(page, "name", "description")


def test_quiz_list_names_only_published_quizzes_in_json_ld(client, shipped_content, staff_user):
    QuizFactory(title="Draft quiz", published=False)
    client.force_login(staff_user)
    page = page_of(client, "/quiz/")
    titles = [card.find("h2").text for card in page.find_all("section", class_="quiz-card")]
    assert [title for title in titles if title.startswith("Draft quiz")]
    data = json_ld_of(page)
    assert data["@type"] == "ItemList"
    assert [entry["item"]["name"] for entry in data["itemListElement"]] == ["BPO or KPO?"]
    assert data["itemListElement"][0]["item"]["url"] == f"http://testserver/quiz/{QUIZ_SLUG}/"
