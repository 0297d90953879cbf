"""The English provider's own consultation: the ICB consults the respiratory service's
providers on its service specification (a rulebook of the respiratory programme, version 1 in
draft), open for three weeks from the load, so that Priya (Riverside Community Health CIC)
has a consultation of her own to comment on, in English."""

import datetime

from django.utils import timezone

from contracts.services import clauses as clause_services
from contracts.services import rulebooks as rulebook_services
from dialogue.models import Consultation
from dialogue.services import consultations

TITLE = "Consultation: integrated respiratory service specification, version 1"
OPEN_DAYS = 21
CLAUSES = [
    (
        "1",
        "Scope",
        "The service covers adults registered with a North Riverside practice who have "
        "COPD, asthma or bronchiectasis, from diagnosis to end-of-life care.",
    ),
    (
        "2",
        "Access",
        "A patient referred by their practice is offered a first appointment within 18 "
        "days; an urgent referral within 2 working days.",
    ),
    (
        "3",
        "Pulmonary rehabilitation",
        "Rehabilitation is offered in at least three community venues, with evening groups, "
        "and completed by 60 % of those who start it.",
    ),
    (
        "4",
        "Reporting",
        "The lead provider reports waiting times, admissions avoided and patient-reported "
        "outcomes to the ICB every quarter.",
    ),
]


def consult_on_specification(*, officer, icb, programme) -> Consultation:
    rulebook = rulebook_services.create_rulebook(
        actor=officer,
        acting_for=icb,
        programme=programme,
        title="Integrated respiratory service specification",
    )
    version = rulebook_services.create_rulebook_version(
        actor=officer,
        acting_for=icb,
        rulebook=rulebook,
        summary="First draft for consultation with the providers.",
    )
    for key, heading, text in CLAUSES:
        clause_services.create_clause(
            actor=officer, acting_for=icb, version=version, key=key, heading=heading, text=text
        )
    now = timezone.now()
    consultation = consultations.create_consultation(
        actor=officer,
        acting_for=icb,
        rulebook_version=version,
        title=TITLE,
        description="The ICB asks both providers of the respiratory service to comment on "
        "the draft specification, clause by clause, before the contract is finalised.",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=OPEN_DAYS),
        visibility=Consultation.Visibility.OPEN,
    )
    consultations.open_consultation(actor=officer, acting_for=icb, consultation=consultation)
    return consultation
