"""Reminders and alerts: one function per kind finds what is due on a day and emails each
person concerned once.

"Meeting points and notifications get lost" (DESIGN.md, the Norwegian finding): these are the
follow-ups that keep open actions, obligations, milestones, consultations and quiet
relationships in view.

Each email is sent once. A Notification row keyed by the occasion and the recipient
("action-overdue:17:2026-11-20:42") is inserted in the same transaction as the sending: a job
run twice finds the row and sends nothing; if sending raises, the row rolls back and the next
run tries again. (The one window left is a send that succeeds followed by a failed commit:
then the person may get the email twice, never zero times.)

Every function takes `today` so that a run is about one day; the tasks pass
timezone.localdate(). Recipients without an email address, or inactive, are skipped.
"""

import datetime
from collections.abc import Iterable
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from commissioning.languages import language_of
from commissioning.milestones import mark_milestone_missed
from commissioning.models import Membership, Milestone, Organisation
from contracts.models import Contract, Obligation
from contracts.obligation_services import occurrences
from dialogue.models import (
    ActionItem,
    Comment,
    Consultation,
    CoSignature,
)
from dialogue.responses import unanswered
from workers.models import Notification

Role = Membership.Role
Kind = Organisation.Kind

ACTION_DUE_DAYS = 3
OBLIGATION_DUE_DAYS = 14
MILESTONE_DUE_DAYS = 14
CONSULTATION_CLOSING_DAYS = 3
# "10 working days": Monday to Friday. There is no holiday calendar (Swedish, Norwegian and
# English public holidays differ), so a holiday counts as a working day.
UNANSWERED_AFTER_WORKING_DAYS = 10

STAFF_ROLES = [Role.MANAGER, Role.OFFICER]
# The roles that speak for an organisation of each kind; politicians get no reminders.
PEOPLE_BY_KIND = {
    Kind.PURCHASER: STAFF_ROLES,
    Kind.PROVIDER: [Role.PROVIDER_REPRESENTATIVE],
    Kind.PROVIDER_NETWORK: [Role.PROVIDER_REPRESENTATIVE],
    Kind.POLITICAL_BODY: [],
}
# An obligation is owed once the contract is signed, and until it ends.
CONTRACT_IN_FORCE = [Contract.Status.SIGNED, Contract.Status.ACTIVE]


# --- language, recipients, and sending once --------------------------------------------


def people_of(
    organisations: Iterable[Organisation], roles: Iterable[str] | None = None
) -> list[tuple]:
    """(person, organisation) for everyone who speaks for the organisations: the roles given,
    or those of each organisation's kind. One row per person (the first organisation wins),
    only active people with an email address."""
    organisations = list(organisations)
    condition = Q()
    for organisation in organisations:
        allowed = list(roles) if roles is not None else PEOPLE_BY_KIND.get(organisation.kind, [])
        if allowed:
            condition |= Q(organisation=organisation, role__in=allowed)
    if not condition:
        return []
    memberships = (
        Membership.objects.filter(condition, person__is_active=True)
        .exclude(person__email="")
        .select_related("person", "organisation")
        .order_by("person_id", "id")
    )
    seen, found = set(), []
    for membership in memberships:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            found.append((membership.person, membership.organisation))
    return found


def link(name: str, *, query: str = "", **kwargs) -> str:
    """An absolute link to an object, for the email."""
    path = reverse(name, kwargs=kwargs)
    return f"{settings.SITE_URL}{path}" + (f"?{query}" if query else "")


