"""Changing how a person is notified: per kind (profile page, API, unsubscribe link) and the
time of their daily digest. Each change is an Event of the person's own."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.errors import RuleViolation
from commissioning.models import Profile
from commissioning.services.events import record_event
from notifications.kinds import KINDS, Delivery
from notifications.models import Preference


def _check(kind: str, delivery: str) -> None:
    if kind not in KINDS:
        raise RuleViolation(_("There is no such kind of notification."), code="unknown_kind")
    if delivery not in Delivery.values:
        raise RuleViolation(
            _("Choose how to be notified: at once, in the daily digest, or no email."),
            code="unknown_delivery",
        )
    if KINDS[kind].required and delivery != Delivery.IMMEDIATELY:
        raise RuleViolation(
            _("%(kind)s are always emailed at once; they cannot be turned off.")
            % {"kind": KINDS[kind].label},
            code="required_kind",
        )


@transaction.atomic
def set_delivery(*, person, kind: str, delivery: str, actor=None) -> Preference:
    """Email `kind` to `person` at once, in the digest, or not at all. `actor` is the person
    themselves, or None for the unsubscribe link (which signs in nobody)."""
    _check(kind, delivery)
    preference, created = Preference.objects.select_for_update().get_or_create(
        person=person, kind=kind, defaults={"delivery": delivery}
    )
    before = None if created else preference.delivery
    if before == delivery:
        return preference
    if not created:
        preference.delivery = delivery
        preference.save(update_fields=["delivery", "updated_at"])
    record_event(
        actor=actor,
        acting_for=None,
        verb="notification_preference.changed",
        subject=preference,
        before={"delivery": before} if before else None,
        after={"delivery": delivery},
    )
    return preference


@transaction.atomic
def set_digest_time(*, person, at: datetime.time) -> Profile:
    profile, _created = Profile.objects.select_for_update().get_or_create(person=person)
    at = at.replace(second=0, microsecond=0, tzinfo=None)
    if profile.digest_time != at:
        before = profile.digest_time.isoformat(timespec="minutes")
        profile.digest_time = at
        profile.save(update_fields=["digest_time"])
        record_event(
            actor=person,
            acting_for=None,
            verb="profile.changed",
            subject=profile,
            before={"digest_time": before},
            after={"digest_time": at.isoformat(timespec="minutes")},
        )
    return profile
