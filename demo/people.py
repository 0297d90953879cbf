"""The demo's people: one login per role, all with the shared demo password, and the
memberships that say whom each speaks for."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from commissioning.models import Membership
from commissioning.services.organisations import add_membership
from demo.organisations import Organisations

Role = Membership.Role

DEMO_PASSWORD = "demo-dialogue-2026"


class People:
    """Makes the people of one load, and then finds them by login."""

    def __init__(self):
        self.User = get_user_model()
        self._password_hash = None
        self.logins = {}  # username -> (person, the organisation they first speak for)

    def make(self, username, first, last, *, superuser=False):
        # The shared demo password is hashed once and the hash given to everyone: hashing it
        # per person (PBKDF2, ~0.2 s each) was most of the load time, and the password is
        # printed for all to read anyway, so a shared salt costs nothing here.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        make = self.User.objects.create_superuser if superuser else self.User.objects.create_user
        person = make(
            username=username,
            email=f"{username}@example.org",
            password=None,
            first_name=first,
            last_name=last,
        )
        person.password = self._password_hash
        person.save(update_fields=["password"])
        return person

    def person(self, login):
        return self.logins[login][0]

    def organisation(self, login):
        return self.logins[login][1]


def _roles(o: Organisations) -> list[tuple]:
    """(login, first name, last name, organisation, role), in the order they are made."""
    se = o.se_providers
    return [
        ("anna.manager", "Anna", "Lindqvist", o.region, Role.MANAGER),
        ("erik.officer", "Erik", "Sandberg", o.region, Role.OFFICER),
        ("sara.provider", "Sara", "Holm", se[1], Role.PROVIDER_REPRESENTATIVE),
        ("nils.network", "Nils", "Berg", o.network, Role.PROVIDER_REPRESENTATIVE),
        ("karin.politician", "Karin", "Ek", o.committee, Role.POLITICIAN),
        ("olivia.manager", "Olivia", "Hughes", o.icb, Role.MANAGER),
        ("james.officer", "James", "Patel", o.icb, Role.OFFICER),
        ("priya.provider", "Priya", "Shah", o.community, Role.PROVIDER_REPRESENTATIVE),
        ("george.councillor", "George", "Evans", o.icb_board, Role.POLITICIAN),
        ("ingrid.manager", "Ingrid", "Haugen", o.municipality, Role.MANAGER),
        ("lars.provider", "Lars", "Nilsen", o.health_trust, Role.PROVIDER_REPRESENTATIVE),
        ("solveig.politician", "Solveig", "Dahl", o.council, Role.POLITICIAN),
        # Those who speak for the other Swedish providers in the rulebook consultations.
        ("maria.alvstaden", "Maria", "Nyström", se[0], Role.PROVIDER_REPRESENTATIVE),
        ("johan.familjelakarna", "Johan", "Åberg", se[2], Role.PROVIDER_REPRESENTATIVE),
        ("per.norrland", "Per", "Lundgren", se[3], Role.PROVIDER_REPRESENTATIVE),
        ("elin.ersta", "Elin", "Strand", se[4], Role.PROVIDER_REPRESENTATIVE),
    ]


def demo_usernames() -> list[str]:
    """The logins the demo makes: the administrator and one per role."""
    placeholders = {name: None for name in Organisations.__dataclass_fields__}
    placeholders["se_providers"] = [None] * 6
    return ["admin", *(row[0] for row in _roles(Organisations(**placeholders)))]


def add_people(people: People, *, admin, organisations: Organisations) -> None:
    """Every login with its membership; Sara speaks for the network too (Nils is its
    admin)."""
    for username, first, last, organisation, role in _roles(organisations):
        person = people.make(username, first, last)
        # Each provider's representative is its organisation admin: they invite and remove
        # their colleagues (README "How people join").
        add_membership(
            actor=admin,
            person=person,
            organisation=organisation,
            role=role,
            is_admin=role == Role.PROVIDER_REPRESENTATIVE,
        )
        people.logins[username] = (person, organisation)
    # A person may act for several organisations: Sara also represents the network.
    add_membership(
        actor=admin,
        person=people.person("sara.provider"),
        organisation=organisations.network,
        role=Role.PROVIDER_REPRESENTATIVE,
    )
