"""Routes of the calendar, concerns, relationship health and equal treatment. Included after
dialogue.api.urls; the explicit paths below are more specific than that router's routes
(meetings/<pk>/ics/ is not a route of a meeting viewset unless it defines an `ics` action)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from dialogue.api import relationship_views as views

router = SimpleRouter()
router.register("concerns", views.ConcernViewSet, basename="concern")

urlpatterns = [
    path("meetings/<int:pk>/ics/", views.MeetingCalendarView.as_view(), name="meeting-ics"),
    path("calendar/feed/", views.MyCalendarFeedView.as_view(), name="calendar-feed"),
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$",
        views.PersonalFeedView.as_view(),
        name="calendar-feed-ics",
    ),
    path("relationships/", views.RelationshipListView.as_view(), name="relationship-list"),
    path(
        "programmes/<int:pk>/equal-treatment/",
        views.ProgrammeEqualTreatmentView.as_view(),
        name="programme-equal-treatment",
    ),
    path(
        "arenas/<int:pk>/equal-treatment/",
        views.ArenaEqualTreatmentView.as_view(),
        name="arena-equal-treatment",
    ),
    *router.urls,
]
