"""The English arena: the ICB's respiratory provider forum and its year, from the case for
an integrated pathway to the contract terms."""

from demo.meetings.year import DECISION, DIALOGUE, INFO, Action, Forum, Past, hold_year, plan_next
from dialogue.models import Arena
from dialogue.services.arenas import create_arena


def _arena(forum: Forum, trust, community) -> Arena:
    return create_arena(
        actor=forum.officer,
        acting_for=forum.purchaser,
        name="Respiratory provider forum",
        kind=Arena.Kind.PROVIDER_COUNCIL,
        description="The ICB with the hospital trust and the community provider of the "
        "integrated respiratory pathway.",
        cadence_weeks=8,
        members=[trust.id, community.id],
    )


def _case_and_scope(icb) -> list[Past]:
    """The case for the pathway, its scope, and the ICB's money."""
    return [
        Past(
            350,
            "Respiratory forum: case for an integrated pathway",
            [
                (INFO, "Local COPD admissions and outcomes", 30, 30, []),
                (DIALOGUE, "What patients and clinicians say", 60, 70, []),
            ],
        ),
        Past(
            295,
            "Respiratory forum: stakeholder engagement workshop",
            [
                (DIALOGUE, "Clinicians, providers and patient representatives", 90, 100, []),
                (
                    DECISION,
                    "Scope of the service specification",
                    20,
                    20,
                    ["COPD and adult asthma in scope; paediatric asthma later."],
                ),
            ],
            [Action("Circulate workshop notes to patient groups", icb, -280, 0, done=True)],
        ),
        Past(
            240,
            "Respiratory forum: ICB financial plan briefing",
            [
                (INFO, "ICB medium-term financial plan", 60, 80, []),
                (INFO, "National respiratory priorities", 30, 40, []),
                (DIALOGUE, "Questions", 20, 15, []),
            ],
        ),
    ]


def _governance_to_contract(trust, community) -> list[Past]:
    """Clinical governance, the pathway, information sharing, and the contract terms."""
    return [
        Past(
            185,
            "Respiratory forum: clinical governance",
            [
                (DIALOGUE, "Joint clinical governance between providers", 60, 75, []),
                (
                    DECISION,
                    "Governance group terms of reference",
                    20,
                    20,
                    ["A joint governance group chaired by the trust's clinical lead."],
                ),
            ],
            [Action("Draft governance terms of reference", trust, -160, 1, done=True)],
        ),
        Past(
            130,
            "Respiratory forum: pathway development",
            [
                (DIALOGUE, "Moving activity between hospital and community", 60, 70, []),
                (INFO, "Contractual options", 20, 20, []),
            ],
            [Action("Share discharge data specification", trust, -60, 0)],
        ),
        Past(
            75,
            "Respiratory forum: information sharing and IT",
            [
                (INFO, "Shared care record roadmap", 40, 45, []),
                (DIALOGUE, "What the community team needs to see", 40, 40, []),
            ],
            [Action("Information-sharing agreement draft", community, 10, 1)],
            excused=(community,),
        ),
        Past(
            27,
            "Respiratory forum: contract terms",
            [
                (DIALOGUE, "Pathway-development terms", 60, 65, []),
                (DIALOGUE, "Risk share", 30, 35, []),
            ],
            [Action("Comment on pathway-development clause", community, 7, 0)],
        ),
    ]


def build_english_forum(*, forum: Forum, trust, community, today):
    arena = _arena(forum, trust, community)
    meetings = hold_year(
        forum=forum,
        arena=arena,
        today=today,
        meetings=[*_case_and_scope(forum.purchaser), *_governance_to_contract(trust, community)],
    )
    upcoming = plan_next(
        forum=forum,
        arena=arena,
        title="Respiratory forum: agreeing the pathway-development terms",
        in_days=21,
        today=today,
        agenda=[(DIALOGUE, "Pathway-development terms", 60), (DECISION, "Sign-off", 20)],
    )
    return arena, meetings, upcoming
