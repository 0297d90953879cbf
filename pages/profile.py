"""The person's own page: their name, email addresses (changed with verification on
django-allauth's page), the language and time zone they read in, their calendar feed's
address, their API tokens, their memberships, and the way to their password and two-factor
settings. Reachable from the header of every page.

Every write goes through a service that records an Event: commissioning.services.profiles
(name, language, time zone), dialogue.services.calendar (the feed), accounts.services.tokens
(tokens). A new token's secret is shown once, in the answer to the form that made it: it is
never stored, not even in the session for a redirect."""

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors.tokens import tokens_of
from accounts.services.tokens import NAME_MAX_LENGTH as TOKEN_NAME_MAX_LENGTH
from accounts.services.tokens import create_api_token, revoke_api_token
from commissioning.errors import NotFound, RuleViolation
from commissioning.languages import language_of_country
from commissioning.models import Profile, Programme
from commissioning.services.profiles import NAME_MAX_LENGTH, rename_person, set_preferences
from commissioning.web.acting import memberships_of, page
from commissioning.web.forms import show_refusal
from dialogue.selectors.calendar import feed_of
from dialogue.services.calendar import get_or_create_calendar_feed, reset_calendar_feed

# The zones people of the product's countries and their neighbours live in; the service
# takes any name of the tz database (a person's zone outside this list stays offered).
COMMON_TIME_ZONES = [
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Atlantic/Reykjavik",
    "UTC",
]


class NameForm(forms.Form):
    first_name = forms.CharField(
        label=gettext_lazy("First name"), max_length=NAME_MAX_LENGTH, required=False
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"), max_length=NAME_MAX_LENGTH, required=False
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Times on every page are shown in this zone."),
    )

    def __init__(self, *args, country_language: str, current_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        country_name = dict(Programme.Language.choices)[country_language]
        self.fields["language"].choices = [
            (
                "",
                _("My organisation's country's (%(language)s)") % {"language": country_name},
            ),
            *Programme.Language.choices,
        ]
        zones = list(COMMON_TIME_ZONES)
        if current_zone and current_zone not in zones:
            zones.append(current_zone)
        self.fields["time_zone"].choices = [
            ("", _("The installation's (%(zone)s)") % {"zone": settings.TIME_ZONE}),
            *((zone, zone.replace("_", " ")) for zone in zones),
        ]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text=gettext_lazy("Where it is used, e.g. “Reporting script”."),
    )


# --- what the page reads ----------------------------------------------------------------


def _memberships(request) -> list:
    return list(memberships_of(request.user).select_related("organisation"))


def _preferences_form(request, memberships, data=None) -> PreferencesForm:
    profile = Profile.objects.filter(person=request.user).first()
    language, zone = (profile.language, profile.time_zone) if profile else ("", "")
    country = memberships[0].organisation.country if memberships else None
    return PreferencesForm(
        data,
        initial={"language": language, "time_zone": zone},
        country_language=language_of_country(country),
        current_zone=zone,
    )


def render_profile(request, status=200, **bound):
    person = request.user
    memberships = _memberships(request)
    feed = feed_of(person=person)
    context = {
        "name_form": bound.get("name_form")
        or NameForm(initial={"first_name": person.first_name, "last_name": person.last_name}),
        "preferences_form": bound.get("preferences_form")
        or _preferences_form(request, memberships),
        "token_form": bound.get("token_form") or TokenForm(),
        "email_addresses": list(EmailAddress.objects.filter(user=person).order_by("-primary")),
        "feed": feed,
        "feed_url": request.build_absolute_uri(
            reverse("calendar-feed-ics", kwargs={"token": feed.token})
        )
        if feed
        else None,
        "tokens": list(tokens_of(person=person)),
        "memberships": memberships,
    }
    return render(request, "pages/profile.html", context, status=status)


# --- pages ------------------------------------------------------------------------------


@require_GET
@page
def profile(request):
    return render_profile(request)


@require_POST
@page
def change_name(request):
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            rename_person(actor=request.user, **form.cleaned_data)
        except RuleViolation as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your name is saved."))
            return redirect(reverse("profile") + "#name-heading")
    return render_profile(request, status=400, name_form=form)


@require_POST
@page
def change_preferences(request):
    form = _preferences_form(request, _memberships(request), data=request.POST)
    if form.is_valid():
        try:
            profile = set_preferences(actor=request.user, **form.cleaned_data)
        except RuleViolation as error:
            show_refusal(form, error)
        else:
            # Said in the language just chosen, which the next page is in.
            with translation.override(profile.language or translation.get_language()):
                messages.success(request, _("Your language and time zone are saved."))
            return redirect(reverse("profile") + "#preferences-heading")
    return render_profile(request, status=400, preferences_form=form)


@require_POST
@page
def create_token(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = create_api_token(actor=request.user, name=form.cleaned_data["name"])
        except RuleViolation as error:
            show_refusal(form, error)
        else:
            return render(
                request, "pages/profile_new_token.html", {"token": token, "secret": secret}
            )
    return render_profile(request, status=400, token_form=form)


@require_http_methods(["GET", "POST"])
@page
def revoke_token(request, token_id):
    """A confirmation first: a script that uses the token stops working at once."""
    token = tokens_of(person=request.user).filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("There is no such API token of yours; it may be revoked already."))
    if request.method == "POST":
        revoke_api_token(actor=request.user, token_id=token.id)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect(reverse("profile") + "#tokens-heading")
    return render(request, "pages/profile_revoke_token.html", {"token": token})


@require_POST
@page
def make_calendar_feed(request):
    get_or_create_calendar_feed(actor=request.user)
    return redirect(reverse("profile") + "#calendar-heading")


@require_POST
@page
def reset_feed(request):
    reset_calendar_feed(actor=request.user)
    messages.success(
        request,
        _("Your calendar feed has a new address; the old one no longer works. Subscribe again."),
    )
    return redirect(reverse("profile") + "#calendar-heading")
