"""Admin building blocks shared by every editable model, in content and in the quiz."""

from django.contrib.admin.utils import unquote
from django.utils.text import capfirst
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin
from reversion.models import Version


class MarkdownEditing:
    """Markdown fields get the live-preview editor, in change forms and in inline rows (added ones too)."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    class Media:
        js = ["js/markdown-editor.js"]


def shown(field, value):
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or "—")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def differences(version, current):
    """(field, in that version, now) for each field an editor can edit that differs between the two."""
    rows = []
    for field in current._meta.concrete_fields:
        if not field.editable or field.primary_key or field.attname not in version.field_dict:
            continue
        then, now = version.field_dict[field.attname], field.value_from_object(current)
        if then != now:
            rows.append((capfirst(field.verbose_name), shown(field, then), shown(field, now)))
    return rows


class EditableAdmin(MarkdownEditing, VersionAdmin):
    """Live Markdown preview, and a history of every change with who made it and when.

    An earlier version opens in the change form, with what it would change back listed above the form.
    """

    revision_form_template = "admin/revision_form_with_differences.html"

    def revision_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        version = Version.objects.get_for_object_reference(self.model, unquote(object_id)).filter(pk=version_id).first()
        found = current is not None and version is not None
        context = {"differences": differences(version, current) if found else [], **(extra_context or {})}
        return super().revision_view(request, object_id, version_id, context)
