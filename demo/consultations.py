"""Demo consultations on the Swedish rulebook: a closed consultation on version 1 with
comments from public, private and non-profit providers and a network comment with
co-signers, every comment answered, version 1 adopted, version 2 written from what was
accepted, and a second consultation on version 2 closing in a few days. Called by demo.world,
in two steps around the milestones (see `hold_first_consultation` and
`adopt_and_consult_again`).

Everything is made through the services (create, open, submit, co-sign, edit, close,
respond, adopt), so every Event exists and every rule holds. The one gap is time: the
window is enforced by the server (a write after the close is refused, and a consultation
is closed only once its close time has passed), and no service writes in the past. So, as
demo.meetings.concerns does for the overdue concern (`_backdate_concern`), the history is
*imported*: the consultation is run through the services with a window in the future, then
its dates, and the dates of its comments, revisions, signatures and responses, are moved back
together (`_backdate`), keeping every instant inside the window it was accepted in. Only then
is it closed, through the service, because its close time has now passed. The Events keep the
moment the demo was loaded."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from contracts.models import Clause, RulebookVersion
from contracts.services import clauses as clause_services
from contracts.services import rulebooks as rulebook_services
from dialogue.models import Comment, CommentRevision, Consultation, CoSignature, Response
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comments as comment_services
from dialogue.services import consultations, responses

QUESTION, OBJECTION, PROPOSAL, SUPPORT = (
    Comment.Kind.QUESTION,
    Comment.Kind.OBJECTION,
    Comment.Kind.PROPOSAL,
    Comment.Kind.SUPPORT,
)
Outcome = Response.Outcome

# The first consultation's window, counted back from today: five weeks open, more than the
# four weeks the Swedish template asks for; answered in the week after; adopted after that.
OPENED_DAYS_AGO = 70
CLOSED_DAYS_AGO = 35
ADOPTED_DAYS_AGO = 21
# The second consultation: opened eleven days ago, closing in three.
SECOND_OPENED_DAYS_AGO = 11
SECOND_CLOSES_IN_DAYS = 3


@dataclass
class Said:
    """One comment of the first consultation and the region's answer to it."""

    organisation: object
    day: int  # days after the opening
    kind: str
    clause: str | None  # clause key of version 1; None for a general comment
    body: str
    wording: str = ""
    quote: str = ""  # a span of the clause text, quoted exactly
    outcome: str = Outcome.NOTED
    reason: str = ""
    changed: str | None = None  # clause key of version 2 that changed because of it


@dataclass
class Region:
    purchaser: object
    officer: object
    manager: object
    programme: object
    rulebook: object


# What version 2 says where version 1 was changed because of the comments (clause key ->
# new text): the "you said, we did" of the first consultation.
VERSION_2_TEXTS = {
    "3": (
        "Vårdcentralen har öppet vardagar 8–17 och ger kontakt samma dag, per telefon eller "
        "digitalt, samt medicinsk bedömning inom tre dagar."
    ),
    "4.1": (
        "Uppföljningsdialogen hålls en gång per år, på plats hos vårdgivaren eller digitalt "
        "om vårdgivaren önskar; underlaget skickas minst tre veckor i förväg."
    ),
    "5": (
        "Ändringar beslutas av hälso- och sjukvårdsnämnden efter remiss till vårdgivarna med "
        "minst sex veckors svarstid, och träder i kraft tidigast tre månader efter beslutet."
    ),
}


def _now() -> datetime.datetime:
    return timezone.now().replace(microsecond=0)


