"""Who is told, as (person, organisation) pairs for notify(): from the (person id,
organisation id) pairs the selectors give, or the people who speak for organisations
(workers.mail.people_of). People who left (inactive) are never told."""

from django.contrib.auth import get_user_model

from commissioning.models import Organisation


def people(pairs) -> list[tuple]:
    """(person, organisation) for (person id, organisation id) pairs, in two queries; the
    first pair of a person wins."""
    pairs = list(pairs)
    if not pairs:
        return []
    persons = (
        get_user_model()
        .objects.filter(pk__in={p for p, _o in pairs}, is_active=True)
        .select_related("profile")
    )
    persons = {person.pk: person for person in persons}
    organisations = Organisation.objects.in_bulk({o for _p, o in pairs if o is not None})
    found, seen = [], set()
    for person_id, organisation_id in pairs:
        if person_id in persons and person_id not in seen:
            seen.add(person_id)
            found.append((persons[person_id], organisations.get(organisation_id)))
    return found
