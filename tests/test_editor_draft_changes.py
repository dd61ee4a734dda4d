"""Changing a published item: “Save draft” keeps the site as it is, “Preview” shows the draft to staff only,
“Publish” makes it live; a publish-only permission lets a site review drafts before they go out."""

import pickle

import pytest
import reversion
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.urls import reverse
from reversion.models import Version

from content.models import Benefit, ComparisonDimension, Example
from editorial.models import DraftRevision
from quiz.models import Attempt, Question, Quiz
from tests.editor_helpers import change_url, form_data, save
from tests.html_pages import parse, sitemap_entries
from tests.quiz_helpers import WHOLE_BANK, start

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Cold calling from a draft"
DRAFT_SUMMARY = "A summary that exists only in the draft."
SAVE_DRAFT = {"_save_draft": "Save draft"}
PUBLISH = {"_publish": "Publish"}


@pytest.fixture
def example(shipped_content):
    return Example.objects.get(slug="telemarketing")


@pytest.fixture
def whole_bank_quiz(shipped_quiz):
    Quiz.objects.filter(pk=shipped_quiz.pk).update(**WHOLE_BANK)
    return shipped_quiz


@pytest.fixture
def reviewed_editor_client(editor_client):
    """The editor of a site that wants review: the Editors group may draft but not publish."""
    Group.objects.get(name="Editors").permissions.remove(Permission.objects.get(codename="publish"))
    return editor_client


def preview_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_preview", args=[item.pk])


def save_draft(client, item, **changes):
    response = save(client, change_url(item), **changes, **SAVE_DRAFT)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def draft_example(client, example):
    return save_draft(client, example, title=DRAFT_TITLE, summary=DRAFT_SUMMARY)


def public_text(client, *urls):
    return " ".join(client.get(url).content.decode() for url in urls)


def stored_in_caches():
    """Everything the in-memory caches hold, unpickled where it can be, as one text."""
    texts = []
    for cache in caches.all(initialized_only=True):
        for value in getattr(cache, "_cache", {}).values():
            texts.append(repr(pickle.loads(value)))
    return " ".join(texts)


def test_a_draft_keeps_the_published_example_on_every_public_page_and_in_new_attempts(
    client, editor_client, example, whole_bank_quiz
):
    before = {url: client.get(url).content for url in ("/", "/bpo/")}
    sitemap = sitemap_entries(client)

    response = draft_example(editor_client, example)

    assert response.url == change_url(example)
    example.refresh_from_db()
    assert (example.title, example.published) == ("Telemarketing", True)
    for url, html in before.items():
        assert client.get(url).content == html
    assert DRAFT_TITLE not in public_text(editor_client, "/", "/bpo/", "/kpo/", "/which-fits/")
    for url in ("/", "/bpo/"):
        [json_ld] = parse(editor_client.get(url)).find_all("script", type="application/ld+json")
        assert json_ld.text.strip() and DRAFT_TITLE not in json_ld.text and DRAFT_SUMMARY not in json_ld.text
    assert sitemap_entries(client) == sitemap
    generated = Question.objects.get(generated_key=f"example:{example.pk}", active=True)
    assert generated.prompt == "Which model does “Telemarketing” belong to?"
    attempt = start(client)
    prompts = list(Question.objects.filter(pk__in=attempt.question_ids).values_list("prompt", flat=True))
    assert any("Telemarketing" in prompt for prompt in prompts)
    assert not any(DRAFT_TITLE in prompt for prompt in prompts)
    draft = DraftRevision.objects.of(example).get()
    assert draft.author.get_username() == "maria"
    assert draft.posted["title"] == [DRAFT_TITLE]


def test_the_change_form_shows_the_draft_and_the_list_marks_the_item_with_unpublished_changes(editor_client, example):
    draft_example(editor_client, example)

    form_page = editor_client.get(change_url(example))
    page = parse(form_page)
    assert page.find("input", name="title")["value"] == DRAFT_TITLE
    assert "saved on" in page.by_id("draft-notice").text
    assert {button["name"] for button in page.by_id("draft-buttons").find_all("input")} == {
        "_save_draft",
        "_preview_draft",
        "_publish",
        "_discard_draft",
    }
    assert not page.has("input", name="_save")

    changelist = reverse("admin:content_example_changelist")
    with_draft = parse(editor_client.get(changelist, {"model": "all", "draft": "yes"}))
    links = with_draft.find(id="result_list").find_all("a", href=True)
    assert [link.text for link in links if "/change/" in link["href"]] == ["Telemarketing"]
    without = parse(editor_client.get(changelist, {"model": "all", "draft": "no"})).find(id="result_list").text
    assert "Telemarketing" not in without and "Data entry" in without
    assert "draft" in [th.text.strip().lower() for th in with_draft.find(id="result_list").find_all("th", scope="col")]


