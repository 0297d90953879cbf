"""PDFs kept where several machines read them: an S3-compatible object store (moto's server,
started here and reached over HTTP), configured through the environment as in production.

A briefing rendered by a real Celery worker process whose storage is the object store is
downloaded over HTTP through a gunicorn process with a MEDIA_ROOT of its own that never saw
the file; in-process, with the object store configured, nothing is written under MEDIA_ROOT
and the downloads (PDFs, evidence documents) stream from the store."""

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.response import StreamingBody
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from accounts.services.tokens import create_api_token
from commissioning.models import MilestoneEvidence
from commissioning.storage import stored_file_response
from config import storage
from tests.commissioning.milestone_factories import MilestoneFactory
from tests.workers import conftest
from tests.workers.conftest import ROOT
from tests.workers.document_factories import document_scene
from workers.documents.orders import order_document
from workers.models import Document

BUCKET = "commissioning-documents"
REGION = "eu-north-1"
ACCESS_KEY, SECRET_KEY = "storage-test-key", "storage-test-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3-compatible server on a free port, with the bucket made (moto keeps its
    buckets per process, so a second server in the same run finds it there)."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = _client(endpoint)
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            client.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        yield endpoint
    finally:
        server.stop()


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def stored_keys(endpoint) -> list[str]:
    listed = _client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix="site-a/")
    return [entry["Key"] for entry in listed.get("Contents", [])]


def stored_bytes(endpoint, key: str) -> bytes:
    return _client(endpoint).get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.fixture
def s3_environment(s3_endpoint) -> dict[str, str]:
    """The README's settings of an S3-compatible store, as a server process is given them;
    the bucket emptied first (document ids repeat between tests)."""
    client = _client(s3_endpoint)
    for key in stored_keys(s3_endpoint):
        client.delete_object(Bucket=BUCKET, Key=key)
    return {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_ADDRESSING_STYLE": "path",
        "S3_PREFIX": "site-a",
    }


def everything_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def order_briefing(scene) -> Document:
    document, _created = order_document(
        actor=scene.people["officer_a"],
        acting_for=scene.purchaser_a,
        kind=Document.Kind.BRIEFING,
        subject=scene.programme_a,
        language="sv",
    )
    return document


# --- in-process: the settings the environment gives, the storage, the streamed download ---


