"""Swedish and Norwegian users read every message in their language: the catalogues have no
untranslated or fuzzy entry, and placeholders survive translation."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "commissioning" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def forms(value):
    return [v for v in value if v] if isinstance(value, tuple | list) else [value]


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_message_is_translated(language):
    messages = [m for m in catalogue(language) if m.id]
    assert len(messages) > 500
    untranslated = [m.id for m in messages if not all(forms(m.string)) or not m.string]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_translations_keep_their_placeholders(language):
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        source = sorted(PLACEHOLDER.findall(forms(message.id)[0]))
        for translated in forms(message.string):
            if sorted(set(PLACEHOLDER.findall(translated))) != sorted(set(source)):
                wrong.append(message.id)
    assert wrong == []
