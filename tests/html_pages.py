"""Reading a page the way a browser does, parsed into elements found by tag, id, class or attribute, and the
sitemap the way a search engine does.

Tests look at what an element holds instead of cutting the markup apart as text, so a change of
attribute order, whitespace or nesting that a reader cannot see never breaks them.
"""

import xml.etree.ElementTree as ElementTree

from django.test.html import Element, normalize_whitespace, parse_html

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

BLOCKS = {
    *("address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt"),
    *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
    *("hr", "legend", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tbody", "td"),
    *("tfoot", "th", "thead", "title", "tr", "ul"),
}


def sitemap_entries(client):
    """{address: last change} for each page /sitemap.xml lists, read as XML."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.find("sm:loc", SITEMAP_NS).text: url.find("sm:lastmod", SITEMAP_NS).text
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def parse(page):
    """A response, or a string of HTML, as a tree of elements."""
    html = page.content.decode() if hasattr(page, "content") else page
    return Node(parse_html(html))


class Node:
    def __init__(self, element):
        self.element = element

    def __repr__(self):
        return f"<Node {str(self.element)[:200]}>"

    def __str__(self):
        return str(self.element)

    @property
    def tag(self):
        return self.element.name

    @property
    def attrs(self):
        return dict(self.element.attributes)

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self):
        return (self.get("class") or "").split()

    @property
    def text(self):
        """What a reader sees in the element, with runs of whitespace as one space."""
        return normalize_whitespace(self._text(self.element)).strip()

    @classmethod
    def _text(cls, element):
        return "".join(cls._child_text(child) for child in element.children)

    @classmethod
    def _child_text(cls, child):
        if isinstance(child, str):
            return child
        # A browser sets blocks apart from the text around them; inline elements run on.
        return f" {cls._text(child)} " if child.name in BLOCKS else cls._text(child)

    @property
    def children(self):
        return [Node(child) for child in self.element.children if isinstance(child, Element)]

    def descendants(self):
        """Every element inside this one, in document order."""
        for child in self.children:
            yield child
            yield from child.descendants()

    def matches(self, tag=None, **attributes):
        """``tag`` is a name or several; ``class_`` matches one class among several; ``True`` matches any value."""
        if tag is not None and self.tag not in ({tag} if isinstance(tag, str) else set(tag)):
            return False
        for name, wanted in attributes.items():
            if name == "class_":
                if wanted not in self.classes:
                    return False
            elif wanted is True:
                if name not in self.attrs:
                    return False
            elif self.get(name) != wanted:
                return False
        return True

    def find_all(self, tag=None, **attributes):
        return [node for node in self.descendants() if node.matches(tag, **attributes)]

    def find(self, tag=None, **attributes):
        """The first element that matches; a test fails here, saying what it looked for, if there is none."""
        found = self.find_all(tag, **attributes)
        assert found, f"no <{tag or '*'}> with {attributes} in {self!r}"
        return found[0]

    def has(self, tag=None, **attributes):
        return any(node.matches(tag, **attributes) for node in self.descendants())

    def by_id(self, anchor):
        return self.find(id=anchor)

    def ids(self):
        """Every id on the page, in document order."""
        return [node["id"] for node in self.descendants() if "id" in node.attrs]

    def links(self):
        """Where the links in this element lead, in document order."""
        return [node["href"] for node in self.find_all("a", href=True)]

    def __contains__(self, html):
        """Whether ``html`` appears as a whole element in this one, as ``assertInHTML`` judges it."""
        return parse_html(html) in self.element
