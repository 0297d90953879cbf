from django.urls import include, path
from rest_framework.routers import SimpleRouter

from commissioning.api import views
from commissioning.api.sign_in import TokenView

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("memberships/me/", views.MyMembershipsView.as_view(), name="memberships-me"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
    path("", include("commissioning.api.milestone_urls")),
    path("", include("contracts.api.urls")),
    path("", include("contracts.api.rulebook_urls")),
    path("", include("dialogue.api.urls")),
    path("", include("dialogue.api.relationship_urls")),
    path("", include("dialogue.api.consultation_urls")),
    path("", include("dialogue.api.response_urls")),
    path("", include("workers.api.document_urls")),
    path("", include("workers.api.pulse_urls")),
]
