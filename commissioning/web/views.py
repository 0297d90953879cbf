"""The pages every role shares: choosing the organisation to act for, and the language
switch of the header."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from commissioning import policies
from commissioning.errors import Forbidden
from commissioning.languages import SUPPORTED_LANGUAGES
from commissioning.services.profiles import set_preferences
from commissioning.web.acting import SESSION_KEY, page


@require_POST
@page
def choose_organisation(request):
    try:
        chosen = int(request.POST.get("organisation", ""))
    except ValueError:
        chosen = None
    if chosen not in policies.standing_of(request.user).organisations:
        raise Forbidden(
            _("Choose one of your own organisations from the list."), code="not_a_member"
        )
    request.session[SESSION_KEY] = chosen
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "home"
    return redirect(back)


def switch_language(request):
    """Django's set_language (the cookie, then back to the page), and for a signed-in
    person also their profile's language: the profile's choice wins on every page
    (PersonalPreferencesMiddleware), so a switch kept in the cookie alone would be undone on
    the next page; and someone who picks a language while signed in means it for their
    emails and PDFs too."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in SUPPORTED_LANGUAGES
    ):
        set_preferences(actor=request.user, language=language)
    return response
