"""The politician's briefings: the programmes of the purchaser their political body oversees,
a one-page overview of each, and the latest briefing PDF in their language. The purchaser's
managers and officers see the same pages and order a new briefing, then watch its progress
(an htmx fragment polled every 2 s) until the download appears.

Providers asked for politicians who know the field (DESIGN.md); the briefing is how the
field reaches them. Reads go through the policy (visible_programmes, visible_documents …);
the order goes through workers.documents.orders.order_document, which refuses politicians (403).
"""

from django import forms
from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Forbidden, NotFound, RuleViolation
from commissioning.languages import chosen_language, language_of, language_of_country
from commissioning.models import Milestone, Organisation, Programme
from commissioning.web.acting import allowed, page
from commissioning.web.forms import show_refusal
from contracts.models import ContractVersion
from dialogue.selectors import dialogue_share
from dialogue.selectors.consultations import consultation_list
from pages.briefing_requests import (
    RequestBriefingForm,
    purchaser_requests,
    request_context,
    requested_language,
)
from workers.documents import content, orders
from workers.documents.briefing_requests import request_briefing
from workers.models import Document
from workers.selectors import documents as document_selectors
from workers.selectors.pulses import pulse_trend

BRIEFING = Document.Kind.BRIEFING


class OrderBriefingForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the briefing"), choices=Programme.Language.choices
    )


# --- what the pages read ----------------------------------------------------------------


def briefing_purchaser(request) -> Organisation:
    """The purchaser whose briefings the person reads as the organisation they act for: the
    purchaser itself for its staff, the overseen purchaser for a political body's members.
    Anyone else (a provider) is refused: briefings are for the purchaser's side."""
    acting_for = request.acting_for
    readable = policies.standing_of(request.user).readable_purchasers
    for candidate in (acting_for.id, acting_for.oversees_id):
        if candidate == acting_for.id and candidate in readable:
            return acting_for  # loaded by @page already
        if candidate is not None and candidate in readable:
            return Organisation.objects.get(pk=candidate)
    raise Forbidden(
        _(
            "Briefings are read by a purchaser's commissioning staff and by the politicians "
            "who oversee it; you act for %(organisation)s."
        )
        % {"organisation": acting_for.name},
        code="not_a_briefing_reader",
    )


def briefing_programmes(request, purchaser: Organisation):
    return policies.visible_programmes(request.user).filter(purchaser=purchaser)


def programme_for_briefing(request, programme_id) -> tuple[Organisation, Programme]:
    """The programme, if it is one of the purchaser's the person reads briefings of; 404
    otherwise (another purchaser's programme looks like a missing one)."""
    purchaser = briefing_purchaser(request)
    programme = policies.get_visible(
        briefing_programmes(request, purchaser).select_related("purchaser"), pk=programme_id
    )
    return purchaser, programme


def briefings_of(person, programme: Programme):
    return document_selectors.documents_of(person=person, kind=BRIEFING, subject=programme)


def latest_briefing(person, programme: Programme, language: str) -> Document | None:
    """The newest finished briefing in the reader's language, else the newest in any."""
    done = list(briefings_of(person, programme).filter(status=Document.Status.DONE)[:20])
    in_language = [d for d in done if d.language == language]
    return (in_language or done or [None])[0]


def default_order_language(person, purchaser: Organisation, programme: Programme) -> str:
    """The language the person ordering chose on their profile; else the language of the
    country of the political body that oversees the purchaser (who reads the briefing), else
    the programme's own."""
    chosen = chosen_language(person)
    if chosen is not None:
        return chosen
    body = (
        policies.visible_organisations(person)
        .filter(oversees=purchaser, kind=Organisation.Kind.POLITICAL_BODY)
        .order_by("id")
        .first()
    )
    if body is not None:
        return language_of_country(body.country)
    return content.default_language(programme)


def programme_contracts(person, programme: Programme) -> list:
    """The programme's contracts the person may see, each with its current terms (the latest
    version's title, period and value), in one query."""
    latest = ContractVersion.objects.filter(contract=OuterRef("pk")).order_by("-number")
    terms = {
        f"current_{field}": Subquery(latest.values(field)[:1])
        for field in ("title", "period_start", "period_end", "value", "currency")
    }
    return list(
        policies.visible_contracts(person)
        .filter(programme=programme)
        .annotate(**terms)
        .order_by("id")
    )


