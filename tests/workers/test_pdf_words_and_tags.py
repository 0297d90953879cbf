"""Every kind of PDF document in Swedish, Norwegian Bokmål and English, read back as a reader
gets it (pdftotext, from poppler-utils) and as a screen reader gets it (the tag tree, read
with pypdf): no code of a choices list, no English template text in sv and nb, a withdrawn
comment never shown as live, milestones with their due dates, times as people write them,
headings from user text below the document's own, and tagged PDF/UA output (language, title,
bookmarks, a described figure for each chart, tables with header cells)."""

import datetime
import logging
import re
import shutil
import zoneinfo
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from pypdf import PdfReader

from commissioning.models import Event, Milestone, MilestoneKind, Organisation, Programme
from commissioning.services.events import record_event
from contracts.models import Contract, ContractParty, Obligation, RulebookVersion
from dialogue.models import (
    ActionItem,
    AgendaItem,
    AttendanceEntry,
    Comment,
    Consultation,
    Meeting,
    Response,
)
from dialogue.selectors import dialogue_share
from pages.dashboard import share_chart
from tests.dialogue import response_factories
from tests.dialogue.meeting_factories import MinutesRevisionFactory
from tests.workers.document_factories import MilestoneFactory, crowd_comments, document_scene
from tests.workers.pdf_text import pdf_pages, pdf_text
from tests.workers.pulse_factories import PulseAnswerFactory, TrustPulseFactory
from workers.documents import render
from workers.documents.orders import order_document
from workers.models import Document

Kind = Document.Kind
LANGUAGES = ["sv", "nb", "en"]
TEMPLATES = Path(__file__).resolve().parents[2] / "workers" / "templates" / "workers" / "pdf"
PYTHON_SOURCES = [
    Path(render.__file__),
    Path(render.__file__).with_name("content.py"),
    Path(render.__file__).with_name("rulebook_content.py"),
    Path(render.__file__).parents[1] / "charts.py",
]
CHOICES = [
    Response.Outcome,
    Comment.Kind,
    Comment.Status,
    Consultation.Status,
    Meeting.Status,
    AttendanceEntry.Status,
    AgendaItem.Kind,
    ActionItem.Status,
    Milestone.Status,
    MilestoneKind,
    Contract.Status,
    Contract.Kind,
    ContractParty.Role,
    Obligation.Cadence,
    RulebookVersion.Status,
    Programme.Phase,
    Programme.Framework,
    Organisation.Kind,
    Organisation.Ownership,
]
# What the next version did to a clause (dialogue.selectors.consultation_summary).
CHANGES = ["unchanged", "changed", "moved", "removed"]
# Codes that are also words of the language itself ("private tjenesteytere").
NATIVE_WORDS = {"sv": set(), "nb": {"private"}, "en": set()}
SHARE_DESCRIPTION = (
    "%(title)s. %(figures)s. A dashed line marks one third, the share below which a "
    "meeting is information-heavy."
)
WITHDRAWN_TEXT = "Återkallad synpunkt om parkeringen vid vårdcentralen."
MINUTES_HEADING = "Rubrik ur protokollet"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document_scene(world)
    consultation = world.consultation
    response_factories.CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        clause=response_factories.clause(consultation, "1"),
        status=Comment.Status.WITHDRAWN,
        withdrawn_at=timezone.now() - datetime.timedelta(hours=2),
        text=WITHDRAWN_TEXT,
    )
    response_factories.ResponseFactory(
        comment=world.network_comment,
        outcome=Response.Outcome.NOT_ACCEPTED,
        reason="Månadsrapporteringen behålls under första året.",
    )
    response_factories.ResponseFactory(
        comment=world.general_comment,
        outcome=Response.Outcome.NOTED,
        reason="Beslutet fattas i mars.",
    )
    MilestoneFactory(
        programme=world.programme_a, title="Remissvaren sammanställda", due_offset_days=-30
    )
    with transaction.atomic():  # the contract's history: one Event, named in words
        record_event(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            verb="contract.signed",
            subject=world.contract,
            after={"status": Contract.Status.SIGNED},
            purchaser=world.purchaser_a,
        )
    meeting = world.meeting
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    meeting.starts_at = datetime.datetime(2026, 11, 24, 13, 0, tzinfo=stockholm)
    meeting.ends_at = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=stockholm)
    meeting.time_zone = "Europe/Stockholm"
    meeting.save()
    MinutesRevisionFactory(
        meeting=meeting,
        number=2,
        text=f"# {MINUTES_HEADING}\n\nVi talade om kvällsöppet.\n\n## Nästa steg\n\nUtskick.",
    )
    for _n in range(3):
        PulseAnswerFactory(
            pulse=TrustPulseFactory(
                purchaser=world.purchaser_a,
                organisation=world.provider_in_a,
                programme=world.programme_a,
            ),
            **dict.fromkeys(
                [
                    "involved_early",
                    "room_for_dialogue",
                    "open_about_finances",
                    "equal_treatment",
                    "good_faith",
                ],
                4,
            ),
        )
    return world


