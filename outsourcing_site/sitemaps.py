"""The public pages for search engines: only what is published, each with the time of its latest change."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section
from quiz.models import Quiz


def latest(queryset):
    return queryset.aggregate(latest=Max("updated_at"))["latest"]


class PublicSitemap(Sitemap):
    """Absolute addresses on SITE_URL when it is set, else on the host the sitemap was asked for."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class ExplainerSitemap(PublicSitemap):
    """The explainer and one page per published model, with the time of their latest published change."""

    def items(self):
        return ["home", *OutsourcingModel.objects.published().values_list("slug", flat=True)]

    def location(self, item):
        if item == "home":
            return reverse("content:home")
        return reverse("content:model-detail", kwargs={"slug": item})

    def lastmod(self, item):
        published_values = ComparisonValue.objects.filter(dimension__published=True, outsourcing_model__published=True)
        if item == "home":
            kinds = [OutsourcingModel, Example, ComparisonDimension, Benefit, Section]
            stamps = [latest(kind.objects.published()) for kind in kinds] + [latest(published_values)]
        else:
            model = OutsourcingModel.objects.get(slug=item)
            stamps = [
                model.updated_at,
                latest(model.examples.published()),
                latest(ComparisonDimension.objects.published()),
                latest(published_values.filter(outsourcing_model=model)),
            ]
        return max((stamp for stamp in stamps if stamp), default=None)


class GuideSitemap(PublicSitemap):
    """The “Which fits my work?” guide, changed when its questions, their answers or the examples change.

    Its results are left out: each is the guide with a set of answers, marked noindex.
    """

    def items(self):
        return ["which-fits"]

    def location(self, item):
        return reverse("content:which-fits")

    def lastmod(self, item):
        asked = ComparisonDimension.objects.published().exclude(guide_question="")
        stamps = [
            latest(asked),
            latest(ComparisonValue.objects.filter(dimension__in=asked, outsourcing_model__published=True)),
            latest(Example.objects.published().filter(outsourcing_model__published=True)),
        ]
        return max((stamp for stamp in stamps if stamp), default=None)


class QuizSitemap(PublicSitemap):
    """The quiz list and each published quiz's page; attempts and results are private and stay out."""

    def items(self):
        return ["index", *Quiz.objects.published()]

    def location(self, item):
        return reverse("quiz:index") if item == "index" else item.get_absolute_url()

    def lastmod(self, item):
        if item == "index":
            return latest(Quiz.objects.published())
        return item.updated_at
