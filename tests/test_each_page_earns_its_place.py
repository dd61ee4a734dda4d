"""The overview (/) gives the answer first and says each thing once; the model pages hold the full explanations."""

import pytest

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from quiz.models import Question
from tests.editor_helpers import change_url, save
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

# Every anchor the overview had before it became an overview: old links and bookmarks still land on these.
OLD_OVERVIEW_ANCHORS = [
    "toc-title",
    "introduction",
    "at-a-glance",
    "bpo",
    "kpo",
    *(
        "customer-service",
        "data-entry",
        "accounting-and-finance",
        "it-support",
        "telemarketing",
        "research-and-analysis",
        "legal-services",
        "engineering-services",
        "financial-research",
        "medical-transcription",
    ),
    "key-differences",
    *("compare-nature-of-work", "compare-skill-level", "compare-decision-making", "compare-technology"),
    "compare-examples",
    "benefits",
    *("benefit-cost-reduction", "benefit-improved-efficiency", "benefit-focus-on-core-competencies"),
    *("benefit-access-to-global-talent", "benefit-increased-flexibility"),
    "conclusion",
    "quiz-cta-title",
]
SHARED_BY_EVERY_MODEL = (
    '<p class="applies-to applies-to--section">{intro} <a href="/bpo/">BPO</a> and <a href="/kpo/">KPO</a>.</p>'
)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response)


def takeaways_of(home):
    return home.by_id("key-takeaways")


def test_the_key_takeaways_come_first_with_the_difference_in_a_sentence_and_each_models_points(client, shipped_content):
    home = page(client, "/")
    article = home.find("article", class_="explainer")
    order = [child.get("id") or child.classes[0] for child in article.children if child.tag in ("section", "nav")]
    assert order[:2] == ["key-takeaways", "toc"]

    takeaways = takeaways_of(home)
    sentence = Section.objects.get(slug="key-takeaways")
    assert takeaways.find("h2").text == sentence.title == "Key takeaways"
    assert takeaways.find("p").text == parse(sentence.body_html).text
    columns = takeaways.find_all("section", class_="takeaways__model")
    for column, model in zip(columns, OutsourcingModel.objects.all(), strict=True):
        assert column.find("h3").text == model.abbreviation
        assert column.find("h3").links() == [f"#{model.anchor}"]
        assert [point.text for point in column.find_all("li")] == model.key_point_list
        assert 2 <= len(model.key_point_list) <= 3


def test_an_editor_rewrites_a_key_point_in_the_admin_and_readers_see_it(client, editor_client, shipped_content):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    points = "Routine work done at volume\nSet procedures, little discretion"

    response = save(editor_client, change_url(bpo), key_points=points)

    assert response.status_code == 302
    column = takeaways_of(page(client, "/")).find("section", **{"aria-labelledby": "takeaways-bpo"})
    assert [point.text for point in column.find_all("li")] == points.splitlines()


@pytest.mark.parametrize(
    "points, message",
    [
        ("Only one point", "Write 2 or 3 key points, one per line (there are 1)."),
        ("a\nb\nc\nd", "Write 2 or 3 key points, one per line (there are 4)."),
        ("Short\n" + "x" * 91, "Keep each key point within 90 characters"),
    ],
    ids=["too-few", "too-many", "too-long"],
)
def test_the_admin_refuses_key_points_that_would_not_fit_and_changes_nothing(
    client, editor_client, shipped_content, points, message
):
    bpo = OutsourcingModel.objects.get(slug="bpo")

    response = save(editor_client, change_url(bpo), key_points=points)

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["key_points"])
    assert OutsourcingModel.objects.get(slug="bpo").key_points == bpo.key_points


def test_each_published_example_is_one_line_on_the_overview_linking_to_its_explanation(client, shipped_content):
    home = page(client, "/")
    links = home.links()
    for example in Example.objects.select_related("outsourcing_model"):
        line = home.by_id(example.anchor)
        assert line.tag == "li"
        assert line.links() == [example.get_absolute_url()] == [f"/{example.outsourcing_model.slug}/#{example.slug}"]
        assert line.text.startswith(f"{example.title}: {example.overview_line}")
        assert links.count(example.get_absolute_url()) == 1
        assert example.anchor in page(client, f"/{example.outsourcing_model.slug}/").ids()


def test_the_overview_leaves_the_full_explanations_to_the_model_pages(client, shipped_content):
    home = page(client, "/").text
    for model in OutsourcingModel.objects.prefetch_related("examples"):
        model_page = page(client, model.get_absolute_url()).text
        definition = parse(model.definition_html).find("p").text
        assert definition in model_page and definition not in home
        for example in model.examples.all():
            explanation = parse(example.summary_html).text
            assert explanation in model_page and explanation not in home


