"""The concern pages, for both sides: the list (filters and sort in the URL), raising one,
a concern's page with its history, and the moves each side may make there; refusals on the
form with nothing saved, and the other purchaser sees nothing."""

import datetime

import pytest
from django.utils import timezone

from dialogue.models import Concern
from dialogue.services.concerns import raise_concern
from tests.pages import signed_in, text

Status = Concern.Status


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def raised(world):
    return raise_concern(
        actor=world.people["provider_in_a"],
        acting_for=world.provider_in_a,
        raised_with=world.purchaser_a,
        title="Discharge notices arrive after 3 pm",
        description="Evening staff cannot plan.",
        reply_by=in_days(14),
    )


def test_both_sides_list_the_concern_and_the_other_purchaser_does_not(world, raised):
    for actor in ("officer_a", "provider_in_a"):
        assert raised.title in text(signed_in(world, actor).get("/concerns/"))
    assert raised.title not in text(signed_in(world, "manager_b").get("/concerns/"))
    assert signed_in(world, "manager_b").get(f"/concerns/{raised.pk}/").status_code == 404


def test_filters_and_sort_come_from_the_url(world, raised):
    client = signed_in(world)
    assert raised.title in text(
        client.get(f"/concerns/?status=raised&organisation={world.provider_in_a.pk}")
    )
    assert raised.title not in text(client.get("/concerns/?status=resolved"))
    assert "Nothing matches these filters." in text(client.get("/concerns/?status=resolved"))
    bad = client.get("/concerns/?status=nonsense")
    assert bad.status_code == 400
    assert "Status:" in text(bad)


def test_a_provider_raises_a_concern_with_the_purchaser(world):
    client = signed_in(world, "provider_in_a")
    form = text(client.get("/concerns/new/"))
    assert "Region A" in form
    response = client.post(
        "/concerns/new/",
        {"raised_with": world.purchaser_a.pk, "title": "Late notices", "reply_by": in_days(7)},
    )
    assert response.status_code == 302
    concern = Concern.objects.get(title="Late notices")
    assert response["Location"] == f"/concerns/{concern.pk}/"
    assert (concern.raised_by, concern.raised_with) == (world.provider_in_a, world.purchaser_a)


def test_a_reply_by_date_in_the_past_is_refused_beside_the_field_and_nothing_saved(world):
    response = signed_in(world, "officer_a").post(
        "/concerns/new/",
        {"raised_with": world.provider_in_a.pk, "title": "Typed title", "reply_by": in_days(-1)},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved yet" in page
    assert "Reply by: Must be after today." in page
    assert 'value="Typed title"' in page
    assert not Concern.objects.exists()


def test_a_politician_may_not_raise_a_concern(world):
    client = signed_in(world, "politician_a")
    assert client.get("/concerns/new/").status_code == 403
    assert not Concern.objects.exists()


def test_the_side_raised_with_acknowledges_and_the_raiser_withdraws(world, raised):
    provider = text(signed_in(world, "provider_in_a").get(f"/concerns/{raised.pk}/"))
    assert "Withdraw the concern" in provider
    assert "Acknowledge the concern" not in provider
    officer = signed_in(world, "officer_a")
    page = text(officer.get(f"/concerns/{raised.pk}/"))
    assert "Acknowledge the concern" in page
    assert "Withdraw the concern" not in page
    assert "Raised by Provider in A" in page
    # The raiser may not acknowledge: the service's refusal, and nothing changes.
    refused = signed_in(world, "provider_in_a").post(f"/concerns/{raised.pk}/acknowledge/")
    assert refused.status_code == 403
    raised.refresh_from_db()
    assert raised.status == Status.RAISED
    assert officer.post(f"/concerns/{raised.pk}/acknowledge/").status_code == 302
    raised.refresh_from_db()
    assert raised.status == Status.ACKNOWLEDGED
    assert "Acknowledged by Region A" in text(officer.get(f"/concerns/{raised.pk}/"))


def test_acknowledging_twice_comes_back_with_the_reason_on_the_page(world, raised):
    officer = signed_in(world, "officer_a")
    officer.post(f"/concerns/{raised.pk}/acknowledge/")
    again = officer.post(f"/concerns/{raised.pk}/acknowledge/")
    assert again.status_code == 409
    assert "error-summary" in text(again)


def test_a_resolution_is_required_and_then_shown_in_the_history(world, raised):
    officer = signed_in(world, "officer_a")
    officer.post(f"/concerns/{raised.pk}/acknowledge/")
    empty = officer.post(f"/concerns/{raised.pk}/resolve/", {"resolution": ""})
    assert empty.status_code == 400
    assert "How it was resolved:" in text(empty)
    raised.refresh_from_db()
    assert raised.status == Status.ACKNOWLEDGED
    done = officer.post(f"/concerns/{raised.pk}/resolve/", {"resolution": "Notices by noon."})
    assert done.status_code == 302
    page = text(signed_in(world, "provider_in_a").get(f"/concerns/{raised.pk}/"))
    assert "Resolved" in page
    assert "Notices by noon." in page
