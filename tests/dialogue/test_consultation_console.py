"""The consultations console of a purchaser's staff, in process: who may run it, the window
moves and their refusals (with the error summary, nothing saved), the comments by clause with
filters and counts, responses, and the adoption page's blockers."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from commissioning.models import Event, Milestone
from contracts.models import RulebookVersion
from dialogue.models import Comment, Consultation, Response
from tests.contracts.rulebook_factories import rulebook_with_version
from tests.dialogue.response_factories import close, scene
from tests.pages import signed_in, text

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def setting(world):
    return scene(world)


def console_url(setting, rest=""):
    return f"/consultations/{setting.consultation.pk}/console/{rest}"


def local(moment: datetime.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("manager_a", 200),
        ("officer_a", 200),
        ("manager_b", 404),  # another purchaser's: as if it did not exist
        ("provider_in_a", 403),
        ("politician_a", 403),
    ],
)
def test_only_the_purchasers_staff_run_the_console(setting, actor, status):
    assert signed_in(setting, actor).get(console_url(setting)).status_code == status


def test_the_consultation_page_offers_the_console_to_staff_only(setting):
    page = f"/consultations/{setting.consultation.pk}/"
    assert console_url(setting) in text(signed_in(setting, "officer_a").get(page))
    assert console_url(setting) not in text(signed_in(setting, "provider_in_a").get(page))
    listing = text(signed_in(setting, "officer_a").get("/consultations/"))
    assert console_url(setting) in listing
    assert "/consultations/schedule/" in listing
    listing = text(signed_in(setting, "provider_in_a").get("/consultations/"))
    assert "/console/" not in listing
    assert "/consultations/schedule/" not in listing


# --- the comments by clause ------------------------------------------------------------------


def test_the_console_counts_the_comments_by_clause(setting):
    page = text(signed_in(setting).get(console_url(setting)))
    assert "Comments: 3 · unanswered: 2 · draft responses that publish at the close: 1" in page
    assert f"Answer comment {setting.general_comment.pk}" in page
    assert f"Edit the response to comment {setting.provider_comment.pk}" in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("answered=no", {"general_comment", "network_comment"}),
        ("answered=yes", {"provider_comment"}),
        ("network=yes", {"network_comment"}),
        ("network=no", {"provider_comment", "general_comment"}),
        ("cosigned=yes", {"network_comment"}),
        ("kind=question", {"general_comment"}),
    ],
)
def test_the_comments_filter(setting, query, shown):
    page = text(signed_in(setting).get(console_url(setting) + "?" + query))
    for name in ("provider_comment", "general_comment", "network_comment"):
        comment = getattr(setting, name)
        assert (f'id="comment-{comment.pk}"' in page) == (name in shown), name


def test_the_organisation_filter_and_a_bad_filter(setting):
    client = signed_in(setting)
    page = text(client.get(console_url(setting) + f"?organisation={setting.network.pk}"))
    assert f'id="comment-{setting.network_comment.pk}"' in page
    assert f'id="comment-{setting.provider_comment.pk}"' not in page
    refused = client.get(console_url(setting) + "?answered=maybe")
    assert refused.status_code == 400
    assert "Answered:" in text(refused)


def test_the_comment_list_costs_the_same_for_more_comments(setting, django_assert_max_num_queries):
    from tests.dialogue.response_factories import CommentFactory

    client = signed_in(setting)
    client.get(console_url(setting))
    with django_assert_max_num_queries(30) as few:
        client.get(console_url(setting))
    for _ in range(10):
        CommentFactory(consultation=setting.consultation, organisation=setting.provider_in_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(console_url(setting))


# --- the window ----------------------------------------------------------------------------


def test_closing_early_is_refused_within_a_day_with_the_summary_and_nothing_saved(setting):
    before = setting.consultation.closes_at
    soon = timezone.now() + datetime.timedelta(hours=2)
    answer = signed_in(setting).post(console_url(setting, "extend/"), {"closes_at": local(soon)})
    assert answer.status_code == 400
    page = text(answer)
    assert "Nothing was saved yet" in page
    assert "New close time: At least 24 hours from now." in page
    assert "closes_at" not in page.split("error-summary")[1].split("</div>")[0]
    assert f'value="{local(soon)}"' in page
    setting.consultation.refresh_from_db()
    assert setting.consultation.closes_at == before


def test_closing_early_to_two_days_from_now_moves_the_close(setting):
    later = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    answer = signed_in(setting).post(console_url(setting, "extend/"), {"closes_at": local(later)})
    assert answer.status_code == 302
    setting.consultation.refresh_from_db()
    assert setting.consultation.closes_at == later
    assert Event.objects.filter(verb="consultation.shortened").count() == 1


def test_closing_before_the_close_time_is_refused(setting):
    answer = signed_in(setting).post(console_url(setting, "close/"))
    assert answer.status_code == 409
    assert "it can be closed only after that" in text(answer)
    setting.consultation.refresh_from_db()
    assert setting.consultation.status == Consultation.Status.OPEN


def test_a_provider_may_not_close_nor_move_the_close(setting):
    Consultation.objects.filter(pk=setting.consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = signed_in(setting, "provider_in_a")
    assert client.post(console_url(setting, "close/")).status_code == 403
    setting.consultation.refresh_from_db()
    assert setting.consultation.status == Consultation.Status.OPEN


def test_schedule_then_open(world):
    version = rulebook_with_version(world.programme_a, clauses=[("1", "Scope", "Home care.")])
    client = signed_in(world, "manager_a")
    form = client.get("/consultations/schedule/")
    assert form.status_code == 200
    assert str(version.pk) in text(form)
    # Published after the close unless the purchaser says otherwise (the box comes ticked).
    assert 'type="checkbox" name="public"' in text(form)
    assert re.search(r'<input type="checkbox" name="public"[^>]* checked', text(form))
    opens = timezone.now() + datetime.timedelta(days=1)
    answer = client.post(
        "/consultations/schedule/",
        {
            "rulebook_version": version.pk,
            "title": "Remiss",
            "opens_at": local(opens),
            "closes_at": local(opens - datetime.timedelta(hours=1)),
            "visibility": "open",
        },
    )
    assert answer.status_code == 400
    assert "Closes: Must be after the time it opens." in text(answer)
    assert not Consultation.objects.filter(rulebook_version=version).exists()
    answer = client.post(
        "/consultations/schedule/",
        {
            "rulebook_version": version.pk,
            "title": "Remiss",
            "opens_at": local(opens),
            "closes_at": local(opens + datetime.timedelta(days=14)),
            "visibility": "open",
        },
    )
    consultation = Consultation.objects.get(rulebook_version=version)
    assert answer.status_code == 302
    assert consultation.status == Consultation.Status.SCHEDULED
    assert consultation.public is False  # the box was left unticked in this post
    assert client.post(f"/consultations/{consultation.pk}/console/open/").status_code == 302
    consultation.refresh_from_db()
    version.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert version.status == RulebookVersion.Status.IN_CONSULTATION


def test_a_provider_may_not_schedule(world):
    assert signed_in(world, "provider_in_a").get("/consultations/schedule/").status_code == 403


# --- responses -------------------------------------------------------------------------------


def test_a_response_without_a_reason_is_refused_and_nothing_saved(setting):
    url = console_url(setting, f"comments/{setting.general_comment.pk}/response/")
    answer = signed_in(setting).post(url, {"outcome": "noted", "reason": " "})
    assert answer.status_code == 400
    assert "Reason: Required; write at least a sentence." in text(answer)
    assert not Response.objects.filter(comment=setting.general_comment).exists()


def test_answering_goes_on_to_the_next_unanswered_comment(setting):
    client = signed_in(setting)
    url = console_url(setting, f"comments/{setting.general_comment.pk}/response/")
    answer = client.post(url, {"outcome": "noted", "reason": "The decision is in June."})
    assert answer.status_code == 302
    assert answer["Location"] == console_url(
        setting, f"comments/{setting.network_comment.pk}/response/"
    )
    response = Response.objects.get(comment=setting.general_comment)
    assert (response.outcome, response.reason) == ("noted", "The decision is in June.")
    # Editing keeps one response and says what it said.
    client.post(url, {"outcome": "partly_accepted", "reason": "In June, we hope."})
    response.refresh_from_db()
    assert response.outcome == "partly_accepted"


def test_a_provider_may_not_answer(setting):
    url = console_url(setting, f"comments/{setting.general_comment.pk}/response/")
    answer = signed_in(setting, "provider_in_a").post(url, {"outcome": "noted", "reason": "x"})
    assert answer.status_code == 403
    assert not Response.objects.filter(comment=setting.general_comment).exists()


def test_you_said_we_did_preview(setting):
    page = text(signed_in(setting).get(console_url(setting, "you-said-we-did/")))
    assert "A preview: the providers read this when the consultation closes." in page
    assert "Accepted" in page
    assert "We extend the opening hours to 19:00." in page


# --- adoption --------------------------------------------------------------------------------


def test_a_refused_adoption_shows_its_blockers_first_and_adopts_nothing(setting):
    close(setting.consultation)
    version = setting.consultation.rulebook_version
    RulebookVersion.objects.filter(pk=version.pk).update(
        status=RulebookVersion.Status.CONSULTATION_CLOSED
    )
    milestone = Milestone.objects.create(
        programme=setting.programme_a, title="Dialogue meeting held", gating=True, position=1
    )
    answer = signed_in(setting, "manager_a").post(console_url(setting, "adoption/"))
    assert answer.status_code == 409
    page = text(answer)
    summary = page.index("error-summary")
    assert summary < page.index("What still blocks adoption") < page.index("Adopt version")
    assert "gating milestone" in page.split("error-summary")[2].split("</div>")[0]
    answer_link = console_url(setting, f"comments/{setting.general_comment.pk}/response/")
    assert answer_link in page
    assert f'href="/milestones/{milestone.pk}/"' in page  # the milestone's page
    version.refresh_from_db()
    assert version.status == RulebookVersion.Status.CONSULTATION_CLOSED


def test_an_officer_sees_the_blockers_but_may_not_adopt(setting):
    page = signed_in(setting, "officer_a").get(console_url(setting, "adoption/"))
    assert page.status_code == 200
    assert "Only a commissioning manager adopts" in text(page)
    refused = signed_in(setting, "officer_a").post(console_url(setting, "adoption/"))
    assert refused.status_code == 403


def test_adoption_once_nothing_blocks(setting):
    close(setting.consultation)
    version = setting.consultation.rulebook_version
    RulebookVersion.objects.filter(pk=version.pk).update(
        status=RulebookVersion.Status.CONSULTATION_CLOSED
    )
    for comment in (setting.general_comment, setting.network_comment):
        Response.objects.create(comment=comment, outcome="noted", reason="Noted.")
    client = signed_in(setting, "manager_a")
    assert "Nothing blocks adoption" in text(client.get(console_url(setting, "adoption/")))
    assert client.post(console_url(setting, "adoption/")).status_code == 302
    version.refresh_from_db()
    assert version.status == RulebookVersion.Status.ADOPTED
    assert Comment.objects.filter(consultation=setting.consultation).count() == 3
