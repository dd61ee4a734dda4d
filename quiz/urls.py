from django.urls import path

from . import views

app_name = "quiz"

urlpatterns = [
    path("", views.quiz_index, name="index"),
    path("attempts/<uuid:public_id>/questions/<int:number>/", views.question, name="question"),
    path("attempts/<uuid:public_id>/results/", views.results, name="results"),
    path("attempts/<uuid:public_id>/practice/", views.practise, name="practise"),
    path("attempts/<uuid:public_id>/review/", views.keep_review, name="keep-review"),
    path("review/<str:token>/", views.review, name="review"),
    path("review/<str:token>/practise/", views.review_practise, name="review-practise"),
    path("review/<str:token>/reminder.ics", views.review_reminder, name="review-reminder"),
    path("review/<str:token>/stop/", views.review_stop, name="review-stop"),
    path("<slug:slug>/", views.quiz_detail, name="detail"),
    path("<slug:slug>/start/", views.start, name="start"),
]
