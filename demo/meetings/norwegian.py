"""The Norwegian arena: the collaboration meeting of the municipality and its health trust
and its year under the cooperation agreement."""

from demo.meetings.year import DECISION, DIALOGUE, INFO, Action, Forum, Past, hold_year, plan_next
from dialogue.models import Arena
from dialogue.services.arenas import create_arena


def _arena(forum: Forum, health_trust) -> Arena:
    return create_arena(
        actor=forum.officer,
        acting_for=forum.purchaser,
        name="Overordnet samarbeidsutvalg Fjordvik",
        kind=Arena.Kind.COLLABORATION_MEETING,
        description="Samarbeidsmøtet mellom Fjordvik kommune og Helse Fjordvik HF.",
        cadence_weeks=8,
        members=[health_trust.id],
    )


def _agreement_and_discharges(municipality) -> list[Past]:
    """The yearly review of the agreement, discharges, and the trust's plans."""
    return [
        Past(
            340,
            "Samarbeidsmøte: årlig gjennomgang av avtalen",
            [
                (INFO, "Status for tjenesteavtalene", 30, 30, []),
                (DIALOGUE, "Hva fungerer, hva fungerer ikke", 60, 60, []),
            ],
            [Action("Oppdatere tjenesteavtale 5", municipality, -300, 1, done=True)],
        ),
        Past(
            280,
            "Samarbeidsmøte: utskrivningsklare pasienter",
            [
                (DIALOGUE, "Utskrivning på fredager", 60, 70, []),
                (
                    DECISION,
                    "Felles rutine for helgeutskrivning",
                    20,
                    20,
                    ["Utskrivning fredag varsles innen kl. 12."],
                ),
            ],
        ),
        Past(
            220,
            "Samarbeidsmøte: informasjon fra helseforetaket",
            [
                (INFO, "Helseforetakets økonomiske langtidsplan", 60, 75, []),
                (INFO, "Nytt pasientforløp for eldre", 30, 40, []),
                (DIALOGUE, "Spørsmål", 20, 10, []),
            ],
        ),
    ]


def _knowledge_to_messaging(municipality, health_trust) -> list[Past]:
    """Knowledge transfer, emergencies, late discharge notices, and messaging."""
    return [
        Past(
            160,
            "Samarbeidsmøte: kunnskapsoverføring",
            [
                (DIALOGUE, "Hospitering for kommunale sykepleiere", 45, 50, []),
                (
                    DECISION,
                    "Hospiteringsordning",
                    15,
                    15,
                    ["Fire hospiteringsplasser per halvår."],
                ),
            ],
            [Action("Utlyse hospiteringsplasser", health_trust, -120, 1, done=True)],
        ),
        Past(
            100,
            "Samarbeidsmøte: akuttberedskap",
            [
                (INFO, "Revidert beredskapsplan", 30, 30, []),
                (DIALOGUE, "Den akuttmedisinske kjeden", 45, 50, []),
            ],
        ),
        Past(
            45,
            "Samarbeidsmøte: utskrivningsmeldinger",
            [
                (DIALOGUE, "Utskrivningsmeldinger som kommer etter kl. 15", 45, 60, []),
            ],
            [
                Action(
                    "Sende oversikt over utskrivningsmeldinger etter kl. 15",
                    health_trust,
                    -20,
                    0,
                ),
            ],
        ),
        Past(
            12,
            "Samarbeidsmøte: IKT og meldingsutveksling",
            [
                (INFO, "Status for meldingsløftet", 20, 25, []),
                (DIALOGUE, "Pleie- og omsorgsmeldinger", 40, 40, []),
            ],
            [Action("Avklare ansvar for meldingsfeil", municipality, 20, 1)],
        ),
    ]


def build_norwegian_collaboration(*, forum: Forum, health_trust, today):
    arena = _arena(forum, health_trust)
    meetings = hold_year(
        forum=forum,
        arena=arena,
        today=today,
        meetings=[
            *_agreement_and_discharges(forum.purchaser),
            *_knowledge_to_messaging(forum.purchaser, health_trust),
        ],
    )
    upcoming = plan_next(
        forum=forum,
        arena=arena,
        title="Samarbeidsmøte: årlig gjennomgang",
        in_days=28,
        today=today,
        agenda=[
            (INFO, "Avvik siste år", 20),
            (DIALOGUE, "Revisjon av tjenesteavtalene", 60),
            (DECISION, "Forslag til overordnet samarbeidsutvalg", 15),
        ],
    )
    return arena, meetings, upcoming
