"""Data the product ships (the milestone templates a data migration writes) exists in sv, nb
and en and shows in the reader's language on pages and in emails; data people type stays as
typed (commissioning/shipped.py says why gettext at display time). The PDFs:
tests/workers/test_shipped_text_pdf.py."""

import datetime

import pytest
from babel.messages.pofile import read_po
from django.core import mail

from commissioning.models import Milestone, MilestoneTemplateStep, Profile, Programme
from commissioning.services import milestones
from commissioning.shipped import shipped_texts
from tests.commissioning.test_translations import LOCALE
from tests.factories import ProgrammeFactory
from tests.pages import signed_in, text
from tests.workers.pulse_factories import issued_pulse
from workers.reminders.deadlines import send_milestone_due_reminders

ANNOUNCED = "Rulebook announced before it takes effect"
IN_LANGUAGE = {
    "sv": "Regelboken kungjord innan den börjar gälla",
    "nb": "Regelboken kunngjort før den trer i kraft",
    "en": ANNOUNCED,
}
RATIONALE_SV = "Vårdgivarna behöver tid att anpassa sig till nya villkor innan de börjar gälla."


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_shipped_text_has_a_translation_in_the_catalogue(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    missing = [t for t in sorted(shipped_texts()) if not (m := catalogue.get(t)) or not m.string]
    assert missing == []
    assert len(shipped_texts()) > 60


def test_the_shipped_texts_are_the_templates_rows(db):
    stored = set(MilestoneTemplateStep.objects.values_list("title", flat=True))
    assert ANNOUNCED in stored
    assert stored <= shipped_texts()


@pytest.fixture
def planned(world):
    """The Swedish care-choice plan of a programme of purchaser A, from its template; the
    announcement falls due in ten days (30 days after the decision)."""
    today = datetime.date.today()
    programme = ProgrammeFactory(
        purchaser=world.purchaser_a,
        framework=Programme.Framework.SE_CARE_CHOICE,
        target_decision_date=today - datetime.timedelta(days=20),
    )
    milestones.apply_template(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        programme=programme,
        contract=None,
    )
    return Milestone.objects.get(programme=programme, title=ANNOUNCED)


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_a_milestone_planned_from_the_template_reads_in_the_readers_language(
    world, planned, language
):
    client = signed_in(world, "officer_a")
    page = text(client.get(f"/milestones/{planned.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    assert f"<h1>{IN_LANGUAGE[language]}</h1>" in page
    if language != "en":
        assert ANNOUNCED not in page
    if language == "sv":
        assert RATIONALE_SV in page
    listing = text(
        client.get(f"/milestones/?programme={planned.programme_id}", HTTP_ACCEPT_LANGUAGE=language)
    )
    assert IN_LANGUAGE[language] in listing


def test_a_milestone_whose_title_was_changed_keeps_the_words_typed(world, planned):
    Milestone.objects.filter(pk=planned.pk).update(title="Regelboken på webben")
    page = text(signed_in(world).get(f"/milestones/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="nb"))
    assert "<h1>Regelboken på webben</h1>" in page


def test_a_milestone_typed_by_hand_in_english_words_stays_as_typed(world, planned):
    typed = Milestone.objects.create(
        programme=planned.programme, title=ANNOUNCED, kind=planned.kind, position=99
    )
    page = text(signed_in(world).get(f"/milestones/{typed.pk}/", HTTP_ACCEPT_LANGUAGE="sv"))
    assert f"<h1>{ANNOUNCED}</h1>" in page


def test_the_due_reminder_names_the_milestone_in_each_readers_language(world, planned):
    Profile.objects.update_or_create(person=world.people["manager_a"], defaults={"language": "nb"})
    Profile.objects.update_or_create(person=world.people["officer_a"], defaults={"language": "sv"})
    mail.outbox.clear()
    assert send_milestone_due_reminders(today=datetime.date.today()) >= 2
    for actor, language in (("manager_a", "nb"), ("officer_a", "sv")):
        [message] = [
            m
            for m in mail.outbox
            if f"<{world.people[actor].email}>" in m.to[0] and IN_LANGUAGE[language] in m.subject
        ]
        assert IN_LANGUAGE[language] in message.body
        assert IN_LANGUAGE[language] in message.alternatives[0][0]
        assert ANNOUNCED not in message.body


@pytest.mark.parametrize(
    ("language", "statement"),
    [
        ("sv", "Vi involverades tillräckligt tidigt för att kunna påverka resultatet."),
        ("nb", "Vi ble involvert tidlig nok til å kunne påvirke resultatet."),
    ],
)
def test_the_trust_pulse_statements_read_in_the_pulses_language(client, db, language, statement):
    """The statements are gettext msgids in the code (workers.models.PulseAnswer)."""
    _pulse, token = issued_pulse(language=language)
    page = client.get(f"/pulse/{token}/").content.decode()
    assert statement in page
    assert "We were involved early enough" not in page


def test_a_refusal_names_the_template_in_the_readers_language(world, planned):
    client = signed_in(world, "officer_a")
    again = client.post(
        "/milestones/plan/", {"programme": planned.programme_id}, HTTP_ACCEPT_LANGUAGE="nb"
    )
    assert again.status_code == 409
    assert "Svensk fritt behandlingsvalg: revisjon av regelboken" in text(again)
