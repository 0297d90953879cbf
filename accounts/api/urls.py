"""The accounts app's API routes.

/auth/token/         POST: a new named API token for a user name and password
/api-tokens/         GET: my API tokens; POST: make one
/api-tokens/{id}/    DELETE: revoke one of mine
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import token_views
from accounts.api.sign_in import TokenView

router = SimpleRouter()
router.register("api-tokens", token_views.ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
