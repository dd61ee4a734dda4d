from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("which-fits/", views.which_fits, name="which-fits"),
    path("<slug:slug>/", views.model_detail, name="model-detail"),
]
