from django.urls import path

from . import views

app_name = "quiz"

urlpatterns = [
    path("", views.quiz_index, name="index"),
    path("attempts/<uuid:public_id>/questions/<int:number>/", views.question, name="question"),
    path("attempts/<uuid:public_id>/results/", views.results, name="results"),
    path("attempts/<uuid:public_id>/practice/", views.practise, name="practise"),
    path("<slug:slug>/", views.quiz_detail, name="detail"),
    path("<slug:slug>/start/", views.start, name="start"),
]
