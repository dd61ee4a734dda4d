import re

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from . import guide, pages, selectors
from .forms import GuideForm

GUIDE_TITLE = "Which fits my work: BPO or KPO?"
# A page number as written in ``?page=``: ASCII digits, no leading zero, short enough to be a number of pages.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
GUIDE_DESCRIPTION = (
    "Answer a few short questions about a process of your own and see whether it looks like BPO or KPO work, "
    "answer by answer."
)


def home(request):
    return render(request, "content/home.html", dict(pages.overview_for(request.user)))


def requested_page(query):
    """The page number of ``?page=``: 1 without one, None for anything else than one page number."""
    values = query.getlist("page")
    if not values:
        return 1
    if len(values) == 1 and PAGE_NUMBER.fullmatch(values[0]):
        return int(values[0])
    return None


def model_detail(request, slug):
    """A model's page; its examples a page at a time (``?page=2`` and on), the first page at the bare address."""
    page_number = requested_page(request.GET)
    if page_number is None:
        raise Http404("There is no such page of examples.")
    context = pages.model_page_for(request.user, slug, page_number)
    if context is None:
        raise Http404("There is no outsourcing model or page of its examples at this address.")
    if "page" in request.GET and page_number == 1:
        return redirect(context["examples_page"].address)
    page_query = context["canonical_query"]
    response = render(request, "content/model_detail.html", dict(context))
    if page_query and request.META.get("QUERY_STRING") == page_query:
        response.cacheable_query_string = page_query
    return response


def which_fits(request):
    """The guide: its questions, and with a complete set of answers the verdict, by GET so results can be shared.

    A valid set of answers is always shown at one address (the questions in order, no empty description), and
    only that address is marked for the page cache (``cacheable_query_string``), so the cache holds at most one
    page per combination of answers. Results with a description are rendered for each request and never stored.
    """
    models = selectors.outsourcing_models_for(request.user)
    questions = guide.questions_from(selectors.comparison_rows(request.user, models))
    form = GuideForm(questions, request.GET)
    guide_url = reverse("content:which-fits")
    if not form.is_bound and request.GET:
        return redirect(guide_url)
    context = {"form": form, "questions": questions}
    query = ""
    if form.is_valid():
        query = form.canonical_query()
        if not form.description and request.META.get("QUERY_STRING") != query:
            return redirect(f"{guide_url}?{query}")
        context["verdict"] = guide.Verdict(tuple(form.answers()), tuple(models))
        if form.description:
            examples = [example for model in models for example in model.fetched_examples]
            context["suggestions"] = guide.suggested_examples(form.description, examples)
    context.update(
        page_title=GUIDE_TITLE,
        page_description=GUIDE_DESCRIPTION,
        canonical_query=query,
        modified=selectors.guide_last_modified(questions, models),
    )
    response = render(request, "content/which_fits.html", context, status=400 if form.errors else 200)
    if form.is_valid() and not form.description:
        response.cacheable_query_string = query
    return response
