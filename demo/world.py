"""A small, believable world to try the product in: a Swedish region's care-choice scheme,
an English ICB's integrated respiratory service, and a Norwegian municipality's cooperation
agreement with its health trust. One login per role. `load` builds it, story step by story
step; the load_demo_data command calls it.

Everything is made through the services, so that every Event exists and every rule holds;
the builders live in their demo modules (demo.organisations, demo.people, demo.programmes,
demo.contracts, demo.meetings, demo.milestones, demo.consultations, demo.invitations,
demo.notifications). The direct writes are dates of history the services cannot write in
the past: the overdue concern's (see demo.meetings.concerns) and the rulebook
consultations' (see demo.consultations)."""

from django.utils import timezone

from demo import briefings as briefing_demo
from demo import consultations as consultation_demo
from demo import contract_pages as contract_pages_demo
from demo import contracts as contract_demo
from demo import english_consultation
from demo import invitations as invitation_demo
from demo import milestones as milestone_demo
from demo import notifications as notification_demo
from demo.meetings import concerns as concern_demo
from demo.meetings import english, norwegian, swedish
from demo.meetings.year import Forum
from demo.organisations import Organisations, build_organisations
from demo.people import People, add_people
from demo.programmes import Programmes, build_programmes


def load() -> str:
    """Build the whole demo; the refusal of the contract gate, for the summary."""
    people = People()
    admin = people.make("admin", "Alex", "Administrator", superuser=True)
    today = timezone.localdate()
    organisations = build_organisations(admin)
    add_people(people, admin=admin, organisations=organisations)
    programmes = build_programmes(people, organisations, today)
    respiratory_contract, se_rulebook = _contracts(people, organisations, programmes, today)
    meetings = _arenas(people, organisations, programmes, today)
    _concerns(people, organisations, programmes, today)
    _milestones_and_consultations(
        people, organisations, programmes, today, meetings, respiratory_contract, se_rulebook
    )
    notification_demo.tell_of_latest_minutes(
        people=people,
        tellings=[
            (organisations.region, ["anna.manager", "sara.provider"]),
            (organisations.icb, ["olivia.manager", "priya.provider"]),
            (organisations.municipality, ["ingrid.manager", "lars.provider"]),
        ],
    )
    english_consultation.consult_on_specification(
        officer=people.person("james.officer"),
        icb=organisations.icb,
        programme=programmes.respiratory,
    )
    briefing_demo.norwegian_briefing(
        manager=people.person("ingrid.manager"),
        municipality=organisations.municipality,
        programme=programmes.cooperation,
    )
    invitation_demo.invite_first_representative(
        officer=people.person("james.officer"), icb=organisations.icb, trust=organisations.trust
    )
    # The gate at work: finalising the respiratory contract with a gating milestone open.
    return contract_demo.try_to_finalise(
        manager=people.person("olivia.manager"),
        icb=organisations.icb,
        contract=respiratory_contract,
    )


def _contracts(people: People, o: Organisations, programmes: Programmes, today):
    """The contracts and the rulebook: (the English contract, the Swedish rulebook). The
    Norwegian agreement was in force before this year's milestones were planned, so it is
    taken to active before the template is applied (its gating milestones are about revising
    it, not about the first signing)."""
    contract_demo.build_norwegian_agreement(
        manager=people.person("ingrid.manager"),
        municipality=o.municipality,
        programme=programmes.cooperation,
        health_trust=o.health_trust,
        trust_person=people.person("lars.provider"),
        today=today,
    )
    respiratory_contract = contract_demo.build_english_contract(
        officer=people.person("james.officer"),
        icb=o.icb,
        programme=programmes.respiratory,
        trust=o.trust,
        community=o.community,
        today=today,
    )
    # Before the Swedish milestones are planned, as the Norwegian agreement above.
    contract_pages_demo.build_swedish_agreement(
        officer=people.person("erik.officer"),
        manager=people.person("anna.manager"),
        region=o.region,
        programme=programmes.care_choice,
        provider=o.se_providers[1],
        today=today,
    )
    se_rulebook = contract_demo.build_swedish_rulebook(
        officer=people.person("erik.officer"), region=o.region, programme=programmes.care_choice
    )
    return respiratory_contract, se_rulebook


def _swedish_forum(people: People, o: Organisations, programmes: Programmes) -> Forum:
    norrland = o.se_providers[3]
    return Forum(
        purchaser=o.region,
        officer=people.person("erik.officer"),
        manager=people.person("anna.manager"),
        time_zone="Europe/Stockholm",
        place="Regionhuset, sal Älven",
        programme=programmes.care_choice,
        # Norrlandsläkarna is a member but never invited (see demo.meetings.swedish).
        invitees=[p for p in o.se_providers if p != norrland] + [o.network],
        people={
            o.se_providers[1].id: people.person("sara.provider").id,
            o.network.id: people.person("nils.network").id,
        },
    )