def settings_from(environment: dict[str, str]) -> dict:
    """config/settings.py's STORAGES for this environment, read in a fresh interpreter."""
    script = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_PREFIX", "S3_ADDRESSING_STYLE"):
        if name not in environment:
            env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_s3_settings_files_stay_on_the_local_disk():
    storages = settings_from({})
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_the_s3_settings_configure_django_storages_s3_backend(s3_environment):
    default = settings_from(s3_environment)["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == s3_environment["S3_ENDPOINT_URL"]
    assert options["region_name"] == REGION
    assert (options["access_key"], options["secret_key"]) == (ACCESS_KEY, SECRET_KEY)
    assert options["addressing_style"] == "path"
    assert options["location"] == "site-a"
    assert options["custom_domain"] is None
    assert options["default_acl"] is None


def test_an_unknown_addressing_style_stops_the_server_with_what_to_set(s3_environment):
    with pytest.raises(ImproperlyConfigured) as refused:
        storage.media_storage({**s3_environment, "S3_ADDRESSING_STYLE": "sideways"})
    assert str(refused.value) == (
        "S3_ADDRESSING_STYLE must be auto, path or virtual, not 'sideways'."
    )


@pytest.fixture
def s3_storage(s3_environment, settings, tmp_path):
    """This process's storage is the object store; MEDIA_ROOT an empty folder to watch."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = storage.storages(s3_environment)  # what config/settings.py reads
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_with_s3_configured_a_rendered_pdf_is_in_the_store_and_nothing_under_media_root(
    world, s3_storage, s3_endpoint, client_for, django_capture_on_commit_callbacks
):
    scene = document_scene(world)
    with django_capture_on_commit_callbacks(execute=True):
        document = order_briefing(scene)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error

    assert everything_under(s3_storage) == []
    key = f"site-a/{document.file.name}"
    assert key in stored_keys(s3_endpoint)
    pdf = stored_bytes(s3_endpoint, key)
    assert hashlib.sha256(pdf).hexdigest() == document.checksum

    response = client_for("officer_a").get(f"/api/v1/documents/{document.id}/download/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.checksum
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(pdf)) == str(document.size)
    assert response["Content-Disposition"] == (
        f'attachment; filename="briefing-{scene.programme_a.id}-sv.pdf"'
    )
    assert response["ETag"] == f'"{document.checksum}"'
    assert everything_under(s3_storage) == []

    # Streamed from the object's body as it arrives (botocore's StreamingBody), not from
    # django-storages' S3File, which downloads the whole object before the first byte.
    streamed = stored_file_response(document.file, filename="b.pdf", content_type="application/pdf")
    assert isinstance(streamed.file_to_stream, StreamingBody)
    assert streamed["ETag"] == f'"{hashlib.md5(pdf).hexdigest()}"'  # the store's own
    assert b"".join(streamed.streaming_content) == pdf
    streamed.close()


@pytest.mark.django_db
def test_with_s3_configured_an_evidence_upload_is_in_the_store_and_downloads_from_it(
    world, s3_storage, s3_endpoint, client_for
):
    milestone = MilestoneFactory(programme=world.programme_a)
    evidence = MilestoneEvidence(
        milestone=milestone, kind=MilestoneEvidence.Kind.DOCUMENT, title="Needs analysis"
    )
    uploaded = b"%PDF-1.7\n" + os.urandom(200_000)
    evidence.document.save("needs-analysis.pdf", ContentFile(uploaded))
    assert everything_under(s3_storage) == []
    assert f"site-a/{evidence.document.name}" in stored_keys(s3_endpoint)

    client = client_for("provider_in_a")  # whoever sees the milestone
    listed = client.get(f"/api/v1/milestones/{milestone.id}/").json()["evidence"]
    address = f"/api/v1/milestones/{milestone.id}/evidence/{evidence.id}/download/"
    assert [item["document"] for item in listed] == [f"http://testserver{address}"]
    response = client.get(address)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == uploaded
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(uploaded))
    assert response["Content-Disposition"] == 'attachment; filename="needs-analysis.pdf"'
    assert response["ETag"] == f'"{hashlib.md5(uploaded).hexdigest()}"'
    assert client_for("provider_outside").get(address).status_code == 404
    assert everything_under(s3_storage) == []


# --- two processes: a worker renders into the store, a web server that never saw it serves ---


@pytest.fixture
def worker_environment(s3_environment):
    """tests/workers/conftest.py's worker, with the object store as its storage."""
    return s3_environment


@pytest.fixture
def web_server(s3_environment, tmp_path, transactional_db):
    """gunicorn config.wsgi with production settings, the object store, and a MEDIA_ROOT of
    its own (empty: another machine's disk)."""
    media_root = tmp_path / "web-media"
    media_root.mkdir()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "storage-web-" + "k" * 50,
        "DATABASE_URL": conftest.database_url(),
        "MEDIA_ROOT": str(media_root),
        "SITE_URL": f"http://127.0.0.1:{port}",
        **s3_environment,
    }
    env.pop("CELERY_BROKER_URL", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if requests.get(f"{url}/health/live/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still starting
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url, media_root, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_done(document: Document, worker, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in (Document.Status.DONE, Document.Status.FAILED):
            assert document.status == Document.Status.DONE, document.error
            return
        time.sleep(0.1)
    raise AssertionError(f"not rendered in time:\n{worker.output()[-5000:]}")


@pytest.mark.django_db(transaction=True)
def test_a_pdf_a_worker_rendered_into_the_store_downloads_from_a_web_server_that_never_saw_it(
    world, celery_worker, web_server, s3_endpoint
):
    url, web_media, web_log = web_server
    scene = document_scene(world)
    document = order_briefing(scene)
    wait_until_done(document, celery_worker)

    # The worker wrote to the store, not to its own disk; the web server's disk is empty.
    assert f"site-a/{document.file.name}" in stored_keys(s3_endpoint)
    assert everything_under(celery_worker.media_root) == []
    assert everything_under(web_media) == []

    _token, secret = create_api_token(actor=scene.people["officer_a"], name="storage test")
    answer = requests.get(
        f"{url}/api/v1/documents/{document.id}/download/",
        headers={"Authorization": f"Token {secret}"},
        stream=True,
        timeout=30,
    )
    assert answer.status_code == 200, (answer.text, web_log.read_text()[-3000:])
    digest, size = hashlib.sha256(), 0
    for chunk in answer.iter_content(chunk_size=8192):
        digest.update(chunk)
        size += len(chunk)
    assert digest.hexdigest() == document.checksum
    assert size == document.size == int(answer.headers["Content-Length"])
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["ETag"] == f'"{document.checksum}"'
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    assert everything_under(web_media) == []

    # The readiness probe's media check writes, reads and deletes through the same store.
    ready = requests.get(f"{url}/health/ready/", timeout=30).json()
    assert ready["checks"]["media"] == "ok", ready
    assert everything_under(web_media) == []
