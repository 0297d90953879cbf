"""The one-click unsubscribe of every notification email (RFC 8058): a signed link that
names the person and the kind, so that following it (or the mail client's POST of
`List-Unsubscribe=One-Click`) turns off that kind of email only, without signing in. The
signature is the authority; it does not expire, as a link in an old email must still work."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"


def token(person_id: int, kind: str) -> str:
    return signing.dumps([person_id, kind], salt=SALT, compress=True)


def read_token(value: str) -> tuple[int, str] | None:
    """(person id, kind) of a genuine token; None for anything else."""
    try:
        person_id, kind = signing.loads(value, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(person_id, int) or not isinstance(kind, str):
        return None
    return person_id, kind


def unsubscribe_url(person_id: int, kind: str) -> str:
    path = reverse("notification-unsubscribe", kwargs={"token": token(person_id, kind)})
    return f"{settings.SITE_URL}{path}"


def settings_url() -> str:
    return f"{settings.SITE_URL}{reverse('profile')}#notifications"


def headers(person_id: int, kind: str) -> dict[str, str]:
    """The List-Unsubscribe pair: the link, and that a POST to it is the one click."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
