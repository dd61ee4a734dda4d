from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from content import editor

from . import media, views
from .sitemaps import ExplainerSitemap, GuideSitemap, QuizSitemap

sitemaps = {"explainer": ExplainerSitemap, "guide": GuideSitemap, "quiz": QuizSitemap}

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("markdownx/markdownify/", editor.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.image_upload, name="markdownx_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("quiz/", include("quiz.urls")),
    path("", include("content.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media.media_file, name="media"))
