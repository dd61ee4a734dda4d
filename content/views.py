from django.http import Http404
from django.shortcuts import render

from . import selectors, seo
from .caching import cached_for_anonymous_readers

HOME_TITLE = "BPO vs KPO: the difference explained"


@cached_for_anonymous_readers
def home(request):
    context = selectors.explainer_for(request.user)
    introduction = context["sections"].get("introduction")
    description = (introduction and introduction.meta_description) or seo.SITE_DESCRIPTION
    modified = selectors.explainer_last_modified(context)
    context.update(
        page_title=HOME_TITLE,
        page_description=description,
        og_type="article",
        structured_data=seo.article(request, HOME_TITLE, description, modified),
    )
    return render(request, "content/home.html", context)


@cached_for_anonymous_readers
def model_detail(request, slug):
    models = selectors.outsourcing_models_for(request.user)
    outsourcing_model = next((model for model in models if model.slug == slug), None)
    if outsourcing_model is None:
        raise Http404("There is no outsourcing model at this address.")
    rows = selectors.comparison_rows(request.user, [outsourcing_model])
    [(_, comparison)] = selectors.comparison_columns([outsourcing_model], rows)
    title = outsourcing_model.page_title
    description = outsourcing_model.page_description
    modified = selectors.model_page_last_modified(outsourcing_model, comparison)
    context = {
        "outsourcing_model": outsourcing_model,
        "other_models": [model for model in models if model != outsourcing_model],
        "comparison": comparison,
        "page_title": title,
        "page_description": description,
        "og_type": "article",
        "structured_data": seo.article(request, title, description, modified),
    }
    return render(request, "content/model_detail.html", context)
