from django.http import Http404
from django.shortcuts import render

from . import selectors
from .caching import cached_for_anonymous_readers


@cached_for_anonymous_readers
def home(request):
    return render(request, "content/home.html", selectors.explainer_for(request.user))


@cached_for_anonymous_readers
def model_detail(request, slug):
    models = selectors.outsourcing_models_for(request.user)
    outsourcing_model = next((model for model in models if model.slug == slug), None)
    if outsourcing_model is None:
        raise Http404("There is no outsourcing model at this address.")
    rows = selectors.comparison_rows(request.user, [outsourcing_model])
    context = {
        "outsourcing_model": outsourcing_model,
        "other_models": [model for model in models if model != outsourcing_model],
        "comparison": [(row.dimension, row.cells[0][1]) for row in rows],
    }
    return render(request, "content/model_detail.html", context)
