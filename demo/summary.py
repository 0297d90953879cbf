"""What the load_demo_data command prints: the summary of what was loaded, and the logins."""

from django.utils import timezone

from commissioning.models import Event, Membership, Milestone, Programme
from contracts.models import Clause, Contract, RulebookVersion
from demo import consultations as consultation_demo
from demo.meetings.concerns import open_action_count
from demo.people import DEMO_PASSWORD
from dialogue.models import Arena, Concern, Meeting


def summary_lines(refusal: str) -> list[str]:
    today = timezone.localdate()
    milestones = Milestone.objects.select_related("programme")
    overdue = [
        m
        for m in milestones
        if m.status == Milestone.Status.PLANNED
        and m.effective_due_date is not None
        and m.effective_due_date < today
    ]
    open_actions, overdue_actions = open_action_count(today)
    contracts = ", ".join(
        f"{c.reference} {c.get_status_display().lower()}"
        for c in Contract.objects.order_by("reference")
    )
    versions = ", ".join(
        f"{v.number} {v.get_status_display().lower()}"
        for v in RulebookVersion.objects.order_by("rulebook_id", "number")
    )
    return [
        f"Programmes: {Programme.objects.count()}; milestones: {milestones.count()} "
        f"({milestones.filter(status=Milestone.Status.MET).count()} met, "
        f"{len(overdue)} overdue)",
        f"Contracts: {contracts}",
        f"Rulebook versions: {versions}; clauses: {Clause.objects.count()}",
        *consultation_demo.consultation_lines(),
        f"Arenas: {Arena.objects.count()}; meetings: {Meeting.objects.count()} "
        f"({Meeting.objects.filter(status=Meeting.Status.PLANNED).count()} planned)",
        f"Concerns: {Concern.objects.count()}; open actions: {open_actions} "
        f"({overdue_actions} overdue)",
        f"Events: {Event.objects.count()}",
        refusal,
    ]


def login_lines() -> list[str]:
    """One line per login, naming each organisation the person acts for (Sara speaks for a
    provider and for the network: one line, both organisations)."""
    rows = Membership.objects.select_related("person", "organisation").order_by(
        "organisation__country", "person__username", "id"
    )
    roles: dict[str, list[str]] = {}
    for membership in rows:
        roles.setdefault(membership.person.username, []).append(
            f"{membership.get_role_display()}, {membership.organisation.name}"
            + (" (organisation admin)" if membership.is_admin else "")
        )
    return [
        f"\nLogins (password for all: {DEMO_PASSWORD}); sign in on the pages at /sign-in/ "
        "(API tokens on the profile page, /profile/, or from /api/v1/auth/token/):",
        f"  {'admin':20} administrator (admin site at /admin/)",
        *(f"  {username:20} {'; '.join(held)}" for username, held in roles.items()),
    ]
