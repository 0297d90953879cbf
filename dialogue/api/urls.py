from rest_framework.routers import SimpleRouter

from dialogue.api import views

router = SimpleRouter()
router.register("arenas", views.ArenaViewSet, basename="arena")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("action-items", views.ActionItemViewSet, basename="action-item")

urlpatterns = [*router.urls]
