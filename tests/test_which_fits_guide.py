"""The “Which fits my work?” guide: a question per comparison row, a verdict per set of answers with the leaning
of each, suggested examples from a description, and every bad address answered with a clear 4xx."""

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from tests.editor_helpers import change_url, save
from tests.factories import (
    ComparisonDimensionFactory,
    ComparisonValueFactory,
    OutsourcingModelFactory,
    multiply_content,
)
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

GUIDE = "/which-fits/"
QUESTIONS = ["nature-of-work", "skill-level", "decision-making", "technology"]
ALL_BPO = dict.fromkeys(QUESTIONS, "bpo")
ALL_KPO = dict.fromkeys(QUESTIONS, "kpo")
SPLIT = {"nature-of-work": "bpo", "skill-level": "kpo", "decision-making": "kpo", "technology": "bpo"}
MOSTLY_BPO = {**ALL_BPO, "skill-level": "kpo"}


def result_url(answers, **extra):
    return f"{GUIDE}?{urlencode({**answers, **extra})}"


def guide_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response
    return parse(response)


def verdict_of(page):
    return page.by_id("result-title").text


def leanings_of(page):
    """{dimension: (reader's answer, model it leans towards)} from the result's table."""
    rows = page.find("table", class_="guide-leanings").find("tbody").find_all("tr")
    return {row.find("th").text: tuple(cell.text for cell in row.find_all("td")) for row in rows}


def questions_on(page):
    """{question's parameter: [answer texts]} for each radio group of the form."""
    form = page.find("form", class_="guide-form")
    groups = {}
    for fieldset in form.find_all("fieldset"):
        radios = fieldset.find_all("input", type="radio")
        groups[radios[0]["name"]] = [fieldset.find("label", **{"for": radio["id"]}).text for radio in radios]
    return groups


def error_summary(page):
    return [item.text for item in page.find(class_="error-summary").find_all("li")]


def test_the_guide_asks_one_question_per_comparison_row_with_answers_from_its_values(client, shipped_content):
    page = guide_page(client, GUIDE)

    assert questions_on(page) == {
        "nature-of-work": [
            "The same steps again and again, following a set process",
            "Working problems out with knowledge and analysis",
        ],
        "skill-level": [
            "Solid general skills that on-the-job training can teach",
            "Specialist expertise, often from a degree or professional training",
        ],
        "decision-making": [
            "The people doing it follow set rules and pass anything unusual on",
            "The people doing it weigh evidence, solve problems and make judgment calls",
        ],
        "technology": [
            "Standard tools such as office software, a ticketing or a phone system",
            "Advanced tools such as data analytics software or AI",
        ],
    }
    legend = page.find("legend")
    assert legend.find(class_="choices__step").text == "Question 1 of 4 · Nature of work"
    assert legend.find(class_="choices__prompt").text == "What does the work mostly consist of?"
    assert page.find("label", **{"for": "id_task"}).text == "Describe the task in a few words (optional)"
    assert not page.has(id="result")
    assert page.find("form", class_="guide-form")["method"] == "get"


def test_the_examples_row_is_not_asked_because_it_has_no_guide_question(client, shipped_content):
    examples_row = ComparisonDimension.objects.get(slug="examples")
    assert examples_row.published and not examples_row.guide_question
    assert "examples" not in questions_on(guide_page(client, GUIDE))


@pytest.mark.parametrize(
    "answers, verdict, model_page",
    [
        (ALL_BPO, "Your process looks like BPO", "/bpo/"),
        (ALL_KPO, "Your process looks like KPO", "/kpo/"),
    ],
    ids=["all-bpo", "all-kpo"],
)
def test_answers_that_all_point_one_way_name_that_model(client, shipped_content, answers, verdict, model_page):
    page = guide_page(client, result_url(answers))

    assert verdict_of(page) == verdict
    model = verdict.rsplit(" ", 1)[1]
    result = page.by_id("result")
    assert f"All 4 of your answers match the {model} side of the comparison" in result.text
    assert model_page in result.links()
    assert {answer[1].split(":")[0] for answer in leanings_of(page).values()} == {model}