def test_a_draft_example_is_left_out_of_the_overview_and_the_comparisons_examples_row(client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(published=False)
    home = page(client, "/")

    assert "telemarketing" not in home.ids()
    row = home.by_id("compare-examples")
    assert (
        row.find("td", **{"data-label": "BPO"}).text
        == "Customer service, Data entry, Accounting and finance, IT support"
    )


def test_the_comparisons_examples_row_follows_the_published_examples_and_ignores_typed_values(client, shipped_content):
    dimension = ComparisonDimension.objects.get(slug="examples")
    kpo = OutsourcingModel.objects.get(slug="kpo")
    ComparisonValue.objects.create(dimension=dimension, outsourcing_model=kpo, text="Hand-typed leftovers")
    Example.objects.filter(slug="legal-services").update(title="Legal work")

    for url, label in [("/", "KPO"), ("/kpo/", None)]:
        listed = page(client, url).by_id("compare-examples")
        cell = listed.find("td", **{"data-label": label}) if label else listed.find("dd")
        assert cell.text == "Research and analysis, Legal work, Engineering services, Financial research, " + (
            "Medical transcription"
        )
        assert "Hand-typed leftovers" not in listed.text


def test_the_examples_row_asks_no_quiz_question_of_its_own(shipped_content):
    dimension = ComparisonDimension.objects.get(slug="examples")
    stray = ComparisonValue.objects.create(
        dimension=dimension, outsourcing_model=OutsourcingModel.objects.get(slug="bpo"), text="Customer service"
    )
    described = [
        question.prompt for question in Question.objects.exclude(generated_key="") if "described by" in question.prompt
    ]

    assert not Question.objects.filter(generated_key=f"value:{stray.pk}").exists()
    assert len(described) == ComparisonValue.objects.exclude(dimension=dimension).count() == 8
    for title in Example.objects.values_list("title", flat=True):
        assert not [prompt for prompt in described if title.lower() in prompt.lower()], title


def test_benefits_that_apply_to_every_model_say_so_once_for_the_section(client, shipped_content):
    benefits = page(client, "/").by_id("benefits")

    notes = benefits.find_all("p", class_="applies-to")
    assert len(notes) == 1
    assert SHARED_BY_EVERY_MODEL.format(intro="Each of these applies to") in benefits
    for benefit in Benefit.objects.all():
        assert not benefits.by_id(benefit.anchor).has("p", class_="applies-to")


def test_a_benefit_for_some_models_only_names_them_and_the_section_says_the_rest_apply_to_all(client, shipped_content):
    benefit = Benefit.objects.get(slug="access-to-global-talent")
    benefit.applies_to.set(OutsourcingModel.objects.filter(slug="kpo"))
    benefits = page(client, "/").by_id("benefits")

    assert SHARED_BY_EVERY_MODEL.format(intro="Unless marked otherwise, these apply to") in benefits
    assert '<p class="applies-to">Applies to <a href="/kpo/">KPO</a> only.</p>' in benefits.by_id(benefit.anchor)
    assert len(benefits.find_all("p", class_="applies-to")) == 2


def test_old_links_into_the_overview_still_land_on_what_they_pointed_at(client, shipped_content):
    ids = page(client, "/").ids()

    assert [anchor for anchor in OLD_OVERVIEW_ANCHORS if anchor not in ids] == []
    assert len(ids) == len(set(ids))


def test_every_learn_more_link_lands_on_an_element_of_its_page(client, shipped_content):
    ids_by_page = {}
    for question in Question.objects.with_learn_more():
        address, _, anchor = question.learn_more_url.partition("#")
        if address not in ids_by_page:
            ids_by_page[address] = page(client, address).ids()
        assert not anchor or anchor in ids_by_page[address], question.learn_more_url
    assert len(ids_by_page) == 3


def test_a_debated_classification_carries_its_note_on_the_model_page_and_a_mark_on_the_overview(
    client, shipped_content
):
    example = Example.objects.get(slug="medical-transcription")
    assert "BPO" in example.classification_note

    explanation = page(client, "/kpo/").by_id(example.anchor)
    note = f'<p class="example__note"><strong>A debated classification.</strong> {example.classification_note}</p>'
    assert note in explanation
    line = page(client, "/").by_id(example.anchor)
    assert line.find(class_="debated").text == "(its classification is debated)"
    undebated = page(client, "/").by_id("legal-services")
    assert not undebated.has(class_="debated")


def test_read_across_a_row_is_said_only_beside_the_table(client, shipped_content):
    home = page(client, "/")
    hints = [node for node in home.descendants() if "Read across a row" in node.text and node.tag == "p"]

    assert [hint.classes for hint in hints] == [["table-hint"]]
    assert not any("Read across a row" in section.body for section in Section.objects.all())
