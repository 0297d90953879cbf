"""The accounts app's API routes, one router.

/auth/token/                     POST: a new named API token for a user name and password
/api-tokens/                     GET: my API tokens; POST: make one
/api-tokens/{id}/                DELETE: revoke one of mine
/invitations/                    list (?organisation, ?role, ?status); POST invites
/invitations/{id}/               read
/invitations/{id}/resend/        POST: a new email and link, the days start again
/invitations/{id}/revoke/        POST: the link stops working
/memberships/                    list (?organisation, ?role) of the organisations
                                 whose people you look after
/memberships/{id}/               read; DELETE ends it
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import token_views, views
from accounts.api.sign_in import TokenView

router = SimpleRouter()
router.register("api-tokens", token_views.ApiTokenViewSet, basename="api-token")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("memberships", views.MembershipViewSet, basename="membership")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
