"""Reads of a person's API tokens: only their own, newest first."""

from django.db.models import QuerySet

from accounts.models import ApiToken


def tokens_of(*, person) -> QuerySet[ApiToken]:
    if person is None or not person.is_authenticated:
        return ApiToken.objects.none()  # the schema's generator asks as nobody
    return ApiToken.objects.filter(person=person).order_by("-created_at", "-id")