def _english_forum(people: People, o: Organisations, programmes: Programmes) -> Forum:
    return Forum(
        purchaser=o.icb,
        officer=people.person("james.officer"),
        manager=people.person("olivia.manager"),
        time_zone="Europe/London",
        place="Riverside House, Board Room",
        programme=programmes.respiratory,
        invitees=[o.trust, o.community],
        people={o.community.id: people.person("priya.provider").id},
    )


def _norwegian_forum(people: People, o: Organisations, programmes: Programmes) -> Forum:
    return Forum(
        purchaser=o.municipality,
        officer=people.person("ingrid.manager"),
        manager=people.person("ingrid.manager"),
        time_zone="Europe/Oslo",
        place="Fjordvik rådhus, møterom 2",
        programme=programmes.cooperation,
        invitees=[o.health_trust],
        people={o.health_trust.id: people.person("lars.provider").id},
    )


def _arenas(people: People, o: Organisations, programmes: Programmes, today) -> dict:
    """A year of meetings in each arena: the held meetings by country."""
    _, se_meetings, _ = swedish.build_swedish_council(
        forum=_swedish_forum(people, o, programmes),
        providers=o.se_providers,
        network=o.network,
        today=today,
    )
    _, en_meetings, _ = english.build_english_forum(
        forum=_english_forum(people, o, programmes),
        trust=o.trust,
        community=o.community,
        today=today,
    )
    _, no_meetings, _ = norwegian.build_norwegian_collaboration(
        forum=_norwegian_forum(people, o, programmes), health_trust=o.health_trust, today=today
    )
    return {"SE": se_meetings, "GB": en_meetings, "NO": no_meetings}


def _concerns(people: People, o: Organisations, programmes: Programmes, today) -> None:
    concern_demo.raise_demo_concerns(
        today=today,
        municipality=o.municipality,
        municipal_manager=people.person("ingrid.manager"),
        health_trust=o.health_trust,
        trust_person=people.person("lars.provider"),
        norwegian_programme=programmes.cooperation,
        region=o.region,
        network=o.network,
        network_person=people.person("nils.network"),
        icb=o.icb,
        icb_manager=people.person("olivia.manager"),
        community=o.community,
        community_person=people.person("priya.provider"),
    )


def _swedish_consultations(people: People, o: Organisations, region, se_milestones, today):
    """The rulebook consultations: the first one closed and answered, its milestones met
    with it as evidence, version 1 adopted, the second one open."""
    se = o.se_providers
    speakers = {
        se[0].id: people.person("maria.alvstaden"),
        se[1].id: people.person("sara.provider"),
        se[2].id: people.person("johan.familjelakarna"),
        se[3].id: people.person("per.norrland"),
        se[4].id: people.person("elin.ersta"),
        o.network.id: people.person("nils.network"),
    }
    first_consultation = consultation_demo.hold_first_consultation(
        region=region, providers=se, network=o.network, people=speakers, cosigners=se[1:4]
    )
    milestone_demo.swedish_consultation_met(
        officer=people.person("erik.officer"),
        region=o.region,
        milestones=se_milestones,
        consultation=first_consultation,
        closed_on=timezone.localdate(first_consultation.closes_at),
        answered_on=consultation_demo.answered_on(first_consultation),
        adopted_on=consultation_demo.adopted_on(today),
    )
    consultation_demo.adopt_and_consult_again(
        region=region, people=speakers, commenters=se[1:3], today=today
    )


def _milestones_and_consultations(
    people: People,
    o: Organisations,
    programmes: Programmes,
    today,
    meetings: dict,
    respiratory_contract,
    se_rulebook,
) -> None:
    """Milestones from each framework's template, some met with their evidence; the Swedish
    ones around the rulebook consultations."""
    se_milestones = milestone_demo.swedish_milestones(
        officer=people.person("erik.officer"),
        region=o.region,
        programme=programmes.care_choice,
        meetings=meetings["SE"],
    )
    region = consultation_demo.Region(
        purchaser=o.region,
        officer=people.person("erik.officer"),
        manager=people.person("anna.manager"),
        programme=programmes.care_choice,
        rulebook=se_rulebook,
    )
    _swedish_consultations(people, o, region, se_milestones, today)
    milestone_demo.english_milestones(
        officer=people.person("james.officer"),
        icb=o.icb,
        programme=programmes.respiratory,
        contract=respiratory_contract,
        meetings=meetings["GB"],
    )
    no_milestones = milestone_demo.norwegian_milestones(
        manager=people.person("ingrid.manager"),
        municipality=o.municipality,
        programme=programmes.cooperation,
        meetings=meetings["NO"],
    )
    contract_pages_demo.build_norwegian_service_agreement(
        manager=people.person("ingrid.manager"),
        municipality=o.municipality,
        programme=programmes.cooperation,
        health_trust=o.health_trust,
        milestones=no_milestones,
        today=today,
    )
