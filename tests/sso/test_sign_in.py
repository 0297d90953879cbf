"""Single sign-on with OpenID Connect, driven over HTTP through the real provider of the test
session (tests/oidc_provider): the product's live server, the provider's own login form, the
authorisation code with PKCE, the token and userinfo requests, and the product's rules."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from accounts.models import Invitation
from commissioning.models import Event, Membership
from tests.factories import MembershipFactory, PersonFactory
from tests.sso.conftest import ALMA, NILS, OUTSIDER, UNVERIFIED, Visitor

Role = Membership.Role


def person_with_address(email: str, *, verified: bool = True, organisation=None):
    person = PersonFactory(username=email.split("@")[0], email=email)
    EmailAddress.objects.create(user=person, email=email, verified=verified, primary=True)
    if organisation is not None:
        MembershipFactory(person=person, organisation=organisation, role=Role.OFFICER)
    return person


def signed_in_as(visitor):
    """The home page as the visitor sees it, or None when the product asks them to sign in."""
    home = visitor.get("/")
    if "/sign-in/" in home.url:
        return None
    return home


class HiddenFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value") or ""


def confirm_fields(page) -> dict:
    """The provider's "Confirm logout" form as its Logout button posts it."""
    parser = HiddenFields()
    parser.feed(page.text)
    return {**parser.fields, "allow": "Logout"}


