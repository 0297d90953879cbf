"""The logging set-up: plain text by default (`make demo`, the tests), or one JSON object a
line for a machine to read (LOG_FORMAT=json).

Either way django-structlog gives each request an id (commissioning.request_log) that every
log line of the request carries, that the Events it writes store and that travels with the
tasks it starts. With JSON, each request logs one `request_finished` line and each task one
`task_succeeded` (or `task_failed`) line; every other log line (Django's, Celery's, ours) is a
JSON object too, with the request id of the request or task it belongs to."""

import logging
import re

import structlog

FORMATS = ("text", "json")

# The lines a request or task starts with: the line at its end says all they say.
QUIET_START = logging.DEBUG

SHARED_PROCESSORS = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.format_exc_info,
]


# The addresses whose path holds a credential: a trust pulse's link and a calendar feed.
TOKEN_IN_PATH = re.compile(r"(/pulse/|/calendar/)[A-Za-z0-9_-]+")


class MaskTokens(logging.Filter):
    """Django logs every refused request with its path ("Not Found: /pulse/…/", and the
    development server every request): the token in those paths is replaced by <token>."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = TOKEN_IN_PATH.sub(r"\1<token>", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def logging_settings(log_format: str, level: str, eager: bool) -> dict:
    """Django's LOGGING for the format."""
    if log_format == "json":
        formatter = {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            "foreign_pre_chain": [
                structlog.contextvars.merge_contextvars,
                *SHARED_PROCESSORS,
            ],
        }
        structlog_level = level
    else:
        formatter = {"format": "%(message)s"}
        # Text keeps the output it always had: the request and task lines are for machines.
        structlog_level = "CRITICAL"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"mask_tokens": {"()": MaskTokens}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Jobs run in-process (no broker) would log every task's success into the
            # server's output; a worker logs them at its own --loglevel (with JSON, as
            # django-structlog's task_succeeded line instead).
            "celery.app.trace": {"level": "WARNING" if eager or log_format == "json" else "INFO"},
            "django_structlog": {"level": structlog_level},
            "django.request": {"filters": ["mask_tokens"]},
            "django.server": {"filters": ["mask_tokens"]},
        },
    }


def configure_structlog() -> None:
    """structlog hands its events to the standard logging above, which renders them."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
