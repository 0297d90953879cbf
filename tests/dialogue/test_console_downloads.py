"""The console's downloads of the comments: CSV in the reader's language (semicolons for sv
and nb, commas for en, UTF-8 with a byte-order mark) and XLSX, opened back with the csv module
and openpyxl."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.dialogue.response_factories import scene
from tests.pages import signed_in


@pytest.fixture
def setting(world):
    return scene(world)


def download(setting, suffix, actor="officer_a", language="en"):
    client = signed_in(setting, actor)
    client.cookies["django_language"] = language
    return client.get(f"/consultations/{setting.consultation.pk}/comments.{suffix}")


@pytest.mark.parametrize(("language", "delimiter"), [("en", ","), ("sv", ";"), ("nb", ";")])
def test_the_csv_is_separated_as_the_readers_spreadsheet_expects(setting, language, delimiter):
    answer = download(setting, "csv", language=language)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")
    body = answer.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
    assert len(rows) == 4  # the header and three comments
    assert all(len(row) == 13 for row in rows)
    assert any("Vårdcentralen behöver öppet till 19:00" in row[8] for row in rows)
    other = ";" if delimiter == "," else ","
    assert len(next(csv.reader(io.StringIO(body), delimiter=other))) == 1


def test_the_xlsx_opens_with_the_rows(setting):
    answer = download(setting, "xlsx")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == (
        f'attachment; filename="consultation-{setting.consultation.pk}-comments.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "comment id"
    assert len(rows) == 4
    by_id = {row[0]: row for row in rows[1:]}
    provider = by_id[str(setting.provider_comment.pk)]
    assert provider[10] == "Accepted"
    assert provider[11] == "We extend the opening hours to 19:00."


def test_a_provider_downloads_only_what_it_sees(setting):
    rows = list(
        load_workbook(
            io.BytesIO(download(setting, "xlsx", "provider_in_a").content)
        ).active.iter_rows(values_only=True)
    )
    # Private until the close: its own two comments, no draft response.
    assert len(rows) == 3
    assert all(row[10] in ("", None) for row in rows[1:])


def test_another_purchasers_manager_gets_nothing(setting):
    assert download(setting, "csv", "manager_b").status_code == 404
    assert download(setting, "xlsx", "manager_b").status_code == 404
