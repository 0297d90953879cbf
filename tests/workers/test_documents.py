"""Ordering and rendering the four kinds of PDF document, in-process: what each contains
(read back from the PDF), in which language, and that the same inputs are rendered once."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from commissioning.errors import Forbidden, RuleViolation
from commissioning.models import Event
from tests.dialogue import response_factories
from tests.workers.document_factories import PROGRAMME_NAME, SWEDISH_COMMENT, document_scene
from tests.workers.pulse_factories import PulseAnswerFactory, TrustPulseFactory
from workers.documents import pdf, render
from workers.documents.orders import order_document
from workers.models import Document

Kind = Document.Kind


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return document_scene(world)


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs actually rendered."""
    calls = []
    real = pdf.write_pdf

    def counting(html, **options):
        calls.append(html)
        return real(html, **options)

    monkeypatch.setattr(pdf, "write_pdf", counting)
    return calls


@pytest.fixture
def order(scene, django_capture_on_commit_callbacks):
    """Order as officer A; the (eager) render runs when the order commits."""

    def make(kind, subject, language="sv", actor="officer_a", acting_for=None):
        with django_capture_on_commit_callbacks(execute=True):
            document, _created = order_document(
                actor=scene.people[actor],
                acting_for=acting_for or scene.purchaser_a,
                kind=kind,
                subject=subject,
                language=language,
            )
        document.refresh_from_db()
        return document

    return make


def text_of(document: Document) -> str:
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == document.pages
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_briefing_names_the_programme_and_quotes_a_swedish_comment(scene, order):
    text = text_of(order(Kind.BRIEFING, scene.programme_a))
    assert PROGRAMME_NAME in text
    assert SWEDISH_COMMENT in text
    assert "Tidig dialog med utförare [spärrande]" in text  # the gating milestone is marked
    assert "Sida 2 / " in text  # page numbers, after the cover, in Swedish


def test_briefing_in_norwegian_has_norwegian_labels_dates_and_numbers(scene, order):
    text = text_of(order(Kind.BRIEFING, scene.programme_a, language="nb"))
    assert "Planlagt vedtaksdato: 15. mars 2027" in text
    assert "Offentlig" in text
    assert "Privat" in text
    assert "Ideell" in text
    assert "33,3" in text  # one of three comments answered, with a decimal comma
    assert "Target decision date" not in text


def test_briefing_in_english_has_english_labels_and_dates(scene, order):
    text = text_of(order(Kind.BRIEFING, scene.programme_a, language="en"))
    assert "Target decision date: 15 March 2027" in text
    assert "Public" in text
    assert "Private" in text
    assert "Non-profit" in text
    assert "33.3%" in text
    assert "Planlagt vedtaksdato" not in text


def test_meeting_summary_has_agenda_share_attendance_decisions_and_actions(scene, order):
    text = text_of(order(Kind.MEETING_SUMMARY, scene.meeting))
    assert "Öppettider i glesbygd" in text
    assert "Lägesbild" in text
    assert "33,3" in text  # 30 of 90 minutes were dialogue
    assert "Provider in A" in text  # attendance
    assert "Försöket med kvällsöppet förlängs." in text
    assert "Skicka förslag på öppettider" in text
    assert "Vi talade om kvällsöppet." in text  # the minutes


def test_consultation_report_says_who_said_what_and_what_was_done(scene, order):
    text = text_of(order(Kind.CONSULTATION_REPORT, scene.consultation))
    assert SWEDISH_COMMENT in text
    assert "We extend the opening hours to 19:00." in text  # the response
    assert "medundertecknad av Network member" in text  # the network speaks with one voice
    assert "Report every quarter, not every month." in text
    assert "17:00 19:00" in text  # the word diff of the changed clause


def test_contract_summary_has_parties_versions_obligations_and_milestones(scene, order):
    text = text_of(order(Kind.CONTRACT_SUMMARY, scene.contract))
    assert "Närvårdsavtal" in text
    assert "Provider in A" in text
    assert "1 200 000" in text  # the value, grouped the Swedish way
    assert "Quarterly activity report" in text
    assert "Avtalsstart" in text


def test_the_same_inputs_give_the_same_document_rendered_once(scene, order, renders):
    first = order(Kind.BRIEFING, scene.programme_a)
    again = order(Kind.BRIEFING, scene.programme_a)
    assert again.id == first.id
    assert len(renders) == 1
    assert Document.objects.count() == 1
    assert Event.objects.filter(verb="document.ordered").count() == 2


def test_changed_inputs_give_a_new_document(scene, order, renders):
    first = order(Kind.BRIEFING, scene.programme_a)
    response_factories.CommentFactory(
        consultation=scene.consultation,
        organisation=scene.provider_in_a,
        text="Ny synpunkt om väntetider i Älvdalen.",
    )
    second = order(Kind.BRIEFING, scene.programme_a)
    assert second.id != first.id
    assert second.inputs_hash != first.inputs_hash
    assert "Ny synpunkt om väntetider i Älvdalen." in text_of(second)
    assert len(renders) == 2


