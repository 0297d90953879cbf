"""The CSV export of comments and responses, opened back with the csv module."""

import csv
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from dialogue.models import CommentRevision
from tests.dialogue.response_factories import (
    CommentFactory,
    ResponseFactory,
    close,
    next_version,
    scene,
)
from tests.factories import ProviderFactory

HEADER = [
    "comment id",
    "clause key",
    "kind",
    "organisation",
    "ownership",
    "network comment",
    "co-signers",
    "submitted at (Europe/Stockholm)",
    "current text",
    "status",
    "response outcome",
    "reason",
    "changed clause",
]


@pytest.fixture
def setting(world):
    return scene(world)


def download(client_for, setting, actor):
    answer = client_for(actor).get(f"/api/v1/consultations/{setting.consultation.pk}/comments.csv")
    assert answer.status_code == 200
    return answer


def rows_of(answer) -> list[dict]:
    reader = csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"), newline=""))
    return list(reader)


def by_id(answer) -> dict[str, dict]:
    return {row["comment id"]: row for row in rows_of(answer)}


def test_the_file_starts_with_a_byte_order_mark_and_is_an_attachment(client_for, setting):
    answer = download(client_for, setting, "officer_a")
    assert answer.content.startswith(b"\xef\xbb\xbf")
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == (
        f'attachment; filename="consultation-{setting.consultation.pk}-comments.csv"'
    )


def test_the_header_names_every_column(client_for, setting):
    answer = download(client_for, setting, "officer_a")
    header = next(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert header == HEADER
    assert answer.content.decode("utf-8-sig").endswith("\r\n")


def test_every_comment_is_a_row_with_its_response(client_for, setting):
    version_2 = next_version(setting.consultation, changes={"2": "Öppet 08–19."})
    setting.response.changed_clause = version_2.clauses.get(key="2")
    setting.response.save()
    rows = by_id(download(client_for, setting, "officer_a"))
    assert len(rows) == 3
    provider = rows[str(setting.provider_comment.pk)]
    assert provider["clause key"] == "2"
    assert provider["kind"] == "Objection"
    assert provider["organisation"] == "Provider in A"
    assert provider["ownership"] == "Private"
    assert provider["network comment"] == "no"
    assert provider["current text"] == "Vårdcentralen behöver öppet till 19:00 för föräldrar."
    assert provider["status"] == "Submitted"
    assert provider["response outcome"] == "Accepted"
    assert provider["reason"] == setting.response.reason
    assert provider["changed clause"] == "2 (version 2)"
    network = rows[str(setting.network_comment.pk)]
    assert network["network comment"] == "yes"
    assert network["co-signers"] == "Network member"
    assert network["response outcome"] == ""
    assert rows[str(setting.general_comment.pk)]["clause key"] == "general"


def test_the_current_text_is_the_last_revision(client_for, setting):
    CommentRevision.objects.create(
        comment=setting.general_comment, number=2, body="Når tas beslutet? Ærlig talt, ø."
    )
    rows = by_id(download(client_for, setting, "officer_a"))
    assert rows[str(setting.general_comment.pk)]["current text"] == (
        "Når tas beslutet? Ærlig talt, ø."
    )


def test_submitted_at_is_in_the_programmes_time_zone(client_for, setting):
    programme = setting.programme_a
    programme.time_zone = "America/New_York"
    programme.save()
    comment = setting.provider_comment
    local = comment.submitted_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    answer = download(client_for, setting, "officer_a")
    header = next(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert "submitted at (America/New_York)" in header
    row = next(r for r in rows_of(answer) if r["comment id"] == str(comment.pk))
    assert row["submitted at (America/New_York)"] == local.strftime("%Y-%m-%d %H:%M")


def test_a_text_that_looks_like_a_formula_is_defused(client_for, setting):
    hostile = CommentFactory(
        consultation=setting.consultation,
        organisation=setting.provider_in_a,
        text='=HYPERLINK("http://evil.example","click")',
    )
    rows = by_id(download(client_for, setting, "officer_a"))
    assert rows[str(hostile.pk)]["current text"] == '\'=HYPERLINK("http://evil.example","click")'


def test_a_text_with_line_breaks_and_commas_stays_one_cell(client_for, setting):
    multi = CommentFactory(
        consultation=setting.consultation,
        organisation=setting.provider_in_a,
        text='First line, with a comma\nSecond "quoted" line',
    )
    rows = by_id(download(client_for, setting, "officer_a"))
    assert rows[str(multi.pk)]["current text"] == 'First line, with a comma\nSecond "quoted" line'


def test_a_provider_before_the_close_gets_its_own_rows_without_responses(client_for, setting):
    rows = by_id(download(client_for, setting, "provider_in_a"))
    assert set(rows) == {str(setting.provider_comment.pk), str(setting.general_comment.pk)}
    assert rows[str(setting.provider_comment.pk)]["response outcome"] == ""
    assert rows[str(setting.provider_comment.pk)]["reason"] == ""


def test_after_the_close_a_participant_gets_every_row_and_response(client_for, setting):
    close(setting.consultation)
    rows = by_id(download(client_for, setting, "network_member"))
    assert len(rows) == 3
    assert rows[str(setting.provider_comment.pk)]["response outcome"] == "Accepted"


def test_a_client_asking_for_text_csv_gets_the_file(client_for, setting):
    answer = client_for("officer_a").get(
        f"/api/v1/consultations/{setting.consultation.pk}/comments.csv", HTTP_ACCEPT="text/csv"
    )
    assert answer.status_code == 200
    assert len(rows_of(answer)) == 3


def test_the_export_runs_a_constant_number_of_queries(client_for, setting):
    client = client_for("officer_a")
    counts = []
    for extra in (0, 30):
        for _n in range(extra):
            comment = CommentFactory(
                consultation=setting.consultation,
                organisation=ProviderFactory(),
                cosigners=[setting.network_member],
            )
            ResponseFactory(comment=comment)
        policies.forget_standing(setting.people["officer_a"])
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(f"/api/v1/consultations/{setting.consultation.pk}/comments.csv")
        assert answer.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 12
