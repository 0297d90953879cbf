"""The API's token authentication: `Authorization: Token <secret>`, looked up by the secret's
SHA-256 (accounts.models.ApiToken keeps nothing else of it).

A token speaks for its person only while that person may sign in: an inactive account, or
one whose last membership has ended, is refused at once, whatever tokens it made (issue 16:
"tokens of an ended membership stop working at once")."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.adapters import NO_MEMBERSHIP, may_sign_in
from accounts.models import ApiToken, token_digest

# A token used every second would otherwise write its row every second: its last use is
# kept to the minute, which is what a person reading the list needs.
LAST_USED_PRECISION = timedelta(minutes=1)

INVALID_TOKEN = _("This API token is not valid: it may have been revoked. Make a new one.")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("person").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        person = token.person
        if not person.is_active or not may_sign_in(person):
            # The same answer as MembersOnly gives a session of such a person.
            raise exceptions.AuthenticationFailed(NO_MEMBERSHIP, code="no_membership")
        note_use(token)
        return person, token


def note_use(token: ApiToken) -> None:
    """Stamp the token's last use, at most once a minute: no query while the last use read
    with the token is that recent, else one conditional UPDATE, so that concurrent requests
    with the same token write it once."""
    now = timezone.now()
    if token.last_used_at is not None and token.last_used_at >= now - LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION),
        pk=token.pk,
    ).update(last_used_at=now)
