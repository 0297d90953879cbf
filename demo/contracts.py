"""Demo contracts and the Swedish rulebook, built through the contract and rulebook services
so that every Event exists and every rule holds. Called by demo.world."""

import datetime
from decimal import Decimal

from commissioning.errors import Conflict
from contracts.models import Contract, ContractParty, Obligation
from contracts.occurrences import occurrences_between
from contracts.services import clauses as clause_services
from contracts.services import contracts as services
from contracts.services import obligations as obligation_services
from contracts.services import rulebooks as rulebook_services
from contracts.services import terms as term_services

Role = ContractParty.Role


def build_english_contract(*, officer, icb, programme, trust, community, today) -> Contract:
    """The integrated respiratory contract: the hospital trust leads, the community provider
    is its subcontractor; three versions, taken to negotiation."""
    contract = services.create_contract(
        actor=officer,
        acting_for=icb,
        programme=programme,
        reference="NRICB-RESP-2027",
        parties=[
            {"organisation": trust.id, "role": Role.LEAD_PROVIDER},
            {"organisation": community.id, "role": Role.SUBCONTRACTOR},
        ],
        title="Integrated respiratory service (COPD and asthma)",
        kind=Contract.Kind.SERVICE,
        period_start=datetime.date(today.year + 1, 4, 1),
        period_end=datetime.date(today.year + 6, 3, 31),
        value=Decimal("18500000.00"),
        currency="GBP",
        notice_period_months=12,
        renewal_options="One extension of up to two years by agreement of all parties.",
    )
    services.start_dialogue(actor=officer, acting_for=icb, contract=contract)
    term_services.create_version(
        actor=officer,
        acting_for=icb,
        contract=contract,
        change_summary="Clinical governance written after the provider forum.",
        clinical_governance=(
            "A joint clinical governance group chaired by the lead provider's respiratory "
            "clinical lead meets monthly. Incidents on the shared pathway are reviewed "
            "jointly within 20 working days; the subcontractor's clinicians take part as "
            "equals. Shared audit of spirometry quality every six months."
        ),
    )
    term_services.create_version(
        actor=officer,
        acting_for=icb,
        contract=contract,
        change_summary="Pathway-development terms drafted; value adjusted.",
        value=Decimal("18900000.00"),
        pathway_development=(
            "The parties may move activity between hospital and community settings within "
            "the contract value without a variation, when the joint clinical governance group "
            "agrees and the ICB is told within one month. A pathway-development fund of 2% "
            "of the annual value is held jointly."
        ),
    )
    services.start_negotiation(actor=officer, acting_for=icb, contract=contract)
    return contract


def try_to_finalise(*, manager, icb, contract) -> str:
    """The demo tries to finalise while a gating milestone is open: the refusal is the point
    (BMJ Open 2020;10:e040267: dialogue before the contract is finalised). Returns the line
    the command prints."""
    try:
        services.finalise_contract(actor=manager, acting_for=icb, contract=contract)
    except Conflict as refusal:
        return f"Finalising {contract.reference} refused: {refusal.message}"
    return f"Finalising {contract.reference} succeeded (a gating milestone was expected)."


