"""The page an invitation's link opens, /invitations/<signed>/, without signing in.

- A pending invitation to someone new: their name and a password (the installation's
  password validators), then they are signed in on their home page, acting for the
  organisation they joined. Single sign-on is offered when an identity provider is set up.
- To someone who has an account with that address: they sign in (the sign-in page brings
  them back here), and join with one button.
- Revoked, expired, used, or replaced by a newer email: 410 Gone with a page that says what
  happened and whom to ask; a link nobody here signed: 404.

The page speaks the invitation's language (the email's), unless the visitor chose another
with the language switch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import links
from accounts.emails import invitation_language, recipient
from accounts.models import Invitation
from accounts.selectors.memberships import admins_of
from accounts.services import invitations as services
from accounts.web.forms import JoinForm
from commissioning import mail
from commissioning.errors import DomainError
from commissioning.models import Membership
from commissioning.web.acting import SESSION_KEY as ACTING_FOR_KEY
from commissioning.web.forms import show_refusal

Status = Invitation.Status
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _language(request, invitation: Invitation) -> str:
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return translation.get_language()
    return invitation_language(invitation, recipient(invitation))


def whom_to_ask(invitation: Invitation) -> str:
    """The person who sent the invitation (and for whom), else the organisation's admins."""
    inviter = invitation.invited_by
    if inviter is not None and Membership.objects.filter(person=inviter).exists():
        where = invitation.invited_for or invitation.organisation
        return f"{mail.person_name(inviter)} ({where.name})"
    names = [mail.person_name(m.person) for m in admins_of(invitation.organisation)]
    return ", ".join(names) or _("the administrator of the service")


def _closed(opened: links.OpenedLink) -> tuple[str, str] | None:
    """(title, what happened) of a link that no longer opens its invitation."""
    invitation = opened.invitation
    ask = whom_to_ask(invitation)
    if invitation.accepted_at is not None:
        return _("Invitation already used"), _(
            "This invitation was accepted on %(date)s and works only once. Sign in with the "
            "account it made; if you cannot, ask %(whom)s."
        ) % {"date": services.display_date(invitation.accepted_at), "whom": ask}
    if invitation.revoked_at is not None:
        return _("Invitation withdrawn"), _(
            "This invitation was withdrawn on %(date)s. If you should still join "
            "%(organisation)s, ask %(whom)s to invite you again."
        ) % {
            "date": services.display_date(invitation.revoked_at),
            "organisation": invitation.organisation.name,
            "whom": ask,
        }
    if not opened.latest:
        return _("Invitation replaced"), _(
            "A newer email replaced this invitation, and only its link works. Use the link in "
            "the latest email, or ask %(whom)s to send it again."
        ) % {"whom": ask}
    if invitation.status == Status.EXPIRED:
        return _("Invitation expired"), _(
            "This invitation expired on %(date)s. Ask %(whom)s to send it again."
        ) % {"date": services.display_date(invitation.expires_at), "whom": ask}
    return None


@require_http_methods(["GET", "POST"])
def invitation_page(request, token: str):
    opened = links.open_link(token)
    if opened is None:
        return render(
            request,
            "accounts/web/invitation_closed.html",
            {
                "title": _("Invitation not found"),
                "message": _(
                    "This invitation link is not valid. Check that you opened the whole link "
                    "from the email; if it still does not work, ask whoever invited you to "
                    "send it again."
                ),
            },
            status=404,
        )
    language = _language(request, opened.invitation)
    with translation.override(language):
        response = _answer(request, opened, token)
    response.headers["Content-Language"] = language
    return response


def _answer(request, opened: links.OpenedLink, token: str):
    invitation = opened.invitation
    if invitation.accepted_by_id is not None and invitation.accepted_by_id == request.user.pk:
        # Back from single sign-on, which accepted it (or the back button): their home page.
        request.session.pop(links.SESSION_KEY, None)
        request.session[ACTING_FOR_KEY] = invitation.organisation_id
        return redirect("home")
    closed = _closed(opened)
    if closed is not None:
        title, message = closed
        return render(
            request,
            "accounts/web/invitation_closed.html",
            {"title": title, "message": message, "used": invitation.accepted_at is not None},
            status=410,
        )
    # The sign-in page (and single sign-on) lets a person with no membership left in to
    # come back here and accept (accounts.adapters).
    request.session[links.SESSION_KEY] = token
    context = {"invitation": invitation, "token": token, "path": request.path}
    if request.user.is_authenticated:
        return _signed_in(request, invitation, context)
    if services.people_with_address(invitation.email).exists():
        return render(request, "accounts/web/invitation.html", {**context, "step": "sign_in"})
    return _new_person(request, invitation, context)


def _joined(request, membership: Membership):
    request.session.pop(links.SESSION_KEY, None)
    request.session[ACTING_FOR_KEY] = membership.organisation_id
    messages.success(
        request,
        _("Welcome: you are now %(role)s of %(organisation)s.")
        % {
            "role": membership.get_role_display().lower(),
            "organisation": membership.organisation.name,
        },
    )
    return redirect("home")


def _signed_in(request, invitation: Invitation, context: dict):
    person = request.user
    if not services.people_with_address(invitation.email).filter(pk=person.pk).exists():
        return render(
            request, "accounts/web/invitation.html", {**context, "step": "other"}, status=403
        )
    if request.method != "POST":
        return render(request, "accounts/web/invitation.html", {**context, "step": "join"})
    try:
        membership = services.accept_invitation(invitation=invitation, person=person)
    except DomainError as error:
        return render(
            request,
            "accounts/web/invitation.html",
            {**context, "step": "join", "error": error.message},
            status=error.status,
        )
    return _joined(request, membership)


def _new_person(request, invitation: Invitation, context: dict):
    form = JoinForm(request.POST or None, email=invitation.email)
    context = {**context, "step": "new", "form": form}
    if request.method != "POST":
        return render(request, "accounts/web/invitation.html", context)
    if not form.is_valid():
        return render(request, "accounts/web/invitation.html", context, status=400)
    data = form.cleaned_data
    try:
        membership = services.join_by_invitation(
            invitation=invitation,
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
        )
    except DomainError as error:
        show_refusal(form, error)
        return render(request, "accounts/web/invitation.html", context, status=error.status)
    login(request, membership.person, backend=BACKEND)
    return _joined(request, membership)
