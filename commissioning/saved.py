"""Whether the request being served has committed a change yet.

A database lost after the commit but before the answer was read back (the serializer's
queries, the session's save) fails the request as a lost database does before it: the 503
must then say the change was saved, or a person or a client sends it again and it is written
twice (issue 15). Every change writes an Event (services.events.record_event), which notes
here when its transaction commits; DatabaseUnavailableMiddleware starts each request afresh.
"""

from contextvars import ContextVar, Token

_saved: ContextVar[bool] = ContextVar("commissioning_change_saved", default=False)


def begin_request() -> Token:
    return _saved.set(False)


def end_request(token: Token) -> None:
    _saved.reset(token)


def note_saved() -> None:
    """Called after the commit of a transaction that recorded an Event."""
    _saved.set(True)


def change_saved() -> bool:
    return _saved.get()
