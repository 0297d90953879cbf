"""The API's token endpoint, with django-axes' lockout carried through DRF's request."""

from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from commissioning.api.base import InputSerializer


class TokenInputSerializer(InputSerializer, AuthTokenSerializer):
    """DRF's user name and password, refusing fields it does not know like every input."""


class TokenView(ObtainAuthToken):
    """DRF's token view. DRF hands authenticate() its own Request, so the flag django-axes
    sets on a locked-out attempt lands on that wrapper; copied to Django's request, the axes
    middleware answers 429 as it does for the sign-in page, not a plain 400."""

    serializer_class = TokenInputSerializer

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        finally:
            if getattr(request, "axes_locked_out", False):
                request._request.axes_locked_out = True
