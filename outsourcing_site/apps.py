from django.apps import AppConfig
from django.conf import settings
from django.contrib import admin


class OutsourcingSiteConfig(AppConfig):
    name = "outsourcing_site"
    verbose_name = "Site"

    def ready(self):
        from .signals import connect_page_cache_invalidation

        connect_page_cache_invalidation()
        admin.site.site_header = admin.site.site_title = settings.SITE_NAME
        admin.site.index_title = f"Edit {settings.SITE_NAME}"
