"""What the explainer pages show (/ and each model's pages), built once per content version for readers.

The page cache answers each page's own address; any other address of it (a tracking tag in the query string)
reaches the view. For readers the view then takes its context from here: the rows read and the article
rendered once per content version (``editorial.kept``), from the pre-rendered parts of its items
(``content.parts``), and shared by every request of the process; such a request runs no query and renders
only the layout around the article. Staff, who see drafts, and previews get it read and rendered for every
request.
"""

from django.template.loader import render_to_string

from editorial.kept import KeptWhileUnchanged

from . import parts, selectors
from .models import sees_drafts

HOME_TITLE = "BPO vs KPO: the difference explained"
# Every page of every model's examples, at a hundred times today's content.
PAGES_KEPT = 128

kept_pages = KeptWhileUnchanged(size=PAGES_KEPT)


def kept_for_readers(user, key, read):
    """``read()`` for staff; for readers, the context it gave for the current content version. Shared by every
    reader's request: copy it before adding to it."""
    if sees_drafts(user):
        return read()
    return kept_pages.get(key, read)


def overview_for(user):
    """The context of the overview (/)."""
    return kept_for_readers(user, ("overview",), lambda: read_overview(user))


def model_page_for(user, slug, page_number):
    """The context of page ``page_number`` of the model with ``slug``; None if ``user`` sees no such page."""
    return kept_for_readers(user, ("model", slug, page_number), lambda: read_model_page(user, slug, page_number))


def read_overview(user):
    context = selectors.explainer_for(user)
    introduction = context["sections"].get("introduction")
    context.update(parts.overview_parts(context))
    context.update(
        page_title=HOME_TITLE,
        page_description=introduction.meta_description if introduction else "",
        og_type="article",
        modified=selectors.explainer_last_modified(context),
    )
    context["article_body"] = render_to_string("content/home_body.html", context)
    return context


def read_model_page(user, slug, page_number):
    outsourcing_model, other_models, page = selectors.model_page_for(user, slug, page_number)
    if outsourcing_model is None:
        return None
    rows = selectors.comparison_rows(user, [outsourcing_model])
    [(_, comparison)] = selectors.comparison_columns([outsourcing_model], rows)
    page_query = f"page={page_number}" if page_number > 1 else ""
    context = {
        "outsourcing_model": outsourcing_model,
        "other_models": other_models,
        "comparison": comparison,
        "examples_page": page,
        "page_title": outsourcing_model.page_title
        + (f", examples page {page.number} of {page.count}" if page_query else ""),
        "page_description": outsourcing_model.page_description,
        "og_type": "article",
        "canonical_query": page_query,
        "modified": selectors.model_page_last_modified(outsourcing_model, comparison),
        **parts.model_page_parts(outsourcing_model, comparison),
    }
    context["article_body"] = render_to_string("content/model_page_body.html", context)
    return context
