"""The one place that turns errors into the JSON error shape of every 4xx:

    {"error": {"code": "...", "message": "...", "fields": {...}, "details": {...}}}

`message` says in words what was wrong and what to do; `fields` maps each invalid field to
its problems, when there are any; `details` carries structured facts for a client (the
open milestones that block a decision, the states a contract may move to).

Two answers are not 4xx but have the same shape: 503 when the database connection was lost
during the request (nothing was saved; Retry-After), and 429 when a throttle refuses.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found, server_error
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from commissioning.errors import DomainError
from commissioning.saved import change_saved

logger = logging.getLogger(__name__)


def error_body(code: str, message, fields: dict | None = None, details=None) -> dict:
    body = {"code": code, "message": force_str(message)}
    if fields:
        body["fields"] = _plain(fields)
    if details:
        body["details"] = details
    return {"error": body}


def _plain(detail):
    if isinstance(detail, dict):
        return {str(k): _plain(v) for k, v in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(v) for v in detail]
    return force_str(detail)


def _first_problem(fields, path=""):
    if isinstance(fields, dict):
        for key, value in fields.items():
            found = _first_problem(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(fields, list):
        for index, value in enumerate(fields):
            nested = isinstance(value, dict | list)
            found = _first_problem(value, f"{path}[{index}]" if nested else path)
            if found:
                return found
    elif fields:
        return f"{path}: {force_str(fields)}" if path else force_str(fields)
    return None


def _indexed_as_lists(detail):
    """DRF reports the errors of a list as {index: errors}; written as a list (with {} for
    the items without problems) the path reads actions[2].due_date, and a client can zip it
    with what it sent."""
    if isinstance(detail, dict):
        if detail and all(isinstance(key, int) for key in detail):
            return [_indexed_as_lists(detail.get(i, {})) for i in range(max(detail) + 1)]
        return {key: _indexed_as_lists(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_indexed_as_lists(value) for value in detail]
    return detail


def _validation_response(detail) -> Response:
    detail = _indexed_as_lists(detail)
    if not isinstance(detail, dict):
        detail = {"non_field_errors": detail if isinstance(detail, list) else [detail]}
    problem = _first_problem(detail)
    message = _(
        "The request has invalid fields; fix them and send it again. First: %(problem)s"
    ) % {"problem": problem}
    return Response(error_body("invalid", message, detail), status=400)


# A connection the server dropped (restart, failover, pg_terminate_backend) or could not
# give: the transaction was rolled back with it, so the request can simply be sent again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER_SECONDS = 5


def drop_lost_connections() -> None:
    """Close the connections the server dropped, so that the next query (the session saved
    at the end of this request, or the next request) connects again instead of failing on
    the dead one. A connection that still works is kept."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def database_unavailable_message() -> str:
    return _(
        "The service could not reach its database, so nothing was saved. Try again in a moment."
    )


def saved_unconfirmed_message() -> str:
    return _(
        "Your change was saved, but the service lost its database before it could answer. "
        "Do not send it again: reload in a moment to see it."
    )


def _database_lost(request, exc) -> tuple[str, str, dict]:
    """Log and close the dead connection; the 503's code, message and headers. Lost before
    the commit: nothing was saved, try again (Retry-After). Lost after it: the change was
    saved, and sending it again would write it twice (no Retry-After)."""
    logger.warning("Database unavailable during %s %s: %s", request.method, request.path, exc)
    drop_lost_connections()
    if change_saved():
        return "saved_unconfirmed", saved_unconfirmed_message(), {}
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
    return "service_unavailable", database_unavailable_message(), headers


def database_unavailable(request, exc) -> HttpResponse:
    """503 for a lost database connection outside DRF's views (the middleware): JSON under
    /api/, a page elsewhere."""
    code, message, headers = _database_lost(request, exc)
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=503, headers=headers)
    return plain_error_page(_("Briefly unavailable"), message, status=503, headers=headers)


def plain_error_page(title, message, *, status: int, headers: dict | None = None):
    """A page that needs nothing but the template: no database, no signed-in person (it
    answers when the database is gone, or before a request is let in)."""
    html = render_to_string(
        "plain_error.html", {"title": title, "message": message, "language": get_language()}
    )
    return HttpResponse(html, status=status, headers=headers)


def throttled_message(wait) -> str:
    seconds = max(1, int(wait or 1))
    return _("Too many requests in a short time. Wait %(seconds)s seconds, then try again.") % {
        "seconds": seconds
    }


def exception_handler(exc, context):
    if isinstance(exc, DATABASE_UNAVAILABLE):
        code, message, headers = _database_lost(context["request"], exc)
        return Response(error_body(code, message), status=503, headers=headers)
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(
            error_body(exc.code, exc.message, exc.fields, exc.details), status=exc.status
        )
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _validation_response(detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django answer 500 and log it
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        return Response(
            error_body("throttled", throttled_message(exc.wait)), status=429, headers=headers
        )
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "error"
    return Response(error_body(code, exc.detail), status=exc.status_code, headers=headers)


def json_not_found(request, exception=None):
    """Django's 404 for URLs that match no route: in the API's shape under /api/."""
    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    return JsonResponse(
        error_body("not_found", _("There is nothing at this address. See /api/docs/.")),
        status=404,
    )


def json_server_error(request):
    if not request.path.startswith("/api/"):
        return server_error(request)
    return JsonResponse(
        error_body(
            "server_error",
            _("Something went wrong on our side. The request was not carried out; try again."),
        ),
        status=500,
    )
