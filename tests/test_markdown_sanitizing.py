import pytest

from content.markdown import render_markdown


@pytest.mark.parametrize(
    "markdown, forbidden",
    [
        ("Hello <script>alert('x')</script>", "<script"),
        ("Hello <script>alert('x')</script>", "alert("),
        ('<img src="/a.png" onerror="alert(1)">', "onerror"),
        ('<a href="#" onclick="steal()">x</a>', "onclick"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
        ("![pixel](data:image/png;base64,iVBORw0KGgo=)", "data:"),
        ('<a href="data:text/html,<script>x</script>">x</a>', "data:"),
        ('<iframe src="https://example.com"></iframe>', "<iframe"),
        ("<style>body { display: none }</style>", "<style"),
        ("<style>body { display: none }</style>", "display: none"),
        ('<p style="position:fixed">x</p>', "style="),
    ],
)
def test_dangerous_markup_never_reaches_the_page(markdown, forbidden):
    assert forbidden.lower() not in render_markdown(markdown).lower()


def test_ordinary_markdown_is_kept():
    html = render_markdown("Some **bold** text and [a link](https://example.com/page).\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com/page" rel="noopener noreferrer">a link</a>' in html
    assert "<li>one</li>" in html


def test_relative_links_and_anchors_are_kept():
    assert 'href="/kpo/#legal-services"' in render_markdown("[legal work](/kpo/#legal-services)")


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
