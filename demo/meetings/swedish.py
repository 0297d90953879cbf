"""The Swedish arena: the region's provider council (vårdvalsråd) and its year, as the
rulebook of the care-choice scheme is revised."""

from demo.meetings.year import DECISION, DIALOGUE, INFO, Action, Forum, Past, hold_year, plan_next
from dialogue.models import Arena
from dialogue.services.arenas import create_arena


def _arena(forum: Forum, providers, network) -> Arena:
    return create_arena(
        actor=forum.officer,
        acting_for=forum.purchaser,
        name="Vårdvalsrådet primärvård",
        kind=Arena.Kind.PROVIDER_COUNCIL,
        description="Regionens råd med vårdgivarna i vårdval primärvård och deras nätverk.",
        cadence_weeks=8,
        members=[p.id for p in providers] + [network.id],
    )


def _revision_begins(network) -> list[Past]:
    """The revision starts: the region's intentions, the needs, the money."""
    return [
        Past(
            345,
            "Vårdvalsrådet: start för revidering av regelboken",
            [
                (INFO, "Regionens avsikter och tidsplan för ny regelbok", 30, 35, []),
                (DIALOGUE, "Erfarenheter av nuvarande regelbok", 60, 55, []),
            ],
            [Action("Sammanställ nätverkets synpunkter", network, -320, 1, done=True)],
        ),
        Past(
            290,
            "Vårdvalsrådet: behovsdialog",
            [
                (DIALOGUE, "Behov hos listade invånare med flera diagnoser", 60, 70, []),
                (DIALOGUE, "Små vårdgivares villkor", 45, 50, []),
                (
                    DECISION,
                    "Arbetsgrupp för ersättningsmodellen",
                    15,
                    10,
                    ["Rådet tillsätter en arbetsgrupp med tre vårdgivare och regionen."],
                ),
            ],
            [Action("Utse representanter till arbetsgruppen", network, -270, 2, done=True)],
        ),
        Past(
            235,
            "Vårdvalsrådet: ekonomi och uppföljning",
            [
                (INFO, "Budget 2027 och ersättningsnivåer", 60, 85, []),
                (INFO, "Uppföljningsresultat 2025", 40, 50, []),
                (DIALOGUE, "Frågor från vårdgivarna", 20, 10, []),
            ],
        ),
    ]


def _rulebook_takes_shape(region, network, halsans_hus, familjelakarna, ersta) -> list[Past]:
    """Access, payment, the new record system, and the draft rulebook."""
    return [
        Past(
            180,
            "Vårdvalsrådet: tillgänglighet",
            [
                (DIALOGUE, "Kontakt samma dag: hur når vi dit?", 60, 65, []),
                (
                    DECISION,
                    "Förslag om tillgänglighetskrav",
                    20,
                    20,
                    ["Rådet ställer sig bakom kontakt samma dag som krav i regelboken."],
                ),
            ],
            [
                Action("Ta fram exempel på digital triage", halsans_hus, -150, 0),
                Action("Beskriv regionens telefonisystem", region, -160, 0, done=True),
            ],
        ),
        Past(
            120,
            "Vårdvalsrådet: ersättningsmodell",
            [
                (INFO, "Arbetsgruppens förslag", 20, 25, []),
                (DIALOGUE, "Viktning efter ACG och socioekonomi", 60, 60, []),
            ],
            [
                Action("Underlag om hemsjukvårdens kostnader", ersta, -90, 1),
                Action("Räkna på två viktningsalternativ", region, -100, 1, done=True),
            ],
        ),
        Past(
            62,
            "Vårdvalsrådet: information om nytt journalsystem",
            [
                (INFO, "Införandeplan för nytt journalsystem", 60, 90, []),
                (INFO, "Utbildningar och support", 30, 35, []),
                (DIALOGUE, "Vårdgivarnas frågor", 30, 15, []),
            ],
            excused=(ersta, familjelakarna),
        ),
        Past(
            20,
            "Vårdvalsrådet: utkast till regelbok",
            [
                (INFO, "Utkastet i korthet", 20, 20, []),
                (DIALOGUE, "Ersättning och målrelaterad ersättning", 60, 70, []),
                (DIALOGUE, "Uppföljningsdialogen", 30, 30, []),
            ],
            [
                Action("Skicka utkastet på remiss till vårdgivarna", region, 14, 0),
                Action("Samordna nätverkets remissvar", network, 30, 1),
            ],
            excused=(ersta,),
        ),
    ]


def build_swedish_council(*, forum: Forum, providers, network, today):
    """The region's provider council (vårdvalsråd). Every provider and the network are
    members, but one private provider, a member of the network, was never invited: the
    planners counted on the network to pass it on (the Swedish finding that private providers
    are forgotten in planning). Ersta has sent apologies since the meeting 120 days ago."""
    halsans_hus, familjelakarna, ersta = providers[1], providers[2], providers[4]
    arena = _arena(forum, providers, network)
    region = forum.purchaser
    meetings = hold_year(
        forum=forum,
        arena=arena,
        today=today,
        meetings=[
            *_revision_begins(network),
            *_rulebook_takes_shape(region, network, halsans_hus, familjelakarna, ersta),
        ],
    )
    upcoming = plan_next(
        forum=forum,
        arena=arena,
        title="Vårdvalsrådet: remissvar och fortsatt dialog",
        in_days=36,
        today=today,
        agenda=[
            (INFO, "Inkomna remissvar", 20),
            (DIALOGUE, "Regionens svar på synpunkterna", 60),
            (DECISION, "Rådets yttrande till nämnden", 20),
        ],
    )
    return arena, meetings, upcoming
