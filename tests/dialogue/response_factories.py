"""Factories for consultations, comments and responses, written straight to the database so
that each test starts where it needs to (the response, summary and export code is what the
tests exercise, not the consultation services)."""

import datetime

import factory
from django.utils import timezone

from contracts.models import RulebookVersion
from dialogue.models import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    CoSignature,
    Response,
)
from tests.contracts.rulebook_factories import ClauseFactory, rulebook_with_version
from tests.factories import ProgrammeFactory, ProviderFactory

CLAUSES = [
    ("1", "Scope", "The provider runs a primary-care centre open on weekdays."),
    ("2", "Opening hours", "The centre is open 08:00 to 17:00 on weekdays."),
    ("3", "Reporting", "The provider reports waiting times every month."),
]


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open consultation on a rulebook version, closing in three days."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    purchaser = factory.LazyAttribute(lambda c: c.programme.purchaser)
    rulebook_version = factory.LazyAttribute(
        lambda c: rulebook_with_version(
            c.programme, status=RulebookVersion.Status.IN_CONSULTATION, clauses=CLAUSES
        )
    )
    title = factory.Sequence(lambda n: f"Remiss om regelbok {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    status = Consultation.Status.OPEN
    visibility = Consultation.Visibility.PRIVATE_UNTIL_CLOSE
    opened_at = factory.LazyAttribute(lambda c: c.opens_at)

    @factory.post_generation
    def invited(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            ConsultationInvitation.objects.create(consultation=self, organisation=organisation)


class CommentFactory(factory.django.DjangoModelFactory):
    """A submitted comment with its first revision (`text`) and optional co-signers."""

    class Meta:
        model = Comment
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    organisation = factory.SubFactory(ProviderFactory)
    kind = Comment.Kind.OBJECTION
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=30))

    @factory.post_generation
    def text(self, create, extracted, **kwargs):
        CommentRevision.objects.create(
            comment=self, number=1, body=extracted or "Opening hours are too short."
        )

    @factory.post_generation
    def cosigners(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            CoSignature.objects.create(
                comment=self, organisation=organisation, signed_at=timezone.now()
            )


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    comment = factory.SubFactory(CommentFactory)
    outcome = Response.Outcome.ACCEPTED
    reason = "We extend the opening hours to 19:00."


def clause(consultation: Consultation, key: str):
    return consultation.rulebook_version.clauses.get(key=key)


def next_version(consultation: Consultation, *, changes: dict | None = None, number=2):
    """Version 2 based on the consulted one, every clause copied with its lineage; `changes`
    maps a key to new text (or to None to drop the clause)."""
    consulted = consultation.rulebook_version
    version = RulebookVersion.objects.create(
        rulebook=consulted.rulebook,
        number=number,
        status=RulebookVersion.Status.DRAFT,
        based_on=consulted,
    )
    changes = changes or {}
    for old in consulted.clauses.all():
        if old.key in changes and changes[old.key] is None:
            continue
        ClauseFactory(
            version=version,
            key=old.key,
            lineage=old.lineage,
            heading=old.heading,
            text=changes.get(old.key, old.text),
            position=old.position,
        )
    return version


def close(consultation: Consultation) -> Consultation:
    """Closed a minute ago."""
    now = timezone.now()
    consultation.closes_at = now - datetime.timedelta(minutes=1)
    consultation.closed_at = now
    consultation.status = Consultation.Status.CLOSED
    consultation.save()
    return consultation


def scene(world):
    """A consultation of purchaser A's programme with comments from a provider (answered on
    clause 2, unanswered general) and the network (on clause 3, co-signed by its member)."""
    consultation = ConsultationFactory(
        programme=world.programme_a, invited=[world.provider_in_a, world.network]
    )
    world.consultation = consultation
    world.provider_comment = CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        clause=clause(consultation, "2"),
        text="Vårdcentralen behöver öppet till 19:00 för föräldrar.",
    )
    world.general_comment = CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        kind=Comment.Kind.QUESTION,
        text="When will the decision be taken?",
    )
    world.network_comment = CommentFactory(
        consultation=consultation,
        organisation=world.network,
        clause=clause(consultation, "3"),
        kind=Comment.Kind.PROPOSAL,
        text="Report every quarter, not every month.",
        cosigners=[world.network_member],
    )
    world.response = ResponseFactory(comment=world.provider_comment)
    return world
