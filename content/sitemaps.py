from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Benefit, ComparisonDimension, Example, OutsourcingModel, Section


class ExplainerSitemap(Sitemap):
    """The explainer and one page per published model, with the time of their latest change."""

    def items(self):
        return ["home", *OutsourcingModel.objects.published().values_list("slug", flat=True)]

    def location(self, item):
        if item == "home":
            return reverse("content:home")
        return reverse("content:model-detail", kwargs={"slug": item})

    def lastmod(self, item):
        if item == "home":
            querysets = [OutsourcingModel, Example, ComparisonDimension, Benefit, Section]
            stamps = [model.objects.published().aggregate(latest=Max("updated_at"))["latest"] for model in querysets]
        else:
            model = OutsourcingModel.objects.get(slug=item)
            stamps = [model.updated_at, model.examples.published().aggregate(latest=Max("updated_at"))["latest"]]
        return max((stamp for stamp in stamps if stamp), default=None)