def test_each_answer_shows_which_way_it_leaned_and_links_the_explanation(client, shipped_content):
    page = guide_page(client, result_url(MOSTLY_BPO))

    assert leanings_of(page) == {
        "Nature of work": (
            "The same steps again and again, following a set process",
            "BPO: “Routine, repetitive tasks”",
        ),
        "Skill level": (
            "Specialist expertise, often from a degree or professional training",
            "KPO: “High skill level, often needing specialized expertise”",
        ),
        "Decision-making": (
            "The people doing it follow set rules and pass anything unusual on",
            "BPO: “Limited authority to make decisions”",
        ),
        "Technology": (
            "Standard tools such as office software, a ticketing or a phone system",
            "BPO: “Basic technology infrastructure”",
        ),
    }
    table = page.find("table", class_="guide-leanings")
    assert [row.find("th").links() for row in table.find("tbody").find_all("tr")] == [
        [f"/#compare-{slug}"] for slug in QUESTIONS
    ]
    home = guide_page(client, "/")
    assert all(home.has(id=f"compare-{slug}") for slug in QUESTIONS)


def test_three_answers_of_four_lean_towards_a_model_and_say_not_all_of_it_does(client, shipped_content):
    page = guide_page(client, result_url(MOSTLY_BPO))

    assert verdict_of(page) == "Your process leans towards BPO"
    text = page.by_id("result").text
    assert "Of your 4 answers, 3 match BPO and 1 matches KPO." in text
    assert "a process can sit between the models" in text


def test_answers_split_evenly_say_the_process_sits_in_between_and_name_no_single_model(client, shipped_content):
    page = guide_page(client, result_url(SPLIT))

    assert verdict_of(page) == "Your process sits between BPO and KPO"
    result = page.by_id("result")
    assert "Of your 4 answers, 2 match BPO and 2 match KPO." in result.text
    assert "many processes mix routine steps with work that needs knowledge and judgment" in result.text
    assert "What BPO covers" not in result.text and "What KPO covers" not in result.text
    assert [answer[1][:3] for answer in leanings_of(page).values()] == ["BPO", "KPO", "KPO", "BPO"]


def test_a_result_keeps_its_answers_ticked_in_the_form_to_change_them(client, shipped_content):
    page = guide_page(client, result_url(SPLIT))
    checked = {radio["name"]: radio["value"] for radio in page.find_all("input", type="radio", checked=True)}
    assert checked == SPLIT
    assert page.find("form", class_="guide-form").find("h2").text == "Change your answers"


def test_a_new_comparison_row_with_a_guide_question_adds_a_question(client, shipped_content, editor_client):
    bpo, kpo = OutsourcingModel.objects.order_by("position")
    row = ComparisonDimensionFactory(title="Volume", slug="volume", guide_question="How much of it is there?")
    ComparisonValueFactory(dimension=row, outsourcing_model=bpo, text="High volume", guide_answer="Thousands a day")
    ComparisonValueFactory(dimension=row, outsourcing_model=kpo, text="Lower volume")

    questions = questions_on(guide_page(client, GUIDE))
    assert list(questions) == [*QUESTIONS, "volume"]
    assert questions["volume"] == ["Thousands a day", "Lower volume"]
    page = guide_page(client, result_url({**ALL_KPO, "volume": "kpo"}))
    assert "All 5 of your answers match the KPO side" in page.by_id("result").text

    save(editor_client, change_url(row), guide_question="")
    assert "volume" not in questions_on(guide_page(client, GUIDE))


def test_editors_word_the_question_and_its_answers_in_the_admin(client, shipped_content, editor_client):
    row = ComparisonDimension.objects.get(slug="technology")
    response = editor_client.get(change_url(row))
    form = parse(response)
    assert form.has("input", name="guide_question") and form.has("input", name="values-0-guide_answer")
    values = list(row.values.order_by("outsourcing_model__position"))
    changes = {"guide_question": "Which tools does it need?", "values-0-guide_answer": ""}
    assert save(editor_client, change_url(row), **changes).status_code == 302

    page = guide_page(client, GUIDE)
    legend = page.find("form", class_="guide-form").find_all("legend")[3]
    assert legend.text.endswith("Which tools does it need?")
    assert questions_on(page)["technology"][0] == values[0].text == "Basic technology infrastructure"


