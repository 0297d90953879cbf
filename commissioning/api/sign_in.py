"""The API's token endpoint, with django-axes' lockout carried through DRF's request."""

from django.contrib.auth import authenticate
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser

from commissioning.api.base import InputSerializer
from commissioning.api.parsers import DepthLimitedJSONParser
from commissioning.api.throttling import SignInThrottle
from commissioning.errors import RuleViolation
from commissioning.web.sign_in import NO_SUCH_ACCOUNT


class TokenRequestSerializer(InputSerializer, AuthTokenSerializer):
    """DRF's user name and password, refusing fields it does not know like every input, and
    answering a wrong password or an unknown user name as the sign-in page does,
    not as a field to fix ("The request has invalid fields… non_field_errors: Unable to log
    in with provided credentials.")."""

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise RuleViolation(NO_SUCH_ACCOUNT, code="invalid_credentials")
        attrs["user"] = user
        return attrs


class TokenView(ObtainAuthToken):
    """DRF's token view. DRF hands authenticate() its own Request, so the flag django-axes
    sets on a locked-out attempt lands on that wrapper; copied to Django's request, the axes
    middleware answers 429 as it does for the sign-in page, not a plain 400."""

    serializer_class = TokenRequestSerializer
    # DRF's view has none; the write throttles count only signed-in people and anonymous
    # writes at their own, higher rate.
    throttle_classes = (SignInThrottle,)
    # DRF's view names its own parsers; its JSON one has no depth limit.
    parser_classes = (FormParser, MultiPartParser, DepthLimitedJSONParser)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        finally:
            if getattr(request, "axes_locked_out", False):
                request._request.axes_locked_out = True
