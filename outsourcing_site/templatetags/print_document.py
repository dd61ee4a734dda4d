"""What a printed page needs that the screen does not: the full address of every link, once each."""

import functools
import html as html_entities
import re
from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.template.loader import render_to_string
from django.utils.html import format_html

from .. import seo

register = template.Library()


# The ``href`` of an ``<a>`` tag as the site's templates and its Markdown renderer write it: quoted. A search,
# not a parse, as the page is the site's own HTML: its cost stays a small part of a page with hundreds of rows.
LINK = re.compile(r"""<a\s[^>]*?(?<![\w-])href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def link_targets(html):
    """The ``href`` of every ``<a>`` in ``html``, in document order, character references resolved."""
    hrefs = (double or single for double, single in LINK.findall(html))
    return [html_entities.unescape(href) for href in hrefs if href]


def page_address(request):
    """The page's absolute address; None on the 400 page for a Host the site does not answer to."""
    try:
        return seo.absolute_url(request, request.path)
    except DisallowedHost:
        return None


# A page's links are mostly the same few addresses on every request: each joined once, then looked up.
@functools.lru_cache(maxsize=4096)
def joined(page, href):
    return urljoin(page, href)


def printed_addresses(page, html):
    """The absolute address of each link in ``html`` that leaves the spot it is on, each address once."""
    addresses = [joined(page, href) for href in link_targets(html) if not href.startswith("#")]
    return list(dict.fromkeys(address for address in addresses if address.startswith(("http://", "https://"))))


class LinksListedForPrintNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        page = page_address(context["request"])
        if page is None:
            return html
        return html + render_to_string("includes/print_links.html", {"addresses": printed_addresses(page, html)})


@register.simple_tag(takes_context=True)
def print_header(context):
    """The site's name and the page's address, shown only in print."""
    page = page_address(context["request"])
    if page is None:
        return ""
    return format_html('<p class="print-only print-header">{} · {}</p>', settings.SITE_NAME, page)


@register.tag
def links_listed_for_print(parser, token):
    """``{% links_listed_for_print %}…{% endlinks_listed_for_print %}``: the enclosed HTML, followed by a list,
    shown only in print, of the absolute addresses its links lead to."""
    nodelist = parser.parse(("endlinks_listed_for_print",))
    parser.delete_first_token()
    return LinksListedForPrintNode(nodelist)
