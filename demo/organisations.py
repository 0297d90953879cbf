"""The demo's organisations, one set per country: a Swedish region's care-choice scheme
(vårdval) with its providers and their network, an English ICB with the two providers of its
respiratory service, and a Norwegian municipality with its health trust."""

from dataclasses import dataclass

from commissioning.models import Organisation
from commissioning.services.organisations import add_network_member, create_organisation

Kind = Organisation.Kind
Ownership = Organisation.Ownership


@dataclass
class Organisations:
    region: Organisation
    committee: Organisation
    se_providers: list  # Älvstaden, Hälsans Hus, Familjeläkarna, Norrland, Ersta, Hamnen
    network: Organisation
    icb: Organisation
    icb_board: Organisation
    trust: Organisation
    community: Organisation
    municipality: Organisation
    council: Organisation
    health_trust: Organisation


def _org(admin, name, kind, country, ownership="", official_id="", oversees=None):
    return create_organisation(
        actor=admin,
        name=name,
        kind=kind,
        country=country,
        ownership=ownership,
        official_id=official_id,
        oversees=oversees,
    )


def _swedish(admin) -> dict:
    """A region's primary-care choice scheme (vårdval), its providers and their network."""
    region = _org(admin, "Region Norrsund", Kind.PURCHASER, "SE", official_id="232100-0000")
    committee = _org(
        admin,
        "Hälso- och sjukvårdsnämnden, Region Norrsund",
        Kind.POLITICAL_BODY,
        "SE",
        oversees=region,
    )
    providers = [
        _org(admin, name, Kind.PROVIDER, "SE", ownership, official_id)
        for name, ownership, official_id in [
            ("Vårdcentralen Älvstaden (Region Norrsund)", Ownership.PUBLIC, "232100-0001"),
            ("Hälsans Hus Norrsund AB", Ownership.PRIVATE, "556677-1001"),
            ("Familjeläkarna i Norrsund AB", Ownership.PRIVATE, "556677-1002"),
            ("Norrlandsläkarna AB", Ownership.PRIVATE, "556677-1003"),
            ("Stiftelsen Ersta Norrsund", Ownership.NON_PROFIT, "802000-1004"),
            ("Vårdcentralen Hamnen (Region Norrsund)", Ownership.PUBLIC, "232100-0002"),
        ]
    ]
    network = _org(admin, "Vårdföretagarna Norrsund", Kind.PROVIDER_NETWORK, "SE")
    for provider in providers[1:4]:
        add_network_member(actor=admin, network=network, provider=provider)
    return {
        "region": region,
        "committee": committee,
        "se_providers": providers,
        "network": network,
    }


def _english(admin) -> dict:
    """An ICB commissioning an integrated respiratory service from two providers."""
    icb = _org(
        admin,
        "NHS North Riverside Integrated Care Board",
        Kind.PURCHASER,
        "GB",
        official_id="QNR",
    )
    icb_board = _org(admin, "North Riverside ICB Board", Kind.POLITICAL_BODY, "GB", oversees=icb)
    trust = _org(
        admin,
        "Riverside University Hospitals NHS Foundation Trust",
        Kind.PROVIDER,
        "GB",
        Ownership.PUBLIC,
        "RRV",
    )
    community = _org(
        admin,
        "Riverside Community Health CIC",
        Kind.PROVIDER,
        "GB",
        Ownership.NON_PROFIT,
        "NRC",
    )
    return {"icb": icb, "icb_board": icb_board, "trust": trust, "community": community}


def _norwegian(admin) -> dict:
    """A municipality and its health trust under a cooperation agreement."""
    municipality = _org(admin, "Fjordvik kommune", Kind.PURCHASER, "NO", official_id="964900000")
    council = _org(
        admin,
        "Helse- og omsorgsutvalget, Fjordvik kommune",
        Kind.POLITICAL_BODY,
        "NO",
        oversees=municipality,
    )
    health_trust = _org(
        admin, "Helse Fjordvik HF", Kind.PROVIDER, "NO", Ownership.PUBLIC, "983900000"
    )
    return {"municipality": municipality, "council": council, "health_trust": health_trust}


def build_organisations(admin) -> Organisations:
    return Organisations(**_swedish(admin), **_english(admin), **_norwegian(admin))
