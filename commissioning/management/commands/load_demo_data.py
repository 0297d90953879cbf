"""A small, believable world to try the product in: a Swedish region's care-choice scheme,
an English ICB's integrated respiratory service, and a Norwegian municipality's cooperation
agreement with its health trust. One login per role."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from commissioning import services
from commissioning.models import Membership, Organisation, Programme

Kind = Organisation.Kind
Ownership = Organisation.Ownership
Role = Membership.Role

DEMO_PASSWORD = "demo-dialogue-2026"


class Command(BaseCommand):
    help = "Load the demo organisations, people and programmes (once; skipped if present)."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="anna.manager").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                self._load(User)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins()

    def _person(self, User, username, first, last, *, superuser=False):
        make = User.objects.create_superuser if superuser else User.objects.create_user
        return make(
            username=username,
            email=f"{username}@example.org",
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )

    def _org(self, admin, name, kind, country, ownership="", official_id="", oversees=None):
        return services.create_organisation(
            actor=admin,
            name=name,
            kind=kind,
            country=country,
            ownership=ownership,
            official_id=official_id,
            oversees=oversees,
        )

    def _load(self, User):
        admin = self._person(User, "admin", "Alex", "Administrator", superuser=True)
        today = datetime.date.today()

        # Sweden: a region's primary-care choice scheme (vårdval) and its providers.
        region = self._org(
            admin, "Region Norrsund", Kind.PURCHASER, "SE", official_id="232100-0000"
        )
        committee = self._org(
            admin,
            "Hälso- och sjukvårdsnämnden, Region Norrsund",
            Kind.POLITICAL_BODY,
            "SE",
            oversees=region,
        )
        se_providers = [
            self._org(
                admin,
                "Vårdcentralen Älvstaden (Region Norrsund)",
                Kind.PROVIDER,
                "SE",
                Ownership.PUBLIC,
                "232100-0001",
            ),
            self._org(
                admin,
                "Hälsans Hus Norrsund AB",
                Kind.PROVIDER,
                "SE",
                Ownership.PRIVATE,
                "556677-1001",
            ),
            self._org(
                admin,
                "Familjeläkarna i Norrsund AB",
                Kind.PROVIDER,
                "SE",
                Ownership.PRIVATE,
                "556677-1002",
            ),
            self._org(
                admin, "Norrlandsläkarna AB", Kind.PROVIDER, "SE", Ownership.PRIVATE, "556677-1003"
            ),
            self._org(
                admin,
                "Stiftelsen Ersta Norrsund",
                Kind.PROVIDER,
                "SE",
                Ownership.NON_PROFIT,
                "802000-1004",
            ),
            self._org(
                admin,
                "Vårdcentralen Hamnen (Region Norrsund)",
                Kind.PROVIDER,
                "SE",
                Ownership.PUBLIC,
                "232100-0002",
            ),
        ]
        network = self._org(admin, "Vårdföretagarna Norrsund", Kind.PROVIDER_NETWORK, "SE")
        for provider in se_providers[1:4]:
            services.add_network_member(actor=admin, network=network, provider=provider)

        # England: an ICB commissioning an integrated respiratory service.
        icb = self._org(
            admin,
            "NHS North Riverside Integrated Care Board",
            Kind.PURCHASER,
            "GB",
            official_id="QNR",
        )
        icb_board = self._org(
            admin, "North Riverside ICB Board", Kind.POLITICAL_BODY, "GB", oversees=icb
        )
        trust = self._org(
            admin,
            "Riverside University Hospitals NHS Foundation Trust",
            Kind.PROVIDER,
            "GB",
            Ownership.PUBLIC,
            "RRV",
        )
        community = self._org(
            admin,
            "Riverside Community Health CIC",
            Kind.PROVIDER,
            "GB",
            Ownership.NON_PROFIT,
            "NRC",
        )

        # Norway: a municipality and its health trust under a cooperation agreement.
        municipality = self._org(
            admin, "Fjordvik kommune", Kind.PURCHASER, "NO", official_id="964900000"
        )
        council = self._org(
            admin,
            "Helse- og omsorgsutvalget, Fjordvik kommune",
            Kind.POLITICAL_BODY,
            "NO",
            oversees=municipality,
        )
        health_trust = self._org(
            admin, "Helse Fjordvik HF", Kind.PROVIDER, "NO", Ownership.PUBLIC, "983900000"
        )

        people = [
            ("anna.manager", "Anna", "Lindqvist", region, Role.MANAGER),
            ("erik.officer", "Erik", "Sandberg", region, Role.OFFICER),
            ("sara.provider", "Sara", "Holm", se_providers[1], Role.PROVIDER_REPRESENTATIVE),
            ("nils.network", "Nils", "Berg", network, Role.PROVIDER_REPRESENTATIVE),
            ("karin.politician", "Karin", "Ek", committee, Role.POLITICIAN),
            ("olivia.manager", "Olivia", "Hughes", icb, Role.MANAGER),
            ("james.officer", "James", "Patel", icb, Role.OFFICER),
            ("priya.provider", "Priya", "Shah", community, Role.PROVIDER_REPRESENTATIVE),
            ("george.councillor", "George", "Evans", icb_board, Role.POLITICIAN),
            ("ingrid.manager", "Ingrid", "Haugen", municipality, Role.MANAGER),
            ("lars.provider", "Lars", "Nilsen", health_trust, Role.PROVIDER_REPRESENTATIVE),
            ("solveig.politician", "Solveig", "Dahl", council, Role.POLITICIAN),
        ]
        logins = {}
        for username, first, last, organisation, role in people:
            person = self._person(User, username, first, last)
            services.add_membership(
                actor=admin, person=person, organisation=organisation, role=role
            )
            logins[username] = (person, organisation)
        # A person may act for several organisations: Sara also represents the network.
        services.add_membership(
            actor=admin,
            person=logins["sara.provider"][0],
            organisation=network,
            role=Role.PROVIDER_REPRESENTATIVE,
        )

        def programme(login, **fields):
            person, purchaser = logins[login]
            return services.create_programme(actor=person, acting_for=purchaser, **fields)

        programme(
            "erik.officer",
            name="Vårdval primärvård 2027",
            description="Förfrågningsunderlag och regelbok för vårdval primärvård enligt LOV.",
            framework=Programme.Framework.SE_CARE_CHOICE,
            phase=Programme.Phase.EARLY_DIALOGUE,
            target_decision_date=today + datetime.timedelta(days=150),
            language=Programme.Language.SV,
            time_zone="Europe/Stockholm",
            participants=[p.id for p in se_providers] + [network.id],
        )
        programme(
            "james.officer",
            name="Integrated respiratory service",
            description="COPD and asthma pathway across hospital and community, 2027–2032.",
            framework=Programme.Framework.UK_PROVIDER_SELECTION,
            phase=Programme.Phase.EARLY_DIALOGUE,
            target_decision_date=today + datetime.timedelta(days=120),
            language=Programme.Language.EN,
            time_zone="Europe/London",
            participants=[trust.id, community.id],
        )
        programme(
            "ingrid.manager",
            name="Samarbeidsavtale Fjordvik kommune – Helse Fjordvik HF",
            description="Tjenesteavtaler om utskrivningsklare pasienter og kunnskapsoverføring.",
            framework=Programme.Framework.NO_COOPERATION_AGREEMENT,
            phase=Programme.Phase.DELIVERY,
            target_decision_date=today + datetime.timedelta(days=60),
            language=Programme.Language.NB,
            time_zone="Europe/Oslo",
            participants=[health_trust.id],
        )

    def _print_logins(self):
        rows = Membership.objects.select_related("person", "organisation").order_by(
            "organisation__country", "person__username"
        )
        self.stdout.write(f"\nLogins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'admin':20} administrator (admin site at /admin/)")
        for membership in rows:
            self.stdout.write(
                f"  {membership.person.username:20} {membership.get_role_display()}, "
                f"{membership.organisation.name}"
            )
