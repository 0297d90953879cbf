"""The root URL conf: the health probes, each app's API routes under /api/v1/, the API schema
and docs, the admin site, and the pages."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import LivenessView, ReadinessView

api = [
    path("", include("commissioning.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("dialogue.api.urls")),
    path("", include("workers.api.urls")),
    path("", include("notifications.api.urls")),
]

# One door in: the sign-in page (django-allauth's, which asks for the two-factor code). The
# admin site's and the browsable API's own sign-in pages were Django's LoginView, where a
# password alone opened a session for every page.
admin.site.login = secure_admin_login(admin.site.login)
browsable_api_sign_in = (
    [
        path(
            "login/", RedirectView.as_view(pattern_name="sign-in", query_string=True), name="login"
        ),
        path(
            "logout/",
            RedirectView.as_view(pattern_name="sign-out", query_string=True),
            name="logout",
        ),
    ],
    "rest_framework",
)

urlpatterns = [
    path("health/live/", LivenessView.as_view(), name="health-live"),
    path("health/ready/", ReadinessView.as_view(), name="health-ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include(browsable_api_sign_in)),
    path("", include("pages.urls")),
    path("", include("commissioning.web.urls")),
    path("", include("accounts.web.urls")),
    path("", include("dialogue.web.urls")),
    path("", include("contracts.web.urls")),
    path("", include("notifications.web.urls")),
    path("", include("contracts.web.file_urls")),
]

handler404 = "commissioning.api.errors.json_not_found"
handler500 = "commissioning.api.errors.json_server_error"
