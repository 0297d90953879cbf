"""The consultation summary: comments by clause, kind, ownership and network; share answered;
median response time; who did not comment; only over what the viewer may see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from commissioning.models import Organisation
from dialogue.models import Comment, ConsultationInvitation, Response
from tests.dialogue.response_factories import (
    CommentFactory,
    ResponseFactory,
    clause,
    close,
    scene,
)
from tests.factories import ProviderFactory

MAX_QUERIES = 12


@pytest.fixture
def setting(world):
    return scene(world)


def summary(client_for, setting, actor):
    answer = client_for(actor).get(f"/api/v1/consultations/{setting.consultation.pk}/summary/")
    assert answer.status_code == 200, answer.json()
    return answer.json()


def test_staff_see_comments_by_clause_kind_ownership_and_network(client_for, setting):
    public = ProviderFactory(ownership=Organisation.Ownership.PUBLIC)
    CommentFactory(
        consultation=setting.consultation,
        organisation=public,
        clause=clause(setting.consultation, "2"),
        kind=Comment.Kind.SUPPORT,
    )
    CommentFactory(
        consultation=setting.consultation,
        organisation=public,
        status=Comment.Status.WITHDRAWN,
    )
    body = summary(client_for, setting, "officer_a")
    assert body["comments"] == 4
    assert body["withdrawn"] == 1
    assert [(c["clause"] and c["clause"]["key"], c["comments"]) for c in body["by_clause"]] == [
        ("2", 2),
        ("3", 1),
        (None, 1),
    ]
    assert body["by_kind"] == {"question": 1, "objection": 1, "proposal": 1, "support": 1}
    assert body["by_ownership"] == {"public": 1, "private": 2, "non_profit": 0, "network": 1}
    assert body["by_network"] == [
        {
            "network": {"id": setting.network.pk, "name": "Network in A"},
            "comments": 1,
            "cosignatures": 1,
            "cosigners": [{"id": setting.network_member.pk, "name": "Network member"}],
        }
    ]


def test_withdrawn_cosignatures_are_not_counted(client_for, setting):
    setting.network_comment.cosignatures.update(withdrawn_at=setting.consultation.opens_at)
    body = summary(client_for, setting, "officer_a")
    assert body["by_network"][0]["cosignatures"] == 0
    assert body["by_network"][0]["cosigners"] == []


def test_share_answered_and_median_response_hours(client_for, setting):
    submitted = setting.general_comment.submitted_at
    ResponseFactory(comment=setting.general_comment)
    ResponseFactory(comment=setting.network_comment)
    # Response times of 2, 10 and 30 hours: the median is 10.
    for comment, hours in (
        (setting.provider_comment, 2),
        (setting.general_comment, 10),
        (setting.network_comment, 30),
    ):
        Comment.objects.filter(pk=comment.pk).update(submitted_at=submitted)
        Response.objects.filter(comment=comment).update(
            created_at=submitted + datetime.timedelta(hours=hours)
        )
    body = summary(client_for, setting, "manager_a")
    assert body["answered"] == 3
    assert body["share_answered"] == 1.0
    assert body["median_response_hours"] == 10.0


def test_share_answered_counts_only_submitted_comments(client_for, setting):
    body = summary(client_for, setting, "officer_a")
    assert body["answered"] == 1
    assert body["share_answered"] == round(1 / 3, 3)
    clause_2 = next(c for c in body["by_clause"] if c["clause"] and c["clause"]["key"] == "2")
    assert clause_2["answered"] == 1


def test_invited_organisations_that_did_not_comment_are_named(client_for, setting):
    silent = ProviderFactory(name="Tyst Vård AB", ownership=Organisation.Ownership.NON_PROFIT)
    ConsultationInvitation.objects.create(consultation=setting.consultation, organisation=silent)
    body = summary(client_for, setting, "officer_a")
    assert body["did_not_comment"] == [
        {"id": silent.pk, "name": "Tyst Vård AB", "kind": "provider", "ownership": "non_profit"}
    ]


def test_a_member_that_cosigned_its_networks_comment_took_part(client_for, setting):
    ConsultationInvitation.objects.create(
        consultation=setting.consultation, organisation=setting.network_member
    )
    body = summary(client_for, setting, "officer_a")
    assert body["did_not_comment"] == []
    setting.network_comment.cosignatures.update(withdrawn_at=setting.consultation.opens_at)
    body = summary(client_for, setting, "officer_a")
    assert [o["id"] for o in body["did_not_comment"]] == [setting.network_member.pk]


def test_an_organisation_whose_comments_are_all_withdrawn_did_not_comment(client_for, setting):
    Comment.objects.filter(organisation=setting.provider_in_a).update(
        status=Comment.Status.WITHDRAWN
    )
    body = summary(client_for, setting, "officer_a")
    assert [o["id"] for o in body["did_not_comment"]] == [setting.provider_in_a.pk]


def test_a_provider_before_the_close_sees_figures_of_its_own_comments_only(client_for, setting):
    body = summary(client_for, setting, "provider_in_a")
    assert body["comments"] == 2
    assert body["by_network"] == []
    assert body["answered"] is None
    assert body["share_answered"] is None
    assert body["median_response_hours"] is None
    assert all(c["answered"] is None for c in body["by_clause"])
    assert body["did_not_comment"] is None


def test_a_politician_before_the_close_sees_no_comments(client_for, setting):
    body = summary(client_for, setting, "politician_a")
    assert body["comments"] == 0
    assert body["by_clause"] == []


def test_after_the_close_a_participant_sees_every_figure(client_for, setting):
    close(setting.consultation)
    body = summary(client_for, setting, "network_member")
    assert body["comments"] == 3
    assert body["answered"] == 1
    assert body["responses_published"] is True
    assert body["did_not_comment"] == []


def test_the_summary_runs_a_constant_number_of_queries(client_for, setting):
    client = client_for("officer_a")
    person = setting.people["officer_a"]
    counts = []
    for extra in (0, 30):
        for n in range(extra):
            comment = CommentFactory(
                consultation=setting.consultation,
                organisation=ProviderFactory(),
                clause=clause(setting.consultation, str(n % 3 + 1)),
                cosigners=[setting.network_member] if n % 2 else [],
            )
            if n % 3:
                ResponseFactory(comment=comment)
        policies.forget_standing(person)
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(f"/api/v1/consultations/{setting.consultation.pk}/summary/")
        assert answer.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= MAX_QUERIES