def test_another_language_is_another_document(scene, order):
    assert (
        order(Kind.BRIEFING, scene.programme_a, "sv").id
        != order(Kind.BRIEFING, scene.programme_a, "en").id
    )


def test_a_failed_document_is_queued_again_when_ordered_again(scene, order, monkeypatch):
    def broken(html, **options):
        raise MemoryError("out of memory")

    monkeypatch.setattr(pdf, "write_pdf", broken)
    failed = order(Kind.CONTRACT_SUMMARY, scene.contract)
    assert failed.status == Document.Status.FAILED
    assert "out of memory" in failed.error
    monkeypatch.undo()
    retried = order(Kind.CONTRACT_SUMMARY, scene.contract)
    assert retried.id == failed.id
    assert retried.status == Document.Status.DONE
    assert retried.error == ""


def test_a_redelivered_task_for_a_done_document_does_nothing(scene, order, renders):
    document = order(Kind.CONTRACT_SUMMARY, scene.contract)
    checksum = document.checksum
    render.render_document.apply(args=[document.id])
    document.refresh_from_db()
    assert len(renders) == 1
    assert document.checksum == checksum


def test_a_document_left_running_is_rendered_again_into_one_file(scene, order, settings):
    document = order(Kind.CONTRACT_SUMMARY, scene.contract)
    # As if the worker was killed after writing the file, before marking the row done.
    Document.objects.filter(pk=document.pk).update(status=Document.Status.RUNNING, progress=50)
    render.render_document.apply(args=[document.id])
    render.render_document.apply(args=[document.id])
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert document.progress == 100
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")]
    assert [str(p.relative_to(settings.MEDIA_ROOT)) for p in files] == [document.file.name]
    assert document.size == files[0].stat().st_size


@pytest.mark.parametrize("actor", ["politician_a", "provider_in_a"])
def test_only_the_purchasers_staff_order_documents(scene, order, actor):
    acting_for = scene.political_body_a if actor == "politician_a" else scene.provider_in_a
    with pytest.raises(Forbidden):
        order(Kind.BRIEFING, scene.programme_a, actor=actor, acting_for=acting_for)
    assert not Document.objects.exists()


def test_a_kind_that_does_not_fit_the_subject_is_refused(scene, order):
    with pytest.raises(RuleViolation):
        order(Kind.BRIEFING, scene.meeting)
    assert not Document.objects.exists()


def test_a_language_other_than_sv_nb_en_is_refused(scene, order):
    with pytest.raises(RuleViolation):
        order(Kind.BRIEFING, scene.programme_a, language="de")
    assert not Document.objects.exists()


def answer_pulses(scene, count: int, score: int, free_text: str = "") -> None:
    for _n in range(count):
        PulseAnswerFactory(
            pulse=TrustPulseFactory(
                purchaser=scene.purchaser_a,
                organisation=scene.provider_in_a,
                programme=scene.programme_a,
            ),
            involved_early=score,
            room_for_dialogue=score,
            open_about_finances=score,
            equal_treatment=score,
            good_faith=score,
            free_text=free_text,
        )


def test_the_briefing_shows_the_trust_trend_from_three_answers(scene, order):
    answer_pulses(scene, 3, 4, free_text="Bättre dialog än förra året.")
    document = order(Kind.BRIEFING, scene.programme_a, language="en")
    text = text_of(document)
    assert "Trust pulses per quarter" in text
    assert "4.0" in text
    assert "Bättre dialog än förra året." in text
    assert "No trust figures yet." not in text
    assert "Trust per quarter (1–5)" in text  # the chart's title, drawn as SVG


def test_the_briefing_shows_no_trust_figure_for_fewer_than_three_answers(scene, order):
    answer_pulses(scene, 2, 5, free_text="Hemlig kommentar.")
    text = text_of(order(Kind.BRIEFING, scene.programme_a, language="en"))
    assert "too few answers" in text
    assert "5.0" not in text
    assert "Hemlig kommentar." not in text
    assert "Trust per quarter (1–5)" not in text


def test_the_briefing_says_there_are_no_trust_figures_without_pulses(scene, order):
    text = text_of(order(Kind.BRIEFING, scene.programme_a, language="en"))
    assert "No trust figures yet." in text


def test_charts_carry_no_script_so_the_pages_csp_has_nothing_to_refuse():
    from workers.charts import line_chart

    svg = line_chart(
        title="Dialogue share",
        labels=["2026-Q1", "2026-Q2"],
        series={"x": [0.3, 0.5]},
        range_=(0, 1),
    )
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "Dialogue share" in svg