def test_the_preview_shows_the_draft_marked_not_indexed_and_never_cached(client, editor_client, example):
    client.get("/bpo/")
    draft_example(editor_client, example)

    response = editor_client.get(preview_url(example))

    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["X-Robots-Tag"] == "noindex"
    page = parse(response)
    assert page.by_id("preview-banner").text.startswith("Preview — not published.")
    assert page.find("meta", name="robots")["content"] == "noindex"
    assert page.by_id("telemarketing").find(class_="example__title").text == DRAFT_TITLE
    assert DRAFT_SUMMARY in page.by_id("telemarketing").text
    assert DRAFT_TITLE not in client.get("/bpo/").content.decode()
    assert DRAFT_TITLE not in client.get("/").content.decode()
    assert DRAFT_TITLE not in stored_in_caches()
    example.refresh_from_db()
    assert example.title == "Telemarketing"


def test_save_draft_and_preview_leads_to_the_preview(editor_client, example):
    response = save(editor_client, change_url(example), title=DRAFT_TITLE, _preview_draft="Save draft and preview")
    assert response.status_code == 302 and response.url == preview_url(example)
    assert DRAFT_TITLE in editor_client.get(response.url).content.decode()


def test_a_comparison_row_previews_its_drafted_values_on_each_model_page(client, editor_client, shipped_content):
    row = ComparisonDimension.objects.get(slug="skill-level")
    data = form_data(editor_client.get(change_url(row)))
    [bpo_text] = [name for name, value in data.items() if name.endswith("-text") and value == row.values.first().text]
    save_draft(editor_client, row, **{bpo_text: "Skills from a draft"})

    assert "Skills from a draft" in editor_client.get(preview_url(row)).content.decode()
    assert "Skills from a draft" not in public_text(client, "/", "/bpo/", "/kpo/")
    assert "Skills from a draft" not in row.values.values_list("text", flat=True)


def test_a_question_previews_its_draft_as_an_attempt_asks_it(client, editor_client, shipped_quiz):
    question = Question.objects.get(slug="telemarketing-is-bpo")
    save_draft(editor_client, question, prompt="A prompt from a draft?")

    page = parse(editor_client.get(preview_url(question)))

    assert page.by_id("preview-banner")
    assert "A prompt from a draft?" in page.find("main").text
    question.refresh_from_db()
    assert question.prompt != "A prompt from a draft?"
    assert not Question.objects.filter(prompt="A prompt from a draft?").exists()
    assert not Attempt.objects.exists()


def test_publishing_makes_the_draft_live_and_records_who_published_it(client, editor_client, example):
    client.get("/bpo/")
    draft_example(editor_client, example)

    response = save(editor_client, change_url(example), **PUBLISH)

    assert response.status_code == 302
    example.refresh_from_db()
    assert example.title == DRAFT_TITLE
    assert not DraftRevision.objects.of(example).exists()
    assert parse(client.get("/bpo/")).by_id("telemarketing").find(class_="example__title").text == DRAFT_TITLE
    latest = Version.objects.get_for_object(example).select_related("revision__user").first()
    assert latest.revision.user.get_username() == "maria"
    assert latest.revision.comment.startswith("Published by maria.")


def test_discarding_a_draft_leaves_the_published_version(editor_client, example):
    draft_example(editor_client, example)
    response = editor_client.post(change_url(example), {"_discard_draft": "Discard draft"})
    assert response.status_code == 302
    assert not DraftRevision.objects.exists()
    assert parse(editor_client.get(change_url(example))).find("input", name="title")["value"] == ("Telemarketing")


def test_an_unpublished_item_is_saved_as_before_without_draft_buttons(editor_client, example):
    Example.objects.filter(pk=example.pk).update(published=False)
    page = parse(editor_client.get(change_url(example)))
    assert not page.has(id="draft-buttons")
    assert page.has("input", name="_save")
    save(editor_client, change_url(example), title="Saved straight away")
    example.refresh_from_db()
    assert example.title == "Saved straight away"
    assert not DraftRevision.objects.exists()


def test_without_the_publish_permission_an_editor_drafts_but_cannot_publish(client, reviewed_editor_client, example):
    page = parse(reviewed_editor_client.get(change_url(example)))
    assert {button["name"] for button in page.by_id("draft-buttons").find_all("input")} == {
        "_save_draft",
        "_preview_draft",
    }
    draft_example(reviewed_editor_client, example)

    for button in (PUBLISH, {"_save": "Save"}, {"_continue": "Save and continue editing"}):
        response = save(reviewed_editor_client, change_url(example), **button)
        assert response.status_code == 302
        messages = [str(message) for message in response.wsgi_request._messages]
        assert any("publishing needs the" in message for message in messages)
    example.refresh_from_db()
    assert example.title == "Telemarketing"
    assert DraftRevision.objects.of(example).get().posted["title"] == [DRAFT_TITLE]
    assert DRAFT_TITLE not in client.get("/bpo/").content.decode()


def test_without_the_publish_permission_a_new_item_is_kept_unpublished(reviewed_editor_client, example):
    data = {**form_data(reviewed_editor_client.get(change_url(example))), "slug": "a-new-one", "published": "on"}
    data.pop("opened_version")
    response = reviewed_editor_client.post(reverse("admin:content_example_add"), data)
    assert response.status_code == 302
    assert Example.objects.get(slug="a-new-one").published is False


