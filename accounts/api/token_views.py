"""Thin views of the signed-in person's own API tokens: list them (name, first letters,
made, last used), make one (its secret in the answer, once) and revoke one (the next
request with it answers 401). Nobody sees or revokes another person's tokens: theirs
answer 404, as if they did not exist."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.api.token_serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    NewApiTokenSerializer,
)
from accounts.selectors.tokens import tokens_of
from accounts.services.tokens import create_api_token, revoke_api_token
from commissioning.policies import Writers


class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My API tokens. A token is personal: it acts as me, for every organisation I belong
    to, and stops working when I have no membership left."""

    # A person's own things, like their calendar feed: every role makes and revokes its own.
    writers = Writers.ANYONE
    lookup_value_regex = "[0-9]+"
    serializer_class = ApiTokenSerializer
    ordering_fields = ["created_at", "last_used_at", "name", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return tokens_of(person=self.request.user)

    @extend_schema(
        request=ApiTokenCreateSerializer,
        responses={201: NewApiTokenSerializer},
        operation_id="api_tokens_create",
    )
    def create(self, request):
        """Make a named token. Its secret is in `token`, shown only in this answer."""
        serializer = ApiTokenCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, secret = create_api_token(actor=request.user, name=serializer.validated_data["name"])
        return Response(
            NewApiTokenSerializer(token, context={"secret": secret}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None}, operation_id="api_tokens_revoke")
    def destroy(self, request, pk=None):
        """Revoke a token of mine: the next request with it answers 401."""
        revoke_api_token(actor=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
