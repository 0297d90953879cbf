"""Text the product ships as data, shown in the reader's language.

The milestone templates are rows a data migration writes (SOURCES), in English, which an
administrator may then edit. Their words are product text, like a page's: each is a msgid
of the catalogues in commissioning/locale/ (sv and nb, tests/commissioning/test_shipped_text.py
checks that none is missing), resolved when it is shown, in the language of the page, the
email or the PDF being made. A row keeps what is stored: an administrator's or an officer's
edit is no shipped msgid and is shown as typed, and so is a milestone typed by hand (only
one planned from a template, `template_step` set, is shipped text while its words are the
template's).

Why gettext rather than a column a language (title_sv, title_nb): the translations live where
every other text of the product is translated, with the same completeness check; a language
added is a catalogue added, not a schema change; and an English edit of a template never
leaves a stale Swedish column behind it.

Trust pulse statements (workers.models.PulseAnswer.STATEMENTS) and the code lists' labels
(TextChoices) are gettext msgids in the code already."""

import importlib
from functools import cache

from django.utils.translation import gettext_lazy

# The data migrations that ship text; their TEMPLATES are read, never changed here.
SOURCES = ["commissioning.migrations.0004_milestone_templates"]


@cache
def shipped_texts() -> frozenset[str]:
    """Every text the SOURCES write: template names and descriptions, step titles,
    descriptions and rationales."""
    texts = set()
    for source in SOURCES:
        for template in importlib.import_module(source).TEMPLATES:
            texts |= {template["name"], template["description"]}
            for title, _kind, _gating, _applies_to, _offset, rationale in template["steps"]:
                texts |= {title, rationale}
    return frozenset(text for text in texts if text)


def in_readers_language(value: str):
    """`value` as the reader reads it: a shipped text becomes a lazy translation (resolved in
    the language active where it is rendered); anything else is returned as stored."""
    if value in shipped_texts():
        return gettext_lazy(value)
    return value


class ShownInReadersLanguage:
    """`shown_<field>` of a model with shipped text: the field in the reader's language
    (in_readers_language) when the row is shipped text, else as stored. A model names the
    attribute that must be set for it to be shipped (`shipped_if`: a milestone's link to
    its template step); a template's own rows need none."""

    shipped_if: str | None = None

    def _shown(self, field: str):
        value = getattr(self, field)
        if self.shipped_if is not None and getattr(self, self.shipped_if) is None:
            return value
        return in_readers_language(value)

    @property
    def shown_name(self):
        return self._shown("name")

    @property
    def shown_title(self):
        return self._shown("title")

    @property
    def shown_description(self):
        return self._shown("description")

    @property
    def shown_rationale(self):
        return self._shown("rationale")