def _comments_that_changed_the_text(halsans_hus, network, ersta) -> list[Said]:
    """The proposals the region accepted, wholly or in part: version 2 changed because of them."""
    return [
        Said(
            halsans_hus,
            9,
            PROPOSAL,
            "3",
            "Kravet på kontakt samma dag bör kunna uppfyllas digitalt. Många av våra listade "
            "invånare föredrar chatt eller videobesök, och telefonköerna blir kortare.",
            wording=VERSION_2_TEXTS["3"],
            quote="ger kontakt samma dag",
            outcome=Outcome.ACCEPTED,
            reason="Vi har skrivit in att kontakten kan ges per telefon eller digitalt; kravet "
            "på medicinsk bedömning inom tre dagar är oförändrat.",
            changed="3",
        ),
        Said(
            network,
            20,
            PROPOSAL,
            "4.1",
            "Vårdföretagarna Norrsund föreslår gemensamt för sina medlemmar att "
            "uppföljningsdialogen får hållas digitalt och att underlaget skickas minst fyra "
            "veckor i förväg. Små vårdcentraler har ingen administratör som hinner ta fram "
            "svar på tre veckor.",
            wording=(
                "Uppföljningsdialogen hålls en gång per år, på plats hos vårdgivaren eller "
                "digitalt om vårdgivaren önskar; underlaget skickas minst fyra veckor i förväg."
            ),
            outcome=Outcome.PARTLY_ACCEPTED,
            reason="Dialogen får hållas digitalt om vårdgivaren önskar. Tre veckor behålls: "
            "underlaget bygger på data som finns först vid månadsskiftet, och fyra veckor "
            "skulle ge ett år gammalt underlag.",
            changed="4.1",
        ),
        Said(
            ersta,
            30,
            PROPOSAL,
            "5",
            "Fyra veckors svarstid räcker inte för en stiftelse vars styrelse sammanträder "
            "var sjätte vecka. Föreslår sex veckor och att ändringar inte träder i kraft "
            "förrän vårdgivarna hunnit ställa om.",
            wording=VERSION_2_TEXTS["5"],
            outcome=Outcome.ACCEPTED,
            reason="Svarstiden blir sex veckor och ändringar träder i kraft tidigast tre "
            "månader efter beslutet.",
            changed="5",
        ),
    ]


def _comments_answered_without_change(alvstaden, familjelakarna, norrland, ersta) -> list[Said]:
    """Support, questions and objections, each answered with the reason the text stays."""
    return [
        Said(
            alvstaden,
            4,
            SUPPORT,
            "2.1",
            "Vi stöder att uppföljningsmålen fastställs efter dialog i vårdvalsrådet. Det ger "
            "alla vårdcentraler, oavsett driftsform, samma möjlighet att påverka målen.",
            reason="Tack. Målen för 2027 tas upp på vårdvalsrådets möte i februari.",
        ),
        Said(
            familjelakarna,
            14,
            QUESTION,
            "2",
            "Hur ofta uppdateras ACG-viktningen, och får vårdgivarna se underlaget innan den "
            "nya vårdpengen börjar gälla?",
            reason="ACG-viktningen räknas om varje år per den 1 januari. Underlaget skickas "
            "till varje vårdgivare i november; texten i regelboken ändras inte.",
        ),
        Said(
            norrland,
            26,
            OBJECTION,
            "2.1",
            "Tre procent målrelaterad ersättning är för lite för att styra, men för mycket "
            "för att en liten mottagning ska kunna tappa det. Vi invänder mot att målen kan "
            "ändras under pågående år.",
            outcome=Outcome.NOT_ACCEPTED,
            reason="Andelen är densamma för alla vårdgivare och beslutades av nämnden 2025. "
            "Målen fastställs före årets början och ändras inte under året; det står redan "
            "i avsnitt 2.1 genom hänvisningen till vårdvalsrådet.",
        ),
        Said(
            ersta,
            31,
            OBJECTION,
            "4.2",
            "Kvartalsvis rapportering av avvikelser och klagomål tar mycket tid för små "
            "vårdgivare. Halvårsvis räcker, allvarliga avvikelser anmäls ändå direkt.",
            outcome=Outcome.NOT_ACCEPTED,
            reason="Kvartalsrapporteringen behövs för patientsäkerhetsarbetet i hela "
            "vårdvalet. Regionen tar i stället fram en gemensam mall som förenklar "
            "rapporteringen.",
        ),
        Said(
            alvstaden,
            33,
            QUESTION,
            None,
            "När beslutas den slutliga regelboken, och hur lång blir övergångstiden för de "
            "vårdcentraler som behöver ändra sina öppettider?",
            reason="Nämnden beslutar om regelboken efter remissen. Övergångstiden framgår av "
            "den nya lydelsen av avsnitt 5: minst tre månader.",
        ),
    ]


