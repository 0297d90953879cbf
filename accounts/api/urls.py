"""The accounts app's API routes, one router.

/invitations/                    list (?organisation, ?role, ?status); POST invites
/invitations/{id}/               read
/invitations/{id}/resend/        POST: a new email and link, the days start again
/invitations/{id}/revoke/        POST: the link stops working
/memberships/                    list (?organisation, ?role) of the organisations
                                 whose people you look after
/memberships/{id}/               read; DELETE ends it
"""

from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("memberships", views.MembershipViewSet, basename="membership")

urlpatterns = router.urls
