"""The administrator configures identity providers in the admin site: allauth's SocialApp
with the rule of what the provider may do beside it, checked before anything is saved."""

import json

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from accounts.models import IdentityProviderRule
from commissioning.models import Membership
from tests.factories import PersonFactory, ProviderFactory, PurchaserFactory

ADD = "/admin/socialaccount/socialapp/add/"
ENTRA = "https://login.microsoftonline.com/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/v2.0"


@pytest.fixture
def administrator(client, db):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


def provider_form(*, settings=None, rule=None, provider_id="nhs-trust") -> dict:
    form = {
        "provider": "openid_connect",
        "provider_id": provider_id,
        "name": "NHS Trust",
        "client_id": "a1b2c3",
        "secret": "entra-client-secret",
        "key": "",
        "settings": json.dumps(
            settings if settings is not None else {"server_url": ENTRA, "oauth_pkce_enabled": True}
        ),
        "identity_provider_rule-TOTAL_FORMS": "1",
        "identity_provider_rule-INITIAL_FORMS": "0",
        "identity_provider_rule-MIN_NUM_FORMS": "0",
        "identity_provider_rule-MAX_NUM_FORMS": "1",
    }
    rule = {
        "allowed_email_domains": "nhs.net\nexample-trust.nhs.uk",
        "email_verified_claim": "xms_edov",
        **(rule or {}),
    }
    form.update({f"identity_provider_rule-0-{name}": value for name, value in rule.items()})
    return form


def test_the_administrator_adds_a_provider_with_its_rule(administrator):
    trust = PurchaserFactory(name="Example ICB", country="GB")

    answer = administrator.post(
        ADD,
        provider_form(
            rule={"grants_membership": "on", "organisation": trust.pk, "role": "officer"}
        ),
    )

    assert answer.status_code == 302
    app = SocialApp.objects.get(provider_id="nhs-trust")
    assert app.settings == {"server_url": ENTRA, "oauth_pkce_enabled": True}
    rule = IdentityProviderRule.objects.get(app=app)
    assert rule.domains == {"nhs.net", "example-trust.nhs.uk"}
    assert (rule.organisation, rule.role, rule.email_verified_claim) == (
        trust,
        Membership.Role.OFFICER,
        "xms_edov",
    )
    assert "Sign in with NHS Trust" in Client().get("/sign-in/").text


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"oauth_pkce_enabled": True}, "Give the provider&#x27;s issuer"),
        ({"server_url": ENTRA, "oauth_pkce_enabled": False}, "PKCE cannot be turned off"),
    ],
)
def test_a_provider_without_its_issuer_or_with_pkce_off_is_not_saved(
    administrator, settings, message
):
    answer = administrator.post(ADD, provider_form(settings=settings))

    assert answer.status_code == 200
    assert message in answer.text
    assert not SocialApp.objects.exists()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"allowed_email_domains": "nhs.net\n@@not a domain"}, "Not a domain: not a domain"),
        ({"allowed_email_domains": " "}, "Name at least one domain"),
        ({"grants_membership": "on", "role": "officer"}, "Choose the organisation"),
        ({"role": "officer"}, "An organisation and role are given only to new people"),
    ],
)
def test_a_rule_that_says_something_impossible_is_not_saved(administrator, rule, message):
    answer = administrator.post(ADD, provider_form(rule=rule))

    assert answer.status_code == 200
    assert message in answer.text
    assert not IdentityProviderRule.objects.exists()
    assert not SocialApp.objects.exists()


def test_a_rule_grants_only_a_role_the_organisation_has(administrator):
    provider = ProviderFactory(name="Care AB")

    answer = administrator.post(
        ADD,
        provider_form(
            rule={"grants_membership": "on", "organisation": provider.pk, "role": "manager"}
        ),
    )

    assert answer.status_code == 200
    assert "has no such role; choose one of: Provider representative" in answer.text
    assert not SocialApp.objects.exists()


def test_the_identity_provider_pages_are_for_the_administrator_only(client, db):
    client.force_login(PersonFactory(is_staff=False))

    answer = client.get(ADD)

    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/login/")
