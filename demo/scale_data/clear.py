"""Finding and removing generated data: everything of the generated purchasers and
organisations, and the generated people, children first, in plain DELETEs (the ORM's
cascade would load millions of rows to delete them one model at a time)."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet

from accounts.models import ApiToken
from commissioning.models import (
    Event,
    Membership,
    Milestone,
    MilestoneEvidence,
    NetworkMembership,
    Organisation,
    Participation,
    Profile,
    Programme,
)
from contracts.models import (
    Clause,
    Contract,
    ContractParty,
    ContractVersion,
    Obligation,
    ObligationFulfilment,
    Rulebook,
    RulebookVersion,
)
from demo.scale_data.plan import OFFICIAL_ID_PREFIX, USERNAME_PREFIX
from dialogue.models import (
    ActionItem,
    AgendaItem,
    Arena,
    AttendanceEntry,
    AttendanceRevision,
    CalendarFeed,
    Comment,
    CommentRevision,
    Concern,
    Consultation,
    ConsultationInvitation,
    CoSignature,
    Decision,
    Invitation,
    Meeting,
    MinutesRevision,
    RelationshipSettings,
    Response,
)
from workers.models import Document, HandlerRun, Notification, PulseAnswer, PulseOptOut, TrustPulse


def generated_organisations() -> QuerySet:
    return Organisation.objects.filter(official_id__startswith=OFFICIAL_ID_PREFIX)


def generated_people() -> QuerySet:
    return get_user_model().objects.filter(username__startswith=USERNAME_PREFIX)


def generated() -> dict[str, int]:
    """How many generated organisations and people the database holds (zeros: none)."""
    return {
        "organisations": generated_organisations().count(),
        "people": generated_people().count(),
    }


def _delete(queryset: QuerySet) -> None:
    meta = queryset.model._meta
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{meta.db_table}" WHERE "{meta.pk.column}" IN ({sql})', params)


def delete_generated() -> None:
    organisations = list(generated_organisations().values_list("id", flat=True))
    purchasers = list(
        generated_organisations()
        .filter(kind=Organisation.Kind.PURCHASER)
        .values_list("id", flat=True)
    )
    people = list(generated_people().values_list("id", flat=True))
    events = Event.objects.filter(
        Q(purchaser__in=organisations) | Q(acting_for__in=organisations) | Q(actor__in=people)
    )
    meeting = {"meeting__purchaser__in": purchasers}
    comment = {"comment__consultation__purchaser__in": purchasers}
    steps = [
        HandlerRun.objects.filter(event__in=events),
        events,
        Document.objects.filter(Q(purchaser__in=purchasers) | Q(requested_by__in=people)),
        Notification.objects.filter(recipient__in=people),
        PulseAnswer.objects.filter(pulse__purchaser__in=purchasers),
        TrustPulse.objects.filter(Q(purchaser__in=purchasers) | Q(person__in=people)),
        AttendanceEntry.objects.filter(revision__meeting__purchaser__in=purchasers),
        AttendanceRevision.objects.filter(**meeting),
        MinutesRevision.objects.filter(**meeting),
        ActionItem.objects.filter(**meeting),
        Decision.objects.filter(agenda_item__meeting__purchaser__in=purchasers),
        AgendaItem.objects.filter(**meeting),
        Invitation.objects.filter(**meeting),
        Concern.objects.filter(purchaser__in=purchasers),
        Meeting.objects.filter(purchaser__in=purchasers),
        Arena.members.through.objects.filter(arena__purchaser__in=purchasers),
        Arena.objects.filter(purchaser__in=purchasers),
        RelationshipSettings.objects.filter(purchaser__in=purchasers),
        Response.objects.filter(**comment),
        CoSignature.objects.filter(**comment),
        CommentRevision.objects.filter(**comment),
        Comment.objects.filter(consultation__purchaser__in=purchasers),
        ConsultationInvitation.objects.filter(consultation__purchaser__in=purchasers),
        Consultation.objects.filter(purchaser__in=purchasers),
        MilestoneEvidence.objects.filter(milestone__programme__purchaser__in=purchasers),
        Milestone.objects.filter(programme__purchaser__in=purchasers),
        Clause.objects.filter(version__rulebook__programme__purchaser__in=purchasers),
        RulebookVersion.objects.filter(rulebook__programme__purchaser__in=purchasers),
        Rulebook.objects.filter(programme__purchaser__in=purchasers),
        ObligationFulfilment.objects.filter(obligation__contract__purchaser__in=purchasers),
        Obligation.objects.filter(contract__purchaser__in=purchasers),
        ContractVersion.objects.filter(contract__purchaser__in=purchasers),
        ContractParty.objects.filter(contract__purchaser__in=purchasers),
        Contract.objects.filter(purchaser__in=purchasers),
        Participation.objects.filter(programme__purchaser__in=purchasers),
        Programme.objects.filter(purchaser__in=purchasers),
        NetworkMembership.objects.filter(network__in=organisations),
        Membership.objects.filter(Q(organisation__in=organisations) | Q(person__in=people)),
        ApiToken.objects.filter(person__in=people),
        LogEntry.objects.filter(user__in=people),
        CalendarFeed.objects.filter(person__in=people),
        Profile.objects.filter(person__in=people),
        PulseOptOut.objects.filter(person__in=people),
        Organisation.objects.filter(id__in=organisations, kind=Organisation.Kind.POLITICAL_BODY),
        Organisation.objects.filter(id__in=organisations),
        get_user_model().objects.filter(id__in=people),
    ]
    _analyze(steps)
    for queryset in steps:
        _delete(queryset)


def _analyze(steps: list[QuerySet]) -> None:
    """Fresh planner statistics of the tables about to be emptied. Data written in this
    same transaction (a test's, or --replace right after a load that was never vacuumed)
    has none, and PostgreSQL then plans each DELETE … IN (subquery) as nested loops over
    rows it believes are one: the responses of 2,500 comments took minutes. ANALYZE, unlike
    VACUUM, runs inside a transaction."""
    tables = sorted({queryset.model._meta.db_table for queryset in steps})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(f'"{table}"' for table in tables))
