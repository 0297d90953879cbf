"""The administrator's changes are changes of state like any other: each leaves its Event."""

import pytest
from django.contrib.auth import get_user_model

from commissioning.models import Event, Organisation


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return client


def test_an_organisation_added_in_the_admin_leaves_one_event(admin_client):
    response = admin_client.post(
        "/admin/commissioning/organisation/add/",
        {"name": "Region C", "kind": "purchaser", "ownership": "", "country": "SE"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Region C")
    event = Event.objects.get(subject_id=str(organisation.pk))
    assert event.verb == "organisation.created_by_admin"
    assert event.actor.username == "root"
    assert event.purchaser == organisation
    assert event.after["name"] == "Region C"


def test_an_admin_edit_records_before_and_after(admin_client):
    organisation = Organisation.objects.create(name="Old name", kind="purchaser", country="SE")
    response = admin_client.post(
        f"/admin/commissioning/organisation/{organisation.pk}/change/",
        {"name": "New name", "kind": "purchaser", "ownership": "", "country": "SE"},
    )
    assert response.status_code == 302
    event = Event.objects.get(subject_id=str(organisation.pk))
    assert (event.before["name"], event.after["name"]) == ("Old name", "New name")


def test_the_event_log_cannot_be_edited_in_the_admin(admin_client):
    assert admin_client.get("/admin/commissioning/event/add/").status_code == 403


def test_the_api_schema_and_docs_are_served(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_the_api_schema_is_valid_and_names_every_enum(tmp_path, db):
    """Every endpoint documents itself: the schema validates with no warnings at all."""
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/programmes/" in (tmp_path / "schema.yml").read_text()