def _first_comments(providers, network) -> list[Said]:
    """The comments of the first consultation, in the order they came in."""
    alvstaden, halsans_hus, familjelakarna, norrland, ersta, _hamnen = providers
    said = _comments_that_changed_the_text(halsans_hus, network, ersta)
    said += _comments_answered_without_change(alvstaden, familjelakarna, norrland, ersta)
    return sorted(said, key=lambda entry: entry.day)


def _open_first(region: Region, version, now) -> Consultation:
    officer, purchaser = region.officer, region.purchaser
    consultation = consultations.create_consultation(
        actor=officer,
        acting_for=purchaser,
        rulebook_version=version,
        title="Remiss: regelbok vårdval primärvård 2027, version 1",
        description="Remiss till alla vårdgivare i vårdvalet och till Vårdföretagarna "
        "Norrsund. Synpunkter lämnas per avsnitt; alla svar publiceras efter remisstiden.",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=OPENED_DAYS_AGO - CLOSED_DAYS_AGO),
        visibility=Consultation.Visibility.OPEN,
    )
    consultations.open_consultation(actor=officer, acting_for=purchaser, consultation=consultation)
    return consultation


def _submit(consultation: Consultation, said: list[Said], clauses: dict, people: dict) -> list:
    """Each comment through the service, a quote as the span of the clause text it quotes."""
    comments = []
    for entry in said:
        clause = clauses[entry.clause] if entry.clause else None
        span = {}
        if entry.quote:
            start = clause.text.index(entry.quote)
            span = {
                "span_start": start,
                "span_end": start + len(entry.quote),
                "quoted_text": entry.quote,
            }
        comments.append(
            comment_services.submit_comment(
                actor=people[entry.organisation.id],
                acting_for=entry.organisation,
                consultation=consultation,
                kind=entry.kind,
                body=entry.body,
                clause=clause,
                suggested_wording=entry.wording,
                **span,
            )
        )
    return comments


def _cosign_joint(joint: Comment, entry: Said, *, network, cosigners, people: dict) -> None:
    """The network's joint comment: its members sign it, and the network sharpens the text
    once they have (the first revision stays)."""
    for member in cosigners:
        comment_services.cosign_comment(actor=people[member.id], acting_for=member, comment=joint)
    comment_services.edit_comment(
        actor=people[network.id],
        acting_for=network,
        comment=joint,
        body=entry.body + " Förslaget stöds av de medlemmar som skrivit under.",
    )


def _backdate_first(consultation, *, said, comments, joint_index, cosigners, now) -> None:
    """The first consultation's window, comments, signatures and revisions moved back
    together (see the module docstring)."""
    opens_at = now - datetime.timedelta(days=OPENED_DAYS_AGO)
    _backdate(consultation, opens_at=opens_at, closes_days=OPENED_DAYS_AGO - CLOSED_DAYS_AGO)
    for entry, comment in zip(said, comments, strict=True):
        submitted = opens_at + datetime.timedelta(days=entry.day, hours=2)
        Comment.objects.filter(pk=comment.pk).update(submitted_at=submitted)
        CommentRevision.objects.filter(comment=comment, number=1).update(created_at=submitted)
    joint = comments[joint_index]
    joint_day = opens_at + datetime.timedelta(days=said[joint_index].day)
    for number, signature in enumerate(joint.cosignatures.order_by("id"), start=1):
        CoSignature.objects.filter(pk=signature.pk).update(
            signed_at=joint_day + datetime.timedelta(days=number)
        )
    CommentRevision.objects.filter(comment=joint, number=2).update(
        created_at=joint_day + datetime.timedelta(days=len(cosigners) + 1)
    )


