"""Domain errors. Services raise them with a message written for the person who sent the
request; `commissioning.api.errors.exception_handler` is the one place that turns them into
the JSON error shape."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request could not be carried out.")

    def __init__(
        self,
        message=None,
        *,
        fields: dict | None = None,
        code: str | None = None,
        details: dict | None = None,
    ):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        # Structured facts a client can act on (the open milestones, the allowed states).
        self.details = details or {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class RuleViolation(DomainError):
    """The request breaks a rule of the domain (a wrong kind of organisation, say)."""

    status = 400
    code = "rule_violation"


class NotFound(DomainError):
    """The object does not exist or the person may not see it: both answer the same."""

    status = 404
    code = "not_found"
    default_message = _("Not found. Check the id, or whether you have access to it.")


class Forbidden(DomainError):
    """The person may see the object but may not do this to it."""

    status = 403
    code = "forbidden"
    default_message = _("You may not do this.")


class Conflict(DomainError):
    """The object's current state does not allow the change."""

    status = 409
    code = "conflict"
