"""The objects the authorization matrix and the API fuzzing act on: the `world` of
tests/conftest.py (two purchasers, the providers around them, one person per actor) and, in
purchaser A's programmes, one object in each state an endpoint needs (a contract per status,
a scheduled, an open, a passed and a closed consultation, a planned and a held meeting, ...).

Built once per test module inside a transaction that is rolled back at the end; each test runs
in a savepoint of its own inside it (pytest-django's `db`), so every case starts from exactly
this scene and none sees another's writes.
"""

import datetime
import secrets
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.links import signed_token
from accounts.services.invitations import invite
from accounts.services.tokens import create_api_token
from commissioning.models import (
    Event,
    Membership,
    MilestoneEvidence,
    MilestoneTemplate,
    Programme,
)
from contracts.models import Contract, ContractParty, RulebookVersion
from dialogue.models import CalendarFeed, Comment, Concern, Consultation, Meeting
from dialogue.services import comment_stages
from dialogue.services import comments as comment_services
from notifications.models import Notice
from notifications.unsubscribe import token as unsubscribe_token
from tests import conftest
from tests.commissioning.milestone_factories import MilestoneFactory
from tests.contracts.factories import ContractFactory, ContractPartyFactory, ObligationFactory
from tests.contracts.rulebook_factories import RulebookVersionFactory, rulebook_with_version
from tests.dialogue import response_factories
from tests.dialogue.consultation_factories import CommentFactory, ConsultationFactory
from tests.dialogue.factories import AgendaItemFactory
from tests.dialogue.meeting_factories import (
    ActionItemFactory,
    DecisionFactory,
    MinutesRevisionFactory,
    meeting_in_a,
)
from tests.factories import ProgrammeFactory
from tests.workers.pulse_factories import PulseAnswerFactory, TrustPulseFactory
from workers.models import Document

# The organisation each actor acts for (the X-Acting-For header of its writes).
ACTS_FOR = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "manager_b": "purchaser_b",
    "provider_in_a": "provider_in_a",
    "provider_outside": "provider_outside",
    "network_rep": "network",
    "politician_a": "political_body_a",
}
ACTORS = [*ACTS_FOR, "anonymous"]

PDF = b"%PDF-1.4\n%authorization matrix\n"


def _world():
    # The `world` fixture's own body, called once per module instead of once per test: the
    # fixture is function-scoped, and building it for each of a thousand cases is the slow part.
    return conftest.world.__wrapped__(None)


def _programme_of_a(world, name):
    """Another programme of purchaser A with the same participants: a programme holds one
    rulebook, and the scene needs rulebooks in several states."""
    return ProgrammeFactory(
        purchaser=world.purchaser_a, name=name, participants=[world.provider_in_a, world.network]
    )


def _contracts(world, ids):
    for status in ("draft", "in_dialogue", "negotiation", "finalised", "signed", "active"):
        signed = status in {"signed", "active"}
        contract = ContractFactory(
            programme=world.programme_a,
            status=status,
            signed_at=timezone.now() if signed else None,
        )
        ContractPartyFactory(
            contract=contract,
            organisation=world.provider_in_a,
            role=ContractParty.Role.LEAD_PROVIDER,
        )
        ids[f"contract_{status}"] = contract.pk
    # A second party of the draft, to be removed.
    ids["party_network"] = ContractPartyFactory(
        contract_id=ids["contract_draft"],
        organisation=world.network,
        role=ContractParty.Role.PARTNER,
    ).pk
    active = Contract.objects.get(pk=ids["contract_active"])
    ids["obligation"] = ObligationFactory(contract=active, owed_by=world.provider_in_a).pk
    ids["obligation_first_due"] = "2027-03-31"


def _rulebooks(world, ids):
    draft = rulebook_with_version(
        world.programme_a,
        clauses=[("1", "Scope", "Home care."), ("2", "Reporting", "Monthly.")],
    )
    ids["rulebook"] = draft.rulebook_id
    ids["version_draft"] = draft.pk
    ids["clause"] = draft.clauses.get(key="1").pk
    ids["clause_2"] = draft.clauses.get(key="2").pk
    adopted = rulebook_with_version(
        _programme_of_a(world, "Adopted rulebook"),
        status=RulebookVersion.Status.ADOPTED,
        clauses=[("1", "Scope", "x")],
    )
    ids["rulebook_adopted"] = adopted.rulebook_id
    closed = rulebook_with_version(
        _programme_of_a(world, "Rulebook to adopt"),
        status=RulebookVersion.Status.CONSULTATION_CLOSED,
        clauses=[("1", "Scope", "Day care.")],
    )
    ids["version_closed"] = closed.pk


