from .models import OutsourcingModel


def site_navigation(request):
    """The published models for the main navigation; lazy, so pages that do not show it run no query."""
    return {"navigation_models": OutsourcingModel.objects.published().only("slug", "abbreviation", "name")}
