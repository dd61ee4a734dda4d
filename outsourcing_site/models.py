import secrets

from django.db import models


class ContentVersion(models.Model):
    """The one row whose stamp every cached page's key carries (``outsourcing_site.page_cache``).

    It lives in the database, beside the content, so that it changes in the same transaction as an
    edit and a backup restores it together with the content it describes.
    """

    ROW = 1

    stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return self.stamp

    @classmethod
    def current_stamp(cls):
        return cls.objects.filter(pk=cls.ROW).values_list("stamp", flat=True).first() or ""

    @classmethod
    def replace(cls):
        """A fresh random stamp, never a counter that a restore could set back to a value already used."""
        stamp = secrets.token_hex(8)
        cls.objects.update_or_create(pk=cls.ROW, defaults={"stamp": stamp})
        return stamp
