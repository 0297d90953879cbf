"""The core's API routes: organisations, memberships, programmes, events, milestones.

/programmes/{id}/apply-template/   POST: the milestones of a framework's template
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from commissioning.api import milestone_views, views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("events", views.EventViewSet, basename="event")
router.register(
    "milestone-templates", milestone_views.MilestoneTemplateViewSet, basename="milestone-template"
)
router.register("milestones", milestone_views.MilestoneViewSet, basename="milestone")

urlpatterns = [
    path("memberships/me/", views.MyMembershipsView.as_view(), name="memberships-me"),
    path(
        "programmes/<int:pk>/apply-template/",
        milestone_views.ApplyTemplateView.as_view(),
        name="programme-apply-template",
    ),
    *router.urls,
]
