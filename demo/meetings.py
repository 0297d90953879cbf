"""Demo arenas, a year of their meetings, and concerns, built through the dialogue services
(log_meeting for past meetings, create_meeting for the next one), so that every Event exists
and every rule holds. Called by the load_demo_data command.

One gap: a concern is raised only with a reply-by date in the future (raise_concern), and no
service raises one in the past, so the overdue concern is raised through the service and then
has its dates moved back (see `_backdate_concern`)."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from dialogue.models import ActionItem, Arena, AttendanceEntry, Concern, Meeting
from dialogue.services import concerns
from dialogue.services.arenas import create_arena
from dialogue.services.log import log_meeting
from dialogue.services.meetings import approve_minutes, create_meeting
from dialogue.services.record import add_agenda_item, complete_action_item

INFO, DIALOGUE, DECISION = "information", "dialogue", "decision"
PRESENT, EXCUSED = AttendanceEntry.Status.PRESENT, AttendanceEntry.Status.EXCUSED
# Minutes of meetings at least this many days old have been approved; the latest ones wait.
APPROVED_AFTER_DAYS = 90


@dataclass
class Action:
    title: str
    owner: object  # an Organisation
    due_in_days: int  # from today; negative is in the past
    agenda_index: int | None = None
    done: bool = False


@dataclass
class Past:
    days_ago: int
    title: str
    agenda: list  # (kind, title, planned minutes, actual minutes, [decisions])
    actions: list[Action] = field(default_factory=list)
    excused: tuple = ()  # organisations that sent apologies
    minutes: str = ""


@dataclass
class Forum:
    """One arena of one purchaser and who speaks for it."""

    purchaser: object
    officer: object
    manager: object
    time_zone: str
    place: str
    programme: object
    invitees: list  # organisations invited to every meeting
    people: dict  # organisation id -> person recorded in the attendance


def _at(day: datetime.date, hour: int, time_zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(time_zone))


def _attendance(forum: Forum, excused) -> list[dict]:
    excused_ids = {o.id for o in excused}
    entries = [{"organisation": forum.purchaser.id, "person": forum.officer.id, "status": PRESENT}]
    for organisation in forum.invitees:
        entry = {
            "organisation": organisation.id,
            "status": EXCUSED if organisation.id in excused_ids else PRESENT,
        }
        if organisation.id in forum.people:
            entry["person"] = forum.people[organisation.id]
        entries.append(entry)
    return entries


def hold_year(*, forum: Forum, arena: Arena, meetings: list[Past], today) -> list[Meeting]:
    """Log each past meeting as held (the way officers log after the meeting), approve the
    minutes of the older ones, and close the actions that were done."""
    logged = []
    for spec in meetings:
        day = today - datetime.timedelta(days=spec.days_ago)
        meeting = log_meeting(
            actor=forum.officer,
            acting_for=forum.purchaser,
            new_meeting={
                "title": spec.title,
                "starts_at": _at(day, 13, forum.time_zone),
                "ends_at": _at(day, 16, forum.time_zone),
                "arena": arena.id,
                "programme": forum.programme.id,
                "time_zone": forum.time_zone,
                "place": forum.place,
                "invitees": [{"organisation": o.id} for o in forum.invitees],
            },
            attendance=_attendance(forum, spec.excused),
            agenda=[
                {
                    "title": title,
                    "kind": kind,
                    "planned_minutes": planned,
                    "actual_minutes": actual,
                    "decisions": decisions,
                }
                for kind, title, planned, actual, decisions in spec.agenda
            ],
            actions=[
                {
                    "title": a.title,
                    "owner_organisation": a.owner.id,
                    "due_date": today + datetime.timedelta(days=a.due_in_days),
                    "agenda_index": a.agenda_index,
                }
                for a in spec.actions
            ],
            minutes=spec.minutes
            or f"# {spec.title}\n\n"
            + "\n".join(f"- {title}" for _kind, title, *_rest in spec.agenda),
        )
        if spec.days_ago >= APPROVED_AFTER_DAYS:
            approve_minutes(actor=forum.manager, acting_for=forum.purchaser, meeting=meeting)
        done = {a.title for a in spec.actions if a.done}
        for action in meeting.action_items.filter(title__in=done):
            complete_action_item(actor=forum.officer, acting_for=forum.purchaser, action=action)
        logged.append(meeting)
    return logged


def plan_next(*, forum: Forum, arena: Arena, title: str, in_days: int, agenda, today) -> Meeting:
    day = today + datetime.timedelta(days=in_days)
    meeting = create_meeting(
        actor=forum.officer,
        acting_for=forum.purchaser,
        title=title,
        starts_at=_at(day, 13, forum.time_zone),
        ends_at=_at(day, 16, forum.time_zone),
        arena=arena.id,
        programme=forum.programme.id,
        time_zone=forum.time_zone,
        place=forum.place,
        invitees=[{"organisation": o.id} for o in forum.invitees],
    )
    for kind, item_title, planned in agenda:
        add_agenda_item(
            actor=forum.officer,
            acting_for=forum.purchaser,
            meeting=meeting,
            title=item_title,
            kind=kind,
            planned_minutes=planned,
        )
    return meeting


def _backdate_concern(concern: Concern, *, raised_days_ago: int, reply_by: datetime.date):
    """The one direct write of the demo, because no service raises a concern in the past:
    raise_concern refuses a reply-by date that has passed (rightly, for a real request), and
    an overdue concern only arises as time goes by. The concern was raised through the
    service, so its Event exists; only its two dates are moved back."""
    raised_at = concern.created_at - datetime.timedelta(days=raised_days_ago)
    Concern.objects.filter(pk=concern.pk).update(created_at=raised_at, reply_by=reply_by)


# --- the three arenas -----------------------------------------------------------------------


def build_swedish_council(*, forum: Forum, providers, network, today):
    """The region's provider council (vårdvalsråd). Every provider and the network are
    members, but one private provider, a member of the network, was never invited: the
    planners counted on the network to pass it on (the Swedish finding that private providers
    are forgotten in planning). Ersta has sent apologies since the meeting 120 days ago."""
    halsans_hus, familjelakarna, ersta = providers[1], providers[2], providers[4]
    arena = create_arena(
        actor=forum.officer,
        acting_for=forum.purchaser,
        name="Vårdvalsrådet primärvård",
        kind=Arena.Kind.PROVIDER_COUNCIL,
        description="Regionens råd med vårdgivarna i vårdval primärvård och deras nätverk.",
        cadence_weeks=8,
        members=[p.id for p in providers] + [network.id],
    )
    region = forum.purchaser
    meetings = hold_year(
        forum=forum,
        arena=arena,
        today=today,
        meetings=[
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


def build_english_forum(*, forum: Forum, trust, community, today):
    arena = create_arena(
        actor=forum.officer,
        acting_for=forum.purchaser,
        name="Respiratory provider forum",
        kind=Arena.Kind.PROVIDER_COUNCIL,
        description="The ICB with the hospital trust and the community provider of the "
        "integrated respiratory pathway.",
        cadence_weeks=8,
        members=[trust.id, community.id],
    )
    icb = forum.purchaser
    meetings = hold_year(
        forum=forum,
        arena=arena,
        today=today,
        meetings=[
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
        ],
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


def build_norwegian_collaboration(*, forum: Forum, health_trust, today):
    arena = create_arena(
        actor=forum.officer,
        acting_for=forum.purchaser,
        name="Overordnet samarbeidsutvalg Fjordvik",
        kind=Arena.Kind.COLLABORATION_MEETING,
        description="Samarbeidsmøtet mellom Fjordvik kommune og Helse Fjordvik HF.",
        cadence_weeks=8,
        members=[health_trust.id],
    )
    municipality = forum.purchaser
    meetings = hold_year(
        forum=forum,
        arena=arena,
        today=today,
        meetings=[
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


# --- concerns -------------------------------------------------------------------------------


def raise_demo_concerns(
    *,
    today,
    municipality,
    municipal_manager,
    health_trust,
    trust_person,
    norwegian_programme,
    region,
    network,
    network_person,
    icb,
    icb_manager,
    community,
    community_person,
):
    soon = today + datetime.timedelta(days=14)
    late_notices = concerns.raise_concern(
        actor=municipal_manager,
        acting_for=municipality,
        raised_with=health_trust,
        programme=norwegian_programme,
        title="Utskrivningsmeldinger kommer etter kl. 15",
        description="Meldinger om utskrivningsklare pasienter kommer ofte etter kl. 15, når "
        "hjemmetjenesten ikke rekker å forberede mottaket samme dag.",
        reply_by=soon,
    )
    concerns.acknowledge_concern(actor=trust_person, acting_for=health_trust, concern=late_notices)
    weekend = concerns.raise_concern(
        actor=trust_person,
        acting_for=health_trust,
        raised_with=municipality,
        programme=norwegian_programme,
        title="Kommunen tar ikke imot utskrivningsklare pasienter i helgene",
        description="Pasienter blir liggende over helgen fordi korttidsplassene ikke tar "
        "imot fra fredag kl. 12.",
        reply_by=today + datetime.timedelta(days=1),
    )
    _backdate_concern(weekend, raised_days_ago=21, reply_by=today - datetime.timedelta(days=7))
    concerns.raise_concern(
        actor=network_person,
        acting_for=network,
        raised_with=region,
        title="Tolkkostnader ersätts inte",
        description="Kostnaden för tolk vid besök bärs av vårdgivaren; nätverket vill att "
        "den ersätts i den nya regelboken.",
        reply_by=today + datetime.timedelta(days=21),
    )
    copied = concerns.raise_concern(
        actor=community_person,
        acting_for=community,
        raised_with=icb,
        title="Community team not copied into discharge summaries",
        description="Patients discharged after a COPD exacerbation reach the community team "
        "days later because the summaries go only to the GP.",
        reply_by=soon,
    )
    concerns.acknowledge_concern(actor=icb_manager, acting_for=icb, concern=copied)
    return Concern.objects.count()


def open_action_count(today) -> tuple[int, int]:
    open_actions = ActionItem.objects.filter(status=ActionItem.Status.OPEN)
    return open_actions.count(), open_actions.filter(due_date__lt=today).count()
