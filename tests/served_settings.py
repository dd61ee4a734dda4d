"""The site's settings for a gunicorn test server: static files from their source folders, no collectstatic."""

from outsourcing_site.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
