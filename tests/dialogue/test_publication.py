"""What is published without sign-in (dialogue/selectors/publication.py): a public,
closed consultation on a rulebook, on its own page, in its purchaser's Atom feed and as OCDS
release packages (valid offline against the shared OCDS 1.1.5 schema); every submitted
comment with its organisation and the responses; nothing unpublished, no withdrawn comment,
no person's name or email address."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from dialogue.models import Comment
from tests.commissioning.test_ocds import validator  # noqa: F401 (a fixture)
from tests.dialogue.response_factories import (
    CommentFactory,
    ConsultationFactory,
    close,
    next_version,
    scene,
)
from tests.pages import text

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(world):
    scene(world)
    world.withdrawn = CommentFactory(
        consultation=world.consultation,
        organisation=world.provider_in_a,
        text="Taken back before the close.",
        status=Comment.Status.WITHDRAWN,
    )
    next_version(world.consultation, changes={"2": "The centre is open 08:00 to 19:00."})
    close(world.consultation)
    return world


def unmasked(response) -> tuple[int, str]:
    """The status and the page's message (the rest differs only by the address and the
    freshly masked CSRF token)."""
    return response.status_code, re.search(r"<main.*</main>", text(response)).group(0)


def page_of(consultation):
    return Client().get(f"/public/consultations/{consultation.pk}/")


def test_a_public_closed_consultation_is_read_without_sign_in(published):
    response = page_of(published.consultation)
    assert response.status_code == 200
    page = text(response)
    assert "Vårdcentralen behöver öppet till 19:00 för föräldrar." in page
    assert "Provider in A" in page
    assert "Co-signed by" in page
    assert published.network_member.name in page
    assert "response:</strong> Accepted</p>" in page  # the outcome in words, not a code
    assert "In the next version:</strong> changed" in page
    assert "Taken back before the close." not in page


def test_no_persons_name_or_address_is_published(published):
    page = text(page_of(published.consultation))
    for person in published.people.values():
        assert person.email not in page
        assert person.username not in page
        if person.get_full_name():
            assert person.get_full_name() not in page


def test_an_open_or_private_consultation_answers_as_if_it_did_not_exist(world):
    scene(world)
    missing = Client().get("/public/consultations/999999/")
    assert missing.status_code == 404
    still_open = page_of(world.consultation)
    assert still_open.status_code == 404
    assert unmasked(still_open) == unmasked(missing)
    close(world.consultation)
    world.consultation.public = False
    world.consultation.save()
    assert unmasked(page_of(world.consultation)) == unmasked(missing)
    listing = Client().get("/public/consultations/")
    assert world.consultation.title not in text(listing)
    assert Client().get(f"/public/purchasers/{world.purchaser_a.pk}/ocds/").status_code == 404


def test_the_list_names_what_is_published_and_filters_by_purchaser(published):
    listing = text(Client().get(f"/public/consultations/?purchaser={published.purchaser_a.pk}"))
    assert published.consultation.title in listing
    assert "Rows 1–1 of 1" in listing
    other = Client().get(f"/public/consultations/?purchaser={published.purchaser_b.pk}")
    assert other.status_code == 400  # B has published nothing: not a choice of the filter


def test_the_purchasers_atom_feed_lists_the_published_consultation(published):
    response = Client().get(f"/public/purchasers/{published.purchaser_a.pk}/consultations.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [published.consultation.title]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/public/consultations/{published.consultation.pk}/")
    assert "3 comments" in entries[0].find(f"{ATOM}summary").text


def test_a_feed_of_an_organisation_that_is_no_purchaser_is_not_found(published):
    provider = Client().get(f"/public/purchasers/{published.provider_in_a.pk}/consultations.atom")
    assert provider.status_code == 404


def test_the_ocds_publication_validates_and_names_organisations_only(published, validator):  # noqa: F811
    response = Client().get(f"/public/purchasers/{published.purchaser_a.pk}/ocds/")
    assert response.status_code == 200
    package = response.json()
    errors = sorted(validator.iter_errors(package), key=str)
    assert errors == []
    (release,) = package["releases"]
    assert release["tag"] == ["planningUpdate"]
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles["Region A"] == ["buyer", "procuringEntity"]
    assert roles["Provider in A"] == ["interestedParty"]
    assert roles[published.network_member.name] == ["interestedParty"]
    (milestone,) = release["planning"]["milestones"]
    assert milestone["type"] == "engagement"
    assert milestone["status"] == "met"
    document = release["planning"]["documents"][0]
    assert document["documentType"] == "hearingNotice"
    assert document["url"].endswith(f"/public/consultations/{published.consultation.pk}/")
    assert "Link" not in response


def test_the_ocds_publication_pages_with_a_link_header(published, monkeypatch):
    from dialogue.web import public

    second = scene_copy(published)
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    first = Client().get(f"/public/purchasers/{published.purchaser_a.pk}/ocds/")
    assert first["Link"].endswith('?page=2>; rel="next"')
    last = Client().get(f"/public/purchasers/{published.purchaser_a.pk}/ocds/?page=2")
    assert last.status_code == 200
    assert "Link" not in last
    ids = {first.json()["releases"][0]["id"], last.json()["releases"][0]["id"]}
    assert ids == {
        f"ocds-commissioning-{published.programme_a.pk}-consultation-{c.pk}"
        for c in (published.consultation, second)
    }
    assert (
        Client().get(f"/public/purchasers/{published.purchaser_a.pk}/ocds/?page=3").status_code
        == 404
    )


def scene_copy(world):
    """A second published consultation of the same programme, on the same version."""
    first = world.consultation
    second = ConsultationFactory(programme=first.programme, rulebook_version=first.rulebook_version)
    CommentFactory(consultation=second, organisation=world.provider_in_a)
    return close(second)
