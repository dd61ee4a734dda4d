from django.apps import AppConfig


class OutsourcingSiteConfig(AppConfig):
    name = "outsourcing_site"
    verbose_name = "Site"

    def ready(self):
        from .signals import connect_page_cache_invalidation

        connect_page_cache_invalidation()
