"""Relationship health on the pages: every purchaser–provider relationship the person may read,
most in need of attention first (dialogue.selectors.relationships, as the API's list), and a
relationship's page with its figures and links through to its meetings, its concerns and its
trust trend."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from commissioning.errors import NotFound
from commissioning.web.acting import page
from commissioning.web.lists import page_list
from dialogue.models import Invitation
from dialogue.selectors.meetings import meeting_list
from dialogue.selectors.relationships import relationship_health
from dialogue.web.relationship_filters import RelationshipFilters
from workers.selectors.pulses import pulse_trend, results_scope

RELATIONSHIP_SORTS = {
    "attention": _lazy("Attention"),
    "provider": _lazy("Provider"),
    "purchaser": _lazy("Purchaser"),
    "last_meeting": _lazy("Last meeting"),
    "open": _lazy("Open concerns"),
}
ORDERINGS = {
    "attention": ("attention_key",),
    "provider": ("provider_name",),
    "purchaser": ("purchaser_name",),
    "last_meeting": ("last_meeting_on",),
    "open": ("open_concerns",),
}
MEETINGS_SHOWN = 10


@require_GET
@page
def relationship_list(request):
    rows = page_list(
        request,
        relationship_health(person=request.user),
        filters=RelationshipFilters,
        sorts=RELATIONSHIP_SORTS,
        default_sort="attention",
        orderings=ORDERINGS,
    )
    return render(
        request,
        "dialogue/web/relationship_list.html",
        {"rows": rows},
        status=400 if rows.refused else 200,
    )


@require_GET
@page
def relationship_page(request, purchaser_id, provider_id):
    found = relationship_health(
        person=request.user, purchaser_id=purchaser_id, provider_id=provider_id
    )
    if not found:
        raise NotFound()
    relationship = found[0]
    meetings = (
        meeting_list(person=request.user)
        .prefetch_related(None)
        .filter(
            purchaser_id=purchaser_id,
            pk__in=Invitation.objects.filter(organisation_id=provider_id).values("meeting_id"),
        )
        .order_by("-starts_at", "-pk")[:MEETINGS_SHOWN]
    )
    trust = pulse_trend(
        results_scope(person=request.user, purchaser=purchaser_id, provider=provider_id)
    )
    acting = request.acting_for.id
    other = provider_id if acting == purchaser_id else purchaser_id
    return render(
        request,
        "dialogue/web/relationship_detail.html",
        {
            "relationship": relationship,
            "meetings": list(meetings),
            "trust": trust,
            "concerns_query": f"organisation={other}",
        },
    )