def subject_of(scene, kind):
    consulted = scene.consultation.rulebook_version
    next_version = RulebookVersion.objects.get(rulebook=consulted.rulebook, based_on=consulted)
    return {
        Kind.MEETING_SUMMARY: scene.meeting,
        Kind.CONSULTATION_REPORT: scene.consultation,
        Kind.CONTRACT_SUMMARY: scene.contract,
        Kind.BRIEFING: scene.programme_a,
        Kind.RULEBOOK_VERSION: consulted,
        Kind.RULEBOOK_REDLINE: next_version,
    }[kind]


def order(scene, capture, kind, language) -> Document:
    subject = subject_of(scene, kind)
    with capture(execute=True):
        document, _created = order_document(
            actor=scene.people["officer_a"],
            acting_for=scene.purchaser_a,
            kind=kind,
            subject=subject,
            language=language,
            compared_with=subject.based_on if kind == Kind.RULEBOOK_REDLINE else None,
        )
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    return document


def pdftotext(document: Document) -> str:
    return pdf_text(document.file.path)


def user_text() -> str:
    """Everything people typed that the scene holds (free-text fields, not choices): a word
    of it in a PDF is theirs, not a code or a template's English."""
    found = []
    for model in apps.get_models():
        apps_of_people = {"commissioning", "contracts", "dialogue", "workers"}
        if model._meta.app_label not in apps_of_people and model is not get_user_model():
            continue
        if model in (Event, Document):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                found.extend(str(value) for value in row if value)
    return " \n ".join(found)


def english_template_strings() -> set[str]:
    """The English text of the templates and builders (their msgids, split at placeholders)
    and the English labels of every choices list the documents show."""
    found: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        source = path.read_text()
        found.update(re.findall(r'\{%\s*trans\s+"([^"]+)"', source))
        for block in re.findall(r"\{%\s*blocktrans[^%]*%\}(.*?)\{%\s*endblocktrans", source, re.S):
            found.add(block)
    for path in PYTHON_SOURCES:
        found.update(re.findall(r'(?:gettext_lazy|gettext|_)\(\s*"([^"]+)"', path.read_text()))
    with override("en"):
        for choices in CHOICES:
            found.update(str(label) for _value, label in choices.choices)
    return found


def fragments(msgid: str) -> list[str]:
    """The literal parts of a msgid, between its placeholders."""
    parts = re.split(r"\{\{[^}]*\}\}|%\([a-z_]+\)[sd]|%[sd]", msgid)
    return [p.strip(" .,:;()–-") for p in parts if p.strip(" .,:;()–-")]


