"""What the logs know of a request: its id, the person and the organisation they act for.

django-structlog's middleware binds these to the request's log context (structlog context
variables), so every log line of the request carries them, the Events it writes store the
request id (services.events.record_event), and the tasks it starts carry them to the worker,
whose log lines of the task carry them in turn (DJANGO_STRUCTLOG_CELERY_ENABLED).

The request id is the client's X-Request-ID when it is a plausible id (1 to 64 letters,
digits and `. _ : -`), so a proxy's id joins its logs to ours; else a new UUID. The answer
carries it back in X-Request-ID. Only ids are logged: never a name, an email address, a
query string (a search may be a name) or a pulse token (a token in the path is masked)."""

import re
import time
import uuid

import structlog
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, empty
from django_structlog import signals
from django_structlog.celery import signals as task_signals

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
MAX_LENGTH = 64


def request_id_from(header: str | None) -> str:
    if header and REQUEST_ID.fullmatch(header):
        return header
    return str(uuid.uuid4())


def current_request_id() -> str | None:
    """The id of the request (or of the request whose task this is) being served, if any."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return str(request_id)[:MAX_LENGTH] if request_id else None


def note_acting(person, organisation_id: int) -> None:
    """Called where a write's acting organisation is settled (policies.require_acting_for)."""
    structlog.contextvars.bind_contextvars(user_id=person.pk, acting_for_id=organisation_id)


def _resolved_user(request):
    """The request's person if something has already resolved them (a view, DRF's
    authentication), without a session or database lookup of our own: a request answered
    503 for a lost database must not fail in its log line."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user if getattr(user, "is_authenticated", False) else None


def _path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match else None
    if token:
        path = path.replace(str(token), "<token>")
    return path


@receiver(signals.bind_extra_request_metadata, dispatch_uid="commissioning.request_started")
def request_started(request, logger, log_kwargs, **kwargs):
    request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    request.request_id = request_id
    request.log_started = time.monotonic()
    structlog.contextvars.bind_contextvars(request_id=request_id)
    log_kwargs["request"] = f"{request.method} {request.path}"


@receiver(
    signals.bind_extra_request_finished_metadata, dispatch_uid="commissioning.request_finished"
)
def request_finished(request, logger, response, log_kwargs, **kwargs):
    user = _resolved_user(request)
    if user is not None:
        structlog.contextvars.bind_contextvars(user_id=user.pk)
    log_kwargs["request"] = f"{request.method} {_path(request)}"
    started = getattr(request, "log_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
    _answer_with_id(request, response)


@receiver(signals.update_failure_response, dispatch_uid="commissioning.request_failed")
def request_failed(request, response, logger, exception, **kwargs):
    _answer_with_id(request, response)


@receiver(
    signals.bind_extra_request_failed_metadata, dispatch_uid="commissioning.request_failed_log"
)
def request_failed_log(request, logger, exception, log_kwargs, **kwargs):
    log_kwargs["request"] = f"{request.method} {_path(request)}"
    started = getattr(request, "log_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic() - started) * 1000, 1)


@receiver(task_signals.bind_extra_task_metadata, dispatch_uid="commissioning.task_started")
def task_started(sender, task=None, logger=None, **kwargs):
    """A task's log lines (its task_succeeded or task_failed line too) name the task."""
    structlog.contextvars.bind_contextvars(task=task.name)


def _answer_with_id(request, response) -> None:
    request_id = getattr(request, "request_id", None)
    if request_id:
        response[REQUEST_ID_HEADER] = request_id
