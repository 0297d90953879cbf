"""One refusal for every status machine: a lifecycle is its table of allowed next statuses,
and a move outside it answers 409 `illegal_transition` with the same message and details
everywhere, so that a person (and a client) learns where the thing can go from here."""

from collections.abc import Mapping
from typing import NoReturn

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commissioning.errors import Conflict

NONE = _("none")


class Lifecycle:
    """`table` maps each status to the statuses it may move to next; `closed` is what the
    message says where a status has none; `hints` says, per target status, how to get there
    instead."""

    def __init__(
        self,
        statuses: type[TextChoices],
        table: Mapping[str, tuple[str, ...]],
        *,
        closed: Promise = NONE,
        hints: Mapping[str, Promise] | None = None,
    ) -> None:
        self.statuses = statuses
        self.table = table
        self.closed = closed
        self.hints = hints or {}

    def allowed_next(self, status: str) -> list[str]:
        return [str(s) for s in self.table[status]]

    def require(self, current: str, target: str, **details) -> None:
        """Refuse the move from `current` to `target` unless the table allows it; `details`
        adds what a lifecycle tells besides (a contract's allowed moves)."""
        if target not in self.table[current]:
            self.refuse(current, target, **details)

    def refuse(self, current: str, target: str, **details) -> NoReturn:
        labels = dict(self.statuses.choices)
        allowed = self.allowed_next(current)
        next_states = ", ".join(f"{labels[s]} ({s})" for s in allowed) or str(self.closed)
        message = _(
            "This is %(status)s and cannot become %(target)s. It can become: %(allowed)s."
        ) % {
            "status": str(labels[current]).lower(),
            "target": str(labels[target]).lower(),
            "allowed": next_states,
        }
        if target in self.hints:
            message = f"{message} {self.hints[target]}"
        raise Conflict(
            message,
            code="illegal_transition",
            details={"status": current, "requested": target, "allowed": allowed, **details},
        )
