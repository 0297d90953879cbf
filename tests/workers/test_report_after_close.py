"""A closed consultation gets its "you said, we did" report without anyone ordering it."""

import datetime

import pytest
from django.utils import timezone

from dialogue.services.consultations import close_consultation
from tests.dialogue.consultation_factories import CommentFactory, ConsultationFactory
from workers.models import Document


@pytest.fixture
def ended_window(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consultation = ConsultationFactory(
        programme=world.programme_a,
        created_by=world.people["officer_a"],
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    CommentFactory(
        consultation=consultation, organisation=world.provider_in_a, body="Åtta veckor är för kort."
    )
    return consultation


def close(world, consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        close_consultation(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, consultation=consultation
        )


def test_closing_a_consultation_orders_its_report_in_the_programmes_language(
    world, ended_window, django_capture_on_commit_callbacks
):
    close(world, ended_window, django_capture_on_commit_callbacks)
    document = Document.objects.get(kind=Document.Kind.CONSULTATION_REPORT)
    assert document.subject_id == str(ended_window.pk)
    assert document.language == "sv"
    assert document.requested_by == world.people["officer_a"]
    assert document.status == Document.Status.DONE
    assert document.file.size > 0


def test_no_report_is_ordered_for_an_officer_who_has_left_the_purchaser(
    world, ended_window, django_capture_on_commit_callbacks
):
    ended_window.created_by = world.people["provider_in_a"]
    ended_window.save()
    close(world, ended_window, django_capture_on_commit_callbacks)
    assert not Document.objects.exists()