def appears(phrase: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", Kind.values)
def test_every_pdf_speaks_the_readers_language_without_codes(
    scene, django_capture_on_commit_callbacks, kind, language
):
    document = order(scene, django_capture_on_commit_callbacks, kind, language)
    print(f"\nPAGES {kind} {language} {document.pages}")
    text = pdftotext(document)
    typed = user_text()
    codes = {value for choices in CHOICES for value in choices.values} | set(CHANGES)
    leaked = sorted(
        code
        for code in codes
        if appears(code, text)
        and not appears(code, typed)
        and code not in NATIVE_WORDS[language]
        and ("_" in code or code != code.lower() or language != "en")
    )
    assert leaked == [], f"codes in the {language} {kind}: {leaked}"
    assert re.findall(r"\b[a-z]+\.[a-z_]+\b", text) == []  # no event verb (contract.signed)
    if language != "en":
        english = []
        with override(language):
            for msgid in english_template_strings():
                translated = gettext(msgid)
                for part in fragments(msgid):
                    if (
                        part not in translated
                        and part not in fragments(translated)
                        and appears(part, text)
                        and not appears(part, typed)
                    ):
                        english.append(part)
        assert sorted(set(english)) == [], f"English template text in the {language} {kind}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_withdrawn_comment_is_counted_and_never_shown_as_live(
    scene, django_capture_on_commit_callbacks, language
):
    for kind in (Kind.BRIEFING, Kind.CONSULTATION_REPORT):
        text = pdftotext(order(scene, django_capture_on_commit_callbacks, kind, language))
        assert WITHDRAWN_TEXT not in text
        with override(language):
            note = gettext(
                "Comments withdrawn by the organisations that wrote them (not shown): %(count)s."
            ) % {"count": 1}
        assert note in text


def test_milestones_show_their_due_dates_relative_ones_included(
    scene, django_capture_on_commit_callbacks
):
    text = pdftotext(order(scene, django_capture_on_commit_callbacks, Kind.BRIEFING, "nb"))
    # 30 days before the target decision date (15 March 2027): the API's effective_due_date.
    assert "Remissvaren sammanställda Involvering 13. februar 2027" in text
    assert "Fase" in text
    assert "Planlagt vedtaksdato" in text
    assert "planlagt vedtaksdato" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_one_page_meeting_summary_has_no_cover_and_writes_times_as_people_do(
    scene, django_capture_on_commit_callbacks, language
):
    document = order(scene, django_capture_on_commit_callbacks, Kind.MEETING_SUMMARY, language)
    text = pdftotext(document)
    assert document.pages <= 2
    with override(language):
        assert gettext("Contents") not in text
    assert "13:00–15:00" in text
    assert "13:00:00" not in text


def test_a_long_briefing_has_a_cover_and_contents(scene, django_capture_on_commit_callbacks):
    crowd_comments(scene, 40)
    document = order(scene, django_capture_on_commit_callbacks, Kind.BRIEFING, "sv")
    assert document.pages > render.FRONT_MATTER_FROM_PAGES
    pages = pdf_pages(document.file.path)
    cover, contents, *body = (" ".join(page.split()) for page in pages[: document.pages])
    assert "Politikerunderlag" in cover
    assert "Innehåll" in contents
    assert "Sida" not in cover + contents  # the front matter carries no page number
    # The contents give the page each section starts on, as the pages are numbered.
    heading = "Vad vårdgivarna sa och vad som gjordes"
    listed = re.search(re.escape(heading) + r"[ .]*(\d+)", contents)
    assert listed is not None, contents
    starts = next(page for page in body if heading in page)
    assert f"Sida {listed.group(1)} / {len(body)}" in starts, contents