def test_a_draft_row_is_not_asked_of_readers(client, shipped_content):
    ComparisonDimension.objects.filter(slug="technology").update(published=False)
    assert list(questions_on(guide_page(client, GUIDE))) == QUESTIONS[:3]
    asked = {key: ALL_BPO[key] for key in QUESTIONS[:3]}
    assert client.get(result_url(ALL_BPO))["Location"] == result_url(asked)
    page = guide_page(client, result_url(asked))
    assert verdict_of(page) == "Your process looks like BPO"


def test_a_row_with_a_value_for_one_model_only_is_not_asked(client, shipped_content):
    ComparisonValue.objects.filter(dimension__slug="technology", outsourcing_model__slug="kpo").delete()
    assert "technology" not in questions_on(guide_page(client, GUIDE))


def test_without_any_guide_question_the_page_says_so_and_links_the_comparison(client, shipped_content):
    ComparisonDimension.objects.update(guide_question="")
    page = guide_page(client, GUIDE)
    assert not page.has("form", class_="guide-form")
    assert "The guide has no questions yet" in page.find(class_="notice").text


def test_the_form_as_a_browser_sends_it_leads_to_the_one_address_of_those_answers(client, shipped_content):
    sent = f"{GUIDE}?{urlencode({**dict(reversed(list(SPLIT.items()))), 'task': '', 'utm_source': 'mail'})}"
    response = client.get(sent)
    assert response.status_code == 302
    assert response["Location"] == result_url(SPLIT)


def test_an_address_that_answers_nothing_leads_back_to_the_guide(client, shipped_content):
    response = client.get(f"{GUIDE}?utm_source=newsletter&x=%3Cscript%3E")
    assert response.status_code == 302
    assert response["Location"] == GUIDE


def test_a_result_is_its_own_canonical_address_and_is_kept_out_of_search_results(client, shipped_content):
    page = guide_page(client, result_url(SPLIT, task="checking invoices"))
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == "http://testserver" + result_url(SPLIT)
    assert page.find("meta", name="robots")["content"] == "noindex"
    [block] = page.find_all("script", type="application/ld+json")
    assert json.loads(block.text)["url"] == canonical
    assert not guide_page(client, GUIDE).has("meta", name="robots")


def test_home_and_model_pages_link_to_the_guide(client, shipped_content):
    for url in ["/", "/bpo/", "/kpo/"]:
        assert GUIDE in guide_page(client, url).find(class_="guide-link").links(), url


# Suggestions from the reader's description


def suggestions_of(page):
    return [item.find("a").text for item in page.find("ul", class_="suggestions").find_all("li")]


def test_a_description_suggests_the_examples_that_share_its_words_labelled_as_a_suggestion(client, shipped_content):
    page = guide_page(client, result_url(ALL_BPO, task="Typing customer records from paper forms into our CRM"))

    section = page.find("section", class_="guide-suggestions")
    assert "A suggestion from matching words, not a judgment" in section.text
    assert suggestions_of(page)[0] == "Data entry"
    first = section.find("ul").find_all("li")[0]
    assert first.links() == [Example.objects.get(slug="data-entry").get_absolute_url()]
    assert "an example of BPO" in first.text and "“records”" in first.text
    assert len(suggestions_of(page)) <= 3


def test_suggestions_match_word_forms_and_favour_rare_words(client, shipped_content):
    page = guide_page(client, result_url(ALL_KPO, task="We draft contracts and review legal documents"))
    assert suggestions_of(page)[0] == "Legal services"
    page = guide_page(client, result_url(ALL_KPO, task="Analysing the market: competitor research reports"))
    assert suggestions_of(page)[0] == "Research and analysis"


def test_the_same_description_always_gives_the_same_suggestions(client, shipped_content):
    url = result_url(SPLIT, task="answering customer calls and emails about orders")
    assert suggestions_of(guide_page(client, url)) == suggestions_of(guide_page(client, url))