def build_norwegian_agreement(
    *, manager, municipality, programme, health_trust, trust_person, today
) -> Contract:
    """The cooperation agreement in force: created, taken through every status to active,
    with its yearly review and quarterly activity report and one fulfilment of each."""
    contract = services.create_contract(
        actor=manager,
        acting_for=municipality,
        programme=programme,
        reference="FJV-HF-SAMARBEID",
        parties=[{"organisation": health_trust.id, "role": Role.PARTNER}],
        title="Samarbeidsavtale mellom Fjordvik kommune og Helse Fjordvik HF",
        kind=Contract.Kind.COOPERATION_AGREEMENT,
        period_start=datetime.date(today.year - 1, 1, 1),
        notice_period_months=6,
    )
    for move in (
        services.start_dialogue,
        services.start_negotiation,
        services.finalise_contract,
        services.sign_contract,
        services.activate_contract,
    ):
        move(actor=manager, acting_for=municipality, contract=contract)
    review = obligation_services.create_obligation(
        actor=manager,
        acting_for=municipality,
        contract=contract,
        title="Årlig gjennomgang av samarbeidsavtalen",
        description="Partene gjennomgår avtalen og tjenesteavtalene i overordnet "
        "samarbeidsutvalg hvert år (helse- og omsorgstjenesteloven § 6-2).",
        owed_by=municipality,
        cadence=Obligation.Cadence.YEARLY,
        first_due=datetime.date(today.year - 1, 3, 1),
    )
    report = obligation_services.create_obligation(
        actor=manager,
        acting_for=municipality,
        contract=contract,
        title="Kvartalsvis aktivitetsrapport om utskrivningsklare pasienter",
        owed_by=health_trust,
        cadence=Obligation.Cadence.QUARTERLY,
        first_due=datetime.date(today.year - 1, 1, 15),
    )
    review_due = occurrences_between(review, review.first_due, today - datetime.timedelta(days=1))[
        -1
    ]
    obligation_services.record_fulfilment(
        actor=manager,
        acting_for=municipality,
        obligation=review,
        due=review_due,
        fulfilled_on=review_due,
        note="Gjennomgått i overordnet samarbeidsutvalg; referat arkivert.",
    )
    report_due = occurrences_between(report, report.first_due, today - datetime.timedelta(days=1))[
        -1
    ]
    # The health trust records its own report: the party that owes a duty may record it.
    obligation_services.record_fulfilment(
        actor=trust_person,
        acting_for=health_trust,
        obligation=report,
        due=report_due,
        fulfilled_on=min(today, report_due + datetime.timedelta(days=3)),
        note="Rapport for kvartalet sendt kommunen.",
    )
    return contract


# The draft regelbok of the care-choice scheme: (key, heading, text).
SWEDISH_CLAUSES = [
    (
        "1",
        "Uppdraget",
        "Vårdgivaren ansvarar för primärvård för de invånare som valt vårdcentralen, enligt "
        "detta förfrågningsunderlag och hälso- och sjukvårdslagen.",
    ),
    (
        "2",
        "Ersättning",
        "Ersättningen består av vårdpeng per listad invånare, viktad efter ACG och "
        "socioekonomi, samt målrelaterad ersättning.",
    ),
    (
        "2.1",
        "Målrelaterad ersättning",
        "Högst 3 % av den samlade ersättningen betalas ut när uppföljningsmålen nås; målen "
        "fastställs efter dialog i vårdvalsrådet.",
    ),
    (
        "3",
        "Tillgänglighet",
        "Vårdcentralen har öppet vardagar 8–17 och ger kontakt samma dag samt medicinsk "
        "bedömning inom tre dagar.",
    ),
    (
        "4",
        "Uppföljning",
        "Regionen följer upp uppdraget årligen genom uppföljningsdialog och data ur "
        "vårdinformationssystemet.",
    ),
    (
        "4.1",
        "Uppföljningsdialog",
        "Uppföljningsdialogen hålls på plats hos vårdgivaren en gång per år; underlaget "
        "skickas minst tre veckor i förväg.",
    ),
    (
        "4.2",
        "Rapportering",
        "Vårdgivaren rapporterar avvikelser och patientklagomål kvartalsvis.",
    ),
    (
        "5",
        "Ändringar i regelboken",
        "Ändringar beslutas av hälso- och sjukvårdsnämnden efter remiss till vårdgivarna med "
        "minst fyra veckors svarstid.",
    ),
]


def build_swedish_rulebook(*, officer, region, programme):
    """Version 1 as a draft; demo.consultations consults on it, adopts it and makes
    version 2."""
    rulebook = rulebook_services.create_rulebook(
        actor=officer,
        acting_for=region,
        programme=programme,
        title="Regelbok vårdval primärvård, Region Norrsund",
    )
    version = rulebook_services.create_rulebook_version(
        actor=officer,
        acting_for=region,
        rulebook=rulebook,
        summary="Första utkast inför remiss till vårdgivarna.",
    )
    for key, heading, text in SWEDISH_CLAUSES:
        clause_services.create_clause(
            actor=officer,
            acting_for=region,
            version=version,
            key=key,
            heading=heading,
            text=text,
        )
    return rulebook
