"""What search engines and link previews see: titles, descriptions, canonical links, JSON-LD, sitemap, robots.txt."""

import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from PIL import Image

from content.models import Example, OutsourcingModel, Section
from quiz.models import Quiz

from .quiz_helpers import QUIZ_SLUG, answer, start

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/bpo/", "/kpo/", "/quiz/", f"/quiz/{QUIZ_SLUG}/"]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def canonical_of(html):
    return re.search(r'<link rel="canonical" href="([^"]*)">', html).group(1)


def json_ld_of(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.find("sm:loc", SITEMAP_NS).text: url.find("sm:lastmod", SITEMAP_NS).text
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def test_every_public_page_has_its_own_title_and_description(client, shipped_content):
    pages = {url: html_of(client, url) for url in PUBLIC_PAGES}
    titles = [title_of(html) for html in pages.values()]
    descriptions = [meta(html, "name", "description") for html in pages.values()]
    assert len(set(titles)) == len(PUBLIC_PAGES)
    assert len(set(descriptions)) == len(PUBLIC_PAGES)
    assert all(title.endswith("— Outsourcing Explained") for title in titles)
    assert all(20 < len(description) <= 200 for description in descriptions)
    assert title_of(pages["/kpo/"]) == "KPO: Knowledge Process Outsourcing explained — Outsourcing Explained"


def test_editors_set_the_description_of_a_model_page_and_of_the_explainer(client, shipped_content):
    OutsourcingModel.objects.filter(slug="bpo").update(meta_description="Routine work, handed over.")
    Section.objects.filter(slug="introduction").update(meta_description="Two kinds of outsourcing, side by side.")
    bpo, home = html_of(client, "/bpo/"), html_of(client, "/")
    assert meta(bpo, "name", "description") == "Routine work, handed over."
    assert meta(bpo, "property", "og:description") == "Routine work, handed over."
    assert meta(home, "name", "description") == "Two kinds of outsourcing, side by side."


def test_a_model_page_without_its_own_description_uses_the_summary(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(meta_description="")
    kpo = OutsourcingModel.objects.get(slug="kpo")
    assert meta(html_of(client, "/kpo/"), "name", "description") == kpo.summary


def test_meta_description_longer_than_search_results_show_is_refused(shipped_content):
    model = OutsourcingModel.objects.get(slug="bpo")
    model.meta_description = "x" * 161
    with pytest.raises(ValidationError, match="at most 160 characters"):
        model.full_clean()


def test_canonical_links_are_absolute_and_follow_site_url(client, shipped_content, settings):
    assert canonical_of(html_of(client, "/bpo/")) == "http://testserver/bpo/"
    settings.SITE_URL = "https://outsourcing.example.org"
    html = html_of(client, "/bpo/?utm_source=newsletter")
    assert canonical_of(html) == "https://outsourcing.example.org/bpo/"
    assert meta(html, "property", "og:url") == "https://outsourcing.example.org/bpo/"


def test_link_previews_have_open_graph_and_twitter_tags_with_our_1200_by_630_image(client, shipped_content):
    html = html_of(client, "/kpo/")
    assert meta(html, "property", "og:title") == "KPO: Knowledge Process Outsourcing explained"
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    image_url = meta(html, "property", "og:image")
    assert image_url.startswith("http://testserver/static/") and image_url.endswith(".png")
    assert meta(html, "name", "twitter:image") == image_url
    with Image.open(finders.find("img/og-image.png")) as image:
        assert image.size == (1200, 630)


def test_favicons_are_linked_and_exist(client, shipped_content):
    html = html_of(client, "/")
    for name in ["img/favicon.svg", "img/favicon.png", "img/apple-touch-icon.png"]:
        assert f'href="/static/{name}"' in html
        assert finders.find(name)


def test_explainer_pages_describe_themselves_as_articles_with_their_last_change(client, shipped_content):
    example = Example.objects.get(slug="telemarketing")
    example.title = "Telemarketing calls"
    example.save()
    for url in ["/", "/bpo/"]:
        data = json_ld_of(html_of(client, url))
        assert data["@type"] == "Article"
        assert data["url"] == f"http://testserver{url}"
        assert data["headline"] in title_of(html_of(client, url))
        assert data["dateModified"] == example.updated_at.isoformat()


def test_quiz_page_describes_itself_as_a_quiz_without_giving_answers_away(client, shipped_content):
    quiz = Quiz.objects.get(slug=QUIZ_SLUG)
    html = html_of(client, f"/quiz/{QUIZ_SLUG}/")
    data = json_ld_of(html)
    assert data["@type"] == "Quiz"
    assert data["name"] == quiz.title
    text = json.dumps(data)
    for question in quiz.questions.prefetch_related("choices")[:5]:
        assert question.prompt not in text
        for choice in question.choices.all():
            assert choice.text not in {data["name"], data["description"]}


def test_json_ld_cannot_be_broken_out_of_by_what_an_editor_types(client, shipped_content):
    hostile = '</script><script>alert("x")</script><!-- & "quotes"'
    OutsourcingModel.objects.filter(slug="bpo").update(meta_description=hostile)
    html = html_of(client, "/bpo/")
    assert "<script>alert" not in html
    assert json_ld_of(html)["description"] == hostile
    assert (
        meta(html, "name", "description")
        == "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;!-- &amp; &quot;quotes&quot;"
    )


def test_sitemap_lists_exactly_the_published_pages_with_their_last_change(client, shipped_content):
    entries = sitemap_entries(client)
    assert set(entries) == {f"http://testserver{url}" for url in PUBLIC_PAGES}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod) for lastmod in entries.values())


