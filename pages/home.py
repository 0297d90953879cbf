"""The home page: what needs the signed-in person now, by the role they act in.

Each list is short (the few most urgent items, with a link to the page where they are dealt
with) and read through the policy's visible querysets; the page runs a fixed number of
queries whatever the amount of data behind it.
"""

import datetime

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from commissioning import policies
from commissioning.models import Membership
from commissioning.web.acting import page, roles_in
from dialogue.models import ActionItem, Comment, Consultation, Meeting, Response
from dialogue.selectors import comment_drafts as draft_selectors
from dialogue.selectors.meetings import action_item_list
from pages.selectors import (
    needing_attention,
    open_consultations_with_unanswered,
)

Role = Membership.Role
SHORT_LIST = 5
# Responses published within this many days count as news on a provider's home page.
RECENT_RESPONSE_DAYS = 90


@page
def home(request):
    roles = roles_in(request, request.acting_for)
    context = {"sections": set()}
    if roles & policies.STAFF_ROLES:
        context.update(purchaser_staff_items(request.user, request.acting_for))
        context["sections"].add("staff")
    if Role.PROVIDER_REPRESENTATIVE in roles:
        context.update(provider_items(request.user, request.acting_for))
        context["sections"].add("provider")
    if Role.POLITICIAN in roles:
        context.update(politician_items(request.user, request.acting_for))
        context["sections"].add("politician")
    return render(request, "pages/home.html", context)


def purchaser_staff_items(person, purchaser) -> dict:
    """Open actions owed by the person or their purchaser (overdue first), the purchaser's
    next meetings, its open consultations with unanswered comments, and its milestones that
    gate a decision or are overdue."""
    today = timezone.localdate()
    actions = list(
        action_item_list(person=person)
        .filter(status=ActionItem.Status.OPEN)
        .filter(Q(owner_person=person) | Q(owner_organisation=purchaser))
        .order_by("due_date", "id")[:SHORT_LIST]
    )
    for action in actions:
        action.overdue = action.due_date < today
        action.link = reverse("meeting-page", args=[action.meeting_id])
    meetings = list(
        policies.visible_meetings(person)
        .filter(purchaser=purchaser, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now())
        .select_related("programme", "arena")
        .order_by("starts_at", "id")[:SHORT_LIST]
    )
    for meeting in meetings:
        meeting.link = reverse("meeting-page", args=[meeting.id])
    consultations = list(
        open_consultations_with_unanswered(person=person, purchaser=purchaser)[:SHORT_LIST]
    )
    for consultation in consultations:
        consultation.link = reverse("consultation-page", args=[consultation.id])
    return {
        "actions": actions,
        "meetings": meetings,
        "staff_consultations": consultations,
        "milestones": needing_attention(person=person, purchaser=purchaser, limit=SHORT_LIST),
        "dashboard_link": reverse("dashboard"),
    }


def provider_items(person, organisation) -> dict:
    """Open consultations the organisation is invited to (closing soonest first), its latest
    comments, and the responses to its comments published lately."""
    standing = policies.standing_of(person)
    visible = policies.visible_consultations(person)
    consultations = list(
        visible.filter(
            status=Consultation.Status.OPEN,
            invitations__organisation__in=standing.taking_part,
        )
        .select_related("programme")
        .distinct()
        .order_by("closes_at", "id")[:SHORT_LIST]
    )
    for consultation in consultations:
        consultation.link = reverse("consultation-page", args=[consultation.id])
    # An organisation always reads its own comments (policies.visible_comments), in every
    # consultation it sees.
    comments = list(
        Comment.objects.filter(organisation=organisation, consultation__in=visible)
        .select_related("consultation", "clause")
        .order_by("-submitted_at", "-id")[:SHORT_LIST]
    )
    for comment in comments:
        comment.link = reverse(
            "consultation-comment-page", args=[comment.consultation_id, comment.id]
        )
    now = timezone.now()
    since = now - datetime.timedelta(days=RECENT_RESPONSE_DAYS)
    # Narrowed in the database to windows that have closed (closed, or the close time
    # passed); the policy has the last word on each.
    published = Q(comment__consultation__status=Consultation.Status.CLOSED) | Q(
        comment__consultation__closes_at__lte=now
    )
    responses = list(
        Response.objects.filter(
            published,
            comment__organisation=organisation,
            comment__consultation__in=visible,
            comment__consultation__closes_at__gte=since,
        )
        .select_related("comment__consultation", "comment__clause")
        .order_by("-comment__consultation__closes_at", "-id")[:SHORT_LIST]
    )
    responses = [
        r for r in responses if policies.may_read_responses(person, r.comment.consultation)
    ]
    for response in responses:
        response.link = reverse(
            "consultation-comment-page",
            args=[response.comment.consultation_id, response.comment_id],
        )
    awaiting = draft_selectors.awaiting_cosignature(person=person, organisation=organisation)
    for draft in awaiting:
        draft.link = reverse("consultation-draft-page", args=[draft.consultation_id, draft.id])
    return {
        "provider_consultations": consultations,
        "comments": comments,
        "responses": responses,
        "awaiting_cosignature": awaiting,
    }


def politician_items(person, political_body) -> dict:
    """The programmes of the purchaser the political body oversees, each linked to its
    briefing overview."""
    programmes = list(
        policies.visible_programmes(person)
        .filter(purchaser=political_body.oversees_id)
        .select_related("purchaser")
        .order_by("name", "id")
    )
    for programme in programmes:
        programme.link = reverse("briefing-programme", args=[programme.id])
    return {"programmes": programmes, "briefings_link": reverse("briefing-list")}
