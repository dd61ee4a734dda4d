"""Drag-and-drop ordering in the admin (django-admin-sortable2), and the site following the new order at once."""

import json

import pytest
from django.contrib.auth.models import Permission
from reversion.models import Version

from content.models import Benefit, ComparisonDimension, Example, OutsourcingModel
from quiz.models import Question, Quiz
from tests.editor_helpers import drag, list_rows, save
from tests.html_pages import parse
from tests.quiz_helpers import WHOLE_BANK, start

pytestmark = pytest.mark.django_db


def ids_in_page_order(page, ids):
    """Which of ``ids`` the page shows, in the order it shows them."""
    wanted = set(ids)
    return [anchor for anchor in parse(page).ids() if anchor in wanted]


def comparison_table(client):
    return parse(client.get("/")).find("table", class_="comparison")


@pytest.fixture
def bpo_examples(editor_client, shipped_content):
    return f"/admin/content/example/?model={OutsourcingModel.objects.get(slug='bpo').pk}"


def test_dragging_one_example_above_another_swaps_them_on_the_home_page(editor_client, client, bpo_examples):
    assert ids_in_page_order(client.get("/"), ["customer-service", "data-entry"]) == [
        "customer-service",
        "data-entry",
    ]
    response = drag(editor_client, bpo_examples, 1, 0)
    assert response.status_code == 200

    for url in ["/", "/bpo/"]:
        assert ids_in_page_order(client.get(url), ["customer-service", "data-entry"]) == [
            "data-entry",
            "customer-service",
        ]


def test_a_move_is_recorded_in_the_history_of_the_items_it_moved(editor_client, bpo_examples):
    drag(editor_client, bpo_examples, 1, 0)
    moved = Example.objects.filter(slug__in=["data-entry", "customer-service"]).order_by("position")
    assert [example.slug for example in moved] == ["data-entry", "customer-service"]
    for example in moved:
        version = Version.objects.get_for_object(example).first()
        assert version.revision.user.username == "maria"
        assert version.revision.get_comment() == "Moved by dragging in the list."
        assert version.field_dict["position"] == example.position
    unmoved = Version.objects.get_for_object(Example.objects.get(slug="telemarketing"))
    assert [version.revision.get_comment() for version in unmoved] == ["Loaded from the content files (load_content)."]


def test_the_admin_list_shows_the_new_order_too(editor_client, bpo_examples):
    before = [pk for pk, _order in list_rows(editor_client, bpo_examples)]
    drag(editor_client, bpo_examples, 4, 0)
    assert [pk for pk, _order in list_rows(editor_client, bpo_examples)] == [before[4], *before[:4]]


def test_dragging_in_the_list_of_all_examples_reorders_only_what_was_moved(editor_client, client, shipped_content):
    # Both models number their examples from 1, so the full list interleaves them: CS, R&A, DE, LS, ...
    def page_order(slug):
        return [e.slug for e in Example.objects.filter(outsourcing_model__slug=slug).order_by("position", "pk")]

    bpo_before, kpo_before = page_order("bpo"), page_order("kpo")
    every_example = "/admin/content/example/?model=all"
    rows = list_rows(editor_client, every_example)
    legal = Example.objects.get(slug="legal-services").pk
    assert drag(editor_client, every_example, [pk for pk, _ in rows].index(legal), 1).status_code == 200

    assert page_order("bpo") == bpo_before
    assert page_order("kpo") == ["legal-services", *[slug for slug in kpo_before if slug != "legal-services"]]
    assert ids_in_page_order(client.get("/kpo/"), kpo_before) == page_order("kpo")


def test_dragging_a_comparison_row_and_a_benefit_reorders_the_home_page(editor_client, client, shipped_content):
    last_dimension = ComparisonDimension.objects.order_by("position").last()
    last_benefit = Benefit.objects.order_by("position").last()
    assert drag(editor_client, "/admin/content/comparisondimension/", 4, 0).status_code == 200
    assert drag(editor_client, "/admin/content/benefit/", 4, 0).status_code == 200

    rows = [row["id"] for row in comparison_table(client).find_all("tr", id=True)]
    assert rows[:2] == [last_dimension.anchor, "compare-nature-of-work"]
    benefits = [benefit.anchor for benefit in Benefit.objects.all()]
    assert ids_in_page_order(client.get("/"), benefits)[0] == last_benefit.anchor


