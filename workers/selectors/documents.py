"""Reading PDF documents: the ones a person may read, and the subject a document is ordered
of."""

from django.contrib.contenttypes.models import ContentType

from commissioning import policies
from commissioning.models import Programme
from workers.documents.content import subject_model
from workers.models import Document


def document_list(*, person):
    """The documents a person may read (policies.visible_documents), newest first."""
    return (
        policies.visible_documents(person)
        .select_related("subject_type")
        .order_by("-created_at", "-id")
    )


def documents_of(*, person, kind: str, subject):
    """The documents of one kind made of one subject that the person may read, newest first."""
    return document_list(person=person).filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
    )


def document_get(*, person, document_id) -> Document:
    return policies.get_visible(document_list(person=person), pk=document_id)


def subject_for_order(*, person, kind: str, subject_id):
    """The subject a document is ordered of, if the person sees it (else 404)."""
    from contracts.models import Contract, RulebookVersion
    from dialogue.models import Consultation, Meeting

    model = subject_model(kind)
    if model is RulebookVersion:  # its purchaser is its rulebook's programme's
        visible = policies.visible_rows(RulebookVersion, person).select_related(
            "rulebook__programme__purchaser"
        )
        return policies.get_visible(visible, pk=subject_id)
    visible = {
        Programme: lambda: policies.visible_programmes(person),
        Meeting: lambda: policies.visible_meetings(person),
        Consultation: lambda: policies.visible_consultations(person),
        Contract: lambda: policies.visible_contracts(person),
    }[model]()
    return policies.get_visible(visible.select_related("purchaser"), pk=subject_id)


def comparison_for_order(*, version, against):
    """The version a redline of `version` compares with: the one named in `against` (a
    version of the same rulebook, else 400 on `against`), or when none is named the version
    it was based on, else the one before it."""
    from contracts.selectors import rulebooks

    return rulebooks.version_for_diff(
        version=version, against_id=rulebooks.redline_base(version=version, against=against)
    )