def overview_figures(person, programme: Programme) -> dict:
    """The one-page overview: milestones met and open, contracts, consultations, and the
    latest dialogue-share and trust figures."""
    counts = (
        policies.visible_milestones(person)
        .filter(programme=programme)
        .aggregate(
            met=Count("id", filter=Q(status=Milestone.Status.MET)),
            open=Count(
                "id", filter=Q(status__in=[Milestone.Status.PLANNED, Milestone.Status.MISSED])
            ),
            open_gating=Count(
                "id",
                filter=Q(
                    gating=True, status__in=[Milestone.Status.PLANNED, Milestone.Status.MISSED]
                ),
            ),
        )
    )
    shares = dialogue_share.quarterly_series(
        policies.visible_meetings(person).filter(programme=programme)
    )
    held = [quarter for quarter in shares if quarter.meetings]
    trust = [
        quarter
        for quarter in pulse_trend(policies.visible_pulses(person).filter(programme=programme))
        if any(s["mean"] is not None for s in quarter["statements"])
    ]
    return {
        "milestones": counts,
        "milestone_rows": list(
            policies.visible_milestones(person)
            .filter(programme=programme)
            .select_related("programme")
            .order_by("position", "id")
        ),
        "contracts": programme_contracts(person, programme),
        "consultations": list(
            consultation_list(person=person)
            .filter(programme=programme)
            .prefetch_related(None)
            .order_by("-opens_at", "-id")
        ),
        "latest_share": held[-1] if held else None,
        "latest_trust": trust[-1] if trust else None,
    }


# --- pages ------------------------------------------------------------------------------


@require_GET
@page
def briefing_list(request):
    purchaser = briefing_purchaser(request)
    programmes = briefing_programmes(request, purchaser).order_by("name", "id")
    return render(
        request,
        "pages/briefing_list.html",
        {
            "purchaser": purchaser,
            "programmes": programmes,
            "open_requests": purchaser_requests(request.user, purchaser),
        },
    )


@require_GET
@page
def programme_overview(request, programme_id):
    purchaser, programme = programme_for_briefing(request, programme_id)
    language = requested_language(request, programme) or default_order_language(
        request.user, purchaser, programme
    )
    form = OrderBriefingForm(initial={"language": language})
    return render_overview(request, purchaser, programme, form)


def render_overview(request, purchaser, programme, form, status=200, request_form=None):
    person = request.user
    language = language_of(person, request.acting_for)
    watched = None
    document_id = request.GET.get("document")
    if document_id:
        watched = briefings_of(person, programme).filter(pk=document_id).first()
    context = {
        "purchaser": purchaser,
        "programme": programme,
        "latest": latest_briefing(person, programme, language),
        "reader_language": language,
        "may_order": allowed(
            policies.require_purchaser_staff, person, request.acting_for, purchaser
        ),
        "form": form
        or OrderBriefingForm(
            initial={"language": default_order_language(person, purchaser, programme)}
        ),
        "watched": watched,
        **overview_figures(person, programme),
        **request_context(request, purchaser, programme, language, request_form),
    }
    return render(request, "pages/briefing_overview.html", context, status=status)


@require_POST
@page
def order_briefing(request, programme_id):
    purchaser, programme = programme_for_briefing(request, programme_id)
    form = OrderBriefingForm(request.POST)
    if form.is_valid():
        try:
            document, _created = orders.order_document(
                actor=request.user,
                acting_for=request.acting_for,
                kind=BRIEFING,
                subject=programme,
                language=form.cleaned_data["language"],
            )
        except RuleViolation as error:
            show_refusal(form, error)
        else:
            address = reverse("briefing-programme", args=[programme.id])
            return redirect(f"{address}?document={document.id}#progress")
    return render_overview(request, purchaser, programme, form, status=400)


@require_POST
@page
def ask_for_briefing(request, programme_id):
    """A politician asks the purchaser's officers for a briefing on the programme."""
    purchaser, programme = programme_for_briefing(request, programme_id)
    policies.require_overseeing_politician(request.user, request.acting_for, purchaser)
    form = RequestBriefingForm(request.POST)
    if form.is_valid():
        try:
            request_briefing(
                actor=request.user,
                acting_for=request.acting_for,
                programme=programme,
                language=form.cleaned_data["language"],
                note=form.cleaned_data["note"],
            )
        except RuleViolation as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent to the commissioning officers of %(purchaser)s.")
                % {"purchaser": purchaser.name},
            )
            return redirect(reverse("briefing-programme", args=[programme.id]) + "#ask")
    return render_overview(request, purchaser, programme, None, status=400, request_form=form)


@require_GET
@page
def briefing_progress(request, document_id):
    """The state of one ordered briefing, as the fragment the overview polls."""
    document = document_selectors.document_get(person=request.user, document_id=document_id)
    if document.kind != BRIEFING:
        raise NotFound()
    return render(request, "pages/_briefing_progress.html", {"document": document})
