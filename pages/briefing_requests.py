"""Asking for a briefing: a politician who finds none (or wants one in another language) sees
who to ask, the purchaser's officers and managers by name, and asks them in a form; the
request is an Event and a notice to the officers (workers.documents.briefing_requests,
notifications.occasions.briefings). The purchaser's staff see the open requests, on the
briefings page and on the programme's, each with the order form set to its language;
ordering the briefing closes the request."""

from django import forms
from django.utils.translation import gettext_lazy

from commissioning import policies
from commissioning.models import Membership, Organisation, Programme
from commissioning.web.acting import allowed
from workers.documents.briefing_requests import NOTE_LENGTH
from workers.models import BriefingRequest

OPEN = BriefingRequest.Status.OPEN


class RequestBriefingForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the briefing"), choices=Programme.Language.choices
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the officers (optional)"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "ask")
        super().__init__(*args, **kwargs)


def who_to_ask(person, purchaser: Organisation) -> list[dict]:
    """The purchaser's officers and managers by name, those the person may see, officers
    first."""
    visible = policies.visible_people(person).values("pk")
    memberships = (
        Membership.objects.filter(
            organisation=purchaser,
            role__in=[Membership.Role.OFFICER, Membership.Role.MANAGER],
            person__is_active=True,
            person__in=visible,
        )
        .select_related("person")
        .order_by("-role", "person__last_name", "person__first_name", "person_id")
    )
    return [
        {
            "name": m.person.get_full_name() or m.person.username,
            "role": m.get_role_display(),
        }
        for m in memberships
    ]


def request_context(
    request, purchaser: Organisation, programme: Programme, language: str, form=None
) -> dict:
    """What the programme's overview shows of requests: for a politician who may ask, who to
    ask, the form and their own open requests; for the purchaser's staff, the open requests."""
    person = request.user
    may_ask = allowed(policies.require_overseeing_politician, person, request.acting_for, purchaser)
    open_requests = list(
        policies.visible_briefing_requests(person)
        .filter(programme=programme, status=OPEN)
        .select_related("requested_by", "acting_for")
        .order_by("created_at", "id")
    )
    context = {"may_ask": may_ask, "open_requests": open_requests}
    if may_ask:
        context["who_to_ask"] = who_to_ask(person, purchaser)
        context["request_form"] = form or RequestBriefingForm(initial={"language": language})
    return context


def requested_language(request, programme: Programme) -> str | None:
    """The language of the open request the officer came to order (?request=), if any."""
    request_id = request.GET.get("request", "")
    if not request_id.isdigit():
        return None
    row = (
        policies.visible_briefing_requests(request.user)
        .filter(pk=request_id, programme=programme, status=OPEN)
        .first()
    )
    return row.language if row else None


def purchaser_requests(person, purchaser: Organisation) -> list[BriefingRequest]:
    """The open requests of the purchaser's programmes, for its staff's briefings page."""
    return list(
        policies.visible_briefing_requests(person)
        .filter(purchaser=purchaser, purchaser__in=policies.standing_of(person).staff_purchasers)
        .filter(status=OPEN)
        .select_related("programme", "requested_by", "acting_for")
        .order_by("created_at", "id")
    )
