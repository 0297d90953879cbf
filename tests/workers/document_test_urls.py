"""The project's URLs plus the document API, until the lead includes workers.api.document_urls
in commissioning/api/urls.py."""

from django.urls import include, path

from commissioning.urls import urlpatterns as project

urlpatterns = [path("api/v1/", include("workers.api.document_urls")), *project]
