from django.db.models import Max
from django.urls import reverse

from content.sitemaps import PublicSitemap

from .models import Quiz


class QuizSitemap(PublicSitemap):
    """The quiz list and each published quiz's page; attempts and results are private and stay out."""

    def items(self):
        return ["index", *Quiz.objects.published()]

    def location(self, item):
        return reverse("quiz:index") if item == "index" else item.get_absolute_url()

    def lastmod(self, item):
        if item == "index":
            return Quiz.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return item.updated_at
