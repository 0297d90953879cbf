"""The demo's three programmes, one per country, each created by its purchaser's staff.

The target decision dates put the templates' offsets where the story needs them: in each
programme some milestones are past (met), and one is past and still open."""

import datetime
from dataclasses import dataclass

from commissioning.models import Programme
from commissioning.services.programmes import create_programme
from demo.organisations import Organisations
from demo.people import People


@dataclass
class Programmes:
    care_choice: Programme
    respiratory: Programme
    cooperation: Programme


def _programme(people: People, login, **fields):
    return create_programme(
        actor=people.person(login), acting_for=people.organisation(login), **fields
    )


def _swedish_care_choice(people: People, o: Organisations, today) -> Programme:
    return _programme(
        people,
        "erik.officer",
        name="Vårdval primärvård 2027",
        description="Förfrågningsunderlag och regelbok för vårdval primärvård enligt LOV.",
        framework=Programme.Framework.SE_CARE_CHOICE,
        phase=Programme.Phase.EARLY_DIALOGUE,
        target_decision_date=today + datetime.timedelta(days=80),
        language=Programme.Language.SV,
        time_zone="Europe/Stockholm",
        participants=[p.id for p in o.se_providers] + [o.network.id],
    )


def _english_respiratory(people: People, o: Organisations, today) -> Programme:
    return _programme(
        people,
        "james.officer",
        name="Integrated respiratory service",
        description="COPD and asthma pathway across hospital and community, 2027–2032.",
        framework=Programme.Framework.UK_PROVIDER_SELECTION,
        phase=Programme.Phase.EARLY_DIALOGUE,
        target_decision_date=today + datetime.timedelta(days=20),
        language=Programme.Language.EN,
        time_zone="Europe/London",
        participants=[o.trust.id, o.community.id],
    )


def _norwegian_cooperation(people: People, o: Organisations, today) -> Programme:
    return _programme(
        people,
        "ingrid.manager",
        name="Samarbeidsavtale Fjordvik kommune – Helse Fjordvik HF",
        description="Tjenesteavtaler om utskrivningsklare pasienter og kunnskapsoverføring.",
        framework=Programme.Framework.NO_COOPERATION_AGREEMENT,
        phase=Programme.Phase.DELIVERY,
        target_decision_date=today + datetime.timedelta(days=60),
        language=Programme.Language.NB,
        time_zone="Europe/Oslo",
        participants=[o.health_trust.id],
    )


def build_programmes(people: People, organisations: Organisations, today) -> Programmes:
    return Programmes(
        care_choice=_swedish_care_choice(people, organisations, today),
        respiratory=_english_respiratory(people, organisations, today),
        cooperation=_norwegian_cooperation(people, organisations, today),
    )
