"""The project's URLs plus the trust pulse pages and API, until the root URL conf includes
them (commissioning/urls.py is not this part's file)."""

from django.urls import include, path

from commissioning.urls import handler404, handler500
from commissioning.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/", include("workers.api.pulse_urls")),
    path("", include("workers.urls")),
    *project_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
