from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OutsourcingSiteConfig(AppConfig):
    name = "outsourcing_site"
    verbose_name = "Site"

    def ready(self):
        from .signals import connect_page_cache_invalidation

        connect_page_cache_invalidation()


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site's own admin site (outsourcing_site.admin_site) as ``admin.site``."""

    default = False

    default_site = "outsourcing_site.admin_site.EditorsAdminSite"
