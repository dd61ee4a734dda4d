"""Draft changes to published items: “Save draft” keeps the published version on the site, “Preview” shows the
page with the draft applied, “Publish” makes it live.

A draft is the change form as it was posted (``DraftRevision``), checked by the form as a save would be but not
saved; the change form shows it until it is published or discarded. Publishing is the form's ordinary save,
recorded in the item's history with who and when. A draft saved before someone else published a change opens at
the version now, and the form names who changed what since, so publishing it over that change is a choice.

Publishing needs the ``editorial.publish`` permission, so a site that wants review can let some editors draft
only. Without it, nothing else publishes either: restoring a version of a published item, recovering a deleted
one, the list's “published” boxes; items such an editor adds are kept unpublished.

A preview applies the draft inside a transaction that is rolled back, and renders the item's page with the site's
own view and templates, as a reader sees it. So everything the page builds is built fresh from the draft: the
item's rendered Markdown, the rows generated from it, the comparison's examples row. Nothing a preview renders may
be kept: the transaction rolls back, the page cache never sees the response (it is not a cached page, and is
marked ``private, no-store``), and a cache of rendered parts must not be read or written for a preview, since the
items it would key them by exist only inside the rolled-back transaction.
"""

import copy
from urllib.parse import urlsplit

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.forms.formsets import all_valid
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format

from .locking import VERSION_FIELD, StaleSave, opened_at, version_of
from .models import DraftRevision
from .previews import previewing

SAVE_DRAFT = "_save_draft"
PREVIEW = "_preview_draft"
DISCARD = "_discard_draft"
# Posted fields that are not the form's: the CSRF token and the buttons.
NOT_FORM_FIELDS = {
    *("csrfmiddlewaretoken", SAVE_DRAFT, PREVIEW, DISCARD),
    *("_publish", "_save", "_continue", "_addanother", "_saveasnew"),
}

PUBLISH_PERMISSION = "editorial.publish"
MAY_NOT_PUBLISH = (
    "You can save a draft of this change, but publishing needs the “Can publish changes to published items” "
    "permission: ask an editor who has it. Nothing was changed."
)
MAY_NOT_RESTORE = (
    "Restoring a version of a published item publishes it, and publishing needs the “Can publish changes to "
    "published items” permission: ask an editor who has it. Nothing was changed."
)
MAY_NOT_RECOVER = (
    "A recovered item comes back as it was when it was deleted, published perhaps, so recovering needs the “Can "
    "publish changes to published items” permission: ask an editor who has it. Nothing was changed."
)
NOT_PREVIEWABLE = (
    "The draft cannot be previewed: it no longer passes the form's checks. Open it, correct it and save the draft "
    "again."
)


def takes_drafts(item):
    """A published item is changed through drafts; an unpublished one is simply saved."""
    return item is not None and getattr(item, "published", False)


def may_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def posted_form(post):
    """The form fields of a posted change form, as a draft stores them."""
    return {name: values for name, values in post.lists() if name not in NOT_FORM_FIELDS}


def has_draft(model):
    """Whether a row of ``model`` has a draft waiting to be published: an annotation for the admin list."""
    return models.Exists(DraftRevision.objects.of_model(model).filter(object_id=models.OuterRef("pk")))


class UnpublishedChanges(admin.SimpleListFilter):
    title = "unpublished changes"
    parameter_name = "draft"

    def lookups(self, request, model_admin):
        return [("yes", "With a draft"), ("no", "Without a draft")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_draft=self.value() == "yes")
        return queryset