def _consultations(world, ids):
    now = timezone.now()
    open_ = ConsultationFactory(
        programme=_programme_of_a(world, "Open consultation"),
        visibility=Consultation.Visibility.OPEN,
        closes_at=now + datetime.timedelta(days=10),
    )
    ids["consultation_open"] = open_.pk
    ids["version_in_consultation"] = open_.rulebook_version_id
    ids["comment"] = CommentFactory(consultation=open_, organisation=world.network).pk
    ids["comment_of_provider"] = CommentFactory(
        consultation=open_, organisation=world.provider_in_a
    ).pk
    scheduled = ConsultationFactory(
        programme=_programme_of_a(world, "Scheduled consultation"),
        status=Consultation.Status.SCHEDULED,
        opens_at=now + datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=10),
    )
    ids["consultation_scheduled"] = scheduled.pk
    passed = ConsultationFactory(
        programme=_programme_of_a(world, "Passed consultation"),
        closes_at=now - datetime.timedelta(seconds=1),
    )
    ids["consultation_passed"] = passed.pk
    # A draft version of the open consultation's rulebook, with no consultation yet.
    ids["version_unconsulted"] = RulebookVersionFactory(
        rulebook=open_.rulebook_version.rulebook, number=2
    ).pk
    # A closed consultation: comments of the provider (answered) and the network.
    closed = response_factories.ConsultationFactory(
        programme=_programme_of_a(world, "Closed consultation"),
        invited=[world.provider_in_a, world.network],
    )
    answered = response_factories.CommentFactory(
        consultation=closed,
        organisation=world.provider_in_a,
        clause=response_factories.clause(closed, "2"),
    )
    response_factories.ResponseFactory(comment=answered)
    response_factories.CommentFactory(
        consultation=closed,
        organisation=world.network,
        kind=Comment.Kind.PROPOSAL,
        cosigners=[world.network_member],
    )
    response_factories.close(closed)
    ids["consultation_closed"] = closed.pk
    # The trust pulse the provider's representative got after the close.
    TrustPulseFactory(
        person=world.people["provider_in_a"],
        organisation=world.provider_in_a,
        purchaser=world.purchaser_a,
        programme=closed.programme,
        occasion_type=ContentType.objects.get_for_model(Consultation),
        occasion_id=str(closed.pk),
    )
    ids["comment_answered"] = answered.pk


def _meetings(world, ids):
    now = timezone.now()
    planned = meeting_in_a(world, starts_at=now - datetime.timedelta(hours=1))
    held = meeting_in_a(world, held=True)
    ids["arena"] = planned.arena_id
    ids["meeting_planned"] = planned.pk
    ids["meeting_held"] = held.pk
    MinutesRevisionFactory(meeting=held)
    item = AgendaItemFactory(meeting=held, position=1)
    ids["agenda_item"] = item.pk
    ids["agenda_item_information"] = AgendaItemFactory(
        meeting=held, position=2, kind="information"
    ).pk
    DecisionFactory(agenda_item=item)
    ids["action_item"] = ActionItemFactory(meeting=held).pk
    raised = Concern.objects.create(
        purchaser=world.purchaser_a,
        raised_by=world.provider_in_a,
        raised_with=world.purchaser_a,
        title="Discharge notices arrive after 3 pm",
        reply_by=timezone.localdate() + datetime.timedelta(days=7),
    )
    ids["concern_raised"] = raised.pk
    acknowledged = Concern.objects.create(
        purchaser=world.purchaser_a,
        raised_by=world.provider_in_a,
        raised_with=world.purchaser_a,
        title="Referrals are lost",
        reply_by=timezone.localdate() + datetime.timedelta(days=7),
        status=Concern.Status.ACKNOWLEDGED,
    )
    ids["concern_acknowledged"] = acknowledged.pk
    ids["calendar_token"] = CalendarFeed.objects.create(person=world.people["manager_a"]).token
    ids["api_token"] = create_api_token(actor=world.people["manager_a"], name="Matrix")[0].pk
    ids["unsubscribe_token"] = unsubscribe_token(world.people["officer_a"].pk, "concern")
    ids["notice"] = Notice.objects.create(
        person=world.people["manager_a"],
        organisation=world.purchaser_a,
        kind="minutes_approved",
        key=f"minutes-approved:{held.pk}:{world.people['manager_a'].pk}",
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=str(held.pk),
        title=f"Minutes approved: {held.title}",
        url=f"/meetings/{held.pk}/",
        language="en",
        delivery="immediately",
    ).pk


def _rendered_document(world, kind, subject) -> int:
    document = Document.objects.create(
        kind=kind,
        purchaser=world.purchaser_a,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        language="sv",
        inputs_hash=secrets.token_hex(32),
        status=Document.Status.DONE,
        requested_by=world.people["manager_a"],
        acting_for=world.purchaser_a,
    )
    document.file.save(f"{kind}.pdf", ContentFile(PDF))
    return document.pk


def _people_things(world, ids):
    """The network's representative is its organisation admin; a pending invitation of A's
    manager (to an officer of A), its link, and the officer's membership to end."""
    Membership.objects.filter(person=world.people["network_rep"]).update(is_admin=True)
    invitation = invite(
        actor=world.people["manager_a"],
        acting_for=world.purchaser_a,
        email="kim.invited@example.org",
        organisation=world.purchaser_a,
        role=Membership.Role.OFFICER,
    )
    ids["invitation"] = invitation.pk
    ids["invitation_token"] = signed_token(invitation)
    ids["membership_officer"] = Membership.objects.get(person=world.people["officer_a"]).pk


