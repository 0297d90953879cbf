"""The API's token endpoint: a user name (or email address) and a password give a new named
API token. Its own view (not DRF's authtoken, whose one unnamed token per person the product
no longer has), with django-axes' lockout carried through DRF's request.

A person with two-factor authentication is refused here: a password alone would otherwise
be a way round their second factor. They make tokens on their profile page, signed in with
both factors."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.adapters import NO_MEMBERSHIP, may_sign_in
from accounts.api.token_serializers import NewApiTokenSerializer
from accounts.services.tokens import NAME_MAX_LENGTH, create_api_token
from commissioning.api.base import InputSerializer
from commissioning.api.parsers import DepthLimitedJSONParser
from commissioning.api.schema import Error
from commissioning.api.throttling import SignInThrottle
from commissioning.errors import Forbidden, RuleViolation
from commissioning.web.sign_in import NO_SUCH_ACCOUNT

SIGNED_IN_THROUGH_THE_API = _("Signed in through the API")

TWO_FACTOR_REFUSAL = _(
    "Your account has two-factor authentication, so a password alone does not give an API "
    "token. Sign in on the pages and make a token on your profile page, under API tokens."
)


class TokenRequestSerializer(InputSerializer):
    """A user name and a password, refusing fields it does not know like every input, and
    answering a wrong password or an unknown user name as the sign-in page does, not as a
    field to fix."""

    username = serializers.CharField(
        label=_("User name"), help_text=_("Your user name or email address.")
    )
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(
        label=_("Name"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_("Where the token is used; “Signed in through the API” when left out."),
    )

    def validate(self, attrs):
        person = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if person is None:
            raise RuleViolation(NO_SUCH_ACCOUNT, code="invalid_credentials")
        if not may_sign_in(person):
            raise Forbidden(NO_MEMBERSHIP, code="no_membership")
        if is_mfa_enabled(person):
            request = self.context["request"]
            raise Forbidden(
                TWO_FACTOR_REFUSAL,
                code="two_factor_enabled",
                details={"profile": request.build_absolute_uri(reverse("profile"))},
            )
        attrs["person"] = person
        return attrs


class TokenView(APIView):
    """The one public write besides the pulse pages. DRF hands authenticate() its own
    Request, so the flag django-axes sets on a locked-out attempt lands on that wrapper;
    copied to Django's request, the axes middleware answers 429 as it does for the sign-in
    page, not a plain 400."""

    permission_classes = (AllowAny,)
    # A token in the header is not asked for here: a wrong one is no reason to refuse a
    # password.
    authentication_classes = ()
    throttle_classes = (SignInThrottle,)
    parser_classes = (FormParser, MultiPartParser, DepthLimitedJSONParser)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: NewApiTokenSerializer,
            403: OpenApiResponse(
                Error,
                description=(
                    "The person has two-factor authentication (`two_factor_enabled`: make a "
                    "token on the profile page) or no membership left (`no_membership`)."
                ),
            ),
        },
        operation_id="auth_token_create",
    )
    def post(self, request):
        """A new named API token for a user name and password; its secret is in `token`, and
        is shown only this once. Send it as `Authorization: Token …`."""
        try:
            serializer = TokenRequestSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
        finally:
            if getattr(request, "axes_locked_out", False):
                request._request.axes_locked_out = True
        data = serializer.validated_data
        token, secret = create_api_token(
            actor=data["person"], name=data.get("name") or str(SIGNED_IN_THROUGH_THE_API)
        )
        return Response(NewApiTokenSerializer(token, context={"secret": secret}).data)
