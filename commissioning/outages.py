"""A process's view of a service it can do without for a while (the shared cache, the
broker): after a failure the service is left alone for RETRY_SECONDS, so that an outage
costs one failed attempt (at most a socket timeout) every few seconds rather than one per
request, and it is logged as a warning at most once a minute, with a count of what was done
without it meanwhile."""

import logging
import threading
import time


class Outage:
    RETRY_SECONDS = 5.0
    WARN_EVERY_SECONDS = 60.0

    def __init__(self, service: str, meanwhile: str, logger: logging.Logger):
        self.service = service
        self.meanwhile = meanwhile
        self.logger = logger
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.down_until = 0.0
        self.last_warning = float("-inf")
        self.fallbacks = 0  # since the process started
        self.since_warning = 0

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + self.RETRY_SECONDS
            warn = now - self.last_warning >= self.WARN_EVERY_SECONDS
            if warn:
                self.last_warning = now
                since, self.since_warning = self.since_warning, 0
        if warn:
            self.logger.warning(
                "The %s cannot be reached (%s: %s); %s (%s times so far, %s since the last "
                "warning).",
                self.service,
                type(error).__name__,
                error,
                self.meanwhile,
                self.fallbacks,
                since,
            )

    def done_without(self) -> None:
        with self.lock:
            self.fallbacks += 1
            self.since_warning += 1