def test_headings_from_minutes_and_comments_sit_below_the_documents_own(
    scene, django_capture_on_commit_callbacks
):
    document = order(scene, django_capture_on_commit_callbacks, Kind.MEETING_SUMMARY, "sv")
    html = render.render_html(document, render.build_data_of(document))
    minutes = html[html.index('id="minutes"') :]
    assert f"<h3>{MINUTES_HEADING}</h3>" in minutes  # under the section's h2
    assert "<h4>Nästa steg</h4>" in minutes
    assert "<h1" not in minutes
    assert "<h2>" not in minutes[minutes.index("</h2>") :]

    response_factories.CommentFactory(
        consultation=scene.consultation,
        organisation=scene.provider_in_a,
        clause=response_factories.clause(scene.consultation, "3"),
        text="# Vår invändning\n\nRapporteringen tar för mycket tid.",
    )
    document = order(scene, django_capture_on_commit_callbacks, Kind.CONSULTATION_REPORT, "sv")
    html = render.render_html(document, render.build_data_of(document))
    assert "<h4>Vår invändning</h4>" in html  # under the clause's h3
    assert "<h1>Vår invändning" not in html


def bookmark_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles.extend(bookmark_titles(entry) if isinstance(entry, list) else [entry.title])
    return titles


def struct_elements(reader: PdfReader) -> list:
    """The structure elements of the tag tree, in reading order."""

    def walk(node) -> list:
        kids = node.get("/K")
        if kids is None:
            return []
        kids = kids.get_object()
        found = []
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if hasattr(kid, "get") and kid.get("/S") is not None:
                found += [kid, *walk(kid)]
        return found

    return walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", Kind.values)
def test_every_pdf_is_tagged_for_a_screen_reader(
    scene, django_capture_on_commit_callbacks, caplog, kind, language
):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        document = order(scene, django_capture_on_commit_callbacks, kind, language)
    # WeasyPrint says what PDF/UA lacks (no lang, a figure without alt text) as it writes.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    reader = PdfReader(document.file.path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == language
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    with override(language):
        title = str(render.KIND_TITLES[kind])
    assert reader.metadata.title.startswith(title)
    with override(language):
        sections = [str(heading) for _anchor, heading in render.SECTIONS[kind]]
    bookmarks = bookmark_titles(reader.outline)
    assert bookmarks[0] == title  # the h1, then the document's own headings
    assert set(sections) <= set(bookmarks), bookmarks
    elements = struct_elements(reader)
    tags = [str(e["/S"]) for e in elements]
    assert "/H1" in tags
    assert "/H2" in tags
    assert "/TH" in tags
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert cells
    assert all(len(e["/A"].get("/Headers", [])) > 0 for e in cells)  # each under its header
    figures = [e for e in elements if e["/S"] == "/Figure"]
    charts = 2 if kind == Kind.BRIEFING else 0
    assert len(figures) == charts
    for figure in figures:
        alt = str(figure["/Alt"])
        assert re.search(r"\d", alt), alt  # the figures in words, not only a title
    if kind == Kind.BRIEFING:
        share, trust = (str(f["/Alt"]) for f in figures)
        with override(language):
            assert share.startswith(gettext("Dialogue share per quarter"))
            rule = fragments(gettext(SHARE_DESCRIPTION))[-1]
            assert trust.startswith(gettext("Trust per quarter (1–5)"))
        assert rule in share  # the one-third line, said
        assert re.search(r"\d{4}-Q\d: 33[.,]3", share)  # the quarter's share
        assert re.search(r"\d{4}-Q\d: 4[.,]0", trust)  # a statement's mean


def test_every_dialogue_share_chart_draws_the_one_third_line(
    scene, django_capture_on_commit_callbacks
):
    shares = dialogue_share.quarterly_series(Meeting.objects.filter(programme=scene.programme_a))
    with override("en"):
        dashboard = share_chart(shares)
    document = order(scene, django_capture_on_commit_callbacks, Kind.BRIEFING, "sv")
    briefing = render.render_html(document, render.build_data_of(document))
    for svg, one_third in ((dashboard, "33%"), (briefing, "33,3")):
        assert svg.count('class="threshold"') == 1  # the line, across the plot
        assert re.search(r"<text[^>]*>" + re.escape(one_third), svg)  # labelled on the axis
