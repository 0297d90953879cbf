"""The one-click unsubscribe behind every notification email (RFC 8058), with no sign-in:
the signed token in the address names the person and the kind.

- GET shows what the button will do, so that a mail scanner following the link unsubscribes
  nobody;
- POST turns that kind of email off: the page's button, or the mail client's own POST of
  `List-Unsubscribe=One-Click`, which carries no cookie and no CSRF token (hence exempt: the
  signature is the authority, and the change only ever reduces email).

In the person's language, never cached, no Referer. An altered token answers 404."""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from commissioning.api.throttling import PulsePageThrottle, throttled_page
from commissioning.languages import language_of
from commissioning.web.token_pages import token_page
from notifications import unsubscribe as tokens
from notifications.kinds import KINDS, Delivery
from notifications.selectors import deliveries
from notifications.services.preferences import set_delivery


def _page(request, context, *, status=200, language=None):
    return token_page(
        request, "notifications/web/unsubscribe.html", context, status=status, language=language
    )


@never_cache
@throttled_page(PulsePageThrottle)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = tokens.read_token(token)
    person = None
    if found is not None and found[1] in KINDS:
        person = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if person is None:
        return _page(request, {"unknown": True}, status=404)
    kind = KINDS[found[1]]
    language = language_of(person)
    with translation.override(language):
        done = False
        if request.method == "POST" and not kind.required:
            set_delivery(person=person, kind=kind.code, delivery=Delivery.OFF)
            done = True
        current = deliveries([person.pk], kind.code)[person.pk]
        return _page(
            request,
            {
                "kind": kind,
                "done": done,
                "already_off": current == Delivery.OFF and not done,
                "settings_url": tokens.settings_url(),
                "language": language,
            },
            language=language,
        )
