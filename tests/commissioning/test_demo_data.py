"""The demo promises: milestones from the templates with some met and one
overdue per programme, the English contract held in negotiation by its open gate, a year of
meetings in every arena, open concerns, overdue actions, a relationship 120 days without a
meeting, a private provider never invited to the Swedish provider council, and the Swedish
rulebook consultations (one closed and answered, version 1 adopted, one open on version 2).

Loading the demo takes seconds, so it is loaded once for the module (`demo`), inside a
transaction that is rolled back when the module is done: each test still runs in its own
savepoint (pytest-django's `db`), and the next module starts from the migrated database,
data migrations (the milestone templates) included, which a flush would have deleted."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Invitation
from commissioning.models import (
    Event,
    Membership,
    Milestone,
    MilestoneTemplateStep,
    Organisation,
    Programme,
)
from commissioning.selectors.milestones import open_gating_milestones
from contracts.models import Contract, Obligation, RulebookVersion
from demo.invitations import invitation_lines
from demo.people import DEMO_PASSWORD
from dialogue.models import ActionItem, Arena, Comment, Concern, Consultation, Meeting, Response
from dialogue.selectors.concerns import OPEN_STATUSES
from dialogue.selectors.dialogue_share import information_heavy_condition, with_minutes
from dialogue.selectors.responses import unanswered_comments
from notifications.models import Notice
from notifications.selectors import unread_count

HELD = [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module and rolled back after it (see the docstring);
    its briefing PDF goes to a temporary media folder."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), media:
        try:
            with transaction.atomic():
                output = io.StringIO()
                call_command("load_demo_data", stdout=output)
                yield output.getvalue()
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def demo(_demo_loaded, db):
    return _demo_loaded


def client_as(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    return client


def overdue(milestones) -> list[Milestone]:
    today = timezone.localdate()
    return [
        m
        for m in milestones
        if m.status == Milestone.Status.PLANNED
        and m.effective_due_date is not None
        and m.effective_due_date < today
    ]


def test_demo_data_loads_once_with_a_login_per_role(demo, capsys):
    output = demo
    assert Programme.objects.count() == 3
    assert set(Programme.objects.values_list("framework", flat=True)) == {
        "se_care_choice",
        "uk_provider_selection",
        "no_cooperation_agreement",
    }
    care_choice = Programme.objects.get(framework="se_care_choice")
    ownerships = set(
        care_choice.participants.filter(kind="provider").values_list("ownership", flat=True)
    )
    assert ownerships == {"public", "private", "non_profit"}
    assert care_choice.participants.filter(kind="provider").count() == 6
    assert care_choice.participants.filter(kind="provider_network").count() == 1
    assert set(Membership.objects.values_list("role", flat=True)) == set(Membership.Role.values)
    for username in ("anna.manager", "erik.officer", "sara.provider", "karin.politician"):
        assert username in output
    assert (
        authenticate(RequestFactory().post("/"), username="elin.ersta", password=DEMO_PASSWORD)
        is not None
    )
    events = Event.objects.count()
    assert events > 0

    call_command("load_demo_data")
    assert "already loaded" in capsys.readouterr().out
    assert Programme.objects.count() == 3
    assert Organisation.objects.filter(name="Region Norrsund").count() == 1
    assert Meeting.objects.count() == 24
    assert Event.objects.count() == events


def test_each_programme_has_its_template_milestones_some_met_and_one_overdue(demo):
    for programme in Programme.objects.all():
        steps = MilestoneTemplateStep.objects.filter(template__framework=programme.framework)
        own_steps = steps.filter(applies_to="programme")
        own = programme.milestones.filter(contract__isnull=True)
        assert set(own.values_list("template_step", flat=True)) == set(
            own_steps.values_list("id", flat=True)
        ), programme.name
        milestones = list(programme.milestones.all())
        assert sum(m.status == Milestone.Status.MET for m in milestones) >= 2, programme.name
        assert len(overdue(milestones)) == 1, programme.name


def test_met_milestones_carry_the_meeting_that_shows_them(demo):
    met = Milestone.objects.filter(status=Milestone.Status.MET)
    with_meeting = met.filter(evidence__kind="meeting").distinct()
    assert with_meeting.count() >= 4
    for milestone in with_meeting:
        evidence = milestone.evidence.get(kind="meeting")
        meeting = Meeting.objects.get(pk=evidence.subject_id)
        assert meeting.purchaser_id == milestone.programme.purchaser_id
        assert meeting.status in HELD


def test_english_contract_stays_in_negotiation_with_an_open_gating_milestone(demo):
    contract = Contract.objects.get(reference="NRICB-RESP-2027")
    assert contract.status == Contract.Status.NEGOTIATION
    roles = dict(contract.parties.values_list("organisation__name", "role"))
    assert roles == {
        "Riverside University Hospitals NHS Foundation Trust": "lead_provider",
        "Riverside Community Health CIC": "subcontractor",
    }
    assert contract.versions.count() >= 3
    latest = contract.versions.order_by("-number").first()
    assert latest.clinical_governance
    assert latest.pathway_development
    # The template's contract steps were applied to the contract itself.
    assert contract.milestones.count() == 4
    blocking = open_gating_milestones(programme=contract.programme, contract=contract)
    assert [m.title for m in blocking] == ["Pathway-development terms agreed"]
    assert blocking[0].contract_id == contract.pk
    refusals = [line for line in demo.splitlines() if line.startswith("Finalising")]
    assert refusals == [
        "Finalising NRICB-RESP-2027 refused: Finalising this contract is not possible while "
        "1 gating milestone(s) are open: Pathway-development terms agreed. Meet them, or have "
        "a manager waive them with a reason."
    ]
    assert not Event.objects.filter(verb="contract.finalised", subject_id=str(contract.pk)).exists()


def test_norwegian_agreement_is_active_with_its_obligations_fulfilled_once(demo):
    agreement = Contract.objects.get(reference="FJV-HF-SAMARBEID")
    assert agreement.status == Contract.Status.ACTIVE
    cadences = dict(agreement.obligations.values_list("cadence", "title"))
    assert set(cadences) == {Obligation.Cadence.YEARLY, Obligation.Cadence.QUARTERLY}
    for obligation in agreement.obligations.all():
        assert obligation.fulfilments.count() == 1


def test_swedish_rulebook_has_version_1_adopted_with_eight_clauses_and_2_in_consultation(demo):
    programme = Programme.objects.get(framework="se_care_choice")
    version, second = programme.rulebook.versions.order_by("number")
    assert version.number == 1
    assert version.status == RulebookVersion.Status.ADOPTED
    assert timezone.localdate(version.adopted_at) < timezone.localdate()
    assert second.number == 2
    assert second.status == RulebookVersion.Status.IN_CONSULTATION
    assert second.based_on_id == version.pk
    assert programme.rulebook.versions.filter(status=RulebookVersion.Status.ADOPTED).count() == 1
    assert Event.objects.filter(
        verb="rulebook_version.adopted", subject_id=str(version.pk)
    ).exists()
    assert list(version.clauses.order_by("position").values_list("key", flat=True)) == [
        "1",
        "2",
        "2.1",
        "3",
        "4",
        "4.1",
        "4.2",
        "5",
    ]
    assert version.clauses.get(key="1").heading == "Uppdraget"


def test_each_arena_has_a_year_of_meetings_with_information_heavy_ones(demo):
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=366)
    assert Arena.objects.count() == 3
    for arena in Arena.objects.all():
        held = arena.meetings.filter(status__in=HELD)
        assert 6 <= held.count() <= 8, arena.name
        first = timezone.localdate(held.order_by("starts_at").first().starts_at)
        assert year_ago <= first <= today - datetime.timedelta(days=300), arena.name
        assert held.filter(status=Meeting.Status.MINUTES_APPROVED).exists(), arena.name
        assert held.filter(status=Meeting.Status.HELD).exists(), arena.name
        heavy = with_minutes(held).filter(information_heavy_condition())
        assert 1 <= heavy.count() <= 2, arena.name
        kinds = set(held.values_list("agenda_items__kind", flat=True))
        assert kinds == {"information", "dialogue", "decision"}, arena.name
        assert not held.filter(attendance__isnull=True).exists(), arena.name
        planned = arena.meetings.filter(status=Meeting.Status.PLANNED)
        assert planned.count() == 1, arena.name
        assert planned.get().starts_at > timezone.now()
        actions = ActionItem.objects.filter(meeting__arena=arena)
        assert actions.filter(status=ActionItem.Status.DONE).exists(), arena.name
        assert actions.filter(status=ActionItem.Status.OPEN).exists(), arena.name


def test_meetings_were_logged_and_approved_through_the_services(demo):
    held = Meeting.objects.filter(status__in=HELD).count()
    assert Event.objects.filter(verb="meeting.created_and_logged").count() == held
    approved = Meeting.objects.filter(status=Meeting.Status.MINUTES_APPROVED).count()
    assert Event.objects.filter(verb="meeting.minutes_approved").count() == approved


def test_there_are_open_concerns_an_overdue_one_and_overdue_actions(demo):
    today = timezone.localdate()
    open_concerns = Concern.objects.filter(status__in=OPEN_STATUSES)
    assert open_concerns.count() >= 3
    late = Concern.objects.get(title="Utskrivningsmeldinger kommer etter kl. 15")
    assert late.status == Concern.Status.ACKNOWLEDGED
    overdue_concerns = Concern.objects.filter(status=Concern.Status.RAISED, reply_by__lt=today)
    assert overdue_concerns.count() == 1
    assert overdue_concerns.get().raised_with.name == "Fjordvik kommune"
    assert Event.objects.filter(verb="concern.raised").count() == Concern.objects.count()
    overdue_actions = ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_date__lt=today)
    assert overdue_actions.count() >= 3


def test_one_relationship_has_gone_120_days_without_a_meeting(demo):
    response = client_as("anna.manager").get("/api/v1/relationships/", {"page_size": 100})
    assert response.status_code == 200, response.json()
    rows = {r["provider"]["name"]: r for r in response.json()["results"]}
    ersta = rows["Stiftelsen Ersta Norrsund"]
    assert ersta["days_since_last_meeting"] == 120
    assert ersta["no_meeting_alert"] is True
    assert ersta["overdue_actions"] == 1
    # The others who came to the council met within the alert period.
    met_recently = [
        r
        for name, r in rows.items()
        if name not in {"Stiftelsen Ersta Norrsund", "Norrlandsläkarna AB"}
    ]
    assert met_recently
    assert all(r["days_since_last_meeting"] < 90 for r in met_recently)
    assert not any(r["no_meeting_alert"] for r in met_recently)


def test_norwegian_relationship_shows_the_overdue_concern_and_action(demo):
    response = client_as("ingrid.manager").get("/api/v1/relationships/")
    assert response.status_code == 200, response.json()
    [row] = response.json()["results"]
    assert row["provider"]["name"] == "Helse Fjordvik HF"
    assert row["open_concerns"] == 2
    assert row["overdue_concerns"] == 1
    assert row["overdue_actions"] == 1
    assert row["no_meeting_alert"] is False


def test_equal_treatment_of_the_council_names_the_never_invited_private_provider(demo):
    council = Arena.objects.get(name="Vårdvalsrådet primärvård")
    left_out = Organisation.objects.get(name="Norrlandsläkarna AB")
    assert council.members.filter(pk=left_out.pk).exists()
    response = client_as("anna.manager").get(f"/api/v1/arenas/{council.pk}/equal-treatment/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["meetings_counted"] == 8
    assert body["not_invited"]["organisations"] == [{"id": left_out.pk, "name": left_out.name}]
    private = next(g for g in body["by_ownership"] if g["ownership"] == "private")
    assert private["not_invited"]["count"] == 1


def make_demo_environment(root: Path, port: int) -> dict[str, str]:
    """The variables `make demo PORT=…` sets on its load_demo_data command (make -n)."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    dry_run = subprocess.run(
        ["make", "-n", "demo", f"PORT={port}"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    [line] = [line for line in dry_run.splitlines() if "manage.py load_demo_data" in line]
    [served] = [line for line in dry_run.splitlines() if "manage.py runserver" in line]
    assert served.endswith(f"runserver localhost:{port}")
    assignments = line.split(" ")[: line.split(" ").index("run") - 1]
    return dict(word.split("=", 1) for word in assignments if "=" in word)


def test_the_demo_command_loads_on_a_fresh_sqlite_file(tmp_path):
    """`make demo` runs the command on SQLite with DEBUG=1 (jobs in-process); on another
    port (`make demo PORT=8401`), the links it prints and emails point at that port."""
    root = Path(__file__).resolve().parents[2]
    made = make_demo_environment(root, 8401)
    assert made == {"DEBUG": "1", "SITE_URL": "http://localhost:8401"}
    env = {
        **{k: v for k, v in os.environ.items() if k != "SITE_URL"},
        **made,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=root, env=env, check=True)
    result = subprocess.run(
        [*manage, "load_demo_data"], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    assert "Demo data loaded." in result.stdout
    assert "Finalising NRICB-RESP-2027 refused:" in result.stdout
    [link] = [line.strip() for line in result.stdout.splitlines() if "/invitations/" in line]
    assert link.startswith("http://localhost:8401/invitations/")
    # The embedded default serves the lists too: no query that only PostgreSQL accepts.
    walk = subprocess.run(
        [sys.executable, "-c", SQLITE_WALK], cwd=root, env=env, capture_output=True, text=True
    )
    assert walk.returncode == 0, walk.stderr
    assert walk.stdout.strip() == "server errors: []"


SQLITE_WALK = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
paths = [
    "/api/v1/programmes/", "/api/v1/contracts/", "/api/v1/rulebooks/", "/api/v1/events/",
    "/api/v1/milestones/?overdue=true", "/api/v1/meetings/?information_heavy=true",
    "/api/v1/action-items/", "/api/v1/concerns/?overdue=true", "/api/v1/relationships/",
    "/api/v1/consultations/", "/api/v1/consultations/1/summary/",
    "/api/v1/consultations/1/you-said-we-did/", "/api/v1/programmes/1/equal-treatment/",
    "/api/v1/arenas/1/dialogue-share/", "/api/v1/programmes/1/ocds/",
    "/api/v1/trust/results/?programme=1", "/api/v1/documents/",
]
errors = []
for username in ["anna.manager", "sara.provider", "karin.politician"]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    errors += [(username, p) for p in paths if client.get(p).status_code >= 500]
print("server errors:", errors)
"""


# --- the Swedish rulebook consultations ------------------------------------------------------


def swedish_consultations() -> tuple[Consultation, Consultation]:
    programme = Programme.objects.get(framework="se_care_choice")
    first, second = Consultation.objects.filter(programme=programme).order_by(
        "rulebook_version__number"
    )
    return first, second


def test_closed_consultation_has_comments_from_every_ownership_all_answered(demo):
    first, _ = swedish_consultations()
    assert first.rulebook_version.number == 1
    assert first.status == Consultation.Status.CLOSED
    assert first.closes_at < timezone.now()
    assert first.closes_at - first.opens_at >= datetime.timedelta(weeks=4)
    comments = first.comments.filter(status=Comment.Status.SUBMITTED).select_related(
        "organisation", "response"
    )
    assert comments.count() >= 6
    ownerships = {c.organisation.ownership for c in comments if c.organisation.kind == "provider"}
    assert ownerships == {"public", "private", "non_profit"}
    assert set(comments.values_list("kind", flat=True)) == set(Comment.Kind.values)
    for comment in comments:
        assert first.opens_at <= comment.submitted_at < first.closes_at
        assert comment.revisions.exists()
        assert comment.response.created_at > first.closes_at
    assert not unanswered_comments(rulebook_version=first.rulebook_version).exists()
    outcomes = set(Response.objects.filter(comment__consultation=first).values_list("outcome"))
    assert {o for (o,) in outcomes} == set(Response.Outcome.values)
    quoted = comments.exclude(quoted_text="").get()
    assert quoted.clause.text[quoted.span_start : quoted.span_end] == quoted.quoted_text
    proposals = comments.filter(kind=Comment.Kind.PROPOSAL)
    assert all(p.revisions.last().suggested_wording for p in proposals)


def test_closed_consultation_has_a_network_comment_cosigned_by_its_members(demo):
    first, _ = swedish_consultations()
    network = Organisation.objects.get(name="Vårdföretagarna Norrsund")
    joint = first.comments.get(organisation=network)
    signatures = joint.cosignatures.filter(withdrawn_at__isnull=True)
    assert signatures.count() >= 2
    members = set(network.network_members.values_list("provider_id", flat=True))
    for signature in signatures:
        assert signature.organisation_id in members
        assert first.opens_at <= signature.signed_at < first.closes_at
    assert joint.revisions.count() == 2
    assert joint.response.outcome == Response.Outcome.PARTLY_ACCEPTED


def test_open_consultation_on_version_2_closes_within_a_few_days(demo):
    _, second = swedish_consultations()
    now = timezone.now()
    assert second.rulebook_version.number == 2
    assert second.status == Consultation.Status.OPEN
    assert second.visibility == Consultation.Visibility.PRIVATE_UNTIL_CLOSE
    assert datetime.timedelta(days=1) < second.closes_at - now <= datetime.timedelta(days=5)
    comments = second.comments.all()
    assert 1 <= comments.count() <= 2
    for comment in comments:
        assert second.opens_at <= comment.submitted_at <= now


def test_you_said_we_did_of_the_closed_consultation_shows_changed_clauses(demo):
    first, _ = swedish_consultations()
    response = client_as("sara.provider").get(f"/api/v1/consultations/{first.pk}/you-said-we-did/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["responses_published"] is True
    assert body["next_version"]["number"] == 2
    changed = [c for c in body["clauses"] if (c["next_version"] or {}).get("change") == "changed"]
    assert {c["clause"]["key"] for c in changed} >= {"3", "4.1", "5"}
    for clause in changed:
        assert clause["next_version"]["text_diff"]
        accepted = [
            c
            for c in clause["comments"]
            if c["response"]["outcome"] != Response.Outcome.NOT_ACCEPTED
        ]
        assert any(c["response"]["changed_clause"] for c in accepted), clause["clause"]["key"]


def test_swedish_gating_milestones_are_met_with_the_consultation_and_the_announcement_late(demo):
    first, _ = swedish_consultations()
    programme = first.programme
    assert not open_gating_milestones(programme=programme).exists()
    gating = programme.milestones.filter(gating=True)
    assert gating.count() == 2
    for milestone in gating:
        assert milestone.status == Milestone.Status.MET
        evidence = milestone.evidence.get(kind="consultation")
        assert evidence.subject_id == str(first.pk)
    [late] = overdue(programme.milestones.all())
    assert late.title.startswith("Rulebook announced")


def test_summary_of_the_closed_consultation_counts_every_comment_answered(demo):
    first, _ = swedish_consultations()
    response = client_as("anna.manager").get(f"/api/v1/consultations/{first.pk}/summary/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["comments"] == first.comments.count()
    assert body["share_answered"] == 1.0
    # Answered in the weeks after the close, so days to weeks after each comment came in.
    assert 24 < body["median_response_hours"] < 24 * 7 * 6
    assert all(count > 0 for count in body["by_ownership"].values()), body["by_ownership"]
    [network] = body["by_network"]
    assert network["cosignatures"] >= 2
    # Vårdcentralen Hamnen was invited and said nothing.
    assert "Vårdcentralen Hamnen (Region Norrsund)" in str(body["did_not_comment"])


def test_open_consultation_keeps_each_providers_comments_private_until_close(demo):
    _, second = swedish_consultations()
    url = f"/api/v1/consultations/{second.pk}/comments/"
    own = client_as("sara.provider").get(
        url, HTTP_X_ACTING_FOR=str(second.comments.first().organisation_id)
    )
    assert own.status_code == 200, own.json()
    assert [c["organisation"]["name"] for c in own.json()["results"]] == ["Hälsans Hus Norrsund AB"]
    other = client_as("elin.ersta").get(url)
    assert other.status_code == 200, other.json()
    assert other.json()["results"] == []
    staff = client_as("erik.officer").get(url)
    assert len(staff.json()["results"]) == second.comments.count()


# --- how people join --------------------------------------------------------------------------


def test_the_demo_prints_the_link_of_a_pending_invitation_that_opens(demo):
    [link] = [line.strip() for line in demo.splitlines() if "/invitations/" in line]
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.organisation.name == "Riverside University Hospitals NHS Foundation Trust"
    assert invitation.is_admin

    response = Client().get(link.removeprefix("http://localhost:8000"))

    assert response.status_code == 200
    assert "Join Riverside University Hospitals NHS Foundation Trust" in response.content.decode()


def test_an_expired_demo_invitation_is_sent_again_so_that_the_printed_link_works(demo):
    Invitation.objects.update(expires_at=timezone.now())
    [old] = [line.strip() for line in demo.splitlines() if "/invitations/" in line]

    [new] = [line.strip() for line in invitation_lines() if "/invitations/" in line]

    assert new != old
    assert Client().get(old.removeprefix("http://localhost:8000")).status_code == 410
    assert Client().get(new.removeprefix("http://localhost:8000")).status_code == 200


def test_each_managers_header_shows_unread_notifications_and_the_list_both_states(demo):
    for username in ("anna.manager", "olivia.manager", "ingrid.manager", "sara.provider"):
        person = get_user_model().objects.get(username=username)
        assert unread_count(person) >= 1, username
        assert Notice.objects.filter(person=person, read_at__isnull=False).exists(), username


# --- every role has something to do; the summary; resetting (issue 19) -----------------------


def test_the_english_provider_has_an_open_consultation_of_their_own(demo):
    programme = Programme.objects.get(framework="uk_provider_selection")
    consultations = client_as("priya.provider").get("/api/v1/consultations/").json()["results"]
    [own] = [c for c in consultations if c["programme"] == programme.pk]
    assert own["status"] == "open"
    consultation = Consultation.objects.get(pk=own["id"])
    assert consultation.closes_at > timezone.now() + datetime.timedelta(days=14)
    community = Organisation.objects.get(name="Riverside Community Health CIC")
    assert community in consultation.invited.all()
    assert consultation.rulebook_version.clauses.count() == 4


def test_the_norwegian_programme_has_a_ready_briefing_the_politician_sees(demo):
    programme = Programme.objects.get(framework="no_cooperation_agreement")
    documents = client_as("solveig.politician").get("/api/v1/documents/").json()["results"]
    [briefing] = [d for d in documents if d["kind"] == "briefing"]
    assert (briefing["language"], briefing["status"]) == ("nb", "done")
    client = Client()
    client.force_login(get_user_model().objects.get(username="solveig.politician"))
    page = client.get(f"/briefings/programmes/{programme.pk}/").content.decode()
    assert f'href="/api/v1/documents/{briefing["id"]}/download/"' in page
    assert client.get(f"/api/v1/documents/{briefing['id']}/download/").status_code == 200


def test_each_login_is_printed_once_with_every_organisation_it_speaks_for(demo):
    lines = [line for line in demo.splitlines() if line.strip().startswith("sara.provider ")]
    assert len(lines) == 1
    assert "Hälsans Hus Norrsund AB" in lines[0]
    assert "Vårdföretagarna Norrsund" in lines[0]
    logins = [line.split()[0] for line in demo.split("Logins (")[1].splitlines()[1:] if line]
    logins = [login for login in logins if "." in login or login == "admin"]
    assert len(logins) == len(set(logins))


def test_the_demo_names_its_organisations_as_reset_knows_them(demo):
    from demo import reset

    assert set(Organisation.objects.values_list("name", flat=True)) == reset.ORGANISATIONS
    assert not reset.strangers()


def test_reset_loads_the_demo_afresh_with_dates_relative_to_today(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _first, second = swedish_consultations()
    # Weeks later: the open consultation has closed, the summary's "closes in 3 days" is stale.
    Consultation.objects.filter(pk=second.pk).update(closes_at=timezone.now())
    counts = (Programme.objects.count(), Meeting.objects.count(), Organisation.objects.count())
    output = io.StringIO()
    call_command("load_demo_data", "--reset", stdout=output)
    assert "The demo's rows were deleted." in output.getvalue()
    assert "Demo data loaded." in output.getvalue()
    assert (Programme.objects.count(), Meeting.objects.count(), Organisation.objects.count()) == (
        counts
    )
    assert not Consultation.objects.filter(pk=second.pk).exists()
    _first, fresh = swedish_consultations()
    assert fresh.status == Consultation.Status.OPEN
    assert fresh.closes_at - timezone.now() > datetime.timedelta(days=2)
    assert get_user_model().objects.filter(username="anna.manager").count() == 1


def test_reset_refuses_a_database_with_other_data_unless_forced(demo, settings, tmp_path):
    from django.core.management.base import CommandError

    settings.MEDIA_ROOT = tmp_path
    get_user_model().objects.create_user(username="real.officer", email="real@example.com")
    events = Event.objects.count()
    with pytest.raises(CommandError, match=r"person real\.officer"):
        call_command("load_demo_data", "--reset", stdout=io.StringIO())
    assert Event.objects.count() == events  # nothing deleted
    call_command("load_demo_data", "--reset", "--force", stdout=io.StringIO())
    assert get_user_model().objects.filter(username="real.officer").exists()
    assert Programme.objects.count() == 3