def _write_version_2(region: Region, closed_at) -> dict:
    """The region writes version 2 from what it accepted while answering, so that an
    accepted comment can name the clause that changed because of it. Its clauses by key."""
    officer, purchaser = region.officer, region.purchaser
    second = rulebook_services.create_rulebook_version(
        actor=officer,
        acting_for=purchaser,
        rulebook=region.rulebook,
        summary="Version 2 efter remissen: digital kontakt, digital uppföljningsdialog och "
        "längre svarstid vid ändringar.",
    )
    new_clauses = {c.key: c for c in second.clauses.all()}
    for key, text in VERSION_2_TEXTS.items():
        clause_services.update_clause(
            actor=officer, acting_for=purchaser, clause=new_clauses[key], text=text
        )
    RulebookVersion.objects.filter(pk=second.pk).update(
        created_at=closed_at + datetime.timedelta(days=1)
    )
    return new_clauses


def _answer(region: Region, said, comments, new_clauses: dict, closed_at) -> None:
    """Every comment answered in the days after the close."""
    for number, (entry, comment) in enumerate(zip(said, comments, strict=True)):
        response = responses.respond_to_comment(
            actor=region.officer,
            acting_for=region.purchaser,
            comment=comment,
            outcome=entry.outcome,
            reason=entry.reason,
            changed_clause=new_clauses[entry.changed] if entry.changed else None,
        )
        answered = closed_at + datetime.timedelta(days=2 + number % 5, hours=number)
        Response.objects.filter(pk=response.pk).update(created_at=answered, updated_at=answered)


def hold_first_consultation(
    *, region: Region, providers, network, people: dict, cosigners
) -> Consultation:
    """Consultation 1 on version 1, held and closed in the past, every comment answered with
    version 2 (a draft) showing the accepted changes. `people` maps an organisation id to the
    person speaking for it; `cosigners` are the network's members that co-sign its comment."""
    version = region.rulebook.versions.get(number=1)
    clauses = {c.key: c for c in version.clauses.all()}
    now = _now()
    consultation = _open_first(region, version, now)
    said = _first_comments(providers, network)
    comments = _submit(consultation, said, clauses, people)
    joint_index = next(i for i, e in enumerate(said) if e.organisation == network)
    _cosign_joint(
        comments[joint_index],
        said[joint_index],
        network=network,
        cosigners=cosigners,
        people=people,
    )
    _backdate_first(
        consultation,
        said=said,
        comments=comments,
        joint_index=joint_index,
        cosigners=cosigners,
        now=now,
    )
    # Closed through the service now that its close time has passed; closed_at is then put
    # back to the close time, which is when it really closed in the story.
    consultation = consultations.close_consultation(
        actor=region.officer, acting_for=region.purchaser, consultation=consultation
    )
    Consultation.objects.filter(pk=consultation.pk).update(closed_at=consultation.closes_at)
    closed_at = consultation.closes_at
    new_clauses = _write_version_2(region, closed_at)
    _answer(region, said, comments, new_clauses, closed_at)
    return consultation


def _backdate(consultation: Consultation, *, opens_at: datetime.datetime, closes_days: int):
    """Move a consultation's window back so that it opened at `opens_at` (see the module
    docstring: importing history the services cannot write)."""
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=opens_at,
        opened_at=opens_at,
        created_at=opens_at - datetime.timedelta(days=3),
        closes_at=opens_at + datetime.timedelta(days=closes_days),
    )


def answered_on(consultation: Consultation) -> datetime.date:
    """The day the last comment of a consultation was answered (its milestone's date)."""
    last = Response.objects.filter(comment__consultation=consultation).latest("created_at")
    return timezone.localdate(last.created_at)


