"""The test session's OpenID Connect provider (tests/oidc_provider) and its people."""

import re
from urllib.parse import urljoin, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialApp

from accounts.models import IdentityProviderRule
from tests.factories import PurchaserFactory
from tests.oidc_provider.server import Client, OidcProvider, User

PASSWORD = "provider-password-1"
# People the identity provider knows: staff of Region Alpha with addresses the provider
# has verified, one whose address it has not, and one at a domain no rule allows.
ALMA = User("alma", PASSWORD, "alma.berg@region-alpha.se", "Alma", "Berg")
NILS = User("nils", PASSWORD, "nils.dahl@region-alpha.se", "Nils", "Dahl")
UNVERIFIED = User("ulla", PASSWORD, "ulla.ek@region-alpha.se", "Ulla", "Ek", email_verified=False)
OUTSIDER = User("otto", PASSWORD, "otto@elsewhere.example", "Otto", "Olsen")


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    provider = OidcProvider(tmp_path_factory.mktemp("oidc-provider"))
    provider.start()
    try:
        provider.seed(users=[ALMA, NILS, UNVERIFIED, OUTSIDER])
        yield provider
    finally:
        provider.stop()


# The product's identity providers in these tests, as an administrator would add them: a
# SocialApp per provider id, each registered at the test provider as one client.
CLIENT_ID = "commissioning-dialogue"
CLIENT_SECRET = "commissioning-dialogue-secret"
PROVIDER_IDS = ("region-alpha", "region-alpha-by-localhost", "region-beta")


@pytest.fixture(scope="session")
def provider_client(oidc_provider, live_server):
    """The product registered at the provider: its allauth callbacks are the redirect URIs,
    its sign-in page the address to come back to after signing out there."""
    client = Client(
        CLIENT_ID,
        CLIENT_SECRET,
        [
            f"{live_server.url}/account/oidc/{provider_id}/login/callback/"
            for provider_id in PROVIDER_IDS
        ],
        [f"{live_server.url}/sign-in/"],
    )
    oidc_provider.seed(clients=[client])
    return client


@pytest.fixture
def region_alpha(transactional_db):
    return PurchaserFactory(name="Region Alpha", country="SE")


@pytest.fixture
def add_identity_provider(oidc_provider, provider_client):
    """add_identity_provider(provider_id=..., **rule) -> the SocialApp, configured as the
    README tells an administrator to, with its rule."""

    def add(
        *,
        provider_id="region-alpha",
        name="Region Alpha",
        server_url=None,
        allowed_email_domains="region-alpha.se",
        with_rule=True,
        **rule,
    ):
        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id=provider_id,
            name=name,
            client_id=provider_client.client_id,
            secret=provider_client.client_secret,
            settings={"server_url": server_url or oidc_provider.issuer, "oauth_pkce_enabled": True},
        )
        if with_rule:
            IdentityProviderRule.objects.create(
                app=app, allowed_email_domains=allowed_email_domains, **rule
            )
        return app

    return add


@pytest.fixture
def visitor(live_server):
    """A person's browser as an HTTP client: it keeps cookies and follows redirects one by
    one, filling in the provider's own login form when it is shown."""
    return Visitor(live_server.url)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    def __init__(self, product: str, language: str = "en"):
        self.product = product
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = language

    def get(self, path: str) -> requests.Response:
        return self.session.get(urljoin(self.product, path), timeout=20)

    def post_form(self, url: str, page: requests.Response, data: dict | None = None):
        """Post a form of `page` with its CSRF token, as the browser would."""
        token = CSRF.search(page.text).group(1)
        return self.session.post(
            url,
            data={"csrfmiddlewaretoken": token, **(data or {})},
            headers={"Referer": page.url},
            allow_redirects=False,
            timeout=20,
        )

    def sign_in_with(self, provider_id: str, user: User | None, on_callback=None, **query):
        """Follow "Sign in with …" from the sign-in page, sign in at the provider as `user`
        (None: the provider still knows the person), and follow the redirects back.
        `on_callback(url)` is called just before the browser returns to the product's
        callback with the code."""
        page = self.get("/sign-in/")
        link = re.search(rf'href="(/account/oidc/{provider_id}/login/[^"]*)"', page.text)
        url = urljoin(
            self.product, link.group(1) if link else f"/account/oidc/{provider_id}/login/"
        )
        answer = self.session.get(url, params=query, allow_redirects=False, timeout=20)
        return self.follow(answer, user, on_callback)

    def forget_provider(self) -> None:
        """Lose the provider's session cookies, as a new browser would have none."""
        for cookie in [c for c in self.session.cookies if c.name.startswith("provider_")]:
            self.session.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def sign_in_with_password(self, username: str, password: str) -> requests.Response:
        page = self.get("/sign-in/")
        answer = self.post_form(
            urljoin(self.product, "/sign-in/"), page, {"login": username, "password": password}
        )
        return self.follow(answer)

    def follow(self, answer, user: User | None = None, on_callback=None) -> requests.Response:
        for _ in range(20):
            if answer.is_redirect:
                url = urljoin(answer.url, answer.headers["Location"])
                if on_callback and "/login/callback/" in url:
                    on_callback(url)
                answer = self.session.get(url, allow_redirects=False, timeout=20)
            elif at_provider_login(answer) and user is not None:
                answer = self.post_form(
                    answer.url, answer, {"username": user.username, "password": user.password}
                )
                user = None  # once: a second login form means the password was refused
            else:
                return answer
        raise AssertionError(f"more than 20 redirects, last at {answer.url}")

    def sign_out(self) -> requests.Response:
        home = self.get("/")
        answer = self.post_form(urljoin(self.product, "/sign-out/"), home)
        return answer


def at_provider_login(answer: requests.Response) -> bool:
    return answer.status_code == 200 and urlparse(answer.url).path == "/login/"
