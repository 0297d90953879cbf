"""Writes of a person's own details: their name, and the language and time zone they read in
(commissioning.languages and the PersonalPreferencesMiddleware make the choice win on every
page, email and PDF). Each change records one Event; a save that changes nothing records
none."""

import zoneinfo
from functools import cache

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.errors import RuleViolation
from commissioning.models import Profile, Programme
from commissioning.services.events import record_event, snapshot

NAME_MAX_LENGTH = get_user_model()._meta.get_field("first_name").max_length
LANGUAGES = frozenset(Programme.Language.values)


@cache
def iana_time_zones() -> frozenset[str]:
    """Every zone name the tz database of this installation knows (Europe/Oslo, UTC …)."""
    return frozenset(zoneinfo.available_timezones())


def _name_state(person) -> dict:
    # Only the names: the account's row holds the password hash, which no Event carries.
    return {"first_name": person.first_name, "last_name": person.last_name}


@transaction.atomic
def rename_person(*, actor, first_name: str, last_name: str):
    """The name shown beside the person's comments, minutes and actions."""
    names = {"first_name": (first_name or "").strip(), "last_name": (last_name or "").strip()}
    too_long = {
        field: [_("At most %(count)d characters.") % {"count": NAME_MAX_LENGTH}]
        for field, value in names.items()
        if len(value) > NAME_MAX_LENGTH
    }
    if too_long:
        raise RuleViolation(
            _("A name has at most %(count)d characters.") % {"count": NAME_MAX_LENGTH},
            fields=too_long,
            code="name_too_long",
        )
    person = get_user_model().objects.select_for_update().get(pk=actor.pk)
    before = _name_state(person)
    if before == names:
        return person
    person.first_name, person.last_name = names["first_name"], names["last_name"]
    person.save(update_fields=["first_name", "last_name"])
    record_event(
        actor=actor,
        acting_for=None,
        verb="person.renamed",
        subject=person,
        before=before,
        after=_name_state(person),
        purchaser=None,
    )
    return person


def _check_preferences(language: str | None, time_zone: str | None) -> None:
    if language is not None and language not in LANGUAGES | {""}:
        raise RuleViolation(
            _("Choose Swedish (sv), Norwegian Bokmål (nb) or English (en), or leave it empty."),
            fields={"language": [_("Choose sv, nb or en, or leave it empty.")]},
            code="unknown_language",
        )
    if time_zone and time_zone not in iana_time_zones():
        raise RuleViolation(
            _("%(zone)s is not a time zone; choose one such as Europe/Stockholm.")
            % {"zone": time_zone[:64]},
            fields={"time_zone": [_("Choose a time zone from the list.")]},
            code="unknown_time_zone",
        )


@transaction.atomic
def set_preferences(*, actor, language: str | None = None, time_zone: str | None = None) -> Profile:
    """The language (sv, nb, en; empty: the organisation's country's) and the time zone (an
    IANA name; empty: the installation's) the person reads in. None leaves one as it is."""
    _check_preferences(language, time_zone)
    profile = Profile.objects.select_for_update().get_or_create(person=actor)[0]
    before = snapshot(profile)
    if language is not None:
        profile.language = language
    if time_zone is not None:
        profile.time_zone = time_zone
    after = snapshot(profile)
    if after == before:
        return profile
    profile.save()
    record_event(
        actor=actor,
        acting_for=None,
        verb="profile.changed",
        subject=profile,
        before=before,
        after=after,
        purchaser=None,
    )
    return profile
