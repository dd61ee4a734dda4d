from django.http import Http404
from django.shortcuts import render

from . import selectors

HOME_TITLE = "BPO vs KPO: the difference explained"


def home(request):
    context = selectors.explainer_for(request.user)
    introduction = context["sections"].get("introduction")
    context.update(
        page_title=HOME_TITLE,
        page_description=introduction.meta_description if introduction else "",
        og_type="article",
        modified=selectors.explainer_last_modified(context),
    )
    return render(request, "content/home.html", context)


def model_detail(request, slug):
    models = selectors.outsourcing_models_for(request.user)
    outsourcing_model = next((model for model in models if model.slug == slug), None)
    if outsourcing_model is None:
        raise Http404("There is no outsourcing model at this address.")
    rows = selectors.comparison_rows(request.user, [outsourcing_model])
    [(_, comparison)] = selectors.comparison_columns([outsourcing_model], rows)
    context = {
        "outsourcing_model": outsourcing_model,
        "other_models": [model for model in models if model != outsourcing_model],
        "comparison": comparison,
        "page_title": outsourcing_model.page_title,
        "page_description": outsourcing_model.page_description,
        "og_type": "article",
        "modified": selectors.model_page_last_modified(outsourcing_model, comparison),
    }
    return render(request, "content/model_detail.html", context)
