"""The test session's OpenID Connect provider (tests/oidc_provider) and its people."""

import pytest

from tests.oidc_provider.server import OidcProvider, User

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
