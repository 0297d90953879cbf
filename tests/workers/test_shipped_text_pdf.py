"""The briefing PDF of a programme planned from the Swedish care-choice template names its
milestones in the document's language (commissioning/shipped.py), read back with pdftotext as
a reader gets it."""

import pytest

from commissioning.models import Programme
from commissioning.services import milestones
from tests.workers.test_pdf_words_and_tags import (
    Kind,
    order,
    pdftotext,
    scene,  # noqa: F401 (the fixture)
)
from tests.workers.test_pdf_words_and_tags import pytestmark as needs_pdftotext

pytestmark = needs_pdftotext

IN_LANGUAGE = {
    "sv": ["Regelboken kungjord innan den börjar gälla", "Politiskt beslut om regelboken"],
    "nb": ["Regelboken kunngjort før den trer i kraft", "Politisk vedtak om regelboken"],
    "en": ["Rulebook announced before it takes effect", "Political decision on the rulebook"],
}


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_the_briefing_names_the_template_milestones_in_its_language(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
    language,
):
    programme = scene.programme_a
    programme.framework = Programme.Framework.SE_CARE_CHOICE
    programme.save()
    milestones.apply_template(
        actor=scene.people["officer_a"],
        acting_for=scene.purchaser_a,
        programme=programme,
        contract=None,
    )
    text = pdftotext(order(scene, django_capture_on_commit_callbacks, Kind.BRIEFING, language))
    for title in IN_LANGUAGE[language]:
        assert title in text
    if language != "en":
        assert "Rulebook announced" not in text
    assert "Remissvaren sammanställda" in text  # a milestone typed by hand, as typed
