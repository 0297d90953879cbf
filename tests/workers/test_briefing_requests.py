"""Asking for a briefing: who may ask (the politicians overseeing the purchaser), who sees
the requests (its staff; a politician their own), the notice to the officers, ordering the
briefing closing the request, every briefing listed by date and language, and the
programme's milestones by name with their due dates."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.template.defaultfilters import date
from django.utils import timezone

from commissioning.models import Event, Membership, Profile, Programme
from notifications.models import Notice
from tests.factories import MembershipFactory, PersonFactory, PoliticalBodyFactory
from tests.pages import signed_in, text
from tests.workers.document_factories import document_scene
from workers.documents import orders
from workers.models import BriefingRequest, Document


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return document_scene(world)


def overview(programme) -> str:
    return f"/briefings/programmes/{programme.id}/"


def ask_path(programme) -> str:
    return f"/briefings/programmes/{programme.id}/ask/"


def ask(client, programme, language="sv", note="Inför nämndens möte i maj."):
    return client.post(ask_path(programme), {"ask-language": language, "ask-note": note})


def asked(scene, capture, **kwargs):
    with capture(execute=True):
        return ask(signed_in(scene, "politician_a"), scene.programme_a, **kwargs)


def briefing(scene, *, language, finished, pages=4) -> Document:
    return Document.objects.create(
        kind=Document.Kind.BRIEFING,
        purchaser=scene.purchaser_a,
        subject_type=ContentType.objects.get_for_model(Programme),
        subject_id=str(scene.programme_a.id),
        language=language,
        inputs_hash=f"{language}-{finished}",
        status=Document.Status.DONE,
        pages=pages,
        finished_at=finished,
    )


def test_a_politician_with_no_briefing_sees_who_to_ask_by_name(scene):
    officer = scene.people["officer_a"]
    officer.first_name, officer.last_name = "Olle", "Officer"
    officer.save()
    page = text(signed_in(scene, "politician_a").get(overview(scene.programme_a)))
    assert "No briefing has been made for this programme yet." in page
    assert "Olle Officer" in page
    assert "Request a briefing" in page


def test_a_politician_asks_and_the_officers_are_told_in_their_language(
    scene, django_capture_on_commit_callbacks
):
    Profile.objects.update_or_create(person=scene.people["officer_a"], defaults={"language": "sv"})
    response = asked(scene, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    row = BriefingRequest.objects.get()
    assert (row.language, row.note, row.status) == ("sv", "Inför nämndens möte i maj.", "open")
    event = Event.objects.get(verb="briefing.requested")
    assert (event.actor, event.acting_for, event.purchaser) == (
        scene.people["politician_a"],
        scene.political_body_a,
        scene.purchaser_a,
    )
    # The officers, not the managers (there is an officer), not the politician.
    notices = Notice.objects.filter(kind="briefing_requested")
    assert [n.person.username for n in notices] == ["officer_a"]
    assert notices[0].url == f"{overview(scene.programme_a)}?request={row.id}#order"
    (email,) = [m for m in mail.outbox if "officer_a" in m.to[0]]
    assert email.subject == f"Underlag begärt: {scene.programme_a.name}"
    assert "ber om ett underlag" in email.body
    assert "Inför nämndens möte i maj." in email.body
    assert f"?request={row.id}#order" in email.body


def test_the_managers_are_told_when_the_purchaser_has_no_officer(
    scene, django_capture_on_commit_callbacks
):
    Membership.objects.filter(role=Membership.Role.OFFICER).delete()
    asked(scene, django_capture_on_commit_callbacks)
    notices = Notice.objects.filter(kind="briefing_requested")
    assert [n.person.username for n in notices] == ["manager_a"]


@pytest.mark.parametrize("actor", ["officer_a", "manager_a"])
def test_staff_do_not_ask_they_order(scene, actor):
    client = signed_in(scene, actor)
    assert "Request a briefing" not in text(client.get(overview(scene.programme_a)))
    refused = ask(client, scene.programme_a)
    assert refused.status_code == 403
    assert not BriefingRequest.objects.exists()


def test_a_politician_of_another_body_cannot_ask(scene):
    body_b = PoliticalBodyFactory(name="Committee of B", oversees=scene.purchaser_b)
    person = PersonFactory(username="politician_b")
    MembershipFactory(person=person, organisation=body_b, role=Membership.Role.POLITICIAN)
    client = signed_in(scene, "politician_a")
    client.force_login(person)
    # Programme A is not theirs to see: as if it did not exist.
    assert ask(client, scene.programme_a).status_code == 404
    assert not BriefingRequest.objects.exists()


def test_a_provider_cannot_ask(scene):
    response = ask(signed_in(scene, "provider_in_a"), scene.programme_a)
    assert response.status_code == 403
    assert not BriefingRequest.objects.exists()


def test_a_refused_request_names_the_field_and_keeps_the_note(scene):
    response = ask(signed_in(scene, "politician_a"), scene.programme_a, language="de")
    assert response.status_code == 400
    page = text(response)
    assert 'id="error-summary"' in page
    assert "Language of the briefing:" in page
    assert "Inför nämndens möte i maj." in page
    assert not BriefingRequest.objects.exists()
    assert not Event.objects.filter(verb="briefing.requested").exists()


def test_officers_see_the_open_requests_and_other_purchasers_do_not(
    scene, django_capture_on_commit_callbacks
):
    asked(scene, django_capture_on_commit_callbacks)
    row = BriefingRequest.objects.get()
    officer = signed_in(scene, "officer_a")
    listing = text(officer.get("/briefings/"))
    assert "Briefings asked for" in listing
    assert f"?request={row.id}#order" in listing
    assert "Inför nämndens möte i maj." in listing
    page = officer.get(overview(scene.programme_a) + f"?request={row.id}")
    assert re.search(r'<option value="sv"[^>]*selected', page.content.decode())
    other = text(signed_in(scene, "manager_b").get("/briefings/"))
    assert "Inför nämndens möte i maj." not in other
    assert "Briefings asked for" not in other


def test_ordering_the_briefing_in_its_language_closes_the_request(
    scene, django_capture_on_commit_callbacks
):
    asked(scene, django_capture_on_commit_callbacks, language="nb")
    officer = signed_in(scene, "officer_a")
    officer.post(f"/briefings/programmes/{scene.programme_a.id}/order/", {"language": "sv"})
    assert BriefingRequest.objects.get().status == "open"  # another language answers nothing
    officer.post(f"/briefings/programmes/{scene.programme_a.id}/order/", {"language": "nb"})
    row = BriefingRequest.objects.get()
    document = Document.objects.get(language="nb")
    assert (row.status, row.document) == ("ordered", document)
    assert row.closed_at is not None
    assert Event.objects.filter(verb="briefing.request_closed", subject_id=str(row.pk)).exists()
    assert "Briefings asked for" not in text(officer.get("/briefings/"))


def test_ordering_through_the_api_closes_the_request_too(scene):
    row = BriefingRequest.objects.create(
        programme=scene.programme_a,
        purchaser=scene.purchaser_a,
        requested_by=scene.people["politician_a"],
        acting_for=scene.political_body_a,
        language="en",
    )
    document, _created = orders.order_document(
        actor=scene.people["manager_a"],
        acting_for=scene.purchaser_a,
        kind=Document.Kind.BRIEFING,
        subject=scene.programme_a,
        language="en",
    )
    row.refresh_from_db()
    assert (row.status, row.document_id) == ("ordered", document.id)


def test_every_briefing_is_listed_by_date_and_language(scene):
    today = timezone.now()
    briefing(scene, language="sv", finished=today - datetime.timedelta(days=40))
    briefing(scene, language="en", finished=today - datetime.timedelta(days=10))
    briefing(scene, language="nb", finished=today - datetime.timedelta(days=20))
    client = signed_in(scene, "politician_a")
    page = client.get("/briefings/all/")
    assert page.status_code == 200
    order = re.findall(
        r"<td>(English|Svenska|Norsk bokmål|Swedish|Norwegian Bokmål)</td>", page.content.decode()
    )
    assert order == ["English", "Norwegian Bokmål", "Swedish"]
    by_language = client.get("/briefings/all/?sort=language").content.decode()
    assert re.findall(r"<td>(English|Norwegian Bokmål|Swedish)</td>", by_language) == [
        "English",
        "Norwegian Bokmål",
        "Swedish",
    ]
    only_nb = client.get("/briefings/all/?language=nb").content.decode()
    assert re.findall(r"<td>(English|Norwegian Bokmål|Swedish)</td>", only_nb) == [
        "Norwegian Bokmål"
    ]
    assert client.get("/briefings/all/?language=de").status_code == 400
    assert client.get("/briefings/all/?page=9").status_code == 404


def test_the_list_of_briefings_is_the_purchasers_own(scene):
    briefing(scene, language="sv", finished=timezone.now())
    page = text(signed_in(scene, "manager_b").get("/briefings/all/"))
    assert "/download/" not in page
    assert "No briefing has been made yet." in page


def test_the_list_of_briefings_costs_the_same_for_many(scene, django_assert_max_num_queries):
    for day in range(30):
        briefing(scene, language="sv", finished=timezone.now() - datetime.timedelta(days=day))
    client = signed_in(scene, "politician_a")
    client.get("/briefings/all/")
    with django_assert_max_num_queries(14):
        assert client.get("/briefings/all/?per_page=100").status_code == 200


def test_the_overview_names_the_milestones_with_due_dates_and_status_in_words(scene):
    page = text(signed_in(scene, "politician_a").get(overview(scene.programme_a)))
    due = timezone.localdate() + datetime.timedelta(days=30)
    met = timezone.localdate() - datetime.timedelta(days=60)
    assert (
        '<td>Tidig dialog med utförare <span class="meta">gating</span></td> '
        f"<td>{date(due, 'DATE_FORMAT')}</td> <td>Planned</td>" in page
    )
    assert (
        f"<td>Behovsanalys</td> <td>No due date</td> <td>Met on {date(met, 'DATE_FORMAT')}</td>"
        in page
    )
    assert "<td>Avtalsstart</td>" in page