def test_without_the_publish_permission_restoring_or_recovering_is_refused(reviewed_editor_client, example):
    version = Version.objects.get_for_object(example).first()
    Example.objects.filter(pk=example.pk).update(title="Changed since")
    revision = reverse("admin:content_example_revision", args=[example.pk, version.pk])

    response = reviewed_editor_client.post(revision, {}, follow=True)

    assert response.redirect_chain == [(reverse("admin:content_example_history", args=[example.pk]), 302)]
    assert "Restoring a version of a published item publishes it" in response.content.decode()
    assert Example.objects.get(pk=example.pk).title == "Changed since"
    benefit = Benefit.objects.get(slug="cost-reduction")
    deleted = Version.objects.get_for_object(benefit).first()
    benefit.delete()
    response = reviewed_editor_client.post(reverse("admin:content_benefit_recover", args=[deleted.pk]), follow=True)
    assert response.redirect_chain == [(reverse("admin:content_benefit_recoverlist"), 302)]
    assert "recovering needs the" in response.content.decode()
    assert not Benefit.objects.filter(slug="cost-reduction").exists()


def test_without_the_publish_permission_the_list_cannot_publish_or_unpublish(reviewed_editor_client, example):
    changelist = parse(reviewed_editor_client.get(reverse("admin:content_example_changelist")))
    boxes = changelist.find_all("input", type="checkbox")
    published_boxes = [box for box in boxes if box.get("name", "").endswith("-published")]
    assert published_boxes and all("disabled" in box.attrs for box in published_boxes)


def test_the_editors_group_may_publish(editor):
    assert editor.has_perm("editorial.publish")


def test_a_publish_without_the_form_is_refused_with_the_errors_and_nothing_changes(editor_client, example):
    draft_example(editor_client, example)
    response = editor_client.post(change_url(example), PUBLISH)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    example.refresh_from_db()
    assert example.title == "Telemarketing"
    assert DraftRevision.objects.of(example).exists()


def test_an_invalid_draft_is_refused_with_the_field_errors_and_not_stored(editor_client, example):
    response = save(editor_client, change_url(example), title="", **SAVE_DRAFT)
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert not DraftRevision.objects.exists()


def test_a_draft_over_a_change_published_since_is_refused_as_a_stale_save(editor_client, example):
    draft_example(editor_client, example)
    opened = form_data(editor_client.get(change_url(example)))
    Example.objects.get(pk=example.pk).save()

    response = editor_client.post(change_url(example), {**opened, **PUBLISH})

    assert response.status_code == 200
    assert "after you opened it" in str(response.context["adminform"].form.non_field_errors())
    example.refresh_from_db()
    assert example.title == "Telemarketing"


def test_a_draft_older_than_the_published_version_says_so_and_can_still_be_published(
    editor_client, example, django_user_model
):
    with reversion.create_revision():
        example.save()
    draft_example(editor_client, example)
    with reversion.create_revision():
        reversion.set_user(django_user_model.objects.create_user("anna"))
        published_since = Example.objects.get(pk=example.pk)
        published_since.overview_line = "Published after the draft"
        published_since.save()

    page = parse(editor_client.get(change_url(example)))

    assert page.by_id("draft-outdated").text.startswith("anna published a change on")
    assert "after this draft was saved (changed: Overview line)" in page.by_id("draft-outdated").text
    response = save(editor_client, change_url(example), **PUBLISH)
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.title == DRAFT_TITLE


@pytest.mark.parametrize("object_id", ["999999", "not-a-number", "1%2F..%2F2"])
def test_the_preview_of_a_missing_item_is_not_found(editor_client, shipped_content, object_id):
    url = reverse("admin:content_example_preview", args=["0"]).replace("/0/", f"/{object_id}/")
    assert editor_client.get(url).status_code == 404


def test_the_preview_of_an_item_without_a_draft_says_so(editor_client, example):
    response = editor_client.get(preview_url(example), follow=True)
    assert response.redirect_chain == [(change_url(example), 302)]
    assert "no draft to preview" in response.content.decode()


def test_readers_and_staff_without_permissions_never_reach_a_preview(client, staff_user, editor_client, example):
    draft_example(editor_client, example)
    response = client.get(preview_url(example))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    client.force_login(staff_user)
    response = client.get(preview_url(example))
    assert response.status_code == 404
    assert DRAFT_TITLE not in response.content.decode()


def test_saving_a_draft_runs_a_fixed_number_of_queries(editor_client, example, django_assert_num_queries):
    """Session and user, the item (once to choose the buttons, once for the form, once locked to check its
    version), the editor's permissions, the draft, the form's checks of the model and the slug, the draft written,
    and the savepoints around it: nothing that grows with the content."""
    data = {**form_data(editor_client.get(change_url(example))), "title": DRAFT_TITLE, **SAVE_DRAFT}
    with django_assert_num_queries(21):
        response = editor_client.post(change_url(example), data)
    assert response.status_code == 302
    assert DraftRevision.objects.of(example).get().posted["title"] == [DRAFT_TITLE]
