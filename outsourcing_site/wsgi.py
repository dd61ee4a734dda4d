import os

from django.core.wsgi import get_wsgi_application

from outsourcing_site.request_bodies import RequestBodyGuard

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing_site.settings")

application = RequestBodyGuard(get_wsgi_application())
