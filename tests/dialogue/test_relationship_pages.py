"""The relationship pages: the relationships a person may read, most in need of attention
first, paged, filtered and sorted by the URL (page_list over the selector's list); and a
relationship's page with its figures and links through to its meetings, concerns and trust
trend. Another purchaser's relationship answers as if it did not exist."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.models import Meeting
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory
from tests.factories import ProgrammeFactory, ProviderFactory
from tests.pages import signed_in, text


@pytest.fixture
def many(world):
    """Thirty providers taking part in a programme of A, none met."""
    clinics = [ProviderFactory(name=f"Clinic {number:02d}") for number in range(30)]
    return ProgrammeFactory(purchaser=world.purchaser_a, name="Home care", participants=clinics)


def test_the_list_pages_sorts_and_filters_the_relationships(world, many):
    client = signed_in(world)
    first = text(client.get("/relationships/?sort=provider"))
    assert "<td>Clinic 00</td>" in first
    assert "<td>Clinic 29</td>" not in first
    assert "Page 1 of 2" in first
    second = text(client.get("/relationships/?sort=-provider&per_page=10"))
    rows = re.findall(r"<tr> <td>([^<]+)</td>", second)
    assert rows[:3] == ["Provider in A", "Network in A", "Clinic 29"]
    assert len(rows) == 10
    only = text(client.get(f"/relationships/?provider={world.provider_in_a.pk}"))
    assert re.findall(r"<tr> <td>([^<]+)</td>", only) == ["Provider in A"]
    assert "Provider outside A" not in text(client.get("/relationships/?per_page=100"))
    bad = client.get("/relationships/?provider=nonsense")
    assert bad.status_code == 400
    assert "Provider or network:" in text(bad)
    assert client.get("/relationships/?page=9").status_code == 404


def test_the_list_costs_the_same_queries_however_many_relationships(
    world, many, django_assert_max_num_queries
):
    client = signed_in(world)
    with CaptureQueriesContext(connection) as few:
        client.get("/relationships/?per_page=10")
    more = [ProviderFactory(name=f"More {number}") for number in range(40)]
    ProgrammeFactory(purchaser=world.purchaser_a, name="More", participants=more)
    with django_assert_max_num_queries(len(few)):
        client.get("/relationships/?per_page=10&page=3")


def test_a_relationship_page_links_to_its_meetings_concerns_and_trust(world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    meeting = MeetingFactory(
        arena=arena,
        title="Provider council",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=Meeting.Status.HELD,
    )
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a)
    MeetingFactory(arena=arena, title="Without the provider")
    path = f"/relationships/{world.purchaser_a.pk}/{world.provider_in_a.pk}/"
    for actor in ("officer_a", "provider_in_a"):
        page = text(signed_in(world, actor).get(path))
        assert "Region A – Provider in A" in page
        assert f'href="/meetings/{meeting.pk}/"' in page
        assert "Without the provider" not in page
        assert 'href="#trust-heading"' in page
    staff = text(signed_in(world).get(path))
    assert f'href="/concerns/?organisation={world.provider_in_a.pk}"' in staff
    provider = text(signed_in(world, "provider_in_a").get(path))
    assert f'href="/concerns/?organisation={world.purchaser_a.pk}"' in provider
    # The concern list answers the link.
    linked = signed_in(world).get(f"/concerns/?organisation={world.provider_in_a.pk}")
    assert linked.status_code == 200


def test_another_purchasers_relationship_is_not_found(world):
    path = f"/relationships/{world.purchaser_a.pk}/{world.provider_in_a.pk}/"
    assert signed_in(world, "manager_b").get(path).status_code == 404
    assert signed_in(world, "provider_outside").get(path).status_code == 404
