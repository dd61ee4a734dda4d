from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import QueryDict


class DraftQuerySet(models.QuerySet):
    def of_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def of(self, item):
        return self.of_model(type(item)).filter(object_id=item.pk)


class DraftRevision(models.Model):
    """A change to a published item, saved to look at and publish later: the item's change form as it was posted.

    One per item; the published item itself is untouched until the draft is published (editorial.drafts).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    posted = models.JSONField(help_text="The change form's fields and inline rows: {field name: [values]}.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_draft_per_item")]
        permissions = [("publish", "Can publish changes to published items")]

    def __str__(self):
        return f"Draft of {self.content_type.name} {self.object_id}"

    def as_query_dict(self):
        data = QueryDict(mutable=True)
        for name, values in self.posted.items():
            data.setlist(name, values)
        return data
