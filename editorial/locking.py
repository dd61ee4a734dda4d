"""No silent overwrites: a change form refuses to save over a change someone made after it was opened.

The version of an item is its ``updated_at`` stamp, which every save moves on; a row's inline rows (a
question's choices, a comparison row's values) are saved through their parent, so its stamp covers them too.
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from .differences import differences

VERSION_FIELD = "opened_version"


def version_of(item):
    return item.updated_at.isoformat()


def opened_at(posted):
    """The ``updated_at`` a change form was opened at, or None when the posted value is not one."""
    try:
        stamp = datetime.fromisoformat(posted or "")
    except ValueError:
        return None
    return stamp if timezone.is_aware(stamp) else None


@dataclass
class StaleSave:
    """Who changed the item after the editor opened it, when, and which fields differ from what they opened."""

    who: str
    when: str
    differences: list

    @classmethod
    def of(cls, current, opened):
        versions = Version.objects.get_for_object(current).select_related("revision__user")
        latest = versions.first()
        saved_after_opening = latest is not None and latest.revision.date_created > opened
        user = latest.revision.user if saved_after_opening else None
        seen = versions.filter(revision__date_created__lte=opened).first()
        return cls(
            who=user.get_username() if user else "Someone",
            when=date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT"),
            differences=differences(seen, current) if seen else [],
        )


class VersionCheckedForm(forms.ModelForm):
    """A change form that carries the version it was opened at, and refuses to save over a newer one."""

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = None
        if self.instance.pk is not None:
            self.initial[VERSION_FIELD] = version_of(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self.check_version(opened_at(cleaned_data.get(VERSION_FIELD)))
        return cleaned_data

    def check_version(self, opened):
        model = type(self.instance)
        # Locked until the view's transaction ends, so no other save slips in between this check and this save.
        current = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            return
        if opened is None or opened > current.updated_at:
            self.add_error(None, "This form does not say which version it was opened at. Reload the page to edit.")
        elif opened < current.updated_at:
            self.stale = StaleSave.of(current, opened)
            self.add_error(
                None,
                f"{self.stale.who} saved this {model._meta.verbose_name} on {self.stale.when}, after you opened it, "
                "so your changes were not saved. They are kept in the form below; what the other save changed is "
                "listed above it. Reload the page to start from the saved version and make your changes again.",
            )
