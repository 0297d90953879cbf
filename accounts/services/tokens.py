"""Writes of a person's API tokens: making a named one (its secret shown once) and revoking
one. Only the secret's SHA-256 is stored, and neither the secret nor its digest goes into the
audit trail: an Event says which token was made or revoked, by its name and first letters."""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ApiToken, token_digest
from commissioning.errors import NotFound, RuleViolation
from commissioning.services.events import record_event, snapshot

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
PREFIX_LENGTH = ApiToken._meta.get_field("prefix").max_length


def _token_state(token: ApiToken) -> dict:
    # The digest is derived from the credential: it never goes into the audit trail.
    return snapshot(token, extra={"digest": "(secret)"})


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise RuleViolation(
            _("Give the token a name that says where it is used, e.g. “Reporting script”."),
            fields={"name": [_("Name the token.")]},
            code="token_name_missing",
        )
    if len(name) > NAME_MAX_LENGTH:
        limit = {"count": NAME_MAX_LENGTH}
        raise RuleViolation(
            _("A token's name has at most %(count)d characters.") % limit,
            fields={"name": [_("Shorten the name to %(count)d characters.") % limit]},
            code="token_name_too_long",
        )
    return name


@transaction.atomic
def create_api_token(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token of the actor's. Returns the token and its secret: the only time the secret
    exists outside the client that receives it."""
    name = _clean_name(name)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=actor, name=name, digest=token_digest(secret), prefix=secret[:PREFIX_LENGTH]
    )
    # A token is personal, not a purchaser's data: the Event carries no purchaser.
    record_event(
        actor=actor,
        acting_for=None,
        verb="api_token.created",
        subject=token,
        after=_token_state(token),
        purchaser=None,
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor, token_id: int | str) -> None:
    """Delete one of the actor's tokens: the next request with it answers 401. Someone else's
    token answers as one that does not exist."""
    try:
        token = ApiToken.objects.select_for_update().filter(person=actor, pk=int(token_id)).first()
    except (TypeError, ValueError):
        token = None
    if token is None:
        raise NotFound(_("There is no such API token of yours; it may be revoked already."))
    record_event(
        actor=actor,
        acting_for=None,
        verb="api_token.revoked",
        subject=token,
        before=_token_state(token),
        purchaser=None,
    )
    token.delete()