def adopted_on(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=ADOPTED_DAYS_AGO)


def adopt_and_consult_again(*, region: Region, people: dict, commenters, today) -> Consultation:
    """Version 1 adopted by the manager (every comment answered, the gating milestones met),
    and the second consultation, on version 2, open and closing in a few days, private until
    the close; two comments already in."""
    purchaser = region.purchaser
    first = region.rulebook.versions.get(number=1)
    rulebook_services.adopt_rulebook_version(
        actor=region.manager, acting_for=purchaser, version=first
    )
    adopted_at = datetime.datetime.combine(
        adopted_on(today), datetime.time(14), tzinfo=zoneinfo.ZoneInfo(region.programme.time_zone)
    )
    RulebookVersion.objects.filter(pk=first.pk).update(adopted_at=adopted_at)

    second = region.rulebook.versions.get(number=2)
    clauses = {c.key: c for c in second.clauses.all()}
    now = _now()
    closing_day = today + datetime.timedelta(days=SECOND_CLOSES_IN_DAYS)
    closes_at = datetime.datetime.combine(
        closing_day, datetime.time(17), tzinfo=zoneinfo.ZoneInfo(region.programme.time_zone)
    )
    consultation = consultations.create_consultation(
        actor=region.officer,
        acting_for=purchaser,
        rulebook_version=second,
        title="Remiss: regelbok vårdval primärvård 2027, version 2",
        description="Andra remissen: ändringarna efter den första remissen. Synpunkterna "
        "visas för alla först när remisstiden har gått ut.",
        opens_at=now,
        closes_at=closes_at,
        visibility=Consultation.Visibility.PRIVATE_UNTIL_CLOSE,
    )
    consultations.open_consultation(
        actor=region.officer, acting_for=purchaser, consultation=consultation
    )
    halsans_hus, familjelakarna = commenters
    said = [
        (
            halsans_hus,
            SUPPORT,
            "3",
            "Bra att kontakt samma dag nu kan ges digitalt. Vi ser fram emot att de nya "
            "kraven gäller från årsskiftet.",
        ),
        (
            familjelakarna,
            QUESTION,
            "4.1",
            "Vem bestämmer om uppföljningsdialogen hålls digitalt: vårdgivaren ensam, eller "
            "efter överenskommelse med regionen?",
        ),
    ]
    comments = [
        comment_services.submit_comment(
            actor=people[organisation.id],
            acting_for=organisation,
            consultation=consultation,
            kind=kind,
            body=body,
            clause=clauses[key],
        )
        for organisation, kind, key, body in said
    ]
    opens_at = now - datetime.timedelta(days=SECOND_OPENED_DAYS_AGO)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=opens_at, opened_at=opens_at, created_at=opens_at - datetime.timedelta(days=1)
    )
    for days_ago, comment in zip((6, 2), comments, strict=True):
        submitted = now - datetime.timedelta(days=days_ago)
        Comment.objects.filter(pk=comment.pk).update(submitted_at=submitted)
        CommentRevision.objects.filter(comment=comment).update(created_at=submitted)
    return consultation


def consultation_lines() -> list[str]:
    """For the command's summary."""
    lines = []
    for consultation in Consultation.objects.select_related("programme").order_by("id"):
        comments = consultation.comments.filter(status=Comment.Status.SUBMITTED)
        answered = comments.filter(response__isnull=False).count()
        closes = consultation_selectors.local_time(consultation, consultation.closes_at)
        lines.append(
            f"Consultation {consultation.title!r}: {consultation.get_status_display().lower()}"
            f" (closes {closes:%Y-%m-%d %H:%M} {consultation.programme.time_zone}); "
            f"{comments.count()} comments, {answered} answered"
        )
    changed = Clause.objects.filter(responses__isnull=False).distinct().count()
    lines.append(f"Clauses of version 2 changed because of comments: {changed}")
    return lines
