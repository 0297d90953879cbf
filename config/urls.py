"""The root URL conf: the health probes, each app's API routes under /api/v1/, the API schema
and docs, the admin site, and the pages."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import LivenessView, ReadinessView

api = [
    path("", include("commissioning.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("dialogue.api.urls")),
    path("", include("workers.api.urls")),
]

urlpatterns = [
    path("health/live/", LivenessView.as_view(), name="health-live"),
    path("health/ready/", ReadinessView.as_view(), name="health-ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
    path("", include("pages.urls")),
    path("", include("commissioning.web.urls")),
    path("", include("accounts.web.urls")),
    path("", include("dialogue.web.urls")),
]

handler404 = "commissioning.api.errors.json_not_found"
handler500 = "commissioning.api.errors.json_server_error"
