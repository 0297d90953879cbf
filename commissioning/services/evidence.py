"""Evidence that a milestone was met: a link, a document, or a record of the product (a
meeting, a consultation, a rulebook version) of the milestone's own programme."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import (
    Milestone,
    MilestoneEvidence,
    Organisation,
    Programme,
)
from commissioning.services.events import record_event, snapshot
from commissioning.services.milestones import lock_milestone

# Evidence may point at these objects of the dialogue app once it exists; until then a
# meeting or consultation is named by its title.
EVIDENCE_SUBJECTS = {
    MilestoneEvidence.Kind.MEETING: ("dialogue", "meeting"),
    MilestoneEvidence.Kind.CONSULTATION: ("dialogue", "consultation"),
}


def _evidence_subject(programme: Programme, kind: str, subject_type: str, subject_id: str):
    if not subject_type and not subject_id:
        return None
    expected = EVIDENCE_SUBJECTS.get(kind)
    wanted = tuple(subject_type.lower().split(".", 1)) if "." in subject_type else None
    if expected is None or wanted != expected:
        raise RuleViolation(
            _(
                "Only meeting and consultation evidence names a subject: dialogue.meeting or "
                "dialogue.consultation, matching the kind."
            ),
            fields={"subject_type": [_("Does not fit the evidence kind.")]},
        )
    content_type = ContentType.objects.filter(app_label=expected[0], model=expected[1]).first()
    if content_type is None or content_type.model_class() is None:
        raise RuleViolation(
            _(
                "Meetings and consultations cannot be linked yet; give a title (and a link) "
                "instead."
            ),
            fields={"subject_type": [_("Not available yet.")]},
        )
    model = content_type.model_class()
    candidates = model.objects.all()
    field_names = {f.name for f in model._meta.fields}
    # Evidence comes from the owning purchaser's own dialogue (a provider council in one of
    # its arenas counts too), never from another purchaser's.
    if "purchaser" in field_names:
        candidates = candidates.filter(purchaser=programme.purchaser)
    elif "programme" in field_names:
        candidates = candidates.filter(programme__purchaser=programme.purchaser)
    try:
        found = bool(subject_id) and candidates.filter(pk=subject_id).exists()
    except (ValueError, TypeError, DjangoValidationError):
        found = False
    if not found:
        raise RuleViolation(
            _("%(owner)s has no %(model)s with the id %(id)s.")
            % {"owner": programme.purchaser.name, "model": content_type.model, "id": subject_id},
            fields={"subject_id": [_("Unknown id.")]},
        )
    return content_type


@transaction.atomic
def add_evidence(
    *,
    actor,
    acting_for: Organisation,
    milestone: Milestone,
    kind: str,
    title: str,
    url: str = "",
    subject_type: str = "",
    subject_id: str = "",
) -> MilestoneEvidence:
    milestone = lock_milestone(milestone)
    policies.require_programme_editor(actor, acting_for, milestone.programme)
    if kind == MilestoneEvidence.Kind.LINK and not url:
        raise RuleViolation(
            _("Link evidence needs the address it links to."),
            fields={"url": [_("Required for a link.")]},
        )
    content_type = _evidence_subject(milestone.programme, kind, subject_type, str(subject_id or ""))
    evidence = MilestoneEvidence.objects.create(
        milestone=milestone,
        kind=kind,
        title=title,
        url=url,
        subject_type=content_type,
        subject_id=str(subject_id or "") if content_type else "",
        added_by=actor,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="milestone.evidence_added",
        subject=evidence,
        after=snapshot(evidence, extra={"document": evidence.document.name or ""}),
        purchaser=milestone.programme.purchaser,
    )
    return evidence
