import os

from django.core.wsgi import get_wsgi_application

from config.server import settle_memory, warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
warm_up()
settle_memory()