def _programme_things(world, ids):
    ids["programme_spare"] = _programme_of_a(world, "Spare programme").pk
    milestone = MilestoneFactory(programme=world.programme_a)
    ids["milestone"] = milestone.pk
    evidence = MilestoneEvidence(
        milestone=milestone, kind=MilestoneEvidence.Kind.DOCUMENT, title="Needs analysis"
    )
    evidence.document.save("needs-analysis.pdf", ContentFile(PDF))  # saves the row too
    ids["evidence_document"] = evidence.pk
    ids["milestone_template"] = MilestoneTemplate.objects.order_by("pk").first().pk
    ids["event"] = Event.objects.create(
        actor=world.people["manager_a"],
        acting_for=world.purchaser_a,
        purchaser=world.purchaser_a,
        verb="programme.updated",
        subject_type=ContentType.objects.get_for_model(Programme),
        subject_id=str(world.programme_a.pk),
    ).pk
    ids["document"] = _rendered_document(world, Document.Kind.BRIEFING, world.programme_a)
    ids["meeting_summary"] = _rendered_document(
        world, Document.Kind.MEETING_SUMMARY, Meeting.objects.get(pk=ids["meeting_held"])
    )
    ids["rulebook_pdf"] = _rendered_document(
        world, Document.Kind.RULEBOOK_VERSION, RulebookVersion.objects.get(pk=ids["version_draft"])
    )
    # Three answers of provider_in_a's people: enough for a figure in the results.
    for _ in range(3):
        PulseAnswerFactory(
            pulse=TrustPulseFactory(
                organisation=world.provider_in_a,
                purchaser=world.purchaser_a,
                programme=world.programme_a,
            )
        )
    token = secrets.token_urlsafe(32)
    TrustPulseFactory(
        token=token,
        person=world.people["provider_in_a"],
        organisation=world.provider_in_a,
        purchaser=world.purchaser_a,
        programme=world.programme_a,
    )
    ids["pulse_token"] = token


WORLD_NAMES = (
    "purchaser_a",
    "purchaser_b",
    "provider_in_a",
    "provider_outside",
    "network",
    "network_member",
    "political_body_a",
    "programme_a",
    "programme_b",
)


def world_ids(world) -> dict:
    """The ids of the world's organisations and programmes, by their names in the scene."""
    return {name: getattr(world, name).pk for name in WORLD_NAMES}


def build():
    """The world and its objects, and `ids`: name -> id (or token, or date) for the matrix."""
    world = _world()
    ids = world_ids(world)
    _contracts(world, ids)
    _rulebooks(world, ids)
    _consultations(world, ids)
    _meetings(world, ids)
    _programme_things(world, ids)
    _people_things(world, ids)
    today = timezone.localdate()
    now = timezone.now()
    ids |= {
        "today": today.isoformat(),
        "in_10_days": (today + datetime.timedelta(days=10)).isoformat(),
        "a_day_ago": (now - datetime.timedelta(days=1)).replace(microsecond=0).isoformat(),
        "a_day_ago_plus_1h": (now - datetime.timedelta(days=1, hours=-1))
        .replace(microsecond=0)
        .isoformat(),
        "next_week": (now + datetime.timedelta(days=7)).replace(microsecond=0).isoformat(),
        "in_30_days": (now + datetime.timedelta(days=30)).replace(microsecond=0).isoformat(),
    }
    # The contract pages (issue 18): a status move named in the address.
    ids["move_start_dialogue"] = "start_dialogue"
    _joint_comment_drafts(world, ids)
    return world, ids


def _joint_comment_drafts(world, ids):
    """Issue 19: the network's draft joint comments in the open consultation (one circulated to
    its members, one not yet), and a comment of the network it has withdrawn."""
    open_ = Consultation.objects.get(pk=ids["consultation_open"])
    draft_args = {
        "actor": world.people["network_rep"],
        "acting_for": world.network,
        "consultation": open_,
        "kind": Comment.Kind.QUESTION,
    }
    circulated = comment_stages.draft_comment(**draft_args, body="Circulated draft")
    comment_stages.circulate_draft(
        actor=world.people["network_rep"], acting_for=world.network, comment=circulated
    )
    ids["draft"] = circulated.pk
    ids["draft_uncirculated"] = comment_stages.draft_comment(**draft_args, body="Draft").pk
    withdrawn = CommentFactory(consultation=open_, organisation=world.network)
    comment_services.withdraw_comment(
        actor=world.people["network_rep"], acting_for=world.network, comment=withdrawn
    )
    ids["comment_withdrawn"] = withdrawn.pk


@contextmanager
def shared_scene(django_db_blocker, media_root):
    """Build the scene in a transaction that is rolled back when the block ends, with files
    stored under `media_root` and the throttles out of the way (they are tested on their own
    in tests/hardening/; here one person sends thousands of requests)."""
    with (
        override_settings(
            MEDIA_ROOT=media_root,
            THROTTLE_RATES=dict.fromkeys(settings.THROTTLE_RATES, "1000000/minute"),
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
