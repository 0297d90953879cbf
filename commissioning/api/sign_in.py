"""The API's token endpoint, with django-axes' lockout carried through DRF's request."""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser

from commissioning.api.parsers import DepthLimitedJSONParser


class TokenView(ObtainAuthToken):
    """DRF's token view. DRF hands authenticate() its own Request, so the flag django-axes
    sets on a locked-out attempt lands on that wrapper; copied to Django's request, the axes
    middleware answers 429 as it does for the sign-in page, not a plain 400."""

    # DRF's view names its own parsers; its JSON one has no depth limit.
    parser_classes = (FormParser, MultiPartParser, DepthLimitedJSONParser)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        finally:
            if getattr(request, "axes_locked_out", False):
                request._request.axes_locked_out = True