class DraftEditing:
    """The admin side of drafts, for a ``VersionAdmin`` of a model with a ``published`` field."""

    # The request attributes carrying the draft a change form or a preview is built from, and whether the posted
    # change form of a published item is saved as a draft.
    DRAFT_ATTRIBUTE = "editorial_draft"
    SAVES_DRAFT_ATTRIBUTE = "editorial_saves_draft"
    PUBLISHES_ATTRIBUTE = "editorial_publishes"

    def admin_url(self, name, item):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[item.pk])

    # The change list: a column and a filter for the items with unpublished changes.

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_draft=has_draft(self.model))

    def get_list_display(self, request):
        return [*super().get_list_display(request), "unpublished_changes"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), UnpublishedChanges]

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        if "published" in formset.form.base_fields and not may_publish(request.user):
            formset.form.base_fields["published"].disabled = True
        return formset

    @admin.display(boolean=True, description="draft", ordering="has_draft")
    def unpublished_changes(self, item):
        return item.has_draft

    # The change form.

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        return [path("<path:object_id>/preview/", preview, name=name), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if not takes_drafts(item) or not self.has_change_permission(request, item):
            return super().change_view(request, object_id, form_url, extra_context)
        draft = DraftRevision.objects.of(item).select_related("author").first()
        if request.method == "POST":
            if DISCARD in request.POST:
                DraftRevision.objects.of(item).delete()
                messages.success(request, "The draft was discarded: the form shows the published version.")
                return redirect(self.admin_url("change", item))
            saves_draft = SAVE_DRAFT in request.POST or PREVIEW in request.POST
            if not saves_draft and not may_publish(request.user):
                messages.error(request, MAY_NOT_PUBLISH)
                return redirect(self.admin_url("change", item))
            setattr(request, self.SAVES_DRAFT_ATTRIBUTE, saves_draft)
            setattr(request, self.PUBLISHES_ATTRIBUTE, not saves_draft)
        elif draft is not None:
            setattr(request, self.DRAFT_ATTRIBUTE, self.draft_form_data(draft, item))
        context = {
            "draft_controls": True,
            "draft": draft,
            "draft_saved_at": draft and date_format(timezone.localtime(draft.saved_at), "DATETIME_FORMAT"),
            "may_publish": may_publish(request.user),
            "preview_url": self.admin_url("preview", item),
            "draft_outdated": draft and outdated(draft, item),
            # Django's own buttons would publish: the draft buttons stand in for them.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    @staticmethod
    def draft_form_data(draft, item):
        """The draft as the change form's data, opened at the item's version now: if a change was published after
        the draft was saved, the form says so (``outdated``) and publishing the draft replaces that change."""
        data = draft.as_query_dict()
        data[VERSION_FIELD] = version_of(item)
        return data

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an earlier version of a published item publishes it, so it needs the publish permission."""
        item = self.get_object(request, unquote(object_id))
        if request.method == "POST" and takes_drafts(item) and not may_publish(request.user):
            messages.error(request, MAY_NOT_RESTORE)
            return redirect(self.admin_url("history", item))
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted item comes back as it was, published perhaps, so recovering one needs the publish permission."""
        if request.method == "POST" and not may_publish(request.user):
            messages.error(request, MAY_NOT_RECOVER)
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_recoverlist"))
        return super().recover_view(request, version_id, extra_context)

    def saves_draft(self, request):
        return getattr(request, self.SAVES_DRAFT_ATTRIBUTE, False)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "published" in form.base_fields and not may_publish(request.user):
            form.base_fields["published"].disabled = True
            form.base_fields["published"].help_text = "Publishing needs a permission you do not have."
        draft = getattr(request, self.DRAFT_ATTRIBUTE, None)
        if draft is None or obj is None:
            return form

        class DraftForm(form):
            """The change form filled in from the draft, as it was posted."""

            def __init__(self, *args, **kwargs):
                if not args and "data" not in kwargs:
                    kwargs["data"] = draft
                super().__init__(*args, **kwargs)

        return DraftForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        draft = getattr(request, self.DRAFT_ATTRIBUTE, None)
        if draft is not None and "data" not in kwargs:
            kwargs["data"] = draft
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change and not may_publish(request.user) and hasattr(obj, "published"):
            obj.published = False
        if not self.saves_draft(request):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not self.saves_draft(request):
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # A draft saves no row, so the formsets have no saved rows to describe.
        return [] if self.saves_draft(request) else super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        """Where a valid change form's save ends: a draft is stored here instead, a publish recorded as one."""
        if self.saves_draft(request):
            DraftRevision.objects.update_or_create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                defaults={"posted": posted_form(request.POST), "author": request.user},
            )
            return None
        entry = super().log_change(request, obj, message)
        if getattr(request, self.PUBLISHES_ATTRIBUTE, False):
            DraftRevision.objects.of(obj).delete()
            if reversion.is_active():
                reversion.set_comment(f"Published by {request.user.get_username()}. {entry.get_change_message()}")
        return entry

    def response_change(self, request, obj):
        if not self.saves_draft(request):
            return super().response_change(request, obj)
        if PREVIEW in request.POST:
            return redirect(self.admin_url("preview", obj))
        messages.success(
            request, f"The draft of “{obj}” was saved. The site shows the published version until you publish it."
        )
        return redirect(self.admin_url("change", obj))

    def delete_model(self, request, obj):
        DraftRevision.objects.of(obj).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        DraftRevision.objects.of_model(self.model).filter(object_id__in=queryset.values("pk")).delete()
        super().delete_queryset(request, queryset)

    # The preview.

    def preview_view(self, request, object_id):
        item = self.get_object(request, unquote(object_id))
        if item is None or not self.has_change_permission(request, item):
            raise Http404("There is no such item to preview.")
        draft = DraftRevision.objects.of(item).first()
        if draft is None:
            messages.error(request, "This item has no draft to preview: save a draft first.")
            return redirect(self.admin_url("change", item))
        data = self.draft_form_data(draft, item)
        with self.markdown_rendered_ahead(data), previewing(), transaction.atomic():
            response = self.preview_with_draft(request, item, data)
            transaction.set_rollback(True)
        if response is None:
            messages.error(request, NOT_PREVIEWABLE)
            return redirect(self.admin_url("change", item))
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def preview_with_draft(self, request, item, data):
        """In a transaction to be rolled back: the draft saved and the page rendered; None if the draft is invalid."""
        setattr(request, self.DRAFT_ATTRIBUTE, data)
        fields = flatten_fieldsets(self.get_fieldsets(request, item))
        form = self.get_form(request, item, change=True, fields=fields)(data, instance=item)
        form_valid = form.is_valid()
        formsets, _inlines = self._create_formsets(request, form.instance if form_valid else item, change=True)
        if not (all_valid(formsets) and form_valid):
            return None
        saved = self.save_form(request, form, change=True)
        self.save_model(request, saved, form, change=True)
        self.save_related(request, form, formsets, change=True)
        return self.preview_page(preview_request(request, saved), saved)

    def preview_page(self, request, item):
        """The page the item appears on, rendered by the site's own view for an anonymous reader."""
        match = resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        return response


def outdated(draft, item):
    """Who published a change to ``item`` after ``draft`` was saved, and when (a ``StaleSave``); None if no one."""
    based_on = opened_at(draft.posted.get(VERSION_FIELD, [""])[-1])
    if based_on is None or based_on >= item.updated_at:
        return None
    return StaleSave.of(item, based_on)


def preview_request(request, item):
    """A copy of ``request`` asking for the item's page as an anonymous reader, marked as a preview of ``item``."""
    preview = copy.copy(request)
    preview.path = preview.path_info = urlsplit(item.get_absolute_url()).path
    preview.user = AnonymousUser()
    preview.preview_of = item
    return preview
