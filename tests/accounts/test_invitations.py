"""Invitations: made, sent by email from the Event relay (in the invitee's language, once per
link, nothing lost when the broker is down), sent again with a new link, revoked, expired,
and accepted (the membership, the Events, the verified address)."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from accounts import links
from accounts.models import Invitation
from accounts.services import invitations as services
from commissioning.errors import Conflict, Forbidden, RuleViolation
from commissioning.models import Event, Membership, Profile
from tests.factories import MembershipFactory, PersonFactory
from workers import relay
from workers.models import Notification

pytestmark = pytest.mark.django_db
Role = Membership.Role
LINK = re.compile(r"http://[^\s\"<>]+/invitations/[^\s\"<>/]+/")


def invite_officer(world, **extra):
    arguments = {
        "actor": world.people["manager_a"],
        "acting_for": world.purchaser_a,
        "email": "Kim.Larsen@Example.org ",
        "organisation": world.purchaser_a,
        "role": Role.OFFICER,
        **extra,
    }
    return services.invite(**arguments)


def sent_link(message) -> str:
    [link] = set(LINK.findall(message.body))
    return link


# --- inviting and the email ---------------------------------------------------------------


def test_an_invitation_is_an_event_without_its_key(world):
    invitation = invite_officer(world)

    assert invitation.email == "kim.larsen@example.org"
    assert invitation.status == Invitation.Status.PENDING
    event = Event.objects.get(verb="invitation.created")
    assert (event.actor, event.acting_for, event.purchaser) == (
        world.people["manager_a"],
        world.purchaser_a,
        world.purchaser_a,
    )
    assert event.after["email"] == "kim.larsen@example.org"
    assert "key" not in event.after
    assert invitation.key not in str(event.after)


def test_the_email_goes_out_after_the_commit_in_the_organisations_language_with_the_link(
    world, django_capture_on_commit_callbacks
):
    world.people["manager_a"].first_name, world.people["manager_a"].last_name = "Anna", "Lind"
    world.people["manager_a"].save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_officer(world)

    [message] = mail.outbox
    assert message.to == ["kim.larsen@example.org"]
    assert message.extra_headers["Content-Language"] == "sv"  # Region A is Swedish
    assert "Region A" in message.subject
    assert "Anna Lind bjuder in dig till Region A som beställarhandläggare" in message.body
    assert invitation.expires_at.astimezone().strftime("%Y") in message.body
    link = sent_link(message)
    assert link.endswith(links.invitation_path(invitation))
    opened = links.open_link(link.rstrip("/").rsplit("/", 1)[1])
    assert opened.invitation == invitation
    assert opened.latest
    html = message.alternatives[0][0]
    assert f'href="{link}"' in html
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert Notification.objects.filter(kind="invitation", recipient=None).count() == 1


def test_the_language_chosen_for_the_invitation_wins_over_the_country(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_officer(world, language="en")

    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    assert "invites you to Region A as commissioning officer" in message.body


def test_a_person_who_chose_a_language_reads_the_email_in_it(
    world, django_capture_on_commit_callbacks
):
    """Someone with an account (a member of another organisation) invited to a second one."""
    Profile.objects.create(person=world.people["provider_outside"], language="nb")
    with django_capture_on_commit_callbacks(execute=True):
        invite_officer(world, email="provider_outside@example.org", language="en")

    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "nb"
    assert Notification.objects.get().recipient == world.people["provider_outside"]


def test_a_broker_down_at_commit_loses_no_invitation_and_the_sweep_sends_it_once(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(relay.relay_event, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        invite_officer(world)
    assert mail.outbox == []
    monkeypatch.undo()

    relay.relay_pending_now()
    relay.relay_pending_now()
    event = Event.objects.get(verb="invitation.created")
    relay.relay_event_now(event.pk)

    assert len(mail.outbox) == 1
    event.refresh_from_db()
    assert event.relayed_at is not None


def test_an_invitation_revoked_before_the_relay_came_to_it_is_not_sent(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(relay, "publish", lambda event_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_officer(world)
        services.revoke_invitation(
            actor=world.people["manager_a"], acting_for=world.purchaser_a, invitation=invitation
        )
    relay.relay_pending_now()

    assert mail.outbox == []


def test_a_second_invitation_while_one_waits_is_refused_with_its_id(world):
    invitation = invite_officer(world)

    with pytest.raises(Conflict) as refused:
        invite_officer(world, email="kim.larsen@example.org")

    assert refused.value.details == {"invitation": invitation.pk}
    assert Invitation.objects.count() == 1


def test_inviting_a_member_to_their_own_role_is_refused(world):
    with pytest.raises(Conflict) as refused:
        invite_officer(world, email="OFFICER_A@example.org")

    assert refused.value.code == "already_a_member"


def test_an_address_that_is_not_one_is_refused_on_its_field(world):
    with pytest.raises(RuleViolation) as refused:
        invite_officer(world, email="kim at example.org")

    assert list(refused.value.fields) == ["email"]
    assert not Invitation.objects.exists()


def test_an_unknown_language_is_refused_on_its_field(world):
    with pytest.raises(RuleViolation) as refused:
        invite_officer(world, language="de")

    assert list(refused.value.fields) == ["language"]


# --- sending again, revoking, expiry --------------------------------------------------------


def test_sending_again_makes_a_new_link_and_starts_the_days_again(
    world, django_capture_on_commit_callbacks, settings
):
    settings.INVITATION_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_officer(world)
    first_link = sent_link(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + datetime.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        again = services.resend_invitation(
            actor=world.people["manager_a"],
            acting_for=world.purchaser_a,
            invitation=invitation,
        )

    assert len(mail.outbox) == 2
    second_link = sent_link(mail.outbox[1])
    assert second_link != first_link
    assert again.expires_at > timezone.now() + datetime.timedelta(days=2, hours=23)
    assert not links.open_link(first_link.rstrip("/").rsplit("/", 1)[1]).latest
    assert links.open_link(second_link.rstrip("/").rsplit("/", 1)[1]).latest
    event = Event.objects.get(verb="invitation.resent")
    assert "key" not in event.before
    assert "key" not in event.after
    assert Notification.objects.filter(kind="invitation").count() == 2


def test_an_expired_invitation_is_sent_again_when_the_person_is_invited_again(world):
    invitation = invite_officer(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    again = invite_officer(world, language="en")

    assert again.pk == invitation.pk
    assert again.status == Invitation.Status.PENDING
    assert again.language == "en"
    assert Event.objects.filter(verb="invitation.resent").count() == 1


def test_a_revoked_invitation_is_history(world):
    invitation = invite_officer(world)

    services.revoke_invitation(
        actor=world.people["manager_a"], acting_for=world.purchaser_a, invitation=invitation
    )

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert Event.objects.filter(verb="invitation.revoked").count() == 1
    for again in (services.revoke_invitation, services.resend_invitation):
        with pytest.raises(Conflict):
            again(
                actor=world.people["manager_a"],
                acting_for=world.purchaser_a,
                invitation=invitation,
            )
    # A new invitation to the same role may follow the revoked one.
    assert invite_officer(world).pk != invitation.pk


def test_only_who_may_invite_revokes(world):
    invitation = invite_officer(world)

    for name, organisation in (
        ("officer_a", world.purchaser_a),
        ("provider_in_a", world.provider_in_a),
    ):
        with pytest.raises(Forbidden):
            services.revoke_invitation(
                actor=world.people[name], acting_for=organisation, invitation=invitation
            )
    assert Invitation.objects.get().revoked_at is None


# --- accepting ----------------------------------------------------------------------------


def test_accepting_adds_the_membership_and_verifies_the_address(world):
    invitation = invite_officer(world)
    kim = PersonFactory(username="kim", email="kim.larsen@example.org")

    membership = services.accept_invitation(invitation=invitation, person=kim)

    assert (membership.person, membership.organisation, membership.role) == (
        kim,
        world.purchaser_a,
        Role.OFFICER,
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == kim
    address = EmailAddress.objects.get(user=kim)
    assert (address.email, address.verified, address.primary) == (
        "kim.larsen@example.org",
        True,
        True,
    )
    verbs = list(Event.objects.order_by("id").values_list("verb", "actor", "acting_for"))
    assert verbs[-2:] == [
        ("membership.created", kim.pk, world.purchaser_a.pk),
        ("invitation.accepted", kim.pk, world.purchaser_a.pk),
    ]


def test_a_link_works_once(world):
    invitation = invite_officer(world)
    kim = PersonFactory(username="kim", email="kim.larsen@example.org")
    services.accept_invitation(invitation=invitation, person=kim)

    with pytest.raises(Conflict) as refused:
        services.accept_invitation(invitation=invitation, person=kim)

    assert refused.value.code == "invitation_accepted"
    assert Membership.objects.filter(person=kim).count() == 1


def test_an_expired_invitation_is_not_accepted(world):
    invitation = invite_officer(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    kim = PersonFactory(username="kim", email="kim.larsen@example.org")

    with pytest.raises(Conflict) as refused:
        services.accept_invitation(invitation=invitation, person=kim)

    assert refused.value.code == "invitation_expired"
    assert not Membership.objects.filter(person=kim).exists()


def test_someone_else_cannot_accept_an_invitation_to_another_address(world):
    invitation = invite_officer(world)

    with pytest.raises(RuleViolation):
        services.accept_invitation(invitation=invitation, person=world.people["manager_b"])

    assert not Membership.objects.filter(person=world.people["manager_b"], role="officer").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_address_verified_by_another_account_is_not_taken_over(world):
    invitation = invite_officer(world)
    owner = PersonFactory(username="owner", email="other@example.org")
    EmailAddress.objects.create(user=owner, email="kim.larsen@example.org", verified=True)
    squatter = PersonFactory(username="squatter", email="kim.larsen@example.org")

    with pytest.raises(Conflict):
        services.accept_invitation(invitation=invitation, person=squatter)

    assert not Membership.objects.filter(person=squatter).exists()


def test_an_admin_invitation_gives_a_member_the_admin_right(world):
    rep = world.people["provider_in_a"]
    admin = MembershipFactory(
        organisation=world.provider_in_a, role=Role.PROVIDER_REPRESENTATIVE, is_admin=True
    ).person
    invitation = services.invite(
        actor=admin,
        acting_for=world.provider_in_a,
        email=rep.email,
        organisation=world.provider_in_a,
        role=Role.PROVIDER_REPRESENTATIVE,
        is_admin=True,
    )

    services.accept_invitation(invitation=invitation, person=rep)

    membership = Membership.objects.get(person=rep, organisation=world.provider_in_a)
    assert membership.is_admin
    event = Event.objects.get(verb="membership.changed")
    assert (event.before["is_admin"], event.after["is_admin"]) == (False, True)


def test_someone_new_joins_with_a_password_and_the_invitations_language(world):
    invitation = invite_officer(world, language="nb")

    membership = services.join_by_invitation(
        invitation=invitation,
        first_name="Kim",
        last_name="Larsen",
        password="a long and unusual passphrase",
    )

    kim = membership.person
    assert kim.username == "kim.larsen"
    assert kim.check_password("a long and unusual passphrase")
    assert kim.get_full_name() == "Kim Larsen"
    assert kim.profile.language == "nb"
    assert EmailAddress.objects.get(user=kim).verified


def test_someone_new_cannot_take_an_address_an_account_has(world):
    invitation = invite_officer(world, email="provider_outside@example.org")

    with pytest.raises(Conflict):
        services.join_by_invitation(
            invitation=invitation, first_name="X", last_name="Y", password="a long passphrase"
        )
