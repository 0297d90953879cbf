"""What signing in shares between the pages (django-allauth's views, see accounts/) and the
API's token endpoint: one message for a wrong password, and django-axes' lockout."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from commissioning.web.acting import SESSION_KEY

# One answer to a wrong password and an unknown user name, on the page and the API's token
# endpoint alike, so that neither tells which user names exist.
NO_SUCH_ACCOUNT = _(
    "That user name and password do not match an account. Check both and try again; "
    "after several failed tries, signing in is paused for a while."
)


def forget_chosen_organisation(sender, request, user, **kwargs):
    """A new session starts with the person's own first organisation, not the last person's
    choice on a shared computer (connected to user_logged_in in CommissioningConfig)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


# django-axes keeps the user name of each failed attempt in a 255-character column.
AXES_USERNAME_LENGTH = 255


def username_for_lockout(request, credentials):
    """The user name django-axes counts failures under: the one tried, cut to the length of
    axes' column. A longer name (no account has one: Django's allow 150) was a 500 on every
    sign-in (issue 15); cut, it is a failed sign-in like any other and is still locked out
    after AXES_FAILURE_LIMIT tries."""
    # allauth passes the user name or the email address it was given; the API passes a
    # user name; the admin site's form posts one.
    if credentials:
        username = credentials.get("username") or credentials.get("email")
    else:
        data = request.data if hasattr(request, "data") else request.POST
        username = data.get("username") or data.get("login")
    if isinstance(username, str):
        return username[:AXES_USERNAME_LENGTH]
    return username


def locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer once the failure limit is reached: a page (or JSON for the API's
    token endpoint) saying why and for how long, with 429 Too Many Requests."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    message = _(
        "Signing in is paused for %(minutes)s minutes after too many failed tries for this "
        "user name from this address. Wait, then try again, or ask an administrator to "
        "reset your password."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from commissioning.api.errors import error_body

        return JsonResponse(error_body("locked_out", message), status=429)
    return render(request, "web/locked_out.html", {"message": message}, status=429)
