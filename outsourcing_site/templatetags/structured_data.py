"""JSON-LD for the public pages, built from what their views already put in the context."""

from django import template
from django.utils.html import format_html

from .. import seo

register = template.Library()


def script(data):
    return format_html('<script type="application/ld+json">{}</script>', seo.json_ld(data))


@register.simple_tag(takes_context=True)
def article_json_ld(context, headline, description, modified):
    """An explainer page as an article; without a description of its own, the site's."""
    return script(seo.article(context["request"], headline, description or seo.SITE_DESCRIPTION, modified))


@register.simple_tag(takes_context=True)
def guide_json_ld(context, name, description, modified, query):
    return script(seo.guide_page(context["request"], name, description, modified, query))


@register.simple_tag(takes_context=True)
def quiz_json_ld(context, quiz, description):
    return script(seo.quiz_page(context["request"], quiz, description))


@register.simple_tag(takes_context=True)
def quiz_list_json_ld(context, quizzes):
    return script(seo.quiz_list(context["request"], quizzes))