@pytest.mark.parametrize("task", ["the and of with", "zzz qqq xyzzy", "🙂 🙂 🙂"])
def test_a_description_that_matches_nothing_says_so(client, shipped_content, task):
    page = guide_page(client, result_url(ALL_BPO, task=task))
    section = page.find("section", class_="guide-suggestions")
    assert "No example shares a telling word with your description" in section.text
    assert not section.has("ul")


def test_a_description_in_other_scripts_and_accents_is_matched_and_shown_as_typed(client, shipped_content):
    task = "Dateneingabe für Kunden — ÉTUDE de marché, 数据录入, data ENTRY"
    page = guide_page(client, result_url(ALL_BPO, task=task))
    assert page.find("textarea", name="task").text == task
    assert suggestions_of(page)[0] == "Data entry"


def test_html_in_a_description_is_shown_as_text_never_as_markup(client, shipped_content):
    task = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & data entry'
    response = client.get(result_url(ALL_BPO, task=task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    page = parse(response)
    assert page.find("textarea", name="task").text == task
    assert len(page.find_all("script")) == 1


def test_a_description_is_never_stored_or_written_anywhere(client, shipped_content):
    with CaptureQueriesContext(connection) as queries:
        guide_page(client, result_url(SPLIT, task="a secret project codename"))
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries.captured_queries)
    assert "codename" not in json.dumps([query["sql"] for query in queries.captured_queries])


# Bad input: a clear message and a 4xx, never a 500, nothing changed


def test_missing_answers_are_a_400_that_names_each_missing_question_and_keeps_the_others(client, shipped_content):
    partial = {"nature-of-work": "kpo", "technology": "bpo"}
    page = guide_page(client, result_url(partial), status=400)

    assert page.find("title").text.startswith("Error: ")
    assert error_summary(page) == [
        "Answer “What skill does the work need?”",
        "Answer “Who makes the decisions while the work is done?”",
    ]
    assert page.find(class_="error-summary").links() == [
        "#id_skill-level_0",
        "#id_decision-making_0",
    ]
    assert page.has("input", id="id_skill-level_0")
    checked = {radio["name"]: radio["value"] for radio in page.find_all("input", type="radio", checked=True)}
    assert checked == partial
    assert not page.has(id="result")


def test_a_description_alone_asks_for_every_answer(client, shipped_content):
    page = guide_page(client, f"{GUIDE}?task=data+entry", status=400)
    assert len(error_summary(page)) == 4
    assert not page.has("section", class_="guide-suggestions")


@pytest.mark.parametrize("value", ["lpo", "", "BPO", "bpo ", "<b>", "1", "b%00po"])
def test_an_answer_that_is_not_one_of_the_questions_answers_is_a_400(client, shipped_content, value):
    response = client.get(result_url(ALL_BPO).replace("skill-level=bpo", f"skill-level={value}"))
    assert response.status_code == 400
    page = parse(response)
    [message] = error_summary(page)
    assert "What skill does the work need?" in message
    assert "<b>" not in response.content.decode()


def test_an_answer_naming_a_draft_model_is_refused_for_readers(client, shipped_content, staff_user):
    draft = OutsourcingModelFactory(abbreviation="LPO", published=False)
    for row in ComparisonDimension.objects.filter(slug__in=QUESTIONS):
        ComparisonValueFactory(dimension=row, outsourcing_model=draft, text=f"Legal {row.title}")
    url = result_url({**ALL_BPO, "skill-level": "lpo"})
    assert client.get(url).status_code == 400
    client.force_login(staff_user)
    assert "LPO: “Legal Skill level”" in leanings_of(guide_page(client, url))["Skill level"]


@pytest.mark.parametrize("repeated", ["skill-level=bpo", "skill-level=kpo", "task=a"])
def test_a_repeated_parameter_is_a_400_that_asks_for_one_answer(client, shipped_content, repeated):
    response = client.get(f"{result_url(ALL_BPO, task='a')}&{repeated}")
    assert response.status_code == 400
    assert any("was sent more than once" in message for message in error_summary(parse(response)))


@pytest.mark.parametrize("size", [301, 10 * 1024])
def test_an_over_long_description_is_a_400_that_says_how_long_it_may_be(client, shipped_content, size):
    response = client.get(result_url(ALL_BPO, task="é" * size))
    assert response.status_code == 400
    page = parse(response)
    assert error_summary(page) == [f"Keep the description to 300 characters or fewer (it has {size})."]
    assert len(page.find("textarea", name="task").text) == 300


@pytest.mark.parametrize("task", ["data\x00entry", "data\x1bentry", "bell\x07"])
def test_control_characters_in_a_description_are_a_400(client, shipped_content, task):
    response = client.get(result_url(ALL_BPO, task=task))
    assert response.status_code == 400
    assert error_summary(parse(response)) == [
        "The description holds control characters that no keyboard types. Describe the task in plain words."
    ]


def test_line_breaks_and_tabs_in_a_description_are_fine(client, shipped_content):
    page = guide_page(client, result_url(ALL_BPO, task="data\r\nentry\tof records"))
    assert suggestions_of(page)[0] == "Data entry"


def test_bad_input_changes_nothing(client, shipped_content):
    with CaptureQueriesContext(connection) as queries:
        for url in [
            result_url(ALL_BPO, task="x" * 10_000),
            f"{GUIDE}?skill-level=zzz&skill-level=bpo",
            f"{GUIDE}?task=%00",
        ]:
            assert client.get(url).status_code == 400
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries.captured_queries)


