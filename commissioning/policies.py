"""Who may see and do what: the one place that decides.

Views, selectors, services, jobs and pages all ask this module; none keeps its own copy of a
rule. Visibility is expressed as querysets (so that lists are filtered in the database) and
permission as `require_*` functions that raise the domain error the API answers with.

The rules (DESIGN.md, "Rules the system enforces"):
- purchaser staff (managers and officers) see their own purchaser's data only;
- provider representatives see the programmes and objects their organisations, or the
  networks those organisations belong to, take part in;
- politicians read what the purchaser their political body oversees owns, and change nothing;
- anonymous requests are refused before they get here;
- something a person may not see answers 404, not 403, so that ids leak nothing.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commissioning import request_log
from commissioning.errors import Forbidden, NotFound, RuleViolation
from commissioning.grants import (  # noqa: F401 (who invites and removes whom: grants.py)
    administered_organisations,
    first_representative_organisations,
    require_may_end,
    require_may_invite,
    require_may_manage_invitation,
)
from commissioning.models import (
    Event,
    Membership,
    Organisation,
    Participation,
    Programme,
)
from commissioning.oversight import require_overseeing_politician  # noqa: F401
from commissioning.standing import (  # noqa: F401 (policies.standing_of is the address)
    STAFF_ROLES,
    Standing,
    forget_standing,
    standing_of,
)

Role = Membership.Role


# --- visibility -------------------------------------------------------------------------


def visible_programmes(person) -> QuerySet[Programme]:
    standing = standing_of(person)
    taking_part = Participation.objects.filter(organisation__in=standing.taking_part)
    return Programme.objects.filter(
        Q(purchaser__in=standing.readable_purchasers) | Q(id__in=taking_part.values("programme_id"))
    )


def visible_organisations(person) -> QuerySet[Organisation]:
    standing = standing_of(person)
    programmes = visible_programmes(person)
    condition = (
        Q(id__in=standing.organisations)
        | Q(id__in=standing.readable_purchasers)
        | Q(id__in=programmes.values("purchaser_id"))
        | Q(id__in=Participation.objects.filter(programme__in=programmes).values("organisation"))
        # A provider sees its networks and their other members: they speak with one voice.
        | Q(id__in=standing.taking_part)
        | Q(network_memberships__network__in=standing.taking_part)
    )
    if standing.staff_purchasers:
        # Purchaser staff see the market (every provider and network) so that they can
        # invite any of them; no provider is forgotten because it was not visible.
        condition |= Q(kind__in=[Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER_NETWORK])
        condition |= Q(oversees__in=standing.staff_purchasers)
    return Organisation.objects.filter(id__in=Organisation.objects.filter(condition).values("id"))


def visible_people(person):
    """The people a person may name (an invitee, a presenter, an action's owner): themselves
    and the members of the organisations they see. A member of an organisation hidden from
    them is as unknown as an id that does not exist."""
    from django.contrib.auth import get_user_model

    if person is None or not person.is_authenticated:
        return get_user_model().objects.none()
    members = Membership.objects.filter(organisation__in=visible_organisations(person))
    return get_user_model().objects.filter(Q(pk=person.pk) | Q(pk__in=members.values("person_id")))


def visible_addresses(person):
    """The people whose email addresses a person may read (a calendar file's attendees, the
    People page): themselves and the members of the organisations whose people they look
    after (administered_organisations). Naming someone (visible_people) is not reading their
    address: a provider sees the other providers of its programmes, not their inboxes."""
    from django.contrib.auth import get_user_model

    if person is None or not person.is_authenticated:
        return get_user_model().objects.none()
    members = Membership.objects.filter(
        organisation__in=administered_organisations(person).values("id")
    )
    return get_user_model().objects.filter(Q(pk=person.pk) | Q(pk__in=members.values("person_id")))


def visible_events(person) -> QuerySet[Event]:
    """The audit trail of a purchaser's data is read by that purchaser's staff; everyone reads
    what they did themselves, for each organisation they acted for."""
    standing = standing_of(person)
    return Event.objects.filter(
        Q(purchaser__in=standing.staff_purchasers) | Q(acting_for__in=standing.organisations)
    )


def get_visible(queryset: QuerySet, **lookup):
    """The one object of a visible queryset, or NotFound: invisible and missing look alike."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def visible_rows(model, person) -> QuerySet:
    """The rows of `model` the person may see: the one map from a model that requests name by
    id to its rule above. A model without a rule here cannot be named by id in a request."""
    from django.contrib.auth import get_user_model

    from contracts.models import Clause, ContractVersion, RulebookVersion
    from dialogue.models import AgendaItem

    rules = {
        get_user_model()._meta.label_lower: visible_people,
        "commissioning.organisation": visible_organisations,
        "commissioning.programme": visible_programmes,
        "commissioning.milestone": visible_milestones,
        "contracts.contract": visible_contracts,
        "contracts.contractversion": lambda p: ContractVersion.objects.filter(
            contract__in=visible_contracts(p)
        ),
        "contracts.rulebook": visible_rulebooks,
        "contracts.rulebookversion": lambda p: RulebookVersion.objects.filter(
            rulebook__in=visible_rulebooks(p)
        ),
        "contracts.clause": lambda p: Clause.objects.filter(
            version__rulebook__in=visible_rulebooks(p)
        ),
        "dialogue.arena": visible_arenas,
        "dialogue.meeting": visible_meetings,
        "dialogue.agendaitem": lambda p: AgendaItem.objects.filter(meeting__in=visible_meetings(p)),
        "dialogue.concern": visible_concerns,
        "dialogue.consultation": visible_consultations,
    }
    return rules[model._meta.label_lower](person)


def named_in_request(model, pk, *, person, field: str):
    """The row of `model` an id in a request body names, among those the person may see
    (visible_rows); else a 400 on that field that says no more than a missing id would, so
    that nothing tells a hidden row from one that does not exist (DESIGN.md, "Rules the system
    enforces": what a person may not see)."""
    try:
        return visible_rows(model, person).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise RuleViolation(
            _("No %(field)s with the id %(id)s that you can see.") % {"field": field, "id": pk},
            fields={field: [_("Unknown id.")]},
        ) from None


# --- acting for an organisation ---------------------------------------------------------


def require_acting_for(person, organisation_id) -> Organisation:
    """The organisation a write is made for, which the person must be a member of."""
    require_member_of(person, organisation_id)
    return Organisation.objects.get(pk=organisation_id)


def require_member_of(person, organisation_id) -> None:
    """require_acting_for's check, without loading the organisation."""
    if organisation_id is None:
        raise RuleViolation(
            _(
                "Say which organisation you act for: send its id in the X-Acting-For header "
                "(or an acting_for field)."
            ),
            code="acting_for_missing",
        )
    standing = standing_of(person)
    if organisation_id not in standing.organisations:
        raise Forbidden(
            _(
                "You are not a member of organisation %(id)s, so you cannot act for it. "
                "Choose one of your own organisations."
            )
            % {"id": organisation_id},
            code="not_a_member",
        )
    request_log.note_acting(person, organisation_id)


class Writers(StrEnum):
    """Who writes to a kind of endpoint at all (each API view that writes says which)."""

    PURCHASER_STAFF = "purchaser_staff"
    PROVIDERS = "a_provider"
    PURCHASER_STAFF_OR_PROVIDERS = "staff_or_provider"
    ANYONE = "anyone"  # a person's own things (their calendar feed)


WRITERS_REFUSAL = {
    Writers.PURCHASER_STAFF: _("Only a purchaser's commissioning staff can do this."),
    Writers.PROVIDERS: _("Only a provider's or network's representatives can do this."),
    Writers.PURCHASER_STAFF_OR_PROVIDERS: _(
        "Only a purchaser's commissioning staff or a provider's representatives can do this."
    ),
}


def require_writer(person, organisation_id: int | None, writers: Writers) -> None:
    """Whether the person's role in the organisation they act for (any of theirs if none is
    named) lets them write to this kind of endpoint at all: decided before the body is read,
    and the same for every id (issue 15). The services keep the finer rules."""
    if writers == Writers.ANYONE:
        return
    if organisation_id is not None:
        require_member_of(person, organisation_id)
    standing = standing_of(person)
    acting = {organisation_id} if organisation_id is not None else standing.organisations
    allowed = {
        Writers.PURCHASER_STAFF: standing.staff_purchasers,
        Writers.PROVIDERS: standing.provider_organisations,
    }.get(writers, standing.staff_purchasers | standing.provider_organisations)
    if acting & allowed:
        return
    if acting and all(standing.roles[org] <= {Role.POLITICIAN} for org in acting):
        _refuse_readers(standing, next(iter(acting)))
    raise Forbidden(WRITERS_REFUSAL[writers], code=f"not_{writers.value}")


def _refuse_readers(standing: Standing, organisation_id: int) -> None:
    roles = standing.roles.get(organisation_id, frozenset())
    if roles and roles <= {Role.POLITICIAN}:
        raise Forbidden(
            _("Politicians read programmes and briefings; they cannot change anything."),
            code="read_only",
        )


def require_acting_as_purchaser_staff(person, acting_for: Organisation) -> None:
    """For what a purchaser sets up for itself (programmes, arenas, meetings): the person
    acts for a purchaser where they are a commissioning manager or officer."""
    standing = standing_of(person)
    _refuse_readers(standing, acting_for.id)
    if acting_for.id not in standing.staff_purchasers:
        raise Forbidden(
            _(
                "Only a purchaser's commissioning managers and officers can set this up; "
                "you act for %(organisation)s."
            )
            % {"organisation": acting_for.name},
            code="not_purchaser_staff",
        )


def require_purchaser_staff(person, acting_for: Organisation, purchaser: Organisation) -> None:
    """Managers and officers of the owning purchaser, acting for it, change its data."""
    standing = standing_of(person)
    _refuse_readers(standing, acting_for.id)
    if purchaser.id != acting_for.id or acting_for.id not in standing.staff_purchasers:
        raise Forbidden(
            _(
                "Only commissioning managers and officers of %(purchaser)s, acting for it, "
                "can change this."
            )
            % {"purchaser": purchaser.name},
            code="not_purchaser_staff",
        )


def require_purchaser_manager(person, acting_for: Organisation, purchaser: Organisation) -> None:
    """Managers finalise and sign contracts, waive milestones, adopt rulebook versions."""
    require_purchaser_staff(person, acting_for, purchaser)
    if acting_for.id not in standing_of(person).managed_purchasers:
        raise Forbidden(
            _("Only a commissioning manager of %(purchaser)s can do this.")
            % {"purchaser": purchaser.name},
            code="not_manager",
        )


def require_programme_editor(person, acting_for: Organisation, programme: Programme) -> None:
    require_purchaser_staff(person, acting_for, programme.purchaser)


def require_programme_manager(person, acting_for: Organisation, programme: Programme) -> None:
    require_purchaser_manager(person, acting_for, programme.purchaser)


# --- contracts, rulebooks, milestones ---------------------------------------------------


def require_obligation_recorder(person, acting_for: Organisation, obligation) -> None:
    """The purchaser's staff record that a duty under a contract was done, and so does the
    organisation that owes it, through its own representatives."""
    standing = standing_of(person)
    if acting_for.id == obligation.owed_by_id and acting_for.id in standing.provider_organisations:
        return
    require_purchaser_staff(person, acting_for, obligation.contract.purchaser)


def visible_contracts(person):
    """Purchaser staff and its politicians read the purchaser's contracts; a provider reads
    the contracts its organisations (or their networks) are party to."""
    from contracts.models import Contract, ContractParty

    standing = standing_of(person)
    party_to = ContractParty.objects.filter(organisation__in=standing.taking_part)
    return Contract.objects.filter(
        Q(purchaser__in=standing.readable_purchasers) | Q(id__in=party_to.values("contract_id"))
    )


def visible_rulebooks(person):
    """A programme's rulebook is read by everyone who sees the programme: providers are to
    influence it before the purchaser decides."""
    from contracts.models import Rulebook

    return Rulebook.objects.filter(programme__in=visible_programmes(person))


def visible_milestones(person):
    from commissioning.models import Milestone

    return Milestone.objects.filter(programme__in=visible_programmes(person)).filter(
        Q(contract__isnull=True) | Q(contract__in=visible_contracts(person))
    )


# --- arenas, meetings, concerns ---------------------------------------------------------


def visible_arenas(person):
    """A purchaser's staff and politicians read its arenas; member organisations read the
    arenas they sit in."""
    from dialogue.models import Arena

    standing = standing_of(person)
    return Arena.objects.filter(
        Q(purchaser__in=standing.readable_purchasers)
        | Q(
            id__in=Arena.members.through.objects.filter(
                organisation__in=standing.taking_part
            ).values("arena_id")
        )
    )


def visible_meetings(person):
    """A purchaser's staff and politicians read its meetings; providers read the meetings
    their organisations (or networks), or they themselves, were invited to. A person is
    invited by name for an organisation of theirs, so the organisation decides: once they
    leave it, the invitation gives them nothing (issue 16, "Leaving")."""
    from dialogue.models import Invitation, Meeting

    standing = standing_of(person)
    # Any organisation of the person counts: a purchaser is invited to another purchaser's
    # collaboration meeting (hospital and municipality), a political body to a dialogue.
    invited = Invitation.objects.filter(
        organisation__in=standing.taking_part | standing.organisations
    )
    return Meeting.objects.filter(
        Q(purchaser__in=standing.readable_purchasers) | Q(id__in=invited.values("meeting_id"))
    )


def visible_concerns(person):
    """A concern is between two organisations of a relationship: the purchaser's staff and
    the organisations on either side read it; politicians do not."""
    from dialogue.models import Concern

    standing = standing_of(person)
    return Concern.objects.filter(
        Q(purchaser__in=standing.staff_purchasers)
        | Q(raised_by__in=standing.taking_part)
        | Q(raised_with__in=standing.taking_part)
    )


# --- consultations ----------------------------------------------------------------------


def visible_consultations(person):
    """A consultation is read by everyone who sees its programme."""
    from dialogue.models import Consultation

    return Consultation.objects.filter(programme__in=visible_programmes(person))


def is_consultation_participant(person, consultation) -> bool:
    """Invited organisations, and the members of an invited network, take part."""
    standing = standing_of(person)
    invited = set(consultation.invitations.values_list("organisation_id", flat=True))
    return bool(invited & standing.taking_part)


def visible_comments(person, consultation):
    """Which comments of a consultation a person reads.

    - The purchaser's staff read every comment at all times: they answer them.
    - After the close, everyone who sees the programme reads every comment, and the
      published responses: trust grows when providers see what happened to what they said.
    - Before the close, in an *open* consultation, participants read every comment.
    - Before the close, in a *private until close* consultation, an organisation reads only
      its own comments, its networks' comments and the comments it co-signed.
    - Politicians read nothing before the close.
    """
    from dialogue.models import Comment, Consultation, CoSignature

    standing = standing_of(person)
    comments = Comment.objects.filter(consultation=consultation)
    if consultation.purchaser_id in standing.staff_purchasers:
        return comments
    if not visible_consultations(person).filter(pk=consultation.pk).exists():
        return comments.none()
    if consultation.status == Consultation.Status.CLOSED:
        return comments
    if consultation.visibility == Consultation.Visibility.OPEN and is_consultation_participant(
        person, consultation
    ):
        return comments
    cosigned = CoSignature.objects.filter(
        organisation__in=standing.taking_part, withdrawn_at__isnull=True
    ).values("comment_id")
    return comments.filter(Q(organisation__in=standing.taking_part) | Q(id__in=cosigned))


def window_closed(consultation) -> bool:
    """The close is an instant, not an action: once closes_at has passed the window is shut
    for reading as for writing, whether or not anyone has pressed "close" yet."""
    from django.utils import timezone

    from dialogue.models import Consultation

    return consultation.status == Consultation.Status.CLOSED or timezone.now() >= (
        consultation.closes_at
    )


def responses_published(consultation) -> bool:
    """Responses are drafted during the window and published at the close."""
    return window_closed(consultation)


def may_read_responses(person, consultation) -> bool:
    """The purchaser's staff read responses (and whether one exists) at any time: they
    write them. Everyone else who may see the comment reads them once published."""
    if consultation.purchaser_id in standing_of(person).staff_purchasers:
        return True
    return responses_published(consultation)


# --- documents and trust pulses ---------------------------------------------------------


def visible_documents(person):
    """PDFs of a purchaser are read by its staff and politicians (briefings are for them);
    everyone reads the documents they ordered."""
    from workers.models import Document

    standing = standing_of(person)
    return Document.objects.filter(
        Q(purchaser__in=standing.readable_purchasers) | Q(requested_by=person)
    )


def visible_briefing_requests(person):
    """A purchaser's staff see the requests for its briefings; a politician their own."""
    from workers.models import BriefingRequest

    standing = standing_of(person)
    return BriefingRequest.objects.filter(
        Q(purchaser__in=standing.staff_purchasers) | Q(requested_by=person)
    )


def visible_pulses(person):
    """The pulses whose anonymous results a person may read: the purchaser's staff and
    politicians read its relationships; a provider reads the results of the relationships
    its organisations (or networks) are in. Names never leave the results."""
    from workers.models import TrustPulse

    standing = standing_of(person)
    return TrustPulse.objects.filter(
        Q(purchaser__in=standing.readable_purchasers) | Q(organisation__in=standing.taking_part)
    )
