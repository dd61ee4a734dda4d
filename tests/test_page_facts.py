"""Every public page says when its content last changed and who maintains it; the overview leads back to its
contents after each section."""

import datetime

import pytest

from content.models import ComparisonValue, Example
from quiz.models import Quiz
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, answer, start

pytestmark = pytest.mark.django_db

A_DAY_IN_THE_PAST = datetime.datetime(2031, 3, 4, 12, tzinfo=datetime.UTC)


def page_facts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response).find("footer").find("p", class_="page-facts")


def last_changed(facts):
    return facts.find("time")["datetime"], facts.find("time").text


@pytest.mark.parametrize("url", ["/", "/bpo/"])
def test_an_explainer_page_shows_the_date_its_newest_content_changed(client, shipped_content, url):
    Example.objects.filter(slug="telemarketing").update(updated_at=A_DAY_IN_THE_PAST)

    assert last_changed(page_facts(client, url)) == ("2031-03-04", "4 March 2031")


def test_a_comparison_cell_dates_the_overview_and_its_own_model_page_only(client, shipped_content):
    ComparisonValue.objects.filter(dimension__slug="technology", outsourcing_model__slug="kpo").update(
        updated_at=A_DAY_IN_THE_PAST
    )

    assert last_changed(page_facts(client, "/"))[0] == "2031-03-04"
    assert last_changed(page_facts(client, "/kpo/"))[0] == "2031-03-04"
    assert last_changed(page_facts(client, "/bpo/"))[0] != "2031-03-04"


def test_a_model_page_ignores_changes_to_content_it_does_not_show(client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(updated_at=A_DAY_IN_THE_PAST)

    assert last_changed(page_facts(client, "/kpo/"))[0] != "2031-03-04"


def test_an_unpublished_change_does_not_date_the_page_readers_see(client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(updated_at=A_DAY_IN_THE_PAST, published=False)

    assert last_changed(page_facts(client, "/"))[0] != "2031-03-04"


def test_the_quiz_pages_show_the_date_the_quiz_last_changed(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1)
    Quiz.objects.filter(slug=QUIZ_SLUG).update(updated_at=A_DAY_IN_THE_PAST)

    for url in ["/quiz/", f"/quiz/{QUIZ_SLUG}/", attempt.question_url(1), attempt.question_url(2)]:
        assert last_changed(page_facts(client, url)) == ("2031-03-04", "4 March 2031"), url


def test_the_results_page_shows_the_date_the_quiz_last_changed(client, shipped_content):
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number)
    Quiz.objects.filter(slug=QUIZ_SLUG).update(updated_at=A_DAY_IN_THE_PAST)

    assert last_changed(page_facts(client, f"/quiz/attempts/{attempt.public_id}/results/"))[0] == "2031-03-04"


@pytest.mark.parametrize("url", ["/", "/kpo/", "/which-fits/", "/quiz/", f"/quiz/{QUIZ_SLUG}/"])
def test_every_public_page_names_who_maintains_it(client, shipped_content, settings, url):
    settings.SITE_MAINTAINER = "the Example Foundation"

    assert page_facts(client, url).text.endswith("Maintained by the Example Foundation.")


def test_every_section_of_the_overview_ends_with_a_link_back_to_the_contents(client, shipped_content):
    home = parse(client.get("/"))
    contents_heading = home.find("nav", class_="toc").find("h2")["id"]
    listed = [target.removeprefix("#") for target in home.find("nav", class_="toc").links()]
    sections = [home.by_id(anchor) for anchor in listed if home.by_id(anchor).tag == "section"]

    assert len(sections) >= 6
    for section in sections:
        links = section.find_all("p", class_="back-to-contents")
        assert [link.links() for link in links] == [[f"#{contents_heading}"]], section["id"]