def test_the_sign_in_page_offers_each_configured_provider(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider(provider_id="region-alpha", name="Region Alpha")
    add_identity_provider(provider_id="region-beta", name="Region Beta")
    add_identity_provider(
        provider_id="region-alpha-by-localhost", name="Half done", with_rule=False
    )

    page = visitor.get("/sign-in/")

    assert "Sign in with Region Alpha" in page.text
    assert "Sign in with Region Beta" in page.text
    # A provider whose rule is not written yet is neither offered nor reachable.
    assert "Half done" not in page.text
    assert visitor.get("/account/oidc/region-alpha-by-localhost/login/").status_code == 404


def test_first_sign_in_links_the_person_with_that_verified_address_using_pkce(
    region_alpha, add_identity_provider, visitor, oidc_provider
):
    add_identity_provider()
    alma = person_with_address(ALMA.email, organisation=region_alpha)
    grants = []

    def read_the_grant(callback_url):
        (code,) = parse_qs(urlparse(callback_url).query)["code"]
        grants.extend(
            oidc_provider.query(
                "SELECT code_challenge_method FROM oauth2_provider_grant WHERE code = ?", code
            )
        )

    landed = visitor.sign_in_with("region-alpha", ALMA, on_callback=read_the_grant)

    assert landed.status_code == 200
    assert urlparse(landed.url).path == "/"
    assert [grant["code_challenge_method"] for grant in grants] == ["S256"]
    account = SocialAccount.objects.get(provider="region-alpha")
    assert account.user == alma
    # The token endpoint's ID token and the userinfo endpoint both answered.
    assert account.extra_data["id_token"]["iss"] == oidc_provider.issuer
    assert account.extra_data["userinfo"]["email"] == ALMA.email
    assert Event.objects.filter(verb="identity.linked", actor=alma).count() == 1
    # The code was used once: the provider keeps no grant for it.
    assert not oidc_provider.query("SELECT id FROM oauth2_provider_grant")

    visitor.sign_out()
    assert signed_in_as(visitor) is None
    again = visitor.sign_in_with("region-alpha", ALMA)
    assert urlparse(again.url).path == "/"
    assert SocialAccount.objects.filter(user=alma).count() == 1
    assert Event.objects.filter(verb="identity.linked").count() == 1


def test_an_address_not_verified_here_is_not_linked(region_alpha, add_identity_provider, visitor):
    add_identity_provider()
    person_with_address(ALMA.email, verified=False, organisation=region_alpha)

    refused = visitor.sign_in_with("region-alpha", ALMA)

    assert refused.status_code == 403
    assert "No account here has the address alma.berg@region-alpha.se" in refused.text
    assert not SocialAccount.objects.exists()
    assert signed_in_as(visitor) is None


def test_an_address_the_provider_did_not_verify_is_not_linked(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider(grants_membership=True, organisation=region_alpha, role=Role.OFFICER)
    person_with_address(UNVERIFIED.email, organisation=region_alpha)

    refused = visitor.sign_in_with("region-alpha", UNVERIFIED)

    assert refused.status_code == 403
    assert "did not confirm that ulla.ek@region-alpha.se is your address" in refused.text
    assert not SocialAccount.objects.exists()
    assert not Event.objects.exists()


def test_a_provider_named_the_authority_for_its_domains_links_without_the_claim(
    region_alpha, add_identity_provider, visitor
):
    # As Feide, whose email_verified is always false: the administrator names no claim.
    add_identity_provider(email_verified_claim="")
    ulla = person_with_address(UNVERIFIED.email, organisation=region_alpha)

    landed = visitor.sign_in_with("region-alpha", UNVERIFIED)

    assert urlparse(landed.url).path == "/"
    assert SocialAccount.objects.get().user == ulla


def test_first_sign_in_accepts_the_pending_invitation_for_the_address(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider()
    invitation = Invitation.objects.create(
        email=NILS.email.upper(),
        organisation=region_alpha,
        role=Role.MANAGER,
        expires_at=datetime.now(UTC) + timedelta(days=7),
    )

    landed = visitor.sign_in_with("region-alpha", NILS)

    assert urlparse(landed.url).path == "/"
    nils = get_user_model().objects.get(email=NILS.email)
    assert (nils.first_name, nils.last_name, nils.has_usable_password()) == ("Nils", "Dahl", False)
    assert EmailAddress.objects.get(user=nils).verified
    assert list(Membership.objects.filter(person=nils).values_list("organisation", "role")) == [
        (region_alpha.pk, Role.MANAGER)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_by == nils
    assert set(Event.objects.values_list("verb", flat=True)) == {
        "person.created",
        "identity.linked",
        "membership.created",
        "invitation.accepted",
    }


def test_a_revoked_or_expired_invitation_grants_nothing(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider()
    now = datetime.now(UTC)
    Invitation.objects.create(
        email=NILS.email,
        organisation=region_alpha,
        role=Role.MANAGER,
        expires_at=now - timedelta(minutes=1),
    )
    Invitation.objects.create(
        email=NILS.email,
        organisation=region_alpha,
        role=Role.OFFICER,
        expires_at=now + timedelta(days=7),
        revoked_at=now,
    )

    refused = visitor.sign_in_with("region-alpha", NILS)

    assert refused.status_code == 403
    assert "nobody has invited it" in refused.text
    assert not get_user_model().objects.filter(email=NILS.email).exists()
    assert not Membership.objects.exists()


def test_a_rule_that_grants_makes_a_new_person_a_member_of_its_organisation(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider(grants_membership=True, organisation=region_alpha, role=Role.OFFICER)

    landed = visitor.sign_in_with("region-alpha", NILS)

    assert urlparse(landed.url).path == "/"
    nils = get_user_model().objects.get(email=NILS.email)
    assert list(
        Membership.objects.filter(person=nils).values_list("organisation", "role", "is_admin")
    ) == [(region_alpha.pk, Role.OFFICER, False)]


def test_without_an_account_invitation_or_granting_rule_nobody_is_made(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider(grants_membership=False)

    refused = visitor.sign_in_with("region-alpha", NILS)

    assert refused.status_code == 403
    assert "No account here has the address nils.dahl@region-alpha.se" in refused.text
    assert not get_user_model().objects.filter(email=NILS.email).exists()
    assert not Membership.objects.exists()
    assert not Event.objects.exists()
    assert signed_in_as(visitor) is None


def test_an_address_outside_the_allowed_domains_is_refused_in_the_persons_language(
    region_alpha, add_identity_provider, live_server
):
    add_identity_provider(grants_membership=True, organisation=region_alpha, role=Role.OFFICER)
    # Even a person here with that verified address is not signed in through this provider.
    person_with_address(OUTSIDER.email, organisation=region_alpha)
    visitor = Visitor(live_server.url, language="sv")

    refused = visitor.sign_in_with("region-alpha", OUTSIDER)

    assert refused.status_code == 403
    assert '<html lang="sv">' in refused.text
    assert "Region Alpha loggar bara in personer med en adress på region-alpha.se" in refused.text
    assert not SocialAccount.objects.exists()
    assert Membership.objects.count() == 1
    assert not Event.objects.exists()


def test_an_id_token_from_another_issuer_than_the_configured_one_is_refused(
    region_alpha, add_identity_provider, live_server, oidc_provider
):
    # The administrator wrote the provider's address with another host name: its discovery
    # document and its ID tokens name the issuer http://127.0.0.1:<port>/o, not this one.
    add_identity_provider(
        provider_id="region-alpha-by-localhost",
        server_url=f"http://localhost:{oidc_provider.port}/o",
    )
    person_with_address(ALMA.email, organisation=region_alpha)
    visitor = Visitor(live_server.url, language="nb")

    refused = visitor.sign_in_with("region-alpha-by-localhost", ALMA)

    assert refused.status_code == 403
    assert '<html lang="nb">' in refused.text
    assert (
        "fra en annen identitetsleverandør enn den som er satt opp som Region Alpha" in refused.text
    )
    assert not SocialAccount.objects.exists()
    assert signed_in_as(visitor) is None


def test_signing_out_ends_the_products_session_and_leaves_the_providers(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider(sign_out_at_provider=False)
    person_with_address(ALMA.email, organisation=region_alpha)
    visitor.sign_in_with("region-alpha", ALMA)

    signed_out = visitor.sign_out()

    assert urlparse(signed_out.headers["Location"]).path == "/sign-in/"
    assert signed_in_as(visitor) is None
    # The provider still knows the person: signing in again needs no password there.
    again = visitor.sign_in_with("region-alpha", user=None)
    assert urlparse(again.url).path == "/"


def test_signing_out_ends_the_providers_session_too_when_the_rule_says_so(
    region_alpha, add_identity_provider, visitor, oidc_provider
):
    add_identity_provider(sign_out_at_provider=True)
    person_with_address(ALMA.email, organisation=region_alpha)
    visitor.sign_in_with("region-alpha", ALMA)

    signed_out = visitor.sign_out()

    end_session = urlparse(signed_out.headers["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == (
        f"{oidc_provider.issuer}/logout/"
    )
    assert signed_in_as(visitor) is None
    # Without an ID token to hint with, the provider asks the person to confirm.
    confirm = visitor.follow(signed_out)
    assert confirm.status_code == 200
    assert urlparse(confirm.url).path == "/o/logout/"
    back = visitor.follow(visitor.post_form(confirm.url, confirm, confirm_fields(confirm)))
    assert urlparse(back.url).path == "/sign-in/"
    # The provider asks for the password again.
    at_provider = visitor.sign_in_with("region-alpha", user=None)
    assert at_provider.status_code == 200
    assert urlparse(at_provider.url).path == "/login/"


def test_a_signed_in_person_connects_only_an_identity_with_their_own_verified_address(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider()
    alma = person_with_address(ALMA.email, organisation=region_alpha)
    alma.set_password("alma-password-1")
    alma.save()
    visitor.sign_in_with_password(alma.username, "alma-password-1")

    refused = visitor.sign_in_with("region-alpha", NILS, process="connect")

    assert refused.status_code == 403
    assert "which is not a verified address of your account here" in refused.text
    assert not SocialAccount.objects.exists()

    visitor.forget_provider()
    connected = visitor.sign_in_with("region-alpha", ALMA, process="connect")
    assert connected.status_code == 200
    assert SocialAccount.objects.get().user == alma


def test_a_linked_person_with_no_membership_left_is_not_signed_in(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider(grants_membership=True, organisation=region_alpha, role=Role.OFFICER)
    person_with_address(ALMA.email)  # their membership was ended

    refused = visitor.sign_in_with("region-alpha", ALMA)

    assert refused.status_code == 403
    assert "no longer belongs to any organisation" in refused.text
    # The rule makes new people members, never gives an ended membership back.
    assert not Membership.objects.exists()
    assert signed_in_as(visitor) is None


def test_an_invitation_to_a_role_the_person_has_gives_the_admin_right_it_carries(
    region_alpha, add_identity_provider, visitor
):
    add_identity_provider()
    alma = person_with_address(ALMA.email, organisation=region_alpha)
    invitation = Invitation.objects.create(
        email=ALMA.email,
        organisation=region_alpha,
        role=Role.OFFICER,
        is_admin=True,
        expires_at=datetime.now(UTC) + timedelta(days=7),
    )

    landed = visitor.sign_in_with("region-alpha", ALMA)

    assert urlparse(landed.url).path == "/"
    membership = Membership.objects.get(person=alma)
    assert (membership.role, membership.is_admin) == (Role.OFFICER, True)
    invitation.refresh_from_db()
    assert invitation.accepted_by == alma
