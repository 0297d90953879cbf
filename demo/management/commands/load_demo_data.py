"""A small, believable world to try the product in: a Swedish region's care-choice scheme,
an English ICB's integrated respiratory service, and a Norwegian municipality's cooperation
agreement with its health trust. One login per role.

Everything is made through the services, so that every Event exists and every rule holds;
the builders of each app live in its demo module (demo.milestones, demo.contracts,
demo.meetings, demo.consultations). The direct writes are dates of history the
services cannot write in the past: the overdue concern's (see demo.meetings) and the rulebook
consultations' (see demo.consultations)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from commissioning.models import Event, Membership, Milestone, Organisation, Programme
from commissioning.services.organisations import (
    add_membership,
    add_network_member,
    create_organisation,
)
from commissioning.services.programmes import create_programme
from contracts.models import Clause, Contract, RulebookVersion
from demo import consultations as consultation_demo
from demo import contracts as contract_demo
from demo import meetings as dialogue_demo
from demo import milestones as milestone_demo
from dialogue.models import Arena, Concern, Meeting

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
            # Loading a year of history fires its follow-ups (trust pulses, schedules) as it
            # would live; the emails are kept in memory rather than printed by the console
            # backend of `make demo`, a few thousand lines nobody reads.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                mail.outbox = []
                with transaction.atomic():
                    refusal = self._load(User)
                follow_ups = len(mail.outbox)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            self._print_summary(refusal)
            self.stdout.write(f"Follow-up emails sent while loading (kept in memory): {follow_ups}")
        self._print_logins()

    def _person(self, User, username, first, last, *, superuser=False):
        # The shared demo password is hashed once and the hash given to everyone: hashing it
        # per person (PBKDF2, ~0.2 s each) was most of the load time, and the password is
        # printed for all to read anyway, so a shared salt costs nothing here.
        if not hasattr(self, "_password_hash"):
            self._password_hash = make_password(DEMO_PASSWORD)
        make = User.objects.create_superuser if superuser else User.objects.create_user
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

    def _org(self, admin, name, kind, country, ownership="", official_id="", oversees=None):
        return create_organisation(
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
        today = timezone.localdate()

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
            add_network_member(actor=admin, network=network, provider=provider)

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
            # Those who speak for the other Swedish providers in the rulebook consultations.
            ("maria.alvstaden", "Maria", "Nyström", se_providers[0], Role.PROVIDER_REPRESENTATIVE),
            (
                "johan.familjelakarna",
                "Johan",
                "Åberg",
                se_providers[2],
                Role.PROVIDER_REPRESENTATIVE,
            ),
            ("per.norrland", "Per", "Lundgren", se_providers[3], Role.PROVIDER_REPRESENTATIVE),
            ("elin.ersta", "Elin", "Strand", se_providers[4], Role.PROVIDER_REPRESENTATIVE),
        ]
        logins = {}
        for username, first, last, organisation, role in people:
            person = self._person(User, username, first, last)
            add_membership(actor=admin, person=person, organisation=organisation, role=role)
            logins[username] = (person, organisation)
        # A person may act for several organisations: Sara also represents the network.
        add_membership(
            actor=admin,
            person=logins["sara.provider"][0],
            organisation=network,
            role=Role.PROVIDER_REPRESENTATIVE,
        )

        def programme(login, **fields):
            person, purchaser = logins[login]
            return create_programme(actor=person, acting_for=purchaser, **fields)

        # The target decision dates put the templates' offsets where the story needs them:
        # in each programme some milestones are past (met), and one is past and still open.
        care_choice = programme(
            "erik.officer",
            name="Vårdval primärvård 2027",
            description="Förfrågningsunderlag och regelbok för vårdval primärvård enligt LOV.",
            framework=Programme.Framework.SE_CARE_CHOICE,
            phase=Programme.Phase.EARLY_DIALOGUE,
            target_decision_date=today + datetime.timedelta(days=80),
            language=Programme.Language.SV,
            time_zone="Europe/Stockholm",
            participants=[p.id for p in se_providers] + [network.id],
        )
        respiratory = programme(
            "james.officer",
            name="Integrated respiratory service",
            description="COPD and asthma pathway across hospital and community, 2027–2032.",
            framework=Programme.Framework.UK_PROVIDER_SELECTION,
            phase=Programme.Phase.EARLY_DIALOGUE,
            target_decision_date=today + datetime.timedelta(days=20),
            language=Programme.Language.EN,
            time_zone="Europe/London",
            participants=[trust.id, community.id],
        )
        cooperation = programme(
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

        def person(login):
            return logins[login][0]

        # Contracts and the rulebook. The Norwegian agreement was in force before this
        # year's milestones were planned, so it is taken to active before the template is
        # applied (its gating milestones are about revising it, not about the first signing).
        contract_demo.build_norwegian_agreement(
            manager=person("ingrid.manager"),
            municipality=municipality,
            programme=cooperation,
            health_trust=health_trust,
            trust_person=person("lars.provider"),
            today=today,
        )
        respiratory_contract = contract_demo.build_english_contract(
            officer=person("james.officer"),
            icb=icb,
            programme=respiratory,
            trust=trust,
            community=community,
            today=today,
        )
        se_rulebook = contract_demo.build_swedish_rulebook(
            officer=person("erik.officer"), region=region, programme=care_choice
        )

        # A year of meetings in each arena.
        norrland = se_providers[3]
        _, se_meetings, _ = dialogue_demo.build_swedish_council(
            forum=dialogue_demo.Forum(
                purchaser=region,
                officer=person("erik.officer"),
                manager=person("anna.manager"),
                time_zone="Europe/Stockholm",
                place="Regionhuset, sal Älven",
                programme=care_choice,
                # Norrlandsläkarna is a member but never invited (see demo.meetings).
                invitees=[p for p in se_providers if p != norrland] + [network],
                people={
                    se_providers[1].id: person("sara.provider").id,
                    network.id: person("nils.network").id,
                },
            ),
            providers=se_providers,
            network=network,
            today=today,
        )
        _, en_meetings, _ = dialogue_demo.build_english_forum(
            forum=dialogue_demo.Forum(
                purchaser=icb,
                officer=person("james.officer"),
                manager=person("olivia.manager"),
                time_zone="Europe/London",
                place="Riverside House, Board Room",
                programme=respiratory,
                invitees=[trust, community],
                people={community.id: person("priya.provider").id},
            ),
            trust=trust,
            community=community,
            today=today,
        )
        _, no_meetings, _ = dialogue_demo.build_norwegian_collaboration(
            forum=dialogue_demo.Forum(
                purchaser=municipality,
                officer=person("ingrid.manager"),
                manager=person("ingrid.manager"),
                time_zone="Europe/Oslo",
                place="Fjordvik rådhus, møterom 2",
                programme=cooperation,
                invitees=[health_trust],
                people={health_trust.id: person("lars.provider").id},
            ),
            health_trust=health_trust,
            today=today,
        )
        dialogue_demo.raise_demo_concerns(
            today=today,
            municipality=municipality,
            municipal_manager=person("ingrid.manager"),
            health_trust=health_trust,
            trust_person=person("lars.provider"),
            norwegian_programme=cooperation,
            region=region,
            network=network,
            network_person=person("nils.network"),
            icb=icb,
            icb_manager=person("olivia.manager"),
            community=community,
            community_person=person("priya.provider"),
        )

        # Milestones from each framework's template, some met with their evidence.
        se_milestones = milestone_demo.swedish_milestones(
            officer=person("erik.officer"),
            region=region,
            programme=care_choice,
            meetings=se_meetings,
        )
        # The rulebook consultations (issue 5): the first one closed and answered, its
        # milestones met with it as evidence, version 1 adopted, the second one open.
        se_region = consultation_demo.Region(
            purchaser=region,
            officer=person("erik.officer"),
            manager=person("anna.manager"),
            programme=care_choice,
            rulebook=se_rulebook,
        )
        speakers = {
            se_providers[0].id: person("maria.alvstaden"),
            se_providers[1].id: person("sara.provider"),
            se_providers[2].id: person("johan.familjelakarna"),
            se_providers[3].id: person("per.norrland"),
            se_providers[4].id: person("elin.ersta"),
            network.id: person("nils.network"),
        }
        first_consultation = consultation_demo.hold_first_consultation(
            region=se_region,
            providers=se_providers,
            network=network,
            people=speakers,
            cosigners=se_providers[1:4],
        )
        milestone_demo.swedish_consultation_met(
            officer=person("erik.officer"),
            region=region,
            milestones=se_milestones,
            consultation=first_consultation,
            closed_on=timezone.localdate(first_consultation.closes_at),
            answered_on=consultation_demo.answered_on(first_consultation),
            adopted_on=consultation_demo.adopted_on(today),
        )
        consultation_demo.adopt_and_consult_again(
            region=se_region,
            people=speakers,
            commenters=se_providers[1:3],
            today=today,
        )
        milestone_demo.english_milestones(
            officer=person("james.officer"),
            icb=icb,
            programme=respiratory,
            contract=respiratory_contract,
            meetings=en_meetings,
        )
        milestone_demo.norwegian_milestones(
            manager=person("ingrid.manager"),
            municipality=municipality,
            programme=cooperation,
            meetings=no_meetings,
        )

        # The gate at work: finalising the respiratory contract with a gating milestone open.
        return contract_demo.try_to_finalise(
            manager=person("olivia.manager"), icb=icb, contract=respiratory_contract
        )

    def _print_summary(self, refusal: str) -> None:
        today = timezone.localdate()
        milestones = Milestone.objects.select_related("programme")
        overdue = [
            m
            for m in milestones
            if m.status == Milestone.Status.PLANNED
            and m.effective_due_date is not None
            and m.effective_due_date < today
        ]
        open_actions, overdue_actions = dialogue_demo.open_action_count(today)
        contracts = ", ".join(
            f"{c.reference} {c.get_status_display().lower()}"
            for c in Contract.objects.order_by("reference")
        )
        versions = ", ".join(
            f"{v.number} {v.get_status_display().lower()}"
            for v in RulebookVersion.objects.order_by("rulebook_id", "number")
        )
        lines = [
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
        self.stdout.write("\n".join(lines))

    def _print_logins(self):
        rows = Membership.objects.select_related("person", "organisation").order_by(
            "organisation__country", "person__username"
        )
        self.stdout.write(
            f"\nLogins (password for all: {DEMO_PASSWORD}); sign in on the pages at /sign-in/ "
            "or get an API token at /api/v1/auth/token/:"
        )
        self.stdout.write(f"  {'admin':20} administrator (admin site at /admin/)")
        for membership in rows:
            self.stdout.write(
                f"  {membership.person.username:20} {membership.get_role_display()}, "
                f"{membership.organisation.name}"
            )
