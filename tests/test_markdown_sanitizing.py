import pytest

from content.markdown import render_markdown
from tests.html_pages import parse


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
    html = parse(render_markdown("Some **bold** text and [a link](https://example.com/page).\n\n- one\n- two"))
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com/page" rel="noopener noreferrer">a link</a>' in html
    assert "<ul><li>one</li><li>two</li></ul>" in html


def test_relative_links_and_anchors_are_kept():
    assert parse(render_markdown("[legal work](/kpo/#legal-services)")).links() == ["/kpo/#legal-services"]


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    "src", ["/media/markdown-images/0123abcd.png", "https://example.com/chart.webp", "http://example.com/a.jpg"]
)
def test_images_from_media_and_the_web_are_kept_with_their_alt_and_title(src):
    html = render_markdown(f'![Cost chart]({src} "Costs by model")')
    assert html == f'<p><img alt="Cost chart" src="{src}" title="Costs by model"></p>'


@pytest.mark.parametrize("src", ["javascript:alert(1)", "data:image/svg+xml;base64,PHN2Zz4=", "vbscript:msgbox(1)"])
def test_images_with_script_or_data_sources_lose_their_source(src):
    html = render_markdown(f'<img src="{src}" alt="x">')
    assert "src=" not in html and src.split(":")[0] not in html
