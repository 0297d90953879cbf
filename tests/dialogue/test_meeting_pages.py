"""The meeting pages: the list, the log-a-meeting form (saved whole through log_meeting or
not at all, with every refusal shown beside its field and what was typed kept), the live
dialogue share, and a meeting's page with its calendar file and PDF summary."""

import datetime
import re

import icalendar
import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from dialogue.models import ActionItem, AgendaItem, AttendanceEntry, Decision, Meeting
from tests.dialogue.factories import AgendaItemFactory, ArenaFactory, MeetingFactory
from tests.dialogue.meeting_factories import meeting_in_a
from workers.models import Document

LOG_URL = "/meetings/log/"
SHARE_URL = "/meetings/log/dialogue-share/"


def signed_in(world, actor: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(world.people[actor])
    return client


def rows(prefix: str, entries: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(entries)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, entry in enumerate(entries):
        data.update({f"{prefix}-{index}-{name}": value for name, value in entry.items()})
    return data


EMPTY_AGENDA_ROW = {
    "title": "",
    "kind": "dialogue",
    "planned_minutes": "",
    "actual_minutes": "",
    "decisions": "",
}


def agenda_row(title, kind, planned, actual="", decisions=""):
    return {
        "title": title,
        "kind": kind,
        "planned_minutes": str(planned),
        "actual_minutes": str(actual),
        "decisions": decisions,
    }


def form_data(world, home_arena, *, agenda=None, actions=None, attendance=None, **fields) -> dict:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    due = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "title": "Provider council, autumn",
        "arena": str(home_arena.id),
        "programme": "",
        "date": yesterday.isoformat(),
        "starts": "13:00",
        "ends": "15:30",
        "time_zone": "Europe/Stockholm",
        "place": "Region house, room 3",
        "video_link": "",
        "minutes": "# Autumn council\n\nWe spoke about discharge notices.",
        **fields,
    }
    if attendance is None:
        attendance = [
            {
                "organisation": world.purchaser_a.id,
                "person": world.people["officer_a"].id,
                "status": "present",
            },
            {"organisation": world.provider_in_a.id, "person": "", "status": "present"},
        ]
    if agenda is None:
        agenda = [
            agenda_row("News from the region", "information", 30, 35),
            agenda_row(
                "Discharge notices", "dialogue", 40, 45, "Notices before noon\nReview in May"
            ),
        ]
    if actions is None:
        actions = [
            {
                "title": "Draft the new routine",
                "owner_organisation": world.purchaser_a.id,
                "owner_person": "",
                "due_date": due.isoformat(),
            }
        ]
    data.update(rows("attendance", attendance))
    data.update(rows("agenda", agenda))
    data.update(rows("actions", actions))
    return data


@pytest.fixture
def arena_a(world):
    return ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])