def test_a_dimension_may_not_take_the_slug_of_the_description(client, shipped_content, editor_client):
    row = ComparisonDimension.objects.get(slug="technology")
    response = save(editor_client, change_url(row), slug="task")
    assert response.status_code == 200
    assert "is taken by the guide for the reader’s description" in response.content.decode()
    assert ComparisonDimension.objects.filter(slug="technology").exists()


# Queries and the page cache


@pytest.mark.parametrize(
    "url",
    [GUIDE, result_url(SPLIT), result_url(SPLIT, task="typing customer records"), result_url({"skill-level": "x"})],
    ids=["questions", "result", "result-with-description", "bad-input"],
)
def test_the_guide_runs_the_same_number_of_queries_with_ten_times_the_content(
    client, shipped_content, pages_rendered_every_time, url
):
    # The navigation's models are read by the first page after a change of content, then kept (editorial.kept).
    client.get("/quiz/")
    with CaptureQueriesContext(connection) as shipped:
        client.get(url)
    multiply_content(10)
    for row in ComparisonDimension.objects.exclude(slug__in=QUESTIONS).exclude(slug__startswith="examples"):
        row.guide_question = f"How about {row.title}?"
        row.save()
    assert len(questions_on(guide_page(client, GUIDE))) == 40
    with CaptureQueriesContext(connection) as tenfold:
        client.get(url)
    assert len(shipped) == len(tenfold) == 4, [query["sql"] for query in tenfold.captured_queries]


def test_a_result_is_served_from_the_page_cache_on_a_repeat(client, shipped_content):
    first = guide_page(client, result_url(ALL_KPO))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(result_url(ALL_KPO))
    assert len(queries) == 0
    assert second.status_code == 200
    assert str(parse(second)) == str(first)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(GUIDE).status_code == 200
        assert client.get(GUIDE).status_code == 200
    assert 0 < len(queries) <= 5


@pytest.mark.parametrize(
    "url",
    [
        result_url(ALL_KPO, task="typing records"),
        result_url({"nature-of-work": "kpo"}),
        result_url(ALL_KPO, task=""),
    ],
    ids=["with-description", "missing-answers", "not-canonical"],
)
def test_only_the_one_address_of_a_complete_set_of_answers_is_cached(client, shipped_content, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0


def test_an_edit_to_a_question_shows_on_the_next_cached_result(client, shipped_content, editor_client):
    guide_page(client, result_url(ALL_BPO))
    row = ComparisonDimension.objects.get(slug="technology")
    save(editor_client, change_url(row), title="Tools")
    assert "Tools" in leanings_of(guide_page(client, result_url(ALL_BPO)))
