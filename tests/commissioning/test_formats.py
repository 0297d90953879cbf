"""One style of dates, times and percentages per language, in pages, emails and PDFs alike:
Django's formats (config/formats/, what templates' |date:"DATE_FORMAT" and
|date:"DATETIME_FORMAT" write) give the same text as the PDFs' Babel filters
(workers/templatetags/document_format.py), and the pages' percentages are Babel's."""

import datetime
import zoneinfo

import pytest
from django.utils import formats, translation

from commissioning.templatetags.pages import percent
from workers.templatetags.document_format import fdate, fdatetime

MOMENT = datetime.datetime(2026, 12, 4, 21, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))

EXPECTED = {
    "sv": ("4 december 2026", "4 december 2026 21:30", "100\xa0%"),
    "nb": ("4. desember 2026", "4. desember 2026, 21:30", "100\xa0%"),
    "en": ("4 December 2026", "4 December 2026, 21:30", "100%"),
}


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_pages_and_pdfs_write_dates_and_percentages_alike(language):
    date_text, datetime_text, percent_text = EXPECTED[language]
    with translation.override(language):
        assert formats.date_format(MOMENT.date(), "DATE_FORMAT") == date_text
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == datetime_text
        assert fdate(MOMENT) == date_text
        assert fdatetime(MOMENT, "Europe/Stockholm") == datetime_text
        assert percent(1) == percent_text


def test_no_template_writes_a_date_in_a_style_of_its_own():
    """Every |date in the templates names one of the formats (DATE_FORMAT, …) or a part
    that has no order to get wrong (a weekday, a month and year): never "j F Y" spelled out,
    which is right in one language only."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = re.compile(r'\|date:"(?:[A-Z_]+_FORMAT|l)"')
    found = []
    for template in root.glob("*/templates/**/*.*"):
        for match in re.finditer(r'\|date:"[^"]*"', template.read_text()):
            if not allowed.fullmatch(match.group(0)):
                found.append(f"{template.relative_to(root)}: {match.group(0)}")
    assert found == []