def field_errors(html: str, field_id: str) -> str:
    """The error list tied to one input (its id + _errors), as the page shows it."""
    found = re.search(rf'<ul class="errorlist" id="{field_id}_errors">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


# --- the list ----------------------------------------------------------------------------


def test_meeting_list_shows_the_purchasers_meetings_and_offers_logging_to_an_officer(world):
    own = meeting_in_a(world, title="Council of A")
    MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_b), title="Council of B")
    response = signed_in(world, "officer_a").get("/meetings/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/meetings/{own.pk}/"' in html
    assert "Council of B" not in html
    assert f'href="{LOG_URL}"' in html


def test_provider_sees_the_meetings_it_was_invited_to_without_the_log_button(world):
    meeting_in_a(world, title="Council of A")
    response = signed_in(world, "provider_in_a").get("/meetings/")
    html = response.content.decode()
    assert "Council of A" in html
    assert f'href="{LOG_URL}"' not in html


@pytest.mark.parametrize("actor", ["provider_in_a", "politician_a"])
def test_only_purchaser_staff_may_open_the_log_form(world, actor):
    response = signed_in(world, actor).get(LOG_URL)
    assert response.status_code == 403
    assert b'name="agenda-TOTAL_FORMS"' not in response.content
    assert b'<p role="alert">' in response.content  # the policy's message, on the page


def test_signed_out_person_is_sent_to_sign_in(world):
    response = Client().get(LOG_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# --- logging -----------------------------------------------------------------------------


def test_log_form_offers_only_the_purchasers_own_arenas_and_programmes(world, arena_a):
    other = ArenaFactory(purchaser=world.purchaser_b, name="Arena of B")
    html = signed_in(world, "officer_a").get(LOG_URL).content.decode()
    assert f'<option value="{arena_a.id}">' in html
    assert f'<option value="{world.programme_a.id}">' in html
    assert other.name not in html
    assert world.programme_b.name not in html


def test_log_form_refuses_a_post_without_the_csrf_token(world, arena_a):
    client = signed_in(world, "officer_a", enforce_csrf_checks=True)
    response = client.post(LOG_URL, form_data(world, arena_a))
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_log_form_accepts_the_csrf_token_it_carries(world, arena_a):
    client = signed_in(world, "officer_a", enforce_csrf_checks=True)
    html = client.get(LOG_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(LOG_URL, {**form_data(world, arena_a), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Meeting.objects.count() == 1


def test_logging_saves_the_meeting_attendance_agenda_decisions_and_actions(world, arena_a):
    response = signed_in(world, "officer_a").post(LOG_URL, form_data(world, arena_a))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.status == Meeting.Status.HELD
    assert meeting.arena == arena_a
    assert str(meeting.starts_at.astimezone(datetime.UTC).time()) in {"12:00:00", "11:00:00"}
    assert list(meeting.agenda_items.values_list("title", "kind", "actual_minutes")) == [
        ("News from the region", "information", 35),
        ("Discharge notices", "dialogue", 45),
    ]
    assert sorted(Decision.objects.values_list("text", flat=True)) == [
        "Notices before noon",
        "Review in May",
    ]
    assert ActionItem.objects.get().title == "Draft the new routine"
    assert set(AttendanceEntry.objects.values_list("organisation_id", "person_id", "status")) == {
        (world.purchaser_a.id, world.people["officer_a"].id, "present"),
        (world.provider_in_a.id, None, "present"),
    }
    assert meeting.minutes.get().text.startswith("# Autumn council")


def test_empty_extra_rows_are_left_out(world, arena_a):
    data = form_data(
        world, arena_a, agenda=[agenda_row("Only item", "dialogue", 30), EMPTY_AGENDA_ROW]
    )
    signed_in(world, "officer_a").post(LOG_URL, data)
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Only item"]


def test_refusal_by_the_service_saves_nothing_and_shows_the_message_beside_the_field(
    world, arena_a
):
    # The network takes part in programme A but is not in this meeting's attendance, so it
    # was not invited: log_meeting refuses the action as actions[0].owner_organisation.
    actions = [
        {
            "title": "Ask the network",
            "owner_organisation": world.network.id,
            "owner_person": "",
            "due_date": "2031-05-01",
        }
    ]
    response = signed_in(world, "officer_a").post(
        LOG_URL, form_data(world, arena_a, actions=actions)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()
    assert "Not invited." in field_errors(html, "id_actions-0-owner_organisation")
    assert "was not invited to this meeting" in html
    assert "actions[0]" not in html


def test_refusal_keeps_everything_that_was_typed(world, arena_a):
    actions = [
        {
            "title": "Ask the network",
            "owner_organisation": world.network.id,
            "owner_person": "",
            "due_date": "2031-05-01",
        }
    ]
    html = (
        signed_in(world, "officer_a")
        .post(LOG_URL, form_data(world, arena_a, actions=actions))
        .content.decode()
    )
    assert 'value="Provider council, autumn"' in html
    assert 'value="Discharge notices"' in html
    assert "Notices before noon\nReview in May</textarea>" in html
    assert 'value="Ask the network"' in html
    assert 'value="2031-05-01"' in html
    assert f'<option value="{world.network.id}" selected>' in html
    assert "We spoke about discharge notices.</textarea>" in html


def test_a_service_refusal_names_the_row_as_typed_even_after_an_empty_row(world, arena_a):
    agenda = [
        agenda_row("News", "information", 30),
        EMPTY_AGENDA_ROW,
        agenda_row("Zero minutes", "dialogue", 0),
    ]
    response = signed_in(world, "officer_a").post(LOG_URL, form_data(world, arena_a, agenda=agenda))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Must be more than 0." in field_errors(html, "id_agenda-2-planned_minutes")
    assert not field_errors(html, "id_agenda-1-planned_minutes")
    assert not Meeting.objects.exists()


def test_a_meeting_without_arena_or_programme_is_refused_on_the_arena_field(world, arena_a):
    response = signed_in(world, "officer_a").post(LOG_URL, form_data(world, arena_a, arena=""))
    assert response.status_code == 400
    html = response.content.decode()
    # Said once, beside the field and in the summary (commissioning/web/forms.py).
    assert "Give an arena or a programme." in field_errors(html, "id_arena")
    assert html.count("Give an arena or a programme.") == 2
    assert "belongs to an arena or a programme" not in html  # the API's message
    assert not Meeting.objects.exists()


def test_a_meeting_that_has_not_started_is_refused_on_the_date(world, arena_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in(world, "officer_a").post(
        LOG_URL, form_data(world, arena_a, date=tomorrow.isoformat())
    )
    assert response.status_code == 409
    assert "it can be marked held once it has started" in field_errors(
        response.content.decode(), "id_date"
    )
    assert not Meeting.objects.exists()


def test_a_missing_due_date_is_shown_beside_it_and_nothing_is_saved(world, arena_a):
    actions = [
        {
            "title": "Draft the routine",
            "owner_organisation": world.purchaser_a.id,
            "owner_person": "",
            "due_date": "",
        }
    ]
    response = signed_in(world, "officer_a").post(
        LOG_URL, form_data(world, arena_a, actions=actions)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in field_errors(html, "id_actions-0-due_date")
    assert 'aria-invalid="true"' in html
    assert 'value="Draft the routine"' in html
    assert not Meeting.objects.exists()


# --- the live dialogue share ---------------------------------------------------------------


def share_of(world, agenda: list[dict]) -> str:
    return signed_in(world, "officer_a").post(SHARE_URL, rows("agenda", agenda)).content.decode()


def test_share_fragment_warns_when_under_one_third_is_dialogue(world):
    html = share_of(
        world, [agenda_row("News", "information", 50), agenda_row("Talk", "dialogue", 20)]
    )
    assert "20 of 70 minutes are dialogue" in html
    assert 'class="warning"' in html
    assert "information-heavy" in html


def test_share_fragment_does_not_warn_at_exactly_one_third(world):
    html = share_of(
        world, [agenda_row("News", "information", 40), agenda_row("Talk", "dialogue", 20)]
    )
    assert "20 of 60 minutes are dialogue" in html
    assert 'class="warning"' not in html


def test_share_fragment_counts_actual_minutes_where_typed(world):
    html = share_of(
        world, [agenda_row("News", "information", 50, 10), agenda_row("Talk", "dialogue", 20)]
    )
    assert "20 of 30 minutes are dialogue" in html
    assert 'class="warning"' not in html


def test_share_fragment_is_for_purchaser_staff_only(world):
    response = signed_in(world, "provider_in_a").post(
        SHARE_URL, rows("agenda", [agenda_row("News", "information", 50)])
    )
    assert response.status_code == 403


# --- a meeting's page --------------------------------------------------------------------


def test_meeting_page_shows_the_record_and_its_share(world, arena_a):
    signed_in(world, "officer_a").post(LOG_URL, form_data(world, arena_a))
    meeting = Meeting.objects.get()
    html = signed_in(world, "officer_a").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Discharge notices" in html
    assert "Notices before noon" in html
    assert "Draft the new routine" in html
    assert world.provider_in_a.name in html
    assert "45 of 80 minutes are dialogue" in html
    assert "<h1>Autumn council</h1>" in html  # the minutes, rendered from Markdown


def test_meeting_page_of_another_purchaser_is_not_found(world):
    other = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_b), title="Secret")
    response = signed_in(world, "officer_a").get(f"/meetings/{other.pk}/")
    assert response.status_code == 404
    assert b"Secret" not in response.content
    assert b"Not found" in response.content


def test_provider_not_invited_gets_not_found(world):
    meeting = meeting_in_a(world, title="Council of A")
    response = signed_in(world, "provider_outside").get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 404


def test_calendar_file_is_the_meetings_invitation(world):
    meeting = meeting_in_a(world, title="Council of A")
    AgendaItemFactory(meeting=meeting)
    response = signed_in(world, "provider_in_a").get(f"/meetings/{meeting.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@commissioning-dialogue"
    assert str(event["SUMMARY"]) == "Council of A"


def test_calendar_file_of_an_invisible_meeting_is_not_found(world):
    other = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_b))
    response = signed_in(world, "officer_a").get(f"/meetings/{other.pk}/calendar.ics")
    assert response.status_code == 404


@pytest.fixture
def documents_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_ordering_the_summary_shows_its_download_link(
    world, arena_a, documents_folder, django_capture_on_commit_callbacks
):
    client = signed_in(world, "officer_a")
    client.post(LOG_URL, form_data(world, arena_a))
    meeting = Meeting.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/{meeting.pk}/summary/", HTTP_HX_REQUEST="true")
    document = Document.objects.get()
    assert response.status_code == 200
    assert document.kind == Document.Kind.MEETING_SUMMARY
    assert document.status == Document.Status.DONE
    status = client.get(f"/meetings/{meeting.pk}/summary/{document.pk}/").content.decode()
    assert f'href="/api/v1/documents/{document.pk}/download/"' in status
    assert "hx-trigger" not in status


def test_a_summary_in_progress_is_polled_every_two_seconds(world, arena_a):
    meeting = meeting_in_a(world, held=True)
    document = Document.objects.create(
        kind=Document.Kind.MEETING_SUMMARY,
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=str(meeting.pk),
        language="en",
        inputs_hash="0" * 64,
        purchaser=world.purchaser_a,
        status=Document.Status.RUNNING,
        progress=40,
    )
    html = (
        signed_in(world, "officer_a")
        .get(f"/meetings/{meeting.pk}/summary/{document.pk}/")
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in html
    assert 'value="40"' in html
    assert "/download/" not in html


def test_a_politician_may_not_order_a_summary(world):
    meeting = meeting_in_a(world, held=True)
    response = signed_in(world, "politician_a").post(f"/meetings/{meeting.pk}/summary/")
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_meeting_list_reads_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = signed_in(world, "officer_a")
    for _ in range(8):
        meeting = meeting_in_a(world)
        AgendaItemFactory(meeting=meeting)
    with django_assert_max_num_queries(12):
        assert client.get("/meetings/").status_code == 200


def test_ordering_without_htmx_returns_to_the_summary_on_the_meeting_page(world, documents_folder):
    meeting = meeting_in_a(world, held=True)
    response = signed_in(world, "officer_a").post(f"/meetings/{meeting.pk}/summary/")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/#summary"
    assert Document.objects.get().subject_id == str(meeting.pk)


def test_a_politician_reads_the_meeting_page_without_the_order_button(world):
    meeting = meeting_in_a(world, held=True, title="Council of A")
    response = signed_in(world, "politician_a").get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    assert b"Council of A" in response.content
    assert f"/meetings/{meeting.pk}/summary/".encode() not in response.content


def test_a_person_of_another_organisation_is_refused_on_that_attendance_row(world, arena_a):
    attendance = [
        {"organisation": world.purchaser_a.id, "person": "", "status": "present"},
        {
            "organisation": world.provider_in_a.id,
            "person": world.people["officer_a"].id,
            "status": "present",
        },
    ]
    response = signed_in(world, "officer_a").post(
        LOG_URL, form_data(world, arena_a, attendance=attendance)
    )
    assert response.status_code == 400
    assert "Choose a person of that organisation." in field_errors(
        response.content.decode(), "id_attendance-1-person"
    )
    assert not Meeting.objects.exists()
