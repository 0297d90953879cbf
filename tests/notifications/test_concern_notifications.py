"""The concerns' occasions: raised, acknowledged and resolved each tell the other party's
people, once per verb and concern, in their language; never the person who acted, and
nobody the policy does not let read the concern."""

import datetime

from django.core import mail
from django.utils import timezone

from commissioning import policies
from commissioning.models import Event, Membership, Profile
from dialogue.services.concerns import acknowledge_concern, raise_concern, resolve_concern
from notifications.models import Notice
from notifications.services import delivery
from workers import relay


def notices_emailed() -> list:
    return [m for m in mail.outbox if "List-Unsubscribe-Post" in m.extra_headers]


def addressees() -> list[str]:
    return sorted(m.to[0].split("<")[1].split("@")[0] for m in notices_emailed())


def reply_by() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=14)


def raised_by_provider(world, capture):
    with capture(execute=True):
        return raise_concern(
            actor=world.people["provider_in_a"],
            acting_for=world.provider_in_a,
            raised_with=world.purchaser_a,
            title="Discharge notices arrive after 3 pm",
            description="Our evening staff cannot plan the next day.",
            reply_by=reply_by(),
        )


def test_a_concern_raised_by_a_provider_tells_the_purchasers_staff(
    world, django_capture_on_commit_callbacks
):
    Profile.objects.update_or_create(person=world.people["officer_a"], defaults={"language": "sv"})
    concern = raised_by_provider(world, django_capture_on_commit_callbacks)
    # The purchaser's managers and officers; not its politicians, not the provider itself.
    assert addressees() == ["manager_a", "officer_a"]
    swedish = next(m for m in notices_emailed() if "officer_a" in m.to[0])
    assert swedish.subject == "Problem påtalat: Discharge notices arrive after 3 pm"
    assert "Provider in A har påtalat ett problem för Region A" in swedish.body
    assert "Our evening staff cannot plan the next day." in swedish.body
    # The link is the concern's page (dialogue/web/concerns.py), not the API's JSON.
    assert f"/api/v1/concerns/{concern.pk}/" not in swedish.body
    assert f"/concerns/{concern.pk}/" in swedish.body
    assert Notice.objects.filter(kind="concern", url=f"/concerns/{concern.pk}/").count() == 2
    # The organisation speaks, not the person: their name is not in the email.
    raiser = world.people["provider_in_a"]
    for message in notices_emailed():
        assert raiser.get_full_name() not in message.body
        assert raiser.username not in message.body
    keys = set(Notice.objects.values_list("key", flat=True))
    assert keys == {
        f"concern-raised:{concern.pk}:{world.people[name].pk}"
        for name in ("manager_a", "officer_a")
    }

    for event in Event.objects.filter(verb="concern.raised"):
        Event.objects.filter(pk=event.pk).update(relayed_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            relay.relay_event_now(event.pk)
    assert len(notices_emailed()) == 2


def test_a_concern_raised_by_the_purchaser_tells_the_providers_representatives(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_concern(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            raised_with=world.provider_in_a,
            title="Waiting-time reports are late",
            reply_by=reply_by(),
        )
    assert addressees() == ["provider_in_a"]


def test_acknowledged_tells_the_raiser_and_resolved_by_the_other_side_too(
    world, django_capture_on_commit_callbacks
):
    concern = raised_by_provider(world, django_capture_on_commit_callbacks)
    mail.outbox = []
    Profile.objects.update_or_create(
        person=world.people["provider_in_a"], defaults={"language": "nb"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge_concern(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, concern=concern
        )
    assert addressees() == ["provider_in_a"]
    message = notices_emailed()[0]
    assert message.subject == "Utfordring bekreftet mottatt: Discharge notices arrive after 3 pm"
    assert "Region A har bekreftet mottatt utfordringen" in message.body

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        resolve_concern(
            actor=world.people["manager_a"],
            acting_for=world.purchaser_a,
            concern=concern,
            resolution="Notices go out before noon from January.",
        )
    resolved = Notice.objects.get(key__startswith=f"concern-resolved:{concern.pk}:")
    assert resolved.person == world.people["provider_in_a"]
    assert resolved.title == "Utfordring løst: Discharge notices arrive after 3 pm"
    # The second email about the same concern within a day waits for the digest (the
    # quiet rule); the notice is in the person's list at once.
    assert notices_emailed() == []
    assert resolved.delivery == "digest"


def test_resolved_by_the_side_that_raised_it_tells_the_other_side(
    world, django_capture_on_commit_callbacks
):
    concern = raised_by_provider(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge_concern(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, concern=concern
        )
        resolve_concern(
            actor=world.people["provider_in_a"],
            acting_for=world.provider_in_a,
            concern=concern,
            resolution="Solved by the new discharge routine.",
        )
    resolved = Notice.objects.filter(key__startswith=f"concern-resolved:{concern.pk}:")
    assert sorted(resolved.values_list("person__username", flat=True)) == [
        "manager_a",
        "officer_a",
    ]


def test_everyone_told_about_a_concern_may_read_it(world, django_capture_on_commit_callbacks):
    concern = raised_by_provider(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge_concern(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, concern=concern
        )
    told = Notice.objects.filter(kind="concern").select_related("person")
    assert told.count() == 3
    for notice in told:
        assert policies.visible_concerns(notice.person).filter(pk=concern.pk).exists()
    # The politician of the purchaser and the providers elsewhere are told nothing.
    assert not Notice.objects.filter(
        person__in=[world.people["politician_a"], world.people["provider_outside"]]
    ).exists()


def test_two_notices_about_one_concern_delivered_in_one_chunk_make_one_email(
    world, django_capture_on_commit_callbacks
):
    """The quiet rule holds inside a chunk too (delivery looks up what was emailed lately
    once per chunk, then remembers what it sends)."""
    concern = raised_by_provider(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        acknowledge_concern(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, concern=concern
        )
        resolve_concern(
            actor=world.people["manager_a"],
            acting_for=world.purchaser_a,
            concern=concern,
            resolution="Notices go out before noon from January.",
        )
    for event in Event.objects.filter(verb__in=["concern.acknowledged", "concern.resolved"]):
        relay.relay_event_now(event.pk)  # the notices, without their delivery tasks
    mail.outbox = []
    pending = Notice.objects.filter(person=world.people["provider_in_a"], emailed_at=None)
    assert pending.count() == 2
    assert delivery.deliver_now(list(pending.values_list("pk", flat=True))) == 1
    assert len(notices_emailed()) == 1
    assert sorted(
        pending.model.objects.filter(person=world.people["provider_in_a"]).values_list(
            "delivery", flat=True
        )
    ) == ["digest", "immediately"]


def test_a_raiser_who_has_left_the_organisation_is_not_told(
    world, django_capture_on_commit_callbacks
):
    concern = raised_by_provider(world, django_capture_on_commit_callbacks)
    raiser = world.people["provider_in_a"]
    Membership.objects.filter(person=raiser).delete()
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge_concern(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, concern=concern
        )
    assert not Notice.objects.filter(person=raiser).exists()
    fresh = type(raiser).objects.get(pk=raiser.pk)  # (the standing is cached per object)
    assert not policies.visible_concerns(fresh).filter(pk=concern.pk).exists()
