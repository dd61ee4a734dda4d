"""Admin building blocks shared by every editable model, in content and in the quiz."""

from contextlib import contextmanager

import reversion
from adminsortable2.admin import SortableAdminMixin
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin
from reversion.models import Version

from .differences import differences
from .drafts import DraftEditing
from .locking import VersionCheckedForm
from .presence import opened_by_others
from .rendering import render_all, rendered_ahead
from .signals import rows_reordered


class PreviewedMarkdownWidget(AdminMarkdownxWidget):
    """django-markdownx's admin editor, its live preview labelled so it does not read as help text."""

    template_name = "editorial/markdown_widget.html"


class MarkdownEditing:
    """Markdown fields get the live-preview editor, in change forms and in inline rows (added ones too)."""

    formfield_overrides = {MarkdownxField: {"widget": PreviewedMarkdownWidget}}

    class Media:
        js = ["js/markdown-editor.js"]


class EditableAdmin(DraftEditing, MarkdownEditing, VersionAdmin):
    """Live Markdown preview, and a history of every change with who made it and when.

    A published item is changed through a draft, previewed and then published (editorial.drafts).

        An earlier version opens in the change form, with what it would change back listed above the form. A save
        over a change someone made after the form was opened is refused (editorial.locking), and the form names the
    other editors who opened it in the last few minutes (editorial.presence).
    """

    form = VersionCheckedForm
    change_form_template = "admin/editable_change_form.html"
    revision_form_template = "admin/revision_form_with_differences.html"
    recover_form_template = "admin/recover_form_with_version.html"

    # Every view that saves: the renders go before the transaction that django-reversion opens around the view.
    def add_view(self, request, form_url="", extra_context=None):
        with self.posted_markdown_rendered_ahead(request):
            return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {
            "also_editing": opened_by_others(self.model, unquote(object_id), request.user),
            **(extra_context or {}),
        }
        with self.posted_markdown_rendered_ahead(request):
            return super().change_view(request, object_id, form_url, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        version = versions.filter(pk=version_id).first() if str(version_id).isdigit() else None
        if version is None:
            raise Http404("This item has no such version.")
        if current is not None and (refusal := self.restore_refusal(current, version)):
            messages.error(request, refusal)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", object_id)
        context = {"differences": differences(version, current) if current else [], **(extra_context or {})}
        with self.posted_markdown_rendered_ahead(request):
            return super().revision_view(request, object_id, version_id, context)

    def recover_view(self, request, version_id, extra_context=None):
        deleted = Version.objects.get_deleted(self.model)
        if not str(version_id).isdigit() or not deleted.filter(pk=version_id).exists():
            raise Http404("There is no deleted item of this kind with that version.")
        with self.posted_markdown_rendered_ahead(request):
            return super().recover_view(request, version_id, extra_context)

    def restore_refusal(self, item, version):
        """Why ``item`` cannot be restored to ``version``, in words for the editor; empty if it can."""
        return ""

    @contextmanager
    def posted_markdown_rendered_ahead(self, request):
        """A save renders the posted Markdown before its transaction opens (see editorial.rendering)."""
        if request.method != "POST":
            yield
            return
        with self.markdown_rendered_ahead(request.POST):
            yield

    @contextmanager
    def markdown_rendered_ahead(self, data):
        with rendered_ahead() as render:
            render_all(render, self.posted_markdown(data), seconds=settings.MARKDOWN_RENDER_SECONDS)
            yield

    def posted_markdown(self, data):
        """Every Markdown text posted for the form and its inline rows, as its form field will clean it."""
        form_fields = markdown_form_fields(self.model)
        row_fields = {
            name: field for inline in self.inlines for name, field in markdown_form_fields(inline.model).items()
        }
        texts = []
        for key, values in data.lists():
            _prefix, dash, name = key.rpartition("-")
            field = (row_fields if dash else form_fields).get(name)
            if field is not None:
                texts.extend(field.to_python(value) for value in values)
        return texts


def markdown_form_fields(model):
    return {field.name: field.formfield() for field in model._meta.fields if isinstance(field, MarkdownxField)}


class SortableByPosition(SortableAdminMixin):
    """Drag-and-drop ordering of the list by ``position``; the site shows the new order on the next request.

    Rows may share a position (each model numbers its examples from 1), so the numbers the browser sends
    are only read as the new order of the rows it moved: those rows take the places they held between
    them, in that order, and the whole list is renumbered from 1. The move is recorded in the history of
    the rows the browser reports as moved, and announced with ``rows_reordered``, since a bulk update
    sends no model signal.
    """

    ordering = ["position", "pk"]

    # Without JavaScript the list is ordered by typing numbers into its "position" column, and a change form has
    # its "position" field too (adminsortable2 would hide both behind the drag handle).
    def get_list_display(self, request):
        return ["_reorder_", *super(SortableAdminMixin, self).get_list_display(request)]

    def get_fields(self, request, obj=None):
        return super(SortableAdminMixin, self).get_fields(request, obj)

    def update_order(self, request):
        with self.create_revision(request):
            reversion.set_comment("Moved by dragging in the list.")
            return super().update_order(request)

    def _update_order(self, updated_items, extra_model_filters):
        moved = [int(pk) for pk, _order in sorted(updated_items, key=lambda item: item[1])]
        with transaction.atomic():
            rows = list(self.model.objects.select_for_update().filter(**extra_model_filters).order_by(*self.ordering))
            by_pk = {row.pk: row for row in rows}
            moved_ids = set(moved)
            if len(moved_ids) != len(moved) or not moved_ids <= by_pk.keys():
                raise ValueError("the moved rows are not rows of this list")
            moved_in_order = iter(moved)
            reordered = [by_pk[next(moved_in_order)] if row.pk in moved_ids else row for row in rows]
            now = timezone.now()
            changed = []
            for position, row in enumerate(reordered, start=1):
                if row.position != position:
                    row.position, row.updated_at = position, now
                    changed.append(row)
            updated = self.model.objects.bulk_update(changed, ["position", "updated_at"])
            if changed:
                rows_reordered.send(sender=self.model, rows=changed)
            for row in changed:
                if row.pk in moved_ids:
                    reversion.add_to_revision(row)
            return updated
