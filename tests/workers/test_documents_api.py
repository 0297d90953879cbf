"""The document API: order (202 + a job resource with a Location), poll, download; who may
do which, across the actors of the world and anonymous."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from tests.authorization.endpoints import refused_for_role
from tests.workers.document_factories import PROGRAMME_NAME, document_scene
from workers.documents import render
from workers.models import Document

ACTORS = [
    "manager_a",
    "officer_a",
    "manager_b",
    "provider_in_a",
    "provider_outside",
    "network_rep",
    "network_member",
    "politician_a",
]


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return document_scene(world)


def acting_for(scene, actor):
    return {
        "manager_a": scene.purchaser_a,
        "officer_a": scene.purchaser_a,
        "manager_b": scene.purchaser_b,
        "provider_in_a": scene.provider_in_a,
        "provider_outside": scene.provider_outside,
        "network_rep": scene.network,
        "network_member": scene.network_member,
        "politician_a": scene.political_body_a,
    }[actor]


def order(client, path, organisation, data=None):
    return client.post(path, data or {}, format="json", HTTP_X_ACTING_FOR=str(organisation.id))


def test_ordering_a_briefing_answers_202_with_a_job_to_poll(scene, client_for):
    client = client_for("officer_a")
    response = order(
        client,
        f"/api/v1/programmes/{scene.programme_a.id}/documents/",
        scene.purchaser_a,
        {"kind": "briefing", "language": "nb"},
    )
    assert response.status_code == 202, response.json()
    job = response.json()
    assert job["status"] == "queued"
    assert job["progress"] == 0
    assert job["download_url"] is None
    assert job["language"] == "nb"
    assert response["Location"] == job["url"]
    assert client.get(response["Location"]).json()["id"] == job["id"]
    refused = client.get(f"/api/v1/documents/{job['id']}/download/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "document_not_done"

    render.render_now(job["id"])
    polled = client.get(response["Location"]).json()
    assert polled["status"] == "done"
    assert polled["progress"] == 100
    assert polled["pages"] >= 3
    download = client.get(polled["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("meeting_summary", "meeting"),
        ("consultation_report", "consultation"),
        ("contract_summary", "contract"),
    ],
)
def test_each_subject_orders_its_own_kind(scene, client_for, kind, subject):
    path = f"/api/v1/{subject}s/{getattr(scene, subject).id}/documents/"
    response = order(client_for("manager_a"), path, scene.purchaser_a)
    assert response.status_code == 202, response.json()
    assert response.json()["kind"] == kind
    assert response.json()["language"] == "sv"  # the programme's language


def test_a_kind_that_does_not_fit_the_address_is_refused(scene, client_for):
    response = order(
        client_for("officer_a"),
        f"/api/v1/meetings/{scene.meeting.id}/documents/",
        scene.purchaser_a,
        {"kind": "briefing"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "document_kind_mismatch"
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"), [({"language": "de"}, "language"), ({"colour": "red"}, "colour")]
)
def test_bad_input_is_refused_with_the_field_named(scene, client_for, data, field):
    response = order(
        client_for("officer_a"),
        f"/api/v1/programmes/{scene.programme_a.id}/documents/",
        scene.purchaser_a,
        data,
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Document.objects.exists()


EXPECTED_ORDER = {
    "manager_a": 202,
    "officer_a": 202,
    "manager_b": 404,
    "provider_in_a": 403,
    "provider_outside": 404,
    "network_rep": 403,
    "network_member": 403,
    "politician_a": 403,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_order_a_briefing(scene, client_for, actor):
    response = order(
        client_for(actor),
        f"/api/v1/programmes/{scene.programme_a.id}/documents/",
        acting_for(scene, actor),
    )
    path = f"/api/v1/programmes/{scene.programme_a.id}/documents/"
    expected = 403 if refused_for_role(actor, path, "POST") else EXPECTED_ORDER[actor]
    assert response.status_code == expected, response.json()
    assert Document.objects.exists() == (expected == 202)


def test_anonymous_orders_and_reads_nothing(scene, client_for):
    client = client_for(None)
    assert client.post(f"/api/v1/programmes/{scene.programme_a.id}/documents/").status_code == 401
    assert client.get("/api/v1/documents/").status_code == 401
    assert not Document.objects.exists()


READERS = {"manager_a", "officer_a", "politician_a"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_reads_and_downloads_a_briefing(scene, client_for, actor):
    response = order(
        client_for("officer_a"),
        f"/api/v1/programmes/{scene.programme_a.id}/documents/",
        scene.purchaser_a,
    )
    document_id = response.json()["id"]
    render.render_now(document_id)
    client = client_for(actor)
    listed = [d["id"] for d in client.get("/api/v1/documents/").json()["results"]]
    detail = client.get(f"/api/v1/documents/{document_id}/")
    download = client.get(f"/api/v1/documents/{document_id}/download/")
    if actor in READERS:
        assert listed == [document_id]
        assert detail.status_code == 200
        assert download.status_code == 200
    else:
        assert listed == []
        assert detail.status_code == 404
        assert download.status_code == 404


def test_the_list_filters_by_kind_and_status(scene, client_for):
    client = client_for("manager_a")
    briefing = order(
        client, f"/api/v1/programmes/{scene.programme_a.id}/documents/", scene.purchaser_a
    ).json()
    order(client, f"/api/v1/contracts/{scene.contract.id}/documents/", scene.purchaser_a)
    render.render_now(briefing["id"])
    by_kind = client.get("/api/v1/documents/", {"kind": "briefing"}).json()["results"]
    by_status = client.get("/api/v1/documents/", {"status": "queued"}).json()["results"]
    assert [d["id"] for d in by_kind] == [briefing["id"]]
    assert [d["kind"] for d in by_status] == ["contract_summary"]


def test_the_list_runs_a_constant_number_of_queries(scene, client_for):
    for n in range(30):
        Document.objects.create(
            kind="briefing",
            purchaser=scene.purchaser_a,
            language="sv",
            subject_type_id=Document.objects.model._meta.get_field("subject_type")
            .related_model.objects.get_for_model(scene.programme_a)
            .id,
            subject_id=str(scene.programme_a.id),
            inputs_hash=f"{n:064}",
        )
    client = client_for("politician_a")
    counts = {}
    for size in (10, 100):
        policies.forget_standing(scene.people["politician_a"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/documents/", {"page_size": size})
        assert response.status_code == 200
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= 10


def test_the_programme_name_is_in_the_downloaded_briefing(scene, client_for):
    import io

    from pypdf import PdfReader

    client = client_for("officer_a")
    job = order(
        client, f"/api/v1/programmes/{scene.programme_a.id}/documents/", scene.purchaser_a
    ).json()
    render.render_now(job["id"])
    download = client.get(f"/api/v1/documents/{job['id']}/download/")
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert PROGRAMME_NAME in reader.pages[0].extract_text()
