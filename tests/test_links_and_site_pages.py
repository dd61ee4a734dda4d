"""Links are built from URL names, the quiz invitation states the quiz's own length, and every page wears the layout."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path, resolve

from outsourcing_site import urls as site_urls
from quiz.models import Quiz
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, WHOLE_BANK

pytestmark = pytest.mark.django_db

# The site's own addresses, but with the quiz at /quizzes/ instead of /quiz/.
urlpatterns = [
    path("quizzes/", include("quiz.urls")) if str(getattr(entry, "pattern", "")) == "quiz/" else entry
    for entry in site_urls.urlpatterns
]


def invitation(client, url):
    """The call to take the quiz at the foot of an explainer page: what it says and where it leads."""
    response = client.get(url)
    assert response.status_code == 200
    cta = parse(response).find("aside", class_="quiz-cta")
    return cta.text, cta.links()


def internal_addresses(page):
    """Where the page's links and forms lead on this site, without fragments; static files left out."""
    addresses = page.links() + [form["action"] for form in page.find_all("form", action=True)]
    paths = {address.partition("#")[0] for address in addresses if address.startswith("/")}
    return {address for address in paths if not address.startswith("/static/")}


@pytest.mark.parametrize("url", ["/", "/bpo/"])
@pytest.mark.parametrize("blueprint", [{"examples_questions": 3, "differences_questions": 2}, {}])
def test_the_quiz_invitation_states_the_length_the_quiz_is_set_to(client, shipped_quiz, url, blueprint):
    assert invitation(client, url) == (
        "Check what you learned 10 short questions, one at a time, with an explanation after each answer. "
        "If you have started the quiz, you continue where you left off. Take the quiz “BPO or KPO?” About the quiz",
        [f"/quiz/{QUIZ_SLUG}/"],
    )
    for name, count in {**WHOLE_BANK, **blueprint}.items():
        setattr(shipped_quiz, name, count)
    shipped_quiz.save()
    length = sum(blueprint.values()) or shipped_quiz.bank().count()
    plural = "" if length == 1 else "s"
    assert f"{length} short question{plural}, one at a time" in invitation(client, url)[0]


def test_without_a_published_quiz_the_invitation_leads_to_the_quiz_list(client, shipped_content):
    Quiz.objects.update(published=False)
    text, links = invitation(client, "/")
    assert "question" in text and "Go to the quizzes" in text
    assert links == ["/quiz/"]


def test_every_link_and_form_leads_to_a_page_wherever_the_quiz_lives(client, shipped_content, settings):
    settings.ROOT_URLCONF = __name__
    pages = ["/", "/bpo/", "/kpo/", "/quizzes/", f"/quizzes/{QUIZ_SLUG}/", "/no-such-page/"]
    addresses = set()
    for url in pages:
        addresses |= internal_addresses(parse(client.get(url)))
    assert f"/quizzes/{QUIZ_SLUG}/start/" in addresses
    assert not [address for address in addresses if address.startswith("/quiz/")]
    for address in addresses:
        resolve(address)
        if not address.endswith("/start/"):
            assert client.get(address).status_code == 200, address
    robots = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_too_many_quiz_starts_get_the_429_page_in_the_sites_layout(client, shipped_content, settings):
    settings.QUIZ_START_RATE = "1/h"
    assert client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code == 302
    refused = client.post(f"/quiz/{QUIZ_SLUG}/start/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    page = parse(refused)
    assert page.find("title").text == "Too many new attempts — Outsourcing Explained"
    assert page.has("a", class_="skip-link") and page.has("nav", class_="site-nav")
    assert page.find("main").find("h1").text == "Too many new attempts"


def test_the_503_page_is_in_the_sites_layout(shipped_content):
    page = parse(render_to_string("503.html", request=RequestFactory().get("/")))
    assert page.find("title").text == "Briefly unavailable — Outsourcing Explained"
    assert page.has("a", class_="skip-link") and page.has("nav", class_="site-nav")
    assert page.find("main").find("h1").text == "Outsourcing Explained is briefly unavailable"
    assert page.find("meta", name="robots")["content"] == "noindex"
