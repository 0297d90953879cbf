"""The milestone templates of each framework, loaded as data an administrator can then edit.

Each step says why it exists (the finding, law or guidance it serves), so that a commissioning
officer who is tempted to skip it knows what is lost. Offsets are days from the programme's
target decision date: -90 is ninety days before the decision.
"""

from django.db import migrations

VARDFORETAGARNA = (
    "Vårdföretagarna (2015), 90 interviews with purchaser heads and providers in Swedish "
    "care choice: providers want to be involved early and to influence decisions, such as the "
    "rulebook, before the purchaser decides."
)
BMJ_OPEN = (
    "BMJ Open 2020;10:e040267 (integrated respiratory service in England): commissioning an "
    "integrated service should include dialogue with stakeholders as early as possible and "
    "before the contract is finalised"
)
PSR = "The Health Care Services (Provider Selection Regime) Regulations 2023"
HOL_6_2 = "Helse- og omsorgstjenesteloven § 6-2"

TEMPLATES = [
    {
        "framework": "se_care_choice",
        "name": "Swedish care choice: rulebook revision",
        "description": (
            "Revising the rulebook (regelbok) of a care-choice scheme under LOV, with the "
            "early dialogue providers asked for."
        ),
        "steps": [
            (
                "Share intentions and timeline with providers and their network",
                "preProcurement",
                False,
                "programme",
                -180,
                VARDFORETAGARNA + " Sharing intentions and the timeline first gives them the "
                "time to prepare and to speak through their regional network with one voice.",
            ),
            (
                "Needs dialogue with providers before drafting",
                "engagement",
                False,
                "programme",
                -150,
                VARDFORETAGARNA + " A dialogue on needs before the first draft lets providers "
                "shape the rulebook, not only react to it.",
            ),
            (
                "Draft rulebook consultation open at least four weeks",
                "engagement",
                True,
                "programme",
                -90,
                VARDFORETAGARNA + " A consultation window of at least four weeks gives small "
                "providers, who have no staff for it, a real chance to comment.",
            ),
            (
                "Every comment answered and the answers published",
                "engagement",
                True,
                "programme",
                -30,
                VARDFORETAGARNA + " Trust was found lacking; answering every comment and "
                "publishing what was done ('you said, we did') shows that comments mattered.",
            ),
            (
                "Political decision on the rulebook",
                "approval",
                False,
                "programme",
                0,
                "The regional council or its health committee decides the rulebook; "
                + VARDFORETAGARNA
                + " Informed politicians decide better.",
            ),
            (
                "Rulebook announced before it takes effect",
                "delivery",
                False,
                "programme",
                30,
                VARDFORETAGARNA + " Providers need time to adapt to new terms before they "
                "apply.",
            ),
            (
                "Follow-up dialogue after a year",
                "reporting",
                False,
                "programme",
                365,
                VARDFORETAGARNA + " Following up how the rulebook works in practice keeps the "
                "dialogue going between revisions.",
            ),
        ],
    },
    {
        "framework": "uk_provider_selection",
        "name": "English integrated service (Provider Selection Regime)",
        "description": (
            "Commissioning an integrated service from several providers under the Provider "
            "Selection Regime, with the dialogue an integrated service needs before the "
            "contract is finalised."
        ),
        "steps": [
            (
                "Stakeholder engagement with clinicians, providers and patient representatives "
                "before the specification",
                "engagement",
                True,
                "programme",
                -180,
                BMJ_OPEN + "; the service specification was written without it.",
            ),
            (
                "Clinical-governance arrangements agreed between all providers",
                "approval",
                True,
                "contract",
                -30,
                BMJ_OPEN + "; clinical governance between the providers was never agreed.",
            ),
            (
                "Pathway-development terms agreed",
                "engagement",
                True,
                "contract",
                -30,
                BMJ_OPEN + "; contractual limits blocked the development of the pathway.",
            ),
            (
                "Information-sharing and shared IT agreement",
                "engagement",
                False,
                "contract",
                -14,
                BMJ_OPEN + "; providers of an integrated service could not share records "
                "without an agreed information-sharing and IT arrangement.",
            ),
            (
                "Intention to award published and eight-working-day standstill",
                "approval",
                False,
                "programme",
                0,
                PSR + ": the intention to award is published, and the contract is not entered "
                "into before a standstill period of eight working days has passed.",
            ),
            (
                "Contract award notice published within 30 days of award",
                "reporting",
                False,
                "contract",
                42,
                PSR + ": a notice of the award is published within 30 days of the contract "
                "being entered into (here planned after the standstill).",
            ),
        ],
    },
    {
        "framework": "no_cooperation_agreement",
        "name": "Norwegian cooperation agreement (samarbeidsavtale)",
        "description": (
            "The agreement between a municipality and a health trust, with one milestone per "
            "area the law requires it to cover, and a yearly review."
        ),
        "steps": [
            *[
                (
                    title,
                    "engagement",
                    True,
                    "programme",
                    offset,
                    f"{HOL_6_2} second paragraph no. {number}: the agreement must cover "
                    f"{area}. Norwegian purchaser units asked for role clarification and "
                    "formal dialogue about the challenges.",
                )
                for number, (title, area, offset) in enumerate(
                    [
                        (
                            "Division of tasks agreed",
                            "which tasks each level of government is responsible for, and "
                            "which measures each party carries out",
                            -150,
                        ),
                        (
                            "Guidelines for patients needing coordinated services",
                            "guidelines for cooperation on admission, discharge, habilitation, "
                            "rehabilitation and learning and coping services for patients who "
                            "need coordinated services",
                            -140,
                        ),
                        (
                            "Guidelines for admission to hospital",
                            "guidelines for admission to hospital",
                            -130,
                        ),
                        (
                            "Municipal acute 24-hour beds described",
                            "a description of the municipality's offer of 24-hour stays for "
                            "emergency help (§ 3-5 third paragraph)",
                            -120,
                        ),
                        (
                            "Guidelines for discharge of patients ready for discharge",
                            "guidelines for cooperation on patients ready for discharge who are "
                            "likely to need municipal services afterwards",
                            -110,
                        ),
                        (
                            "Knowledge transfer and information exchange",
                            "guidelines for knowledge transfer, information exchange, "
                            "professional networks and secondments",
                            -100,
                        ),
                        (
                            "Education and practice placements",
                            "cooperation on research, education, practice placements and "
                            "apprenticeships",
                            -90,
                        ),
                        (
                            "Midwifery services",
                            "cooperation on midwifery services",
                            -80,
                        ),
                        (
                            "Local ICT solutions",
                            "cooperation on local ICT solutions",
                            -70,
                        ),
                        (
                            "Prevention",
                            "cooperation on prevention",
                            -60,
                        ),
                        (
                            "Emergency preparedness and the acute medical chain",
                            "agreed emergency preparedness plans and plans for the acute "
                            "medical chain",
                            -50,
                        ),
                    ],
                    start=1,
                )
            ],
            (
                "Annual review meeting of the agreement",
                "reporting",
                False,
                "programme",
                365,
                "Norwegian purchaser units and municipal care transitions: meeting points were "
                "lost and notifications came late; a yearly review in the collaboration "
                "meeting keeps the agreement alive (" + HOL_6_2 + ": the parties follow up "
                "the agreement).",
            ),
        ],
    },
    {
        "framework": "generic",
        "name": "Generic early dialogue",
        "description": "A small plan for programmes that follow no particular framework.",
        "steps": [
            (
                "Early dialogue with providers",
                "engagement",
                True,
                "programme",
                -90,
                "Providers want to be involved early and to influence decisions before the "
                "purchaser decides (Vårdföretagarna 2015; BMJ Open 2020;10:e040267).",
            ),
            (
                "Decision",
                "approval",
                False,
                "programme",
                0,
                "The decision the programme leads to.",
            ),
            (
                "Follow-up after a year",
                "reporting",
                False,
                "programme",
                365,
                "Following up keeps the dialogue going after the decision.",
            ),
        ],
    },
]


def load_templates(apps, schema_editor):
    MilestoneTemplate = apps.get_model("commissioning", "MilestoneTemplate")
    MilestoneTemplateStep = apps.get_model("commissioning", "MilestoneTemplateStep")
    for data in TEMPLATES:
        template, _created = MilestoneTemplate.objects.get_or_create(
            framework=data["framework"],
            defaults={"name": data["name"], "description": data["description"]},
        )
        if template.steps.exists():
            continue  # an administrator's own template is left as it is
        MilestoneTemplateStep.objects.bulk_create(
            MilestoneTemplateStep(
                template=template,
                position=position,
                title=title,
                kind=kind,
                gating=gating,
                applies_to=applies_to,
                offset_days=offset_days,
                rationale=rationale,
            )
            for position, (title, kind, gating, applies_to, offset_days, rationale) in enumerate(
                data["steps"], start=1
            )
        )


def unload_templates(apps, schema_editor):
    MilestoneTemplate = apps.get_model("commissioning", "MilestoneTemplate")
    MilestoneTemplate.objects.filter(framework__in=[t["framework"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0003_milestone_contract_milestone_programme_and_more"),
    ]

    operations = [migrations.RunPython(load_templates, unload_templates)]
