"""Demo contracts for the contract and obligation pages: a Swedish care-choice agreement in
force with monthly and quarterly duties (one overdue, one due this month), and a Norwegian
service agreement held in negotiation by one open gating milestone. Built through the
contract, obligation and milestone services. Called by demo.world."""

import datetime
from decimal import Decimal

from commissioning.models import Milestone, MilestoneEvidence
from commissioning.services import milestones as milestone_services
from commissioning.services.evidence import add_evidence
from contracts.models import Contract, ContractParty, Obligation
from contracts.services import contracts as services
from contracts.services import obligations as obligation_services
from contracts.services import terms as term_services

Role = ContractParty.Role


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    month = day.month - 1 - months_back
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def build_swedish_agreement(*, officer, manager, region, programme, provider, today) -> Contract:
    """Hälsans Hus's care-choice agreement, active, with a monthly listing report due on the
    10th (last month's not yet recorded: overdue) and a quarterly deviation report."""
    contract = services.create_contract(
        actor=officer,
        acting_for=region,
        programme=programme,
        reference="RN-VV-2026-HH",
        parties=[{"organisation": provider.id, "role": Role.PROVIDER}],
        title="Avtal om vårdval primärvård, Hälsans Hus Norrsund",
        kind=Contract.Kind.CARE_CHOICE_AGREEMENT,
        period_start=datetime.date(today.year - 1, 1, 1),
        period_end=today + datetime.timedelta(days=120),
        notice_period_months=3,
        renewal_options="Avtalet förlängs med ett år i taget om ingen part säger upp det.",
    )
    services.start_dialogue(actor=officer, acting_for=region, contract=contract)
    services.start_negotiation(actor=officer, acting_for=region, contract=contract)
    for move in (services.finalise_contract, services.sign_contract):
        move(actor=manager, acting_for=region, contract=contract)
    services.activate_contract(actor=officer, acting_for=region, contract=contract)
    first_due = _month_start(today, 6).replace(day=10)
    monthly = obligation_services.create_obligation(
        actor=officer,
        acting_for=region,
        contract=contract,
        title="Månadsrapport om listade invånare",
        description="Vårdgivaren rapporterar antalet listade invånare senast den 10:e.",
        owed_by=provider,
        cadence=Obligation.Cadence.MONTHLY,
        first_due=first_due,
    )
    # Every monthly report recorded except last month's (overdue) and this month's.
    last_month = _month_start(today, 1).replace(day=10)
    due = first_due
    while due < last_month:
        obligation_services.record_fulfilment(
            actor=officer,
            acting_for=region,
            obligation=monthly,
            due=due,
            fulfilled_on=due,
            note="Inkommen i tid.",
        )
        due = _month_start(due, -1).replace(day=10)
    obligation_services.create_obligation(
        actor=officer,
        acting_for=region,
        contract=contract,
        title="Kvartalsrapport om avvikelser och klagomål",
        owed_by=provider,
        cadence=Obligation.Cadence.QUARTERLY,
        first_due=_month_start(today, 0).replace(day=28),
    )
    return contract


def build_norwegian_service_agreement(
    *, manager, municipality, programme, health_trust, milestones, today
) -> Contract:
    """The service agreement on patients ready for discharge, in negotiation with two
    versions. The areas not yet due were agreed early (met), so the one gate still open is
    local ICT solutions, overdue: finalising waits for it."""
    contract = services.create_contract(
        actor=manager,
        acting_for=municipality,
        programme=programme,
        reference="FJV-HF-TJENESTE-5",
        parties=[{"organisation": health_trust.id, "role": Role.PARTNER}],
        title="Tjenesteavtale 5: utskrivningsklare pasienter",
        kind=Contract.Kind.SERVICE,
        period_start=datetime.date(today.year + 1, 1, 1),
        period_end=datetime.date(today.year + 4, 12, 31),
        value=Decimal("4200000.00"),
        currency="NOK",
        notice_period_months=6,
        clinical_governance="Partene møtes i samhandlingsutvalget hver måned.",
    )
    services.start_dialogue(actor=manager, acting_for=municipality, contract=contract)
    term_services.create_version(
        actor=manager,
        acting_for=municipality,
        contract=contract,
        change_summary="Varslingsfrister lagt inn etter samhandlingsmøtet.",
        pathway_development="Helseforetaket varsler kommunen senest kl. 12 dagen før utskrivning.",
    )
    services.start_negotiation(actor=manager, acting_for=municipality, contract=contract)
    # The areas whose dates have not come were agreed early in the same meeting; the one
    # gate left open is the overdue one (demo.milestones: local ICT solutions).
    for early in milestones:
        if early.status != Milestone.Status.PLANNED or early.title.startswith("Local ICT"):
            continue
        if not early.gating or (early.effective_due_date or today) < today:
            continue
        milestone_services.mark_met(
            actor=manager, acting_for=municipality, milestone=early, met_on=today
        )
        add_evidence(
            actor=manager,
            acting_for=municipality,
            milestone=early,
            kind=MilestoneEvidence.Kind.LINK,
            title="Vedtatt i overordnet samarbeidsutvalg",
            url="https://example.org/fjordvik/samarbeidsutvalg",
        )
    return contract
