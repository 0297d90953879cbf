"""Which language a person or an organisation reads: one rule for every email, page and
PDF. A person's own choice (their profile) comes first; otherwise the language of the
organisation's country (SE → Swedish, NO → Norwegian Bokmål, anywhere else → English)."""

from django.conf import settings

from commissioning.models import Membership, Organisation, Profile

LANGUAGE_BY_COUNTRY = {"SE": "sv", "NO": "nb"}
SUPPORTED_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def language_of_country(country: str | None) -> str:
    return LANGUAGE_BY_COUNTRY.get((country or "").upper(), "en")


def chosen_or_country(chosen: str | None, country: str | None) -> str:
    """For callers that have already loaded the choice and the country (thousands at once)."""
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    return language_of_country(country)


def chosen_language(person) -> str | None:
    """The language the person chose on their profile (or in the header's switch), if any:
    it wins over every other default, the organisation's country's and a programme's."""
    if person is None or not person.is_authenticated:
        return None
    chosen = Profile.objects.filter(person=person).values_list("language", flat=True).first()
    return chosen if chosen in SUPPORTED_LANGUAGES else None


def language_of(person, organisation: Organisation | None = None) -> str:
    """The language a person reads in. Without an organisation, the organisation of the
    person's first membership decides."""
    chosen = chosen_language(person)
    if chosen is not None:
        return chosen
    if organisation is None:
        membership = Membership.objects.filter(person=person).select_related("organisation").first()
        organisation = membership.organisation if membership else None
    return language_of_country(organisation.country if organisation is not None else None)
