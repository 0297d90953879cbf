"""How each kind of notification is written: the model its notices are about, the email's
template pair (`{template}.txt`, `{template}.html`, `{template}_subject.txt`, extending
notifications/email/base), the context the templates get, the organisation that speaks (the
sender's name) and any attachment (a meeting's calendar entry). The occasions register a
writer with `@writes(kind, ...)` on their context function, in the module that notifies
(notifications.occasions.*); the subject line is also the notice's title in the in-app list.

A context function is `def context(subject, notice) -> dict`: `notice.person`,
`notice.organisation` and `notice.language` are set; it must not show the person anything
their organisation may not see (the occasions choose recipients by the same policy)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.db.models import Model

from notifications.kinds import KINDS

Context = Callable[[Model, "object"], dict]


@dataclass(frozen=True)
class Writer:
    kind: str
    model: type[Model]
    template: str
    context: Context
    sender: Callable[[Model], str | None]
    attach: Callable[[EmailMultiAlternatives, Model, "object"], None] | None = None
    select_related: tuple[str, ...] = field(default_factory=tuple)

    def load(self, ids) -> dict[str, Model]:
        """The subjects of these ids (as stored on notices: strings), those still there. The
        base manager: a notice may be about a row a default manager hides from lists (a
        network's draft comment, asked of its members)."""
        rows = self.model._base_manager.select_related(*self.select_related).filter(pk__in=ids)
        return {str(row.pk): row for row in rows}


WRITERS: dict[str, Writer] = {}


def writes(
    kind: str,
    *,
    model: type[Model],
    template: str,
    sender: Callable[[Model], str | None],
    attach=None,
    select_related: tuple[str, ...] = (),
) -> Callable[[Context], Context]:
    """Register the decorated context function as the writer of `kind`."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of notifications.kinds.KINDS")

    def register(context: Context) -> Context:
        WRITERS[kind] = Writer(
            kind=kind,
            model=model,
            template=template,
            context=context,
            sender=sender,
            attach=attach,
            select_related=tuple(select_related),
        )
        return context

    return register


def writer_of(kind: str) -> Writer:
    return WRITERS[kind]