def send_once(
    *,
    kind: str,
    key: str,
    person,
    organisation: Organisation | None,
    subject,
    subject_params: dict,
    template: str,
    context: dict,
    sender: Organisation | None = None,
) -> bool:
    """Email `person` once for the occasion named by `key`, in their language, with plain
    text and HTML parts. True if sent now, False if it was sent before."""
    if Notification.objects.filter(key=key).exists():
        return False
    language = language_of(person, organisation)
    person_name = person.get_full_name() or person.get_username()
    with translation.override(language):
        # Dates in the subject are written the way the reader's language writes them.
        params = {
            name: date_format(value) if isinstance(value, datetime.date) else value
            for name, value in subject_params.items()
        }
        subject_text = " ".join(str(subject % params).split())
        full_context = {
            **context,
            "person_name": person_name,
            "organisation": organisation,
            "language": language,
            "subject": subject_text,
        }
        text = render_to_string(f"workers/email/reminder_{template}.txt", full_context)
        html = render_to_string(f"workers/email/reminder_{template}.html", full_context)
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    from_email = settings.DEFAULT_FROM_EMAIL
    if sender is not None:
        from_email = formataddr((sender.name, address or settings.DEFAULT_FROM_EMAIL))
    message = EmailMultiAlternatives(
        subject=subject_text,
        body=text,
        from_email=from_email,
        to=[formataddr((person_name, person.email))],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            # The row first: a second run (or a concurrent worker) waits on the unique key
            # and then fails, instead of sending. Sending inside the transaction means a
            # failed send leaves no row, so the next run tries again.
            Notification.objects.create(
                key=key,
                kind=kind,
                recipient=person,
                email=person.email,
                subject=subject_text[:300],
                language=language,
            )
            message.send()
    except IntegrityError:
        return False
    return True


def _days(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


# --- action items -----------------------------------------------------------------------


def _action_recipients(action: ActionItem) -> list[tuple]:
    """The owner person if there is one (and reachable), else the people of the owner
    organisation."""
    owner = action.owner_person
    if owner is not None and owner.is_active and owner.email:
        return [(owner, action.owner_organisation)]
    return people_of([action.owner_organisation])


def _open_actions():
    return ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related(
        "meeting__purchaser", "owner_organisation", "owner_person"
    )


def send_action_due_reminders(*, today: datetime.date) -> int:
    """Open action items due within the next 3 days (today included): the due date is in the
    key, so an action moved to a later date is reminded of again."""
    sent = 0
    actions = _open_actions().filter(
        due_date__gte=today, due_date__lte=_days(today, ACTION_DUE_DAYS)
    )
    for action in actions:
        for person, organisation in _action_recipients(action):
            sent += send_once(
                kind="action_due",
                key=f"action-due:{action.id}:{action.due_date.isoformat()}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("Action due %(date)s: %(title)s"),
                subject_params={"date": action.due_date, "title": action.title},
                template="action_due",
                context={"action": action, "url": link("action-item-detail", pk=action.pk)},
                sender=action.meeting.purchaser,
            )
    return sent


def send_action_overdue_reminders(*, today: datetime.date) -> int:
    """Open action items past their due date, once (per due date) when they become overdue."""
    sent = 0
    for action in _open_actions().filter(due_date__lt=today):
        for person, organisation in _action_recipients(action):
            sent += send_once(
                kind="action_overdue",
                key=f"action-overdue:{action.id}:{action.due_date.isoformat()}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("Overdue action: %(title)s"),
                subject_params={"title": action.title},
                template="action_overdue",
                context={
                    "action": action,
                    "days_overdue": (today - action.due_date).days,
                    "url": link("action-item-detail", pk=action.pk),
                },
                sender=action.meeting.purchaser,
            )
    return sent


# --- obligations ------------------------------------------------------------------------


def send_obligation_due_reminders(*, today: datetime.date) -> int:
    """The next occurrence of each obligation of a signed or active contract, when it is due
    within 14 days and not yet recorded as fulfilled: to the owing organisation's people and
    the purchaser's officers."""
    horizon = _days(today, OBLIGATION_DUE_DAYS)
    obligations = (
        Obligation.objects.filter(contract__status__in=CONTRACT_IN_FORCE, first_due__lte=horizon)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("contract__purchaser", "contract__programme", "owed_by")
        .prefetch_related("fulfilments")
    )
    sent = 0
    for obligation in obligations:
        upcoming = occurrences(obligation, after=today, count=1)
        if not upcoming or upcoming[0] > horizon:
            continue
        due = upcoming[0]
        if any(f.due == due for f in obligation.fulfilments.all()):
            continue
        purchaser = obligation.contract.purchaser
        recipients = people_of([obligation.owed_by])
        already = {person.id for person, _org in recipients}
        recipients += [
            (person, organisation)
            for person, organisation in people_of([purchaser], roles=[Role.OFFICER])
            if person.id not in already
        ]
        for person, organisation in recipients:
            sent += send_once(
                kind="obligation_due",
                key=f"obligation-due:{obligation.id}:{due.isoformat()}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("Obligation due %(date)s: %(title)s"),
                subject_params={"date": due, "title": obligation.title},
                template="obligation_due",
                context={
                    "obligation": obligation,
                    "due": due,
                    "contract": obligation.contract,
                    "url": link("obligation-detail", pk=obligation.pk),
                },
                sender=purchaser,
            )
    return sent


# --- milestones -------------------------------------------------------------------------


def _planned_milestones():
    # Imported here: commissioning.milestones is the milestone module's selectors, and the
    # expression keeps "effective due date" defined in one place.
    from commissioning.milestones import effective_due_date_expression

    return (
        Milestone.objects.filter(status=Milestone.Status.PLANNED)
        .annotate(effective_due=effective_due_date_expression())
        .select_related("programme__purchaser", "contract")
    )


def send_milestone_due_reminders(*, today: datetime.date) -> int:
    """Planned milestones due within 14 days (today included), to the purchaser's managers
    and officers; gating ones say that they hold up the decision."""
    sent = 0
    milestones = _planned_milestones().filter(
        effective_due__gte=today, effective_due__lte=_days(today, MILESTONE_DUE_DAYS)
    )
    for milestone in milestones:
        purchaser = milestone.programme.purchaser
        due = milestone.effective_due
        for person, organisation in people_of([purchaser], roles=STAFF_ROLES):
            sent += send_once(
                kind="milestone_due",
                key=f"milestone-due:{milestone.id}:{due.isoformat()}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("Milestone due %(date)s: %(title)s"),
                subject_params={"date": due, "title": milestone.title},
                template="milestone_due",
                context={
                    "milestone": milestone,
                    "due": due,
                    "programme": milestone.programme,
                    "url": link("milestone-detail", pk=milestone.pk),
                },
                sender=purchaser,
            )
    return sent


def mark_missed_milestones(*, today: datetime.date) -> int:
    """Every planned milestone past its due date is marked missed."""
    marked = 0
    for milestone in _planned_milestones().filter(effective_due__lt=today):
        marked += mark_milestone_missed(milestone=milestone, today=today) is not None
    return marked


# --- consultations ----------------------------------------------------------------------


def send_consultation_closing_reminders(*, today: datetime.date) -> int:
    """An open consultation closing within 3 days (today included, and not yet past its
    close): to the people of each invited organisation that has not commented yet.

    Commented means a submitted (not withdrawn) comment of its own, or an active
    co-signature of a submitted comment: a member standing behind its network's comment has
    been heard. An invited network is reminded like any organisation (its representatives);
    the members of a network are reminded only when they are invited themselves, since the
    network speaks for them and the invitation says who is asked."""
    now = timezone.now()
    consultations = (
        Consultation.objects.filter(
            status=Consultation.Status.OPEN,
            closes_at__gt=now,
        )
        .select_related("purchaser", "programme")
        .prefetch_related("invitations__organisation")
    )
    sent = 0
    for consultation in consultations:
        closes_on = timezone.localdate(consultation.closes_at)
        if not today <= closes_on <= _days(today, CONSULTATION_CLOSING_DAYS):
            continue
        submitted = Comment.objects.filter(
            consultation=consultation, status=Comment.Status.SUBMITTED
        )
        commented = set(submitted.values_list("organisation_id", flat=True)) | set(
            CoSignature.objects.filter(
                comment__in=submitted, withdrawn_at__isnull=True
            ).values_list("organisation_id", flat=True)
        )
        silent = [
            invitation.organisation
            for invitation in consultation.invitations.all()
            if invitation.organisation_id not in commented
        ]
        for person, organisation in people_of(silent):
            sent += send_once(
                kind="consultation_closing",
                key=f"consultation-closing:{consultation.id}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("The consultation %(title)s closes on %(date)s"),
                subject_params={"title": consultation.title, "date": closes_on},
                template="consultation_closing",
                context={
                    "consultation": consultation,
                    "closes_at": timezone.localtime(consultation.closes_at),
                    "url": link("consultation-page", consultation_id=consultation.pk),
                },
                sender=consultation.purchaser,
            )
    return sent


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The day `count` working days (Monday to Friday) after `day`; no holiday calendar."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def send_unanswered_comment_reminders(*, today: datetime.date) -> int:
    """Comments still without a response 10 working days after the consultation closed:
    one email per consultation to each of the purchaser's officers, with the count.
    "You said, we did" only builds trust if every comment is answered."""
    now = timezone.now()
    consultations = (
        Consultation.objects.filter(closes_at__lte=now)
        .exclude(status=Consultation.Status.SCHEDULED)
        .filter(Exists(Comment.objects.filter(unanswered(), consultation=OuterRef("pk"))))
        .select_related("purchaser", "programme")
    )
    sent = 0
    for consultation in consultations:
        closed_on = timezone.localdate(consultation.closes_at)
        if add_working_days(closed_on, UNANSWERED_AFTER_WORKING_DAYS) > today:
            continue
        count = Comment.objects.filter(unanswered(), consultation=consultation).count()
        for person, organisation in people_of([consultation.purchaser], roles=[Role.OFFICER]):
            sent += send_once(
                kind="comments_unanswered",
                key=f"comments-unanswered:{consultation.id}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("%(count)s comments on %(title)s still have no response"),
                subject_params={"count": count, "title": consultation.title},
                template="comments_unanswered",
                context={
                    "consultation": consultation,
                    "count": count,
                    "closed_on": closed_on,
                    "url": link(
                        "consultation-comment-list",
                        consultation_pk=consultation.pk,
                        query="answered=false",
                    ),
                },
                sender=consultation.purchaser,
            )
    return sent


# --- relationships ----------------------------------------------------------------------


def send_relationship_silence_alerts(*, today: datetime.date) -> int:
    """Relationships with no held meeting for the purchaser's N days (or never), to the
    purchaser's managers: once per relationship per silence, since the key holds the date of
    the last meeting, and a new meeting starts a new silence.

    The figures are dialogue.selectors.relationships.relationship_health's, read as one of the
    purchaser's managers (every manager of a purchaser reads the same relationships)."""
    from dialogue.selectors.relationships import relationship_health

    sent = 0
    purchasers = Organisation.objects.filter(
        kind=Kind.PURCHASER, memberships__role=Role.MANAGER
    ).distinct()
    for purchaser in purchasers:
        managers = people_of([purchaser], roles=[Role.MANAGER])
        if not managers:
            continue
        reader = managers[0][0]
        for relationship in relationship_health(
            person=reader, purchaser_id=purchaser.id, today=today
        ):
            if not relationship.no_meeting_alert:
                continue
            last = relationship.last_meeting_on
            silence = last.isoformat() if last else "never"
            for person, organisation in managers:
                sent += send_once(
                    kind="relationship_silent",
                    key=(
                        f"relationship-silent:{purchaser.id}:{relationship.provider_id}:"
                        f"{silence}:{person.id}"
                    ),
                    person=person,
                    organisation=organisation,
                    subject=_("No meeting with %(provider)s for %(days)s days")
                    if last
                    else _("No meeting with %(provider)s yet"),
                    subject_params={
                        "provider": relationship.provider_name,
                        "days": relationship.days_since_last_meeting,
                    },
                    template="relationship_silent",
                    context={
                        "relationship": relationship,
                        "url": link(
                            "relationship-list",
                            query=f"purchaser={purchaser.id}&provider={relationship.provider_id}",
                        ),
                    },
                    sender=purchaser,
                )
    return sent


# Every kind the daily job runs, by name (the task takes the name).
REMINDERS = {
    "action_due": send_action_due_reminders,
    "action_overdue": send_action_overdue_reminders,
    "obligation_due": send_obligation_due_reminders,
    "milestone_due": send_milestone_due_reminders,
    "milestone_missed": mark_missed_milestones,
    "consultation_closing": send_consultation_closing_reminders,
    "comments_unanswered": send_unanswered_comment_reminders,
    "relationship_silent": send_relationship_silence_alerts,
}
