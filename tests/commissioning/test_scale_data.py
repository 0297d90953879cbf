"""The scale data generator: the counts of a scale, the same data for the same
seed, data the API serves like any other, and no second run over generated data unless told.

Generating takes seconds, so it runs once for the module (`generated_output`), inside a
transaction rolled back when the module is done; each test runs in its own savepoint."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commissioning import policies
from commissioning.models import Membership, Milestone, Organisation, Programme
from contracts.models import Clause, Contract, ContractVersion, Obligation, RulebookVersion
from dialogue.models import AgendaItem, Comment, Consultation, Meeting, Response
from dialogue.selectors.dialogue_share import information_heavy_condition, with_minutes
from workers.models import PulseAnswer

MAX_QUERIES = 10

# --scale 0.01 of the full scale (demo.scale_data.plan.FULL_SCALE), at least one of each.
EXPECTED = {
    Organisation.objects.filter(kind="purchaser"): 1,
    Organisation.objects.filter(kind="provider"): 30,
    Programme.objects.all(): 3,
    Contract.objects.all(): 80,
    RulebookVersion.objects.all(): 6,
    Clause.objects.all(): 6 * 120,
    Comment.objects.all(): 2500,
    Meeting.objects.all(): 600,
    AgendaItem.objects.all(): 5000,
    PulseAnswer.objects.all(): 2000,
}


class _Rollback(Exception):
    pass


def generate(*options) -> str:
    output = io.StringIO()
    call_command("generate_scale_data", "--scale", "0.01", *options, stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def generated_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield generate("--seed", "1")
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def scale(generated_output, db):
    return generated_output


def digest() -> str:
    """Of rows in every section, named by what they are rather than by id (a second run
    gets new ids)."""
    rows = [
        *Organisation.objects.filter(official_id__startswith="SCALE-")
        .order_by("official_id")
        .values_list("official_id", "name", "ownership"),
        *Contract.objects.order_by("reference", "versions__number").values_list(
            "reference", "status", "programme__name", "versions__number", "versions__value"
        ),
        *Comment.objects.order_by(
            "consultation__title", "submitted_at", "organisation__name", "kind"
        ).values_list(
            "consultation__title",
            "organisation__official_id",
            "clause__key",
            "span_start",
            "quoted_text",
            "kind",
            "submitted_at",
            "response__outcome",
        ),
        *Meeting.objects.order_by("title").values_list("title", "starts_at", "status", "uid"),
        *PulseAnswer.objects.order_by("pulse__token_hash").values_list(
            "pulse__token_hash", "involved_early", "good_faith", "free_text"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_scale_0_01_makes_a_hundredth_of_each(scale):
    assert {qs.model.__name__ + str(qs.query.where): qs.count() for qs in EXPECTED} == {
        qs.model.__name__ + str(qs.query.where): count for qs, count in EXPECTED.items()
    }


def test_the_command_prints_counts_and_time(scale):
    assert re.search(r"^comments +2,500$", scale, re.MULTILINE)
    assert "generated scale 0.01, seed 1 in" in scale


def test_every_foreign_key_and_constraint_holds(scale):
    # Django's foreign keys are checked at commit; the module never commits, so check now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_quoted_spans_lie_inside_their_clause(scale):
    spans = Comment.objects.filter(span_start__isnull=False).select_related("clause")
    assert spans.count() > 100
    for comment in spans:
        assert comment.clause.text[comment.span_start : comment.span_end] == comment.quoted_text
        assert comment.clause.version_id == comment.consultation.rulebook_version_id


def test_each_contract_has_versions_and_obligations(scale):
    assert not Contract.objects.filter(versions__isnull=True).exists()
    assert ContractVersion.objects.count() > Contract.objects.count()
    assert Obligation.objects.count() == 3 * Contract.objects.count()
    assert Response.objects.count() > Comment.objects.count() // 2


def test_some_meetings_are_information_heavy_and_some_are_not(scale):
    held = with_minutes(Meeting.objects.filter(status__in=["held", "minutes_approved"]))
    heavy = held.filter(information_heavy_condition()).count()
    assert 0.1 < heavy / held.count() < 0.9


def test_same_seed_gives_the_same_data(scale):
    before = digest()
    generate("--seed", "1", "--replace")
    assert digest() == before


def test_another_seed_gives_other_data(scale):
    before = digest()
    generate("--seed", "2", "--replace")
    assert digest() != before


def test_refuses_to_run_over_generated_data(scale):
    comments = Comment.objects.count()
    with pytest.raises(CommandError, match=r"already holds generated data.*--replace"):
        generate("--seed", "1")
    assert Comment.objects.count() == comments


def test_replace_leaves_one_set_of_data(scale):
    generate("--seed", "3", "--replace")
    assert Organisation.objects.filter(kind="provider").count() == 30
    assert Comment.objects.count() == 2500


def _person(role: str):
    membership = (
        Membership.objects.filter(role=role, person__username__startswith="scale-")
        .select_related("person")
        .order_by("id")
        .first()
    )
    return membership.person


def _list_paths() -> list[str]:
    consultation = Consultation.objects.order_by("id").first()
    meeting = Meeting.objects.order_by("id").first()
    return [
        "/api/v1/programmes/",
        "/api/v1/organisations/",
        "/api/v1/contracts/",
        "/api/v1/obligations/",
        "/api/v1/milestones/",
        "/api/v1/rulebooks/",
        "/api/v1/consultations/",
        f"/api/v1/consultations/{consultation.pk}/comments/",
        "/api/v1/arenas/",
        f"/api/v1/meetings/?arena={meeting.arena_id}",
        f"/api/v1/agenda-items/?meeting={meeting.pk}",
        "/api/v1/action-items/",
        "/api/v1/concerns/",
        "/api/v1/relationships/",
    ]


@pytest.mark.parametrize("role", ["manager", "provider_representative"])
def test_main_lists_answer_as_a_generated_person(scale, role):
    person = _person(role)
    client = APIClient()
    client.force_authenticate(person)
    for path in _list_paths():
        policies.forget_standing(person)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"page_size": 100})
        assert response.status_code == 200, (path, response.content[:300])
        assert len(captured) <= MAX_QUERIES, (path, len(captured))
        if role == "manager":
            assert response.json()["results"], path


def test_milestones_of_programmes_and_contracts(scale):
    assert Milestone.objects.filter(contract__isnull=True).count() == 3 * 12
    assert Milestone.objects.filter(contract__isnull=False).count() == 80 * 2


def test_every_identity_sequence_is_past_the_generated_ids(scale):
    """A row created through the ORM after generating (a programme, a comment) gets a new
    id, not one the generator already used. Generated again here: other tests generate and
    roll back, and a rollback takes back rows but not the moves of a sequence."""
    from django.apps import apps

    generate("--replace", "--seed", "1")
    behind = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if not isinstance(model._meta.pk, models.AutoField):
                continue
            cursor.execute(
                f"SELECT COALESCE(MAX(id), 0), pg_sequence_last_value("
                f"pg_get_serial_sequence(%s, 'id')::regclass) FROM \"{table}\"",
                [table],
            )
            highest, last_value = cursor.fetchone()
            if highest and (last_value or 0) < highest:
                behind.append((table, highest, last_value))
    assert behind == []
