import datetime

import factory
from django.utils import timezone

from commissioning.models import Participation
from contracts.models import RulebookVersion
from dialogue.models import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    CoSignature,
)
from tests.contracts.rulebook_factories import (
    ClauseFactory,
    RulebookFactory,
    RulebookVersionFactory,
)
from tests.factories import ProgrammeFactory

CLAUSE_TEXT = "Vårdgivaren ska rapportera väntetider varje månad till regionen."


def _version_status(consultation_status):
    return {
        Consultation.Status.SCHEDULED: RulebookVersion.Status.DRAFT,
        Consultation.Status.OPEN: RulebookVersion.Status.IN_CONSULTATION,
        Consultation.Status.CLOSED: RulebookVersion.Status.CONSULTATION_CLOSED,
    }[consultation_status]


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open consultation by default, on version 1 of the programme's rulebook (with one
    clause), inviting every participant of the programme unless `invited` is given."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    purchaser = factory.LazyAttribute(lambda c: c.programme.purchaser)
    status = Consultation.Status.OPEN
    rulebook_version = factory.LazyAttribute(
        lambda c: RulebookVersionFactory(
            rulebook=RulebookFactory(programme=c.programme),
            number=1,
            status=_version_status(c.status),
        )
    )
    title = factory.Sequence(lambda n: f"Remiss av regelbok {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    visibility = Consultation.Visibility.PRIVATE_UNTIL_CLOSE

    @factory.post_generation
    def invited(self, create, extracted, **kwargs):
        organisations = extracted
        if organisations is None:
            organisations = [
                p.organisation for p in Participation.objects.filter(programme=self.programme)
            ]
        for organisation in organisations:
            ConsultationInvitation.objects.create(consultation=self, organisation=organisation)

    @factory.post_generation
    def clause(self, create, extracted, **kwargs):
        if self.rulebook_version is not None and not self.rulebook_version.clauses.exists():
            ClauseFactory(version=self.rulebook_version, key="4.2", text=CLAUSE_TEXT)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    organisation = None
    clause = factory.LazyAttribute(lambda c: c.consultation.rulebook_version.clauses.first())
    kind = Comment.Kind.OBJECTION
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def body(self, create, extracted, **kwargs):
        CommentRevision.objects.create(comment=self, number=1, body=extracted or "Too often.")


class CoSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoSignature

    comment = factory.SubFactory(CommentFactory)
    signed_at = factory.LazyFunction(timezone.now)


def post(client, path, organisation, data=None):
    return client.post(path, data or {}, format="json", HTTP_X_ACTING_FOR=str(organisation.id))


def patch(client, path, organisation, data):
    return client.patch(path, data, format="json", HTTP_X_ACTING_FOR=str(organisation.id))