def test_drafts_stay_out_of_the_sitemap(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    Quiz.objects.create(slug="draft-quiz", title="Draft quiz", introduction="Soon.", published=False)
    assert set(sitemap_entries(client)) == {
        f"http://testserver{url}" for url in ["/", "/bpo/", "/quiz/", f"/quiz/{QUIZ_SLUG}/"]
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
        html = html_of(client, url)
        assert "Secret Draft Outsourcing" not in html, url
        assert "Secret draft example" not in html, url
        assert 'href="/kpo/"' not in html, url
    assert client.get("/kpo/").status_code == 404


def test_staff_see_drafts_in_the_at_a_glance_visual_marked_as_drafts(client, shipped_content, staff_user):
    Example.objects.filter(slug="telemarketing").update(published=False)
    client.force_login(staff_user)
    glance = html_of(client, "/").split('id="at-a-glance"')[1].split("</figure>")[0]
    chip = glance.split('href="#telemarketing"')[1].split("</li>")[0]
    assert "Draft" in chip


def test_at_a_glance_places_every_published_example_under_its_model(client, shipped_content):
    glance = html_of(client, "/").split('id="at-a-glance"')[1].split("</figure>")[0]
    assert "<figcaption" in glance
    for model in OutsourcingModel.objects.prefetch_related("examples"):
        card = glance.split(f'id="spectrum-{model.anchor}"')[1].split("</section>")[0]
        for example in model.examples.all():
            assert f'<a class="chip" href="#{example.anchor}">{example.title}</a>' in card
        for value in model.comparison_values.all():
            assert value.text in card


def test_results_chart_draws_score_by_topic_with_the_numbers_in_words(client, shipped_content):
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number, right=number % 2 == 1)
    html = html_of(client, f"/quiz/attempts/{attempt.public_id}/results/")
    bars = re.findall(r'<rect class="topic-score__fill[^"]*" width="(\d+)"', html)
    numbers = re.findall(r"(\d+) of (\d+) right \((\d+)%\)</span>", html)
    assert len(bars) == len(numbers) >= 1
    for width, (right, asked, percent) in zip(bars, numbers, strict=True):
        assert int(width) == int(percent) == round(100 * int(right) / int(asked))
    assert sum(int(right) for right, _, _ in numbers) == 5


@pytest.mark.parametrize("url", PUBLIC_PAGES + ["/no-such-page/"])
def test_pages_carry_no_inline_style_or_script_that_the_content_security_policy_would_block(
    client, shipped_content, url
):
    html = client.get(url).content.decode()
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/ld+json"' in attributes or "src=" in attributes for attributes in scripts)


def test_error_and_private_quiz_pages_offer_no_canonical_link_or_preview(client, shipped_content):
    not_found = client.get("/no-such-page/").content.decode()
    attempt = start(client)
    question = html_of(client, attempt.question_url(1))
    for html in [not_found, question]:
        assert 'rel="canonical"' not in html and "og:title" not in html
        assert '<meta name="robots" content="noindex">' in html
        assert meta(html, "name", "description")


def test_quiz_list_names_only_published_quizzes_in_json_ld(client, shipped_content, staff_user):
    Quiz.objects.create(slug="draft-quiz", title="Draft quiz", introduction="Soon.", published=False)
    client.force_login(staff_user)
    html = html_of(client, "/quiz/")
    assert "Draft quiz" in html
    data = json_ld_of(html)
    assert data["@type"] == "ItemList"
    assert [entry["item"]["name"] for entry in data["itemListElement"]] == ["BPO or KPO?"]
    assert data["itemListElement"][0]["item"]["url"] == f"http://testserver/quiz/{QUIZ_SLUG}/"
