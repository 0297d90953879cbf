"""Every write to rulebooks and their versions; the clauses of a draft: contracts.services.clauses.

A rulebook (a care-choice scheme's regelbok) belongs to one programme. It moves through
numbered versions:

    draft -> in_consultation -> consultation_closed -> adopted -> superseded

`VERSION_LIFECYCLE` is the one table of legal moves. Only a draft is edited; a version that
has been in consultation is what providers commented on, so it stays as it was and a change
is a new version (a copy of the latest one, clause lineages kept). A version is adopted only
after its consultation is closed: providers are to be heard before the region decides (the
Swedish finding, DESIGN.md). Adopting supersedes the previously adopted version in the same
transaction, and is refused while a gating milestone of the programme is open (the UK finding).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict
from commissioning.models import Organisation, Programme
from commissioning.services.events import record_event, snapshot
from commissioning.services.milestones import require_gates_passed
from commissioning.transitions import Lifecycle
from contracts.models import Clause, Rulebook, RulebookVersion

Status = RulebookVersion.Status

# The one table of legal status moves. Superseding happens only as part of adopting another
# version; the consultation moves will later be driven by the consultations feature.
VERSION_LIFECYCLE = Lifecycle(
    Status,
    {
        Status.DRAFT: (Status.IN_CONSULTATION,),
        Status.IN_CONSULTATION: (Status.CONSULTATION_CLOSED,),
        Status.CONSULTATION_CLOSED: (Status.ADOPTED,),
        Status.ADOPTED: (Status.SUPERSEDED,),
        Status.SUPERSEDED: (),
    },
    closed=_("none: a superseded version stays as it is; make a new version"),
    hints={
        Status.ADOPTED: _(
            "A version is adopted only after its consultation: open a consultation on "
            "the draft, close it, then adopt."
        )
    },
)


def _require_transition(version: RulebookVersion, target: str) -> None:
    VERSION_LIFECYCLE.require(version.status, target)


def require_editable(version: RulebookVersion) -> None:
    if not version.is_editable:
        raise Conflict(
            _(
                "Version %(number)s is %(status)s and can no longer be edited: providers may "
                "have commented on it as it stands. Make a new version and change that one."
            )
            % {"number": version.number, "status": version.get_status_display().lower()},
            code="version_not_editable",
            details={"status": version.status},
        )


def require_no_open_draft(rulebook: Rulebook) -> None:
    """A rulebook has one draft at a time (a new version, made or imported, is refused)."""
    open_draft = rulebook.versions.filter(status=Status.DRAFT).first()
    if open_draft is not None:
        raise Conflict(
            _(
                "Version %(number)s is still a draft; a rulebook has one draft at a time. "
                "Edit that draft, or open a consultation on it before making a new version."
            )
            % {"number": open_draft.number},
            code="draft_exists",
            details={"draft": {"id": open_draft.id, "number": open_draft.number}},
        )


def locked_version(version: RulebookVersion) -> RulebookVersion:
    # Lock the rulebook first, then the version, always in that order, so that two writes on
    # the same rulebook (a new version and an adoption, say) run one after the other.
    Rulebook.objects.select_for_update().get(pk=version.rulebook_id)
    return (
        RulebookVersion.objects.select_for_update(of=("self",))
        .select_related("rulebook__programme__purchaser")
        .get(pk=version.pk)
    )


def _version_state(version: RulebookVersion) -> dict:
    return snapshot(version, extra={"clause_count": version.clauses.count()})


# --- rulebooks ----------------------------------------------------------------------------


@transaction.atomic
def create_rulebook(
    *, actor, acting_for: Organisation, programme: Programme, title: str
) -> Rulebook:
    """A programme has one rulebook; its first version is made with create_rulebook_version."""
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("purchaser")
        .get(pk=programme.pk)
    )
    policies.require_purchaser_staff(actor, acting_for, programme.purchaser)
    existing = Rulebook.objects.filter(programme=programme).first()
    if existing is not None:
        raise Conflict(
            _(
                "Programme %(programme)s already has a rulebook (%(id)s, %(title)s); a "
                "programme has one. Make a new version of it instead."
            )
            % {"programme": programme.name, "id": existing.id, "title": existing.title},
            code="rulebook_exists",
            details={"rulebook": existing.id},
        )
    rulebook = Rulebook.objects.create(programme=programme, title=title)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook.created",
        subject=rulebook,
        after=snapshot(rulebook),
        purchaser=programme.purchaser,
    )
    return rulebook


@transaction.atomic
def update_rulebook(*, actor, acting_for: Organisation, rulebook: Rulebook, title: str) -> Rulebook:
    rulebook = (
        Rulebook.objects.select_for_update(of=("self",))
        .select_related("programme__purchaser")
        .get(pk=rulebook.pk)
    )
    policies.require_purchaser_staff(actor, acting_for, rulebook.programme.purchaser)
    before = snapshot(rulebook)
    rulebook.title = title
    rulebook.save(update_fields=["title"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook.updated",
        subject=rulebook,
        before=before,
        after=snapshot(rulebook),
        purchaser=rulebook.programme.purchaser,
    )
    return rulebook


# --- versions -----------------------------------------------------------------------------


@transaction.atomic
def create_rulebook_version(
    *, actor, acting_for: Organisation, rulebook: Rulebook, summary: str = ""
) -> RulebookVersion:
    """The next version: a copy of the latest one (every clause with the same key, heading,
    text, position and lineage), so that each clause can be followed from version to version.
    The first version starts empty."""
    rulebook = (
        Rulebook.objects.select_for_update(of=("self",))
        .select_related("programme__purchaser")
        .get(pk=rulebook.pk)
    )
    policies.require_purchaser_staff(actor, acting_for, rulebook.programme.purchaser)
    require_no_open_draft(rulebook)
    latest = rulebook.versions.order_by("-number").first()
    version = RulebookVersion.objects.create(
        rulebook=rulebook,
        number=(latest.number + 1) if latest else 1,
        status=Status.DRAFT,
        summary=summary,
        based_on=latest,
        created_by=actor,
    )
    if latest is not None:
        Clause.objects.bulk_create(
            Clause(
                version=version,
                key=clause.key,
                lineage=clause.lineage,
                position=clause.position,
                heading=clause.heading,
                text=clause.text,
            )
            for clause in latest.clauses.all()
        )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook_version.created",
        subject=version,
        after=_version_state(version),
        purchaser=rulebook.programme.purchaser,
    )
    return version


@transaction.atomic
def update_rulebook_version(
    *, actor, acting_for: Organisation, version: RulebookVersion, summary: str
) -> RulebookVersion:
    version = locked_version(version)
    policies.require_purchaser_staff(actor, acting_for, version.rulebook.programme.purchaser)
    require_editable(version)
    before = snapshot(version)
    version.summary = summary
    version.save(update_fields=["summary"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook_version.updated",
        subject=version,
        before=before,
        after=snapshot(version),
        purchaser=version.rulebook.programme.purchaser,
    )
    return version


def _move(*, actor, acting_for, version: RulebookVersion, target: str, verb: str):
    version = locked_version(version)
    policies.require_purchaser_staff(actor, acting_for, version.rulebook.programme.purchaser)
    _require_transition(version, target)
    before = snapshot(version)
    version.status = target
    version.save(update_fields=["status"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=version,
        before=before,
        after=snapshot(version),
        purchaser=version.rulebook.programme.purchaser,
    )
    return version


@transaction.atomic
def open_consultation_on_version(
    *, actor, acting_for: Organisation, version: RulebookVersion
) -> RulebookVersion:
    """Draft -> in consultation. From here on the version is frozen: it is what providers
    comment on. (The consultations feature will call this when it opens a window.)"""
    return _move(
        actor=actor,
        acting_for=acting_for,
        version=version,
        target=Status.IN_CONSULTATION,
        verb="rulebook_version.consultation_opened",
    )


@transaction.atomic
def close_consultation_on_version(
    *, actor, acting_for: Organisation, version: RulebookVersion
) -> RulebookVersion:
    return _move(
        actor=actor,
        acting_for=acting_for,
        version=version,
        target=Status.CONSULTATION_CLOSED,
        verb="rulebook_version.consultation_closed",
    )


@transaction.atomic
def adopt_rulebook_version(
    *, actor, acting_for: Organisation, version: RulebookVersion
) -> RulebookVersion:
    """Consultation closed -> adopted, by a manager, once no gating milestone of the programme
    is open; the version adopted until now becomes superseded in the same transaction."""
    version = locked_version(version)
    rulebook = version.rulebook
    programme = rulebook.programme
    policies.require_purchaser_manager(actor, acting_for, programme.purchaser)
    _require_transition(version, Status.ADOPTED)
    previous = (
        RulebookVersion.objects.select_for_update()
        .filter(rulebook=rulebook, status=Status.ADOPTED)
        .first()
    )
    if previous is not None and previous.number > version.number:
        raise Conflict(
            _(
                "Version %(newer)s, newer than version %(number)s, is already adopted; an "
                "older version cannot replace it. Make a new version from the adopted one."
            )
            % {"newer": previous.number, "number": version.number},
            code="newer_version_adopted",
            details={"adopted": {"id": previous.id, "number": previous.number}},
        )
    # The UK finding: dialogue comes before the decision, unless a manager waived it.
    require_gates_passed(programme=programme, decision=_("Adopting this rulebook version"))
    # Imported here: dialogue.selectors.responses imports contracts.models, and dialogue leans on
    # contracts, not the other way round at import time.
    from dialogue.selectors.responses import require_every_comment_answered

    # DESIGN.md: a rulebook version is adopted only when every comment has a response.
    require_every_comment_answered(rulebook_version=version)
    before = snapshot(version)
    if previous is not None:
        # Superseded first, so that the partial unique index rulebook_one_adopted_version
        # never sees two adopted versions, not even within the transaction.
        previous.status = Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status = Status.ADOPTED
    version.adopted_at = timezone.now()
    version.save(update_fields=["status", "adopted_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook_version.adopted",
        subject=version,
        before={**before, "superseded_version": None},
        after=snapshot(
            version, extra={"superseded_version": previous.id if previous is not None else None}
        ),
        purchaser=programme.purchaser,
    )
    return version
