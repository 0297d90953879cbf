"""Serializers with a compiled representation (commissioning/api/representation.py) answer
with the bytes DRF's own field-by-field path writes: lists and single objects, nested
objects, null relations, method fields, annotations."""

import pytest
from rest_framework import serializers

from commissioning.api.representation import CompiledRepresentation
from dialogue.models import Comment
from tests.dialogue.consultation_factories import (
    CommentFactory,
    ConsultationFactory,
    CoSignatureFactory,
)
from tests.dialogue.factories import AgendaItemFactory, InvitationFactory
from tests.dialogue.meeting_factories import meeting_in_a


def drf_path(monkeypatch):
    """Every compiled serializer back on DRF's own Serializer.to_representation."""
    monkeypatch.setattr(
        CompiledRepresentation,
        "to_representation",
        lambda self, instance: serializers.Serializer.to_representation(self, instance),
    )


@pytest.fixture
def scene(world):
    consultation = ConsultationFactory(
        programme=world.programme_a, visibility="open", invited=[world.provider_in_a, world.network]
    )
    anchored = CommentFactory(
        consultation=consultation, organisation=world.network, body="**Kvartalsvis** ✅"
    )
    CommentFactory(consultation=consultation, organisation=world.provider_in_a, clause=None)
    CoSignatureFactory(comment=anchored, organisation=world.network_member)
    withdrawn = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    Comment.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    meeting = meeting_in_a(world, held=True)
    InvitationFactory(
        meeting=meeting, organisation=world.network_member, person=world.people["network_member"]
    )
    AgendaItemFactory(meeting=meeting, kind="dialogue", planned_minutes=30)
    AgendaItemFactory(meeting=meeting, kind="information", planned_minutes=10)
    meeting_in_a(world)  # no agenda: null dialogue share
    return {
        "comments": f"/api/v1/consultations/{consultation.pk}/comments/",
        "comment": f"/api/v1/comments/{anchored.pk}/",
        "meetings": "/api/v1/meetings/",
        "meeting": f"/api/v1/meetings/{meeting.pk}/",
        "organisations": "/api/v1/organisations/",
    }


@pytest.mark.parametrize("actor", ["manager_a", "provider_in_a", "network_member"])
@pytest.mark.parametrize("what", ["comments", "comment", "meetings", "meeting", "organisations"])
def test_the_same_answer_as_drf(client_for, scene, monkeypatch, actor, what):
    client = client_for(actor)
    compiled = client.get(scene[what])
    drf_path(monkeypatch)
    drf = client.get(scene[what])
    assert compiled.status_code == drf.status_code
    assert compiled.content == drf.content
    if actor == "manager_a":
        assert compiled.status_code == 200


def test_the_scene_shows_what_the_comparison_needs(client_for, scene):
    comments = client_for("manager_a").get(scene["comments"]).json()["results"]
    assert {c["clause"] is None for c in comments} == {True, False}
    assert any(c["cosigners"] for c in comments)
    meetings = client_for("manager_a").get(scene["meetings"]).json()["results"]
    assert {m["dialogue_share"] is None for m in meetings} == {True, False}
    invitations = [i for m in meetings for i in m["invitations"]]
    assert {i["person"] is None for i in invitations} == {True, False}
