"""The admin site: the site's name in its header and title, and on its index what readers do with the quiz."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from quiz import selectors
from quiz.models import Quiz

DASHBOARD_DAYS = 30


class EditorsAdminSite(admin.AdminSite):
    index_template = "admin/index_with_dashboard.html"
    # The breadcrumbs and the index lead everywhere; without the sidebar a list's columns fit a 1280 px window.
    enable_nav_sidebar = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_header = self.site_title = settings.SITE_NAME
        self.index_title = f"Edit {settings.SITE_NAME}"

    def index(self, request, extra_context=None):
        context = {**(extra_context or {})}
        if request.user.has_perm("quiz.view_question"):
            context["dashboard"] = editors_dashboard()
        return super().index(request, context)


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def editors_dashboard():
    """Attempts and pass rates, the questions missed most and the parts of the explainer they send readers to."""
    now = timezone.now()
    since = now - timedelta(days=DASHBOARD_DAYS)
    missed_questions = [
        {
            "row": row,
            "change_url": change_url(row.question),
            "target": row.question.learn_more,
            "target_kind": row.question.learn_more_kind,
            "target_change_url": change_url(row.question.learn_more) if row.question.learn_more else "",
        }
        for row in selectors.most_missed_questions(since)
    ]
    missed_targets = [
        {"row": row, "change_url": change_url(row.target), "page_url": row.kind.url(row.target)}
        for row in selectors.most_missed_targets(since)
    ]
    analyses = [
        (quiz, reverse("admin:quiz_quiz_analysis", args=[quiz.pk])) for quiz in Quiz.objects.only("pk", "title")
    ]
    return {
        "days": DASHBOARD_DAYS,
        "windows": selectors.attempts_in_windows(now),
        "missed_questions": missed_questions,
        "missed_targets": missed_targets,
        "analyses": analyses,
    }
