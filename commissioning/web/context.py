"""What every page template gets: who is signed in, as which organisation and role, and the
links of the navigation that role uses."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.models import Membership
from commissioning.web.acting import memberships_of, roles_in

Role = Membership.Role


def looks_after_people(standing, organisation) -> bool:
    """Purchaser staff (who invite its people, or providers' first representatives) and the
    organisation admins of a provider or network: accounts/web/people.py."""
    return organisation.id in standing.staff_purchasers | standing.administered


# Each link is shown to the roles named (or to whom the function says); the apps' web/ and
# pages/ own the pages behind them.
NAVIGATION = [
    ("home", _("Home"), None),
    ("meeting-pages", _("Meetings"), {Role.MANAGER, Role.OFFICER}),
    ("my-actions", _("My actions"), {Role.MANAGER, Role.OFFICER}),
    ("dashboard", _("Dashboard"), {Role.MANAGER, Role.OFFICER}),
    (
        "consultation-pages",
        _("Consultations"),
        {Role.MANAGER, Role.OFFICER, Role.PROVIDER_REPRESENTATIVE},
    ),
    ("contract-pages", _("Contracts"), {Role.MANAGER, Role.OFFICER}),
    ("obligation-calendar", _("Obligations"), {Role.MANAGER, Role.OFFICER}),
    ("milestone-pages", _("Milestones"), {Role.MANAGER, Role.OFFICER}),
    (
        "rulebook-pages",
        _("Rulebooks"),
        {Role.MANAGER, Role.OFFICER, Role.PROVIDER_REPRESENTATIVE},
    ),
    ("concern-pages", _("Concerns"), {Role.MANAGER, Role.OFFICER, Role.PROVIDER_REPRESENTATIVE}),
    (
        "relationship-pages",
        _("Relationships"),
        {Role.MANAGER, Role.OFFICER, Role.PROVIDER_REPRESENTATIVE, Role.POLITICIAN},
    ),
    ("briefing-list", _("Briefings"), {Role.MANAGER, Role.OFFICER, Role.POLITICIAN}),
    ("people-page", _("People"), looks_after_people),
]


def pages(request):
    person = getattr(request, "user", None)
    if person is None or not person.is_authenticated or request.path.startswith("/api/"):
        return {}
    standing = policies.standing_of(person)
    acting_for = getattr(request, "acting_for", None)
    roles = roles_in(request, acting_for) if acting_for else frozenset()
    links = []
    for name, label, allowed in NAVIGATION:
        if callable(allowed):
            shown = acting_for is not None and allowed(standing, acting_for)
        else:
            shown = allowed is None or bool(roles & allowed)
        if shown:
            url = reverse(name)
            links.append({"url": url, "label": label, "current": request.path == url})
    return {
        "acting_for": acting_for,
        "memberships": list(memberships_of(person)) if len(standing.organisations) > 1 else [],
        "navigation": links,
    }
