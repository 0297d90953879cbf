"""Reminders of what comes due: open action items, obligations of a contract in force and
planned milestones, each before its date and (actions) once overdue; milestones past their
date are marked missed. Sent once each (workers.reminders.delivery.send_reminder)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Membership, Milestone
from commissioning.selectors.milestones import effective_due_date_expression
from commissioning.services.milestones import mark_milestone_missed
from contracts.models import Contract, Obligation
from contracts.occurrences import occurrences
from dialogue.models import (
    ActionItem,
)
from workers.mail import STAFF_ROLES, people_of
from workers.reminders.delivery import days_after, link, send_reminder

Role = Membership.Role

ACTION_DUE_DAYS = 3
OBLIGATION_DUE_DAYS = 14
MILESTONE_DUE_DAYS = 14
# An obligation is owed once the contract is signed, and until it ends.
CONTRACT_IN_FORCE = [Contract.Status.SIGNED, Contract.Status.ACTIVE]


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
        due_date__gte=today, due_date__lte=days_after(today, ACTION_DUE_DAYS)
    )
    for action in actions:
        for person, organisation in _action_recipients(action):
            sent += send_reminder(
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
            sent += send_reminder(
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
    horizon = days_after(today, OBLIGATION_DUE_DAYS)
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
            sent += send_reminder(
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
        effective_due__gte=today, effective_due__lte=days_after(today, MILESTONE_DUE_DAYS)
    )
    for milestone in milestones:
        purchaser = milestone.programme.purchaser
        due = milestone.effective_due
        for person, organisation in people_of([purchaser], roles=STAFF_ROLES):
            sent += send_reminder(
                kind="milestone_due",
                key=f"milestone-due:{milestone.id}:{due.isoformat()}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("Milestone due %(date)s: %(title)s"),
                subject_params={"date": due, "title": milestone.shown_title},
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
