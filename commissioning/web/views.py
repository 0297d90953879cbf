"""The pages every role shares: choosing the organisation to act for."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning import policies
from commissioning.errors import Forbidden
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
