import os

from django.core.wsgi import get_wsgi_application

from commissioning.server import settle_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

application = get_wsgi_application()
settle_memory()