def test_dragging_the_models_swaps_the_columns_of_the_comparison(editor_client, client, shipped_content):
    assert drag(editor_client, "/admin/content/outsourcingmodel/", 1, 0).status_code == 200
    columns = [header.text for header in comparison_table(client).find("thead").find_all("th")]
    assert columns == ["Dimension", "KPO", "BPO"]


def test_dragging_choices_on_a_question_changes_their_order_in_new_attempts(editor_client, client, shipped_content):
    question = Question.objects.get(slug="benefits-apply-to-both")
    assert [choice.text for choice in question.choices.all()] == ["True", "False"]
    Question.objects.exclude(pk=question.pk).update(published=False)
    Quiz.objects.filter(pk=question.quiz_id).update(**WHOLE_BANK)

    # The script renumbers the hidden position of every choice row after a drop.
    url = f"/admin/quiz/question/{question.pk}/change/"
    assert save(editor_client, url, **{"choices-0-position": 2, "choices-1-position": 1}).status_code == 302

    assert [choice.text for choice in question.choices.all()] == ["False", "True"]
    attempt = start(client)
    labels = [label.text for label in parse(client.get(attempt.question_url(1))).find("fieldset").find_all("label")]
    assert labels == ["False", "True"]


def test_the_choice_position_is_a_hidden_field_the_drag_handle_sets(editor_client, shipped_content):
    question = Question.objects.get(slug="benefits-apply-to-both")
    page = parse(editor_client.get(f"/admin/quiz/question/{question.pk}/change/"))
    position = page.find("input", name="choices-0-position")
    assert position["type"] == "hidden" and "_reorder_" in position.classes
    assert position["value"].isdigit()
    assert page.has(class_="sortable")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({}),
        json.dumps({"updatedItems": [["999999", 1]]}),
        json.dumps({"updatedItems": [["abc", 1]]}),
        json.dumps({"updatedItems": [[None]]}),
        json.dumps({"updatedItems": "everything"}),
    ],
)
def test_a_tampered_reorder_request_is_refused_and_changes_nothing(editor_client, shipped_content, body):
    before = list(Example.objects.values_list("pk", "position"))
    response = editor_client.post(
        "/admin/content/example/adminsortable2_update/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(Example.objects.values_list("pk", "position")) == before


def test_only_editors_who_may_change_can_reorder(client, reader_user, django_user_model, shipped_content):
    url = "/admin/content/example/adminsortable2_update/"
    example = Example.objects.first()
    body = json.dumps({"updatedItems": [[str(example.pk), 99]]})
    assert client.post(url, body, content_type="application/json").status_code == 302
    client.force_login(reader_user)
    assert client.post(url, body, content_type="application/json").status_code == 302
    viewer = django_user_model.objects.create_user("viewer", password="a-long-test-password", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="content", codename="view_example"))
    client.force_login(viewer)
    assert client.post(url, body, content_type="application/json").status_code == 403
    example.refresh_from_db()
    assert example.position != 99


@pytest.mark.parametrize("url", ["/admin/content/example/", "/admin/quiz/question/{question}/change/"])
def test_sortable_pages_work_under_the_strict_content_security_policy(editor_client, shipped_content, url):
    url = url.format(question=Question.objects.get(slug="benefits-apply-to-both").pk)
    response = editor_client.get(url)
    page = parse(response)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    scripts = page.find_all("script")
    assert any("adminsortable2/js/adminsortable2" in script.get("src", "") for script in scripts)
    inline = [script for script in scripts if "src" not in script.attrs]
    assert all(script.get("type") == "application/json" for script in inline), inline
    elements = list(page.descendants())
    assert not [element for element in elements if "style" in element.attrs]
    assert not [element for element in elements if any(name.startswith("on") for name in element.attrs)]
