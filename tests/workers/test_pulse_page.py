"""The page behind a pulse's link: no login, one answer per token changeable until expiry,
and a clear page for expired, unknown and altered links, in the pulse's language."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.models import Event
from tests.workers.pulse_factories import PulseAnswerFactory, issued_pulse
from workers.models import PulseAnswer, PulseOptOut

pytestmark = pytest.mark.django_db

SCORES = {
    "involved_early": "4",
    "room_for_dialogue": "2",
    "open_about_finances": "5",
    "equal_treatment": "3",
    "good_faith": "1",
}


def answer(client, token, **changes):
    data = {**SCORES, "free_text": "Bra möte, men för mycket information.", **changes}
    return client.post(f"/pulse/{token}/", data)


def test_the_page_shows_the_five_statements_without_login(client):
    _pulse, token = issued_pulse()
    response = client.get(f"/pulse/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    for statement in PulseAnswer.STATEMENTS:
        assert str(statement) in page
    assert page.count('type="radio"') == 25
    assert "Provider council, November" in page
    assert "csrfmiddlewaretoken" in page


def test_an_answer_is_saved_and_the_page_says_so(client):
    pulse, token = issued_pulse()
    response = answer(client, token)
    assert response.status_code == 302
    saved = PulseAnswer.objects.get(pulse=pulse)
    assert [getattr(saved, f) for f in PulseAnswer.SCORE_FIELDS] == [4, 2, 5, 3, 1]
    assert saved.free_text == "Bra möte, men för mycket information."
    page = client.get(response["Location"]).content.decode()
    assert "your answer is saved" in page
    # Pre-filled with what was answered.
    assert page.count("checked") == 5
    # The audit trail records the answer without its scores and without a purchaser.
    event = Event.objects.get(verb="pulse.answered")
    assert event.purchaser is None
    assert event.after is None


def test_a_second_answer_with_the_same_token_changes_the_same_row(client):
    pulse, token = issued_pulse()
    answer(client, token)
    response = answer(client, token, good_faith="5", free_text="Better after all.")
    assert response.status_code == 302
    assert PulseAnswer.objects.count() == 1
    saved = PulseAnswer.objects.get(pulse=pulse)
    assert saved.good_faith == 5
    assert saved.free_text == "Better after all."
    assert Event.objects.filter(verb="pulse.answer_changed").count() == 1


@pytest.mark.parametrize("bad", ["0", "6", "three", ""])
def test_a_score_outside_1_to_5_is_refused_next_to_its_field_and_nothing_is_saved(client, bad):
    _pulse, token = issued_pulse()
    response = answer(client, token, equal_treatment=bad, free_text="Kept as typed")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_equal_treatment_error"' in page
    assert page.count('class="error" id=') == 1
    # What was typed is kept.
    assert "Kept as typed" in page
    assert page.count("checked") == 4
    assert not PulseAnswer.objects.exists()


def test_a_free_text_over_the_limit_is_refused(client):
    _pulse, token = issued_pulse()
    response = answer(client, token, free_text="x" * 2001)
    assert response.status_code == 400
    assert 'id="free_text_error"' in response.content.decode()
    assert not PulseAnswer.objects.exists()


def test_an_expired_pulse_is_refused_with_410_and_nothing_is_saved(client):
    _pulse, token = issued_pulse(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(f"/pulse/{token}/")
    assert page.status_code == 410
    assert "This trust pulse has closed" in page.content.decode()
    assert "Nothing was saved" in page.content.decode()
    response = answer(client, token)
    assert response.status_code == 410
    assert not PulseAnswer.objects.exists()


def test_an_answer_cannot_be_changed_after_expiry(client):
    pulse, token = issued_pulse(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    PulseAnswerFactory(pulse=pulse, good_faith=2)
    response = answer(client, token, good_faith="5")
    assert response.status_code == 410
    assert PulseAnswer.objects.get().good_faith == 2


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), str.upper])
def test_an_altered_token_is_refused_with_404_and_nothing_is_saved(client, mangle):
    _pulse, token = issued_pulse()
    tampered = mangle(token)
    page = client.get(f"/pulse/{tampered}/")
    assert page.status_code == 404
    assert "This link is not known" in page.content.decode()
    assert "nothing was saved" in page.content.decode()
    assert answer(client, tampered).status_code == 404
    assert not PulseAnswer.objects.exists()


def test_an_unknown_token_is_refused_with_404(client):
    assert client.get("/pulse/" + "a" * 43 + "/").status_code == 404
    assert client.get("/pulse/" + "a" * 300 + "/").status_code == 404


@pytest.mark.parametrize(
    ("language", "month", "required"),
    [
        ("en", "November 2026", "Ensure this value"),
        ("sv", "november 2026", "Säkerställ"),
        ("nb", "november 2026", "Sørg for"),
    ],
)
def test_the_page_is_in_the_pulse_language_whatever_the_browser_asks(
    client, language, month, required
):
    expires = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
    _pulse, token = issued_pulse(language=language, expires_at=expires)
    # The browser asks for German; the pulse was sent in its own language.
    with _frozen(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        page = client.get(f"/pulse/{token}/", HTTP_ACCEPT_LANGUAGE="de")
        invalid = answer(client, token, free_text="x" * 2001, HTTP_ACCEPT_LANGUAGE="de")
    assert page["Content-Language"] == language
    assert f'<html lang="{language}">' in page.content.decode()
    assert month in page.content.decode()
    # Django's own messages come in the pulse's language too.
    assert required in invalid.content.decode()


def _frozen(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_unsubscribe_link_asks_to_confirm_and_then_opts_out(client):
    pulse, token = issued_pulse()
    page = client.get(f"/pulse/{token}/unsubscribe/")
    assert page.status_code == 200
    assert "<form" in page.content.decode()
    assert not PulseOptOut.objects.exists()
    done = client.post(f"/pulse/{token}/unsubscribe/")
    assert done.status_code == 200
    assert "you will get no more trust pulses" in done.content.decode()
    assert PulseOptOut.objects.filter(person=pulse.person).exists()
    # A second time changes nothing.
    assert client.post(f"/pulse/{token}/unsubscribe/").status_code == 200
    assert PulseOptOut.objects.count() == 1
    assert Event.objects.filter(verb="pulse.opted_out").count() == 1


def test_unsubscribing_works_after_the_pulse_expired(client):
    pulse, token = issued_pulse(expires_at=timezone.now() - datetime.timedelta(days=30))
    assert client.post(f"/pulse/{token}/unsubscribe/").status_code == 200
    assert PulseOptOut.objects.filter(person=pulse.person).exists()


def test_unsubscribing_with_an_altered_token_is_refused(client):
    _pulse, token = issued_pulse()
    assert client.post(f"/pulse/{token}x/unsubscribe/").status_code == 404
    assert not PulseOptOut.objects.exists()


def test_a_post_without_the_csrf_token_is_refused():
    _pulse, token = issued_pulse()
    strict = Client(enforce_csrf_checks=True)
    assert answer(strict, token).status_code == 403
    assert strict.post(f"/pulse/{token}/unsubscribe/").status_code == 403
    assert not PulseAnswer.objects.exists()
    assert not PulseOptOut.objects.exists()


def test_the_pages_are_not_cached_and_send_no_referrer(client):
    _pulse, token = issued_pulse()
    response = client.get(f"/pulse/{token}/")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
