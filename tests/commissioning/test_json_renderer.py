"""The API's JSON renderer (orjson) writes the bytes DRF's own JSONRenderer writes."""

import datetime
import decimal
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from commissioning.api.renderers import FastJSONRenderer
from commissioning.models import Organisation

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

SAMPLES = {
    "a page": {
        "count": 2,
        "next": None,
        "previous": "https://dialogue.example.org/api/v1/comments/?page=1",
        "results": ReturnList(
            [
                ReturnDict(
                    {"id": 1, "body_html": "<p>Vårdgivaren <em>ska</em></p>"}, serializer=None
                ),
                ReturnDict({"id": 2, "answered": None, "ok": True, "share": 0.25}, serializer=None),
            ],
            serializer=None,
        ),
    },
    "text a browser's script would break on": {"text": "one\u2028two\u2029three \"'<>&"},
    "non-ASCII and emoji": {"nb": "Særlig æøå", "sv": "Åtgärd", "emoji": "✅ 🚑"},
    "datetimes as DRF writes them": {
        "utc": datetime.datetime(2026, 5, 4, 15, 0, 0, 123456, tzinfo=datetime.UTC),
        "local": datetime.datetime(2026, 5, 4, 17, 0, tzinfo=STOCKHOLM),
        "date": datetime.date(2026, 2, 28),
        "time": datetime.time(9, 30, 15, 999999),
        "duration": datetime.timedelta(hours=1, minutes=30),
    },
    "what only DRF's encoder knows": {
        "lazy": gettext_lazy("Unknown field; remove it or check its spelling."),
        "decimal": decimal.Decimal("12.50"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "bytes": b"raw",
    },
    "choices and whole-number keys": {
        "kind": Organisation.Kind.PROVIDER,
        7: "seven",
        "nested": [[[]], {}, [1, -2, 2**63 - 1]],
    },
    "a number beyond 64 bits": {"big": 2**70},
    "a bare list": [1, "two", None],
}


@pytest.mark.parametrize("data", SAMPLES.values(), ids=SAMPLES.keys())
def test_the_same_bytes_as_drf(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_an_indent_asked_for_is_honoured_as_drf_does():
    data = {"a": [1, 2], "b": {"c": "ø"}}
    media_type = "application/json; indent=2"
    rendered = FastJSONRenderer().render(data, media_type)
    assert rendered == JSONRenderer().render(data, media_type)
    assert b'\n  "a"' in rendered


def test_nothing_renders_as_nothing():
    assert FastJSONRenderer().render(None) == b""


def test_it_is_the_api_default():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0] == (
        "commissioning.api.renderers.FastJSONRenderer"
    )
