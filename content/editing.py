"""Admin building blocks shared by every editable model, in content and in the quiz."""

from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin


class MarkdownEditing:
    """Markdown fields get the live-preview editor, in change forms and in inline rows (added ones too)."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    class Media:
        js = ["js/markdown-editor.js"]


class EditableAdmin(MarkdownEditing, VersionAdmin):
    """Live Markdown preview, and a history of every change with who made it and when, to restore an earlier version."""
