from django.urls import path
from rest_framework.routers import SimpleRouter

from commissioning.api import milestone_views

router = SimpleRouter()
router.register(
    "milestone-templates", milestone_views.MilestoneTemplateViewSet, basename="milestone-template"
)
router.register("milestones", milestone_views.MilestoneViewSet, basename="milestone")

urlpatterns = [
    # Programme routes of this part live here, beside the programme viewset's own routes.
    path(
        "programmes/<int:pk>/apply-template/",
        milestone_views.ApplyTemplateView.as_view(),
        name="programme-apply-template",
    ),
    path(
        "programmes/<int:pk>/ocds/",
        milestone_views.ProgrammeOcdsView.as_view(),
        name="programme-ocds",
    ),
    *router.urls,
]
