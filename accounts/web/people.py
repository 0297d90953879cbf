"""The "People" page of the organisation a person acts for: its members with their role and
admin right, the invitations not yet answered (resend, revoke), the invitation form, and
ending a membership after a confirmation step. A purchaser's manager sees the purchaser's
people and its political bodies'; its staff also invite the first representative of a
provider taking part in its programmes; an organisation admin sees their organisation's.

Reads go through accounts.selectors, writes through accounts.services, the rules are
commissioning.grants' (the API's too)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import invitations as invitation_selectors
from accounts.selectors import memberships as membership_selectors
from accounts.services import invitations as services
from accounts.services.memberships import end_membership
from accounts.web.forms import InvitationForm
from commissioning import mail, policies
from commissioning.errors import DomainError, Forbidden
from commissioning.web.acting import page
from commissioning.web.context import looks_after_people
from commissioning.web.forms import show_refusal


def may_use(person, organisation) -> bool:
    """Whether the page has anything for the person acting for `organisation` (the
    navigation's question too)."""
    return looks_after_people(policies.standing_of(person), organisation)


def _refuse(request):
    organisation = request.acting_for
    names = ", ".join(
        mail.person_name(m.person) for m in membership_selectors.admins_of(organisation)
    )
    if names:
        message = _(
            "Only the organisation admins of %(organisation)s invite and remove its people: "
            "ask %(names)s."
        ) % {"organisation": organisation.name, "names": names}
    else:
        message = _(
            "Only the organisation admins of %(organisation)s invite and remove its people, "
            "and it has none yet: ask the commissioning staff of a purchaser whose programme "
            "it takes part in."
        ) % {"organisation": organisation.name}
    raise Forbidden(message, code="not_organisation_admin")


def _form(request, data=None) -> InvitationForm:
    person, acting_for = request.user, request.acting_for
    return InvitationForm(
        data,
        organisations=list(policies.administered_organisations(person, acting_for)),
        first_representatives=list(policies.first_representative_organisations(person, acting_for)),
    )


def _render(request, form: InvitationForm, status: int = 200):
    person, acting_for = request.user, request.acting_for
    members = membership_selectors.administered_memberships(person=person, acting_for=acting_for)
    groups: dict = {}
    for membership in members:
        groups.setdefault(membership.organisation, []).append(membership)
    invitations = (
        invitation_selectors.invitation_list(person=person, acting_for=acting_for)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("expires_at", "id")
    )
    managers = []
    if not groups:  # an officer: whom to ask about the purchaser's own people
        managers = [mail.person_name(m.person) for m in membership_selectors.admins_of(acting_for)]
    return render(
        request,
        "accounts/web/people.html",
        {
            "groups": list(groups.items()),
            "managers": ", ".join(managers),
            "invitations": list(invitations),
            "form": form,
            "expires_on": timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS),
        },
        status=status,
    )


@require_GET
@page
def people_page(request):
    if not may_use(request.user, request.acting_for):
        _refuse(request)
    return _render(request, _form(request))


@require_POST
@page
def invite_page(request):
    if not may_use(request.user, request.acting_for):
        _refuse(request)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        invitation = services.invite(
            actor=request.user, acting_for=request.acting_for, **form.service_arguments()
        )
    except DomainError as error:
        show_refusal(form, error)
        return _render(request, form, status=error.status)
    messages.success(
        request,
        _("The invitation to %(email)s is on its way; its link works until %(date)s.")
        % {"email": invitation.email, "date": services.display_date(invitation.expires_at)},
    )
    return redirect("people-page")


def _act_on_invitation(request, invitation_id, service, message):
    """Send again or revoke: the invitation as the person may see it, the service, and the
    message with the address it went to."""
    invitation = invitation_selectors.invitation_get(
        person=request.user, invitation_id=invitation_id
    )
    invitation = service(actor=request.user, acting_for=request.acting_for, invitation=invitation)
    messages.success(request, message % {"email": invitation.email})
    return redirect("people-page")


@require_POST
@page
def resend_page(request, invitation_id):
    return _act_on_invitation(
        request,
        invitation_id,
        services.resend_invitation,
        _("The invitation was sent again to %(email)s; the earlier link no longer works."),
    )


@require_POST
@page
def revoke_page(request, invitation_id):
    return _act_on_invitation(
        request,
        invitation_id,
        services.revoke_invitation,
        _("The invitation to %(email)s was revoked; its link no longer works."),
    )


@require_http_methods(["GET", "POST"])
@page
def end_membership_page(request, membership_id):
    """A confirmation step (GET), then the end (POST)."""
    membership = membership_selectors.membership_get(
        person=request.user, membership_id=membership_id
    )
    policies.require_may_end(request.user, request.acting_for, membership)
    if request.method != "POST":
        return render(request, "accounts/web/end_membership.html", {"membership": membership})
    end_membership(actor=request.user, acting_for=request.acting_for, membership=membership)
    messages.success(
        request,
        _("%(name)s is no longer %(role)s of %(organisation)s.")
        % {
            "name": mail.person_name(membership.person),
            "role": membership.get_role_display().lower(),
            "organisation": membership.organisation.name,
        },
    )
    return redirect("people-page")
