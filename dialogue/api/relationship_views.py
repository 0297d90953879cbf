"""Thin views of the calendar, concerns, relationship health and equal treatment: read
through selectors, write through one service, answer with a serializer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning import policies
from commissioning.api.base import FileView, acting_for, acting_for_parameter, file_answer
from commissioning.api.pagination import BoundedPageNumberPagination, page_parameters
from commissioning.errors import NotFound, RuleViolation
from commissioning.models import Organisation, Programme
from commissioning.policies import Writers
from dialogue import calendar
from dialogue.api.filters import ConcernFilter
from dialogue.api.ics import ics_response
from dialogue.api.relationship_serializers import (
    CalendarFeedResetSerializer,
    CalendarFeedSerializer,
    ConcernDiscussedInputSerializer,
    ConcernInputSerializer,
    ConcernResolveInputSerializer,
    ConcernSerializer,
    EmptyInputSerializer,
    EqualTreatmentSerializer,
    RelationshipPageSerializer,
    RelationshipSerializer,
)
from dialogue.models import Meeting
from dialogue.selectors import calendar as calendar_selectors
from dialogue.selectors import equal_treatment, relationships
from dialogue.selectors.concerns import concern_get, concern_list
from dialogue.services import concerns
from dialogue.services.calendar import get_or_create_calendar_feed, reset_calendar_feed


def _meeting_url(request, meeting) -> str:
    return request.build_absolute_uri(f"/api/v1/meetings/{meeting.pk}/")


# --- calendar ---------------------------------------------------------------------------


class MeetingCalendarView(FileView):
    media_type = "text/calendar"

    @extend_schema(
        responses=file_answer(media_type, "The meeting's invitation."), operation_id="meetings_ics"
    )
    def get(self, request, pk):
        """The meeting as an iCalendar invitation (METHOD:CANCEL once cancelled)."""
        meeting = calendar_selectors.meeting_for_calendar(person=request.user, meeting_id=pk)
        return ics_response(
            calendar.meeting_calendar(
                meeting,
                url=_meeting_url(request, meeting),
                shown_people=calendar_selectors.addresses_shown(
                    person=request.user, meetings=[meeting]
                ),
            ),
            filename=f"meeting-{meeting.pk}.ics",
        )


class PersonalFeedView(FileView):
    """The personal feed: no login, the unguessable token in the address is the credential
    (calendar clients cannot sign in). A reset token answers 404."""

    authentication_classes = []
    permission_classes = [AllowAny]
    media_type = "text/calendar"

    @extend_schema(
        responses=file_answer(media_type, "The person's meetings."),
        operation_id="calendar_feed_ics",
        auth=[],
    )
    def get(self, request, token):
        feed = calendar_selectors.feed_by_token(token)
        if feed is None:
            raise NotFound(_("There is no calendar feed at this address; it may have been reset."))
        meetings = calendar_selectors.feed_meetings(person=feed.person)
        name = _("Meetings of %(name)s") % {
            "name": feed.person.get_full_name() or feed.person.get_username()
        }
        shown = calendar_selectors.addresses_shown(person=feed.person, meetings=meetings)
        return ics_response(calendar.feed_calendar(meetings, name=str(name), shown_people=shown))


class MyCalendarFeedView(APIView):
    writers = Writers.ANYONE

    @extend_schema(responses=CalendarFeedSerializer, operation_id="calendar_feed_show")
    def get(self, request):
        """The address of my calendar feed (created the first time it is asked for)."""
        feed = get_or_create_calendar_feed(actor=request.user)
        return Response(CalendarFeedSerializer(feed, context={"request": request}).data)

    @extend_schema(
        request=CalendarFeedResetSerializer,
        responses=CalendarFeedSerializer,
        operation_id="calendar_feed_reset",
    )
    def post(self, request):
        """Reset my feed's address: the old one stops working at once."""
        CalendarFeedResetSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        feed = reset_calendar_feed(actor=request.user)
        return Response(CalendarFeedSerializer(feed, context={"request": request}).data)


# --- concerns ---------------------------------------------------------------------------


class ConcernViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Concerns between a purchaser and a provider or network: raised → acknowledged →
    discussed → resolved, or withdrawn. `is_overdue` when still unacknowledged after the
    reply-by date (filter with ?overdue=true)."""

    writers = {None: Writers.PURCHASER_STAFF_OR_PROVIDERS, "discussed": Writers.PURCHASER_STAFF}

    serializer_class = ConcernSerializer
    filterset_class = ConcernFilter
    ordering_fields = ["created_at", "reply_by", "id"]
    ordering = ["-created_at", "id"]

    def get_queryset(self):
        return concern_list(person=self.request.user)

    def get_object(self):
        return concern_get(person=self.request.user, concern_id=self.kwargs["pk"])

    def _answer(self, concern, status_code=status.HTTP_200_OK):
        concern = concern_get(person=self.request.user, concern_id=concern.pk)
        return Response(ConcernSerializer(concern).data, status=status_code)

    @extend_schema(
        request=ConcernInputSerializer,
        responses={201: ConcernSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = ConcernInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["raised_with"] = policies.named_in_request(
            Organisation, data["raised_with"], person=request.user, field="raised_with"
        )
        if data.get("programme") is not None:
            data["programme"] = policies.named_in_request(
                Programme, data["programme"], person=request.user, field="programme"
            )
        concern = concerns.raise_concern(actor=request.user, acting_for=organisation, **data)
        return self._answer(concern, status.HTTP_201_CREATED)

    @extend_schema(
        request=EmptyInputSerializer,
        responses=ConcernSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        concern = self.get_object()
        organisation = acting_for(request)
        EmptyInputSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        concerns.acknowledge_concern(actor=request.user, acting_for=organisation, concern=concern)
        return self._answer(concern)

    @extend_schema(
        request=ConcernDiscussedInputSerializer,
        responses=ConcernSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def discussed(self, request, pk=None):
        concern = self.get_object()
        organisation = acting_for(request)
        serializer = ConcernDiscussedInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        meeting = policies.named_in_request(
            Meeting, serializer.validated_data["meeting"], person=request.user, field="meeting"
        )
        concerns.mark_concern_discussed(
            actor=request.user, acting_for=organisation, concern=concern, meeting=meeting
        )
        return self._answer(concern)

    @extend_schema(
        request=ConcernResolveInputSerializer,
        responses=ConcernSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        concern = self.get_object()
        organisation = acting_for(request)
        serializer = ConcernResolveInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        concerns.resolve_concern(
            actor=request.user,
            acting_for=organisation,
            concern=concern,
            resolution=serializer.validated_data["resolution"],
        )
        return self._answer(concern)

    @extend_schema(
        request=EmptyInputSerializer,
        responses=ConcernSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        concern = self.get_object()
        organisation = acting_for(request)
        EmptyInputSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        concerns.withdraw_concern(actor=request.user, acting_for=organisation, concern=concern)
        return self._answer(concern)


# --- relationship health ----------------------------------------------------------------


def _optional_id(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise RuleViolation(
            _("Give the id (a whole number) of an organisation."), fields={name: [_("Not an id.")]}
        )
    return value


def _optional_bool(request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw.lower() in {"true", "1"}:
        return True
    if raw.lower() in {"false", "0"}:
        return False
    raise RuleViolation(_("Give true or false."), fields={name: [_("Not true or false.")]})


class RelationshipListView(APIView):
    """Relationship health of every purchaser–provider pair you may read, most in need of
    attention first: alerting (no held meeting for the purchaser's N days, or never), then
    by overdue concerns and actions, by open ones, by days without a meeting."""

    pagination_class = BoundedPageNumberPagination

    @extend_schema(
        responses=RelationshipPageSerializer,
        parameters=[
            OpenApiParameter("purchaser", OpenApiTypes.INT, description="Only this purchaser."),
            OpenApiParameter("provider", OpenApiTypes.INT, description="Only this provider."),
            OpenApiParameter(
                "alert", OpenApiTypes.BOOL, description="Only those alerting (or not)."
            ),
            *page_parameters(),
        ],
        operation_id="relationships_list",
    )
    def get(self, request):
        alert = _optional_bool(request, "alert")
        rows = relationships.relationship_health(
            person=request.user,
            purchaser_id=_optional_id(request, "purchaser"),
            provider_id=_optional_id(request, "provider"),
        )
        if alert is not None:
            rows = [r for r in rows if r.no_meeting_alert == alert]
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(RelationshipSerializer(page, many=True).data)


# --- equal treatment --------------------------------------------------------------------


class ProgrammeEqualTreatmentView(APIView):
    @extend_schema(responses=EqualTreatmentSerializer, operation_id="programmes_equal_treatment")
    def get(self, request, pk):
        """Which providers of the programme were not invited to its meetings or never
        attended, by ownership. The purchaser's staff and politicians read it."""
        programme = equal_treatment.programme_for_report(person=request.user, programme_id=pk)
        report = equal_treatment.programme_report(programme=programme)
        return Response(EqualTreatmentSerializer(report).data)


class ArenaEqualTreatmentView(APIView):
    @extend_schema(responses=EqualTreatmentSerializer, operation_id="arenas_equal_treatment")
    def get(self, request, pk):
        """Which provider members of the arena were not invited to its meetings or never
        attended, by ownership. The purchaser's staff and politicians read it."""
        arena = equal_treatment.arena_for_report(person=request.user, arena_id=pk)
        report = equal_treatment.arena_report(arena=arena)
        return Response(EqualTreatmentSerializer(report).data)
