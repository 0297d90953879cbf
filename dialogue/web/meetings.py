"""The meeting pages of commissioning staff: the meetings they can see, logging a held
meeting in one form (saved whole through dialogue.services.log.log_meeting, or not at all), and
a meeting's page with its calendar file and PDF summary.

Reads go through dialogue.selectors.meetings and the policy module, writes through the services
the API uses; the dialogue share is always dialogue/selectors/dialogue_share.py's, also while
typing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, NotFound, RuleViolation
from commissioning.web.acting import allowed, page
from commissioning.web.lists import page_list
from dialogue import calendar
from dialogue.api.ics import ics_response
from dialogue.markdown import render_markdown
from dialogue.models import Meeting
from dialogue.selectors import dialogue_share
from dialogue.selectors import meetings as selectors
from dialogue.selectors.calendar import addresses_shown, meeting_for_calendar
from dialogue.services.log import log_meeting
from dialogue.web.meeting_filters import MeetingFilters
from dialogue.web.meeting_forms import Choices, MeetingLog, typed_share
from dialogue.web.meeting_offers import meeting_offers
from workers.documents import content, orders
from workers.models import Document
from workers.selectors import documents as document_selectors

SUMMARY = Document.Kind.MEETING_SUMMARY


def _with_share(meetings) -> list[tuple[Meeting, dialogue_share.MinutesTally]]:
    """Meetings of selectors.meeting_list (minutes annotated) with their share."""
    return [(meeting, dialogue_share.MinutesTally.of(meeting)) for meeting in meetings]


MEETING_SORTS = {
    "starts_at": _lazy("When"),
    "title": _lazy("Meeting"),
    "status": _lazy("Status"),
}


@require_GET
@page
def meeting_list(request):
    # The list shows no invitations: not the API list's prefetch of them.
    meetings = selectors.meeting_list(person=request.user).prefetch_related(None)
    rows = page_list(
        request,
        meetings,
        filters=MeetingFilters,
        sorts=MEETING_SORTS,
        default_sort="-starts_at",
    )
    may_log = allowed(policies.require_acting_as_purchaser_staff, request.user, request.acting_for)
    return render(
        request,
        "dialogue/web/meeting_list.html",
        {"rows": rows, "meetings": _with_share(rows.rows), "may_log": may_log},
        status=400 if rows.refused else 200,
    )


def _render_log(request, log: MeetingLog, status: int = 200):
    share = typed_share(request.POST) if request.method == "POST" else dialogue_share.tally([])
    return render(
        request,
        "dialogue/web/meeting_log.html",
        {"log": log, "share": share, "on_form": True},
        status=status,
    )


@page
def meeting_log(request):
    # Only staff log meetings: others get the policy's refusal, as from the API.
    policies.require_acting_as_purchaser_staff(request.user, request.acting_for)
    choices = Choices(person=request.user, acting_for=request.acting_for)
    if request.method != "POST":
        log = MeetingLog(choices=choices, person=request.user, acting_for=request.acting_for)
        return _render_log(request, log)
    log = MeetingLog(choices=choices, data=request.POST)
    if not log.is_valid():
        return _render_log(request, log, status=400)
    try:
        meeting = log_meeting(
            actor=request.user, acting_for=request.acting_for, **log.service_arguments()
        )
    except (RuleViolation, Conflict) as error:
        # log_meeting saved nothing; the page comes back with everything as typed.
        log.show_refusal(error)
        return _render_log(request, log, status=error.status)
    messages.success(request, _("The meeting was logged."))
    return redirect("meeting-page", meeting_id=meeting.pk)


@require_POST
@page
def meeting_log_share(request):
    """The dialogue share of the agenda as typed: a fragment the form asks for while the
    officer types, so that the warning appears before the meeting is saved."""
    policies.require_acting_as_purchaser_staff(request.user, request.acting_for)
    return render(
        request,
        "dialogue/web/meeting_share.html",
        {"share": typed_share(request.POST), "on_form": True},
    )


def _latest_summary(request, meeting: Meeting) -> Document | None:
    return document_selectors.documents_of(
        person=request.user, kind=SUMMARY, subject=meeting
    ).first()


@page
def meeting_detail(request, meeting_id):
    meeting = selectors.meeting_get(person=request.user, meeting_id=meeting_id)
    attendance = list(meeting.attendance.all())
    minutes = list(meeting.minutes.all())
    return render(
        request,
        "dialogue/web/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": list(meeting.agenda_items.all()),  # in position order (Meta.ordering)
            "attendance": attendance[-1] if attendance else None,
            "minutes": minutes[-1] if minutes else None,
            "minutes_html": render_markdown(minutes[-1].text) if minutes else "",
            "actions": list(meeting.action_items.all()),
            "attendance_revisions": attendance,
            "minutes_revisions": minutes,
            "offers": meeting_offers(request, meeting, has_minutes=bool(minutes)),
            "share": dialogue_share.MinutesTally.of(meeting),
            "document": _latest_summary(request, meeting),
            "may_order": allowed(
                policies.require_purchaser_staff,
                request.user,
                request.acting_for,
                meeting.purchaser,
            ),
        },
    )


@page
def meeting_calendar_file(request, meeting_id):
    """The meeting as an .ics invitation, made by dialogue/calendar.py like the API's."""
    meeting = meeting_for_calendar(person=request.user, meeting_id=meeting_id)
    url = request.build_absolute_uri(reverse("meeting-page", args=[meeting.pk]))
    shown = addresses_shown(person=request.user, meetings=[meeting])
    return ics_response(
        calendar.meeting_calendar(meeting, url=url, shown_people=shown),
        filename=f"meeting-{meeting.pk}.ics",
    )


def _render_summary_status(request, meeting: Meeting, document: Document):
    return render(
        request,
        "dialogue/web/meeting_summary_status.html",
        {"meeting": meeting, "document": document},
    )


@require_POST
@page
def meeting_summary_order(request, meeting_id):
    meeting = document_selectors.subject_for_order(
        person=request.user, kind=SUMMARY, subject_id=meeting_id
    )
    document, _created = orders.order_document(
        actor=request.user,
        acting_for=request.acting_for,
        kind=SUMMARY,
        subject=meeting,
        language=content.reader_language(meeting),
    )
    if request.htmx:
        document = document_selectors.document_get(person=request.user, document_id=document.pk)
        return _render_summary_status(request, meeting, document)
    return redirect(reverse("meeting-page", args=[meeting.pk]) + "#summary")


@page
def meeting_summary_status(request, meeting_id, document_id):
    """The progress of an ordered summary: polled every 2 s by the meeting page until the
    download link appears."""
    meeting = selectors.meeting_for_write(person=request.user, meeting_id=meeting_id)
    document = document_selectors.document_get(person=request.user, document_id=document_id)
    if document.kind != SUMMARY or document.subject_id != str(meeting.pk):
        raise NotFound()
    return _render_summary_status(request, meeting, document)
