from rest_framework.routers import SimpleRouter

from contracts.api import views

router = SimpleRouter()
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("obligations", views.ObligationViewSet, basename="obligation")

urlpatterns = [*router.urls]
