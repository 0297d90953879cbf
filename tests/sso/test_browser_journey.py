"""A person signs in through their region's identity provider in a real browser (Debian's
Chromium): the product's sign-in page, the provider's own login form, and back, signed in,
under the Content-Security-Policy of an HTTPS installation."""

import re
from urllib.parse import urlparse

from allauth.account.models import EmailAddress

from commissioning.models import Membership
from tests.browser.conftest import (  # noqa: F401 (the browser tests' fixture)
    assert_accessible,
    open_page,
)
from tests.factories import MembershipFactory, PersonFactory
from tests.sso.conftest import ALMA


def test_a_person_signs_in_through_the_providers_login_form(
    region_alpha,
    add_identity_provider,
    open_page,  # noqa: F811
    live_server,
):
    add_identity_provider(name="Region Alpha")
    alma = PersonFactory(username="alma", email=ALMA.email, first_name="Alma")
    EmailAddress.objects.create(user=alma, email=ALMA.email, verified=True, primary=True)
    MembershipFactory(person=alma, organisation=region_alpha, role=Membership.Role.OFFICER)
    page = open_page("sv")

    page.goto("/sign-in/")
    assert_accessible(page)
    page.get_by_role("link", name="Logga in med Region Alpha").click()
    page.wait_for_url(re.compile(r"/login/\?next="))
    page.get_by_label("Username").fill(ALMA.username)
    page.get_by_label("Password").fill(ALMA.password)
    page.get_by_role("button", name="Sign in at the identity provider").click()
    page.wait_for_url(lambda url: url.startswith(live_server.url))

    assert urlparse(page.url).path == "/"  # the product's home page
    assert page.get_by_role("button", name="Logga ut").is_visible()
