"""`load_demo_data --reset`: the demo's dates are relative to the day it was loaded (the open
consultation closes three days later, the overdue milestone is overdue by days), so a demo
kept for weeks goes stale. Resetting deletes the demo's rows and loads it afresh.

The demo's rows are its organisations (by name) and its people (by login, and the invited
first representative once she has joined), with everything that hangs on them. A database
with anyone or anything else in it is refused, unless forced: the demo is for a database of
its own, and a real organisation's comment on a demo consultation would go with it."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError

from commissioning.models import Event, Organisation
from demo.invitations import INVITEE
from demo.people import demo_usernames

ORGANISATIONS = frozenset(
    {
        "Region Norrsund",
        "Hälso- och sjukvårdsnämnden, Region Norrsund",
        "Vårdcentralen Älvstaden (Region Norrsund)",
        "Hälsans Hus Norrsund AB",
        "Familjeläkarna i Norrsund AB",
        "Norrlandsläkarna AB",
        "Stiftelsen Ersta Norrsund",
        "Vårdcentralen Hamnen (Region Norrsund)",
        "Vårdföretagarna Norrsund",
        "NHS North Riverside Integrated Care Board",
        "North Riverside ICB Board",
        "Riverside University Hospitals NHS Foundation Trust",
        "Riverside Community Health CIC",
        "Fjordvik kommune",
        "Helse- og omsorgsutvalget, Fjordvik kommune",
        "Helse Fjordvik HF",
    }
)


def demo_people():
    return get_user_model().objects.filter(
        Q(username__in=demo_usernames()) | Q(email__iexact=INVITEE)
    )


def strangers() -> list[str]:
    """What in the database is not the demo's: people and organisations, by name."""
    people = get_user_model().objects.exclude(pk__in=demo_people().values("pk"))
    organisations = Organisation.objects.exclude(name__in=ORGANISATIONS)
    return [
        *(f"person {username}" for username in people.values_list("username", flat=True)[:5]),
        *(f"organisation {name}" for name in organisations.values_list("name", flat=True)[:5]),
    ]


def wipe() -> None:
    """Delete the demo's rows: its Events, then its organisations and people with all that
    hangs on them (programmes, contracts, meetings, consultations, documents, notices)."""
    with transaction.atomic():
        organisations = Organisation.objects.filter(name__in=ORGANISATIONS)
        people = demo_people()
        Event.objects.filter(
            Q(purchaser__in=organisations) | Q(acting_for__in=organisations) | Q(actor__in=people)
        ).delete()
        delete(organisations)
        delete(people)


def delete(queryset, rounds: int = 50) -> None:
    """Delete the rows with what hangs on them: rows that protect them (a programme's
    purchaser, a meeting's invitee) are deleted first, round by round."""
    for _round in range(rounds):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            blocking = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else (error.restricted_objects)
            )
            by_model = defaultdict(set)
            for row in blocking:
                by_model[type(row)].add(row.pk)
            for model, pks in by_model.items():
                delete(model._default_manager.filter(pk__in=pks), rounds)
    raise RuntimeError(f"Could not delete {queryset.model.__name__} rows in {rounds} rounds")
