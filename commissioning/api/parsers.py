"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's JSON decoder and everything after it (the serializers, the error handler) walk a
body recursively, so a small body of a thousand nested arrays raised RecursionError, a 500,
even without signing in (issue 15). No real request nests deeper than a few levels (a
meeting log's actions inside the meeting); MAX_DEPTH is far above that.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64


def too_deep() -> ParseError:
    return ParseError(
        _(
            "The JSON body nests arrays and objects more than %(limit)s levels deep; "
            "send a flatter body."
        )
        % {"limit": MAX_DEPTH},
        code="too_deep",
    )


def depth_exceeds(value, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels in `value`, found with a
    stack of our own rather than by recursion."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The decoder's own guard, deeper than the interpreter allows: far past the limit.
            raise too_deep() from None
        if depth_exceeds(data, MAX_DEPTH):
            raise too_deep()
        return data
