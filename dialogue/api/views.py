"""Thin views over arenas, meetings, agenda items and actions: read through selectors, write
through one service, answer with a serializer. Errors are mapped by commissioning.api.errors.

Every object is looked up through the person's visible querysets first, so something they
may not see answers 404 before anything else is checked."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api.base import acting_for, acting_for_parameter
from commissioning.policies import Writers
from dialogue.api.filters import (
    ActionItemFilter,
    AgendaItemFilter,
    ArenaFilter,
    MeetingFilter,
)
from dialogue.api.serializers import (
    ActionItemInputSerializer,
    ActionItemSerializer,
    AgendaItemChangeSerializer,
    AgendaItemInputSerializer,
    AgendaItemSerializer,
    ArenaDialogueShareSerializer,
    ArenaInputSerializer,
    ArenaSerializer,
    AttendanceInputSerializer,
    DecisionInputSerializer,
    MeetingDetailSerializer,
    MeetingInputSerializer,
    MeetingLogInputSerializer,
    MeetingSerializer,
    MinutesInputSerializer,
    NewMeetingLogInputSerializer,
    ReasonInputSerializer,
)
from dialogue.models import ActionItem, AgendaItem, Meeting
from dialogue.selectors import dialogue_share
from dialogue.selectors import meetings as selectors
from dialogue.services.arenas import create_arena, update_arena
from dialogue.services.log import log_meeting
from dialogue.services.meetings import (
    approve_minutes,
    cancel_meeting,
    create_meeting,
    mark_meeting_held,
    update_meeting,
)
from dialogue.services.record import (
    add_agenda_item,
    complete_action_item,
    create_action_item,
    drop_action_item,
    record_attendance,
    record_decision,
    remove_agenda_item,
    update_agenda_item,
    write_minutes,
)

WRITE = {"parameters": [acting_for_parameter]}


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ArenaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Standing forums of a purchaser: its staff set them up; its politicians and the member
    organisations read them."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = ArenaSerializer
    filterset_class = ArenaFilter
    ordering_fields = ["name", "id", "created_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.arena_list(person=self.request.user)

    def get_object(self):
        return selectors.arena_get(person=self.request.user, arena_id=self.kwargs["pk"])

    def _answer(self, arena, status_code=status.HTTP_200_OK):
        arena = selectors.arena_get(person=self.request.user, arena_id=arena.pk)
        return Response(ArenaSerializer(arena).data, status=status_code)

    @extend_schema(request=ArenaInputSerializer, responses={201: ArenaSerializer}, **WRITE)
    def create(self, request):
        organisation = acting_for(request)
        arena = create_arena(
            actor=request.user, acting_for=organisation, **_valid(ArenaInputSerializer, request)
        )
        return self._answer(arena, status.HTTP_201_CREATED)

    @extend_schema(request=ArenaInputSerializer, responses=ArenaSerializer, **WRITE)
    def partial_update(self, request, pk=None):
        arena = self.get_object()
        organisation = acting_for(request)
        arena = update_arena(
            actor=request.user,
            acting_for=organisation,
            arena=arena,
            **_valid(ArenaInputSerializer, request, partial=True),
        )
        return self._answer(arena)

    @extend_schema(responses=ArenaDialogueShareSerializer, filters=False)
    @action(detail=True, methods=["get"], url_path="dialogue-share", filter_backends=[])
    def dialogue_share(self, request, pk=None):
        """The arena's dialogue share per quarter over its held meetings, weighted by
        minutes (see dialogue/selectors/dialogue_share.py)."""
        arena = self.get_object()
        series = selectors.arena_dialogue_share(person=request.user, arena=arena)
        data = {
            "arena": arena.pk,
            "weighting": "minutes",
            "information_heavy_below": float(dialogue_share.INFORMATION_HEAVY_BELOW),
            "quarters": series,
        }
        return Response(ArenaDialogueShareSerializer(data).data)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings in an arena or a programme: purchaser staff plan, log and correct them; a
    manager approves the minutes; invited organisations and the purchaser's politicians
    read them."""

    writers = Writers.PURCHASER_STAFF

    queryset = Meeting.objects.none()  # for the schema; get_queryset scopes every request
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "id", "title", "created_at"]
    ordering = ["-starts_at", "id"]

    def get_serializer_class(self):
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.meeting_list(person=self.request.user)
        return selectors.meeting_detail(person=self.request.user)

    def get_object(self):
        return selectors.meeting_get(person=self.request.user, meeting_id=self.kwargs["pk"])

    def _target(self):
        return selectors.meeting_for_write(person=self.request.user, meeting_id=self.kwargs["pk"])

    def _answer(self, meeting, status_code=status.HTTP_200_OK):
        meeting = selectors.meeting_get(person=self.request.user, meeting_id=meeting.pk)
        return Response(MeetingDetailSerializer(meeting).data, status=status_code)

    @extend_schema(
        request=MeetingInputSerializer, responses={201: MeetingDetailSerializer}, **WRITE
    )
    def create(self, request):
        organisation = acting_for(request)
        meeting = create_meeting(
            actor=request.user,
            acting_for=organisation,
            **_valid(MeetingInputSerializer, request),
        )
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingInputSerializer, responses=MeetingDetailSerializer, **WRITE)
    def partial_update(self, request, pk=None):
        meeting = self._target()
        organisation = acting_for(request)
        meeting = update_meeting(
            actor=request.user,
            acting_for=organisation,
            meeting=meeting,
            **_valid(MeetingInputSerializer, request, partial=True),
        )
        return self._answer(meeting)

    @extend_schema(request=ReasonInputSerializer, responses=MeetingDetailSerializer, **WRITE)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self._target()
        organisation = acting_for(request)
        meeting = cancel_meeting(
            actor=request.user,
            acting_for=organisation,
            meeting=meeting,
            **_valid(ReasonInputSerializer, request),
        )
        return self._answer(meeting)

    @extend_schema(request=None, responses=MeetingDetailSerializer, **WRITE)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Mark a planned meeting held (once it has started)."""
        meeting = self._target()
        organisation = acting_for(request)
        meeting = mark_meeting_held(actor=request.user, acting_for=organisation, meeting=meeting)
        return self._answer(meeting)

    @extend_schema(request=None, responses=MeetingDetailSerializer, **WRITE)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        meeting = self._target()
        organisation = acting_for(request)
        meeting = approve_minutes(actor=request.user, acting_for=organisation, meeting=meeting)
        return self._answer(meeting)

    @extend_schema(request=AttendanceInputSerializer, responses=MeetingDetailSerializer, **WRITE)
    @action(detail=True, methods=["put"])
    def attendance(self, request, pk=None):
        """Record the attendance of a held meeting; once recorded, a new one is a correction
        and needs a reason (the earlier revision stays)."""
        meeting = self._target()
        organisation = acting_for(request)
        record_attendance(
            actor=request.user,
            acting_for=organisation,
            meeting=meeting,
            **_valid(AttendanceInputSerializer, request),
        )
        return self._answer(meeting)

    @extend_schema(
        request=MinutesInputSerializer, responses={201: MeetingDetailSerializer}, **WRITE
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """Add a minutes revision (Markdown); after approval it is a correction with a
        reason."""
        meeting = self._target()
        organisation = acting_for(request)
        write_minutes(
            actor=request.user,
            acting_for=organisation,
            meeting=meeting,
            **_valid(MinutesInputSerializer, request),
        )
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingLogInputSerializer, responses=MeetingDetailSerializer, **WRITE)
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        """Log a planned meeting as held in one request: attendance, agenda with actual
        minutes and decisions, actions, minutes. All saved, or nothing."""
        meeting = self._target()
        organisation = acting_for(request)
        meeting = log_meeting(
            actor=request.user,
            acting_for=organisation,
            meeting=meeting,
            **_valid(MeetingLogInputSerializer, request),
        )
        return self._answer(meeting)

    @extend_schema(
        request=NewMeetingLogInputSerializer,
        responses={201: MeetingDetailSerializer},
        operation_id="meetings_log_new",
        **WRITE,
    )
    @action(detail=False, methods=["post"], url_path="log")
    def log_new(self, request):
        """Create a meeting that was held and log it in one request."""
        organisation = acting_for(request)
        data = _valid(NewMeetingLogInputSerializer, request)
        meeting = log_meeting(
            actor=request.user,
            acting_for=organisation,
            new_meeting=data.pop("meeting"),
            **data,
        )
        return self._answer(meeting, status.HTTP_201_CREATED)


class AgendaItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agenda items of the meetings the person may see; filter by meeting."""

    writers = Writers.PURCHASER_STAFF

    queryset = AgendaItem.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    ordering_fields = ["position", "id"]
    ordering = ["meeting_id", "position"]

    def get_queryset(self):
        return selectors.agenda_item_list(person=self.request.user)

    def get_object(self):
        return selectors.agenda_item_get(person=self.request.user, item_id=self.kwargs["pk"])

    def _answer(self, item, status_code=status.HTTP_200_OK):
        item = selectors.agenda_item_get(person=self.request.user, item_id=item.pk)
        return Response(AgendaItemSerializer(item).data, status=status_code)

    @extend_schema(
        request=AgendaItemInputSerializer, responses={201: AgendaItemSerializer}, **WRITE
    )
    def create(self, request):
        data = _valid(AgendaItemInputSerializer, request)
        meeting = selectors.meeting_for_write(person=request.user, meeting_id=data.pop("meeting"))
        organisation = acting_for(request)
        item = add_agenda_item(actor=request.user, acting_for=organisation, meeting=meeting, **data)
        return self._answer(item, status.HTTP_201_CREATED)

    @extend_schema(request=AgendaItemChangeSerializer, responses=AgendaItemSerializer, **WRITE)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        organisation = acting_for(request)
        item = update_agenda_item(
            actor=request.user,
            acting_for=organisation,
            item=item,
            **_valid(AgendaItemChangeSerializer, request, partial=True),
        )
        return self._answer(item)

    @extend_schema(responses={204: None}, **WRITE)
    def destroy(self, request, pk=None):
        item = self.get_object()
        remove_agenda_item(actor=request.user, acting_for=acting_for(request), item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DecisionInputSerializer, responses={201: AgendaItemSerializer}, **WRITE)
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        """Record a decision taken under this item."""
        item = self.get_object()
        organisation = acting_for(request)
        record_decision(
            actor=request.user,
            acting_for=organisation,
            item=item,
            **_valid(DecisionInputSerializer, request),
        )
        return self._answer(item, status.HTTP_201_CREATED)


class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actions agreed at meetings: open -> done, or dropped with a reason."""

    writers = Writers.PURCHASER_STAFF

    queryset = ActionItem.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    ordering_fields = ["due_date", "id", "created_at"]
    ordering = ["due_date", "id"]

    def get_queryset(self):
        return selectors.action_item_list(person=self.request.user)

    def get_object(self):
        return selectors.action_item_get(person=self.request.user, action_id=self.kwargs["pk"])

    def _answer(self, action_item, status_code=status.HTTP_200_OK):
        action_item = selectors.action_item_get(person=self.request.user, action_id=action_item.pk)
        return Response(ActionItemSerializer(action_item).data, status=status_code)

    @extend_schema(
        request=ActionItemInputSerializer, responses={201: ActionItemSerializer}, **WRITE
    )
    def create(self, request):
        data = _valid(ActionItemInputSerializer, request)
        meeting = selectors.meeting_for_write(person=request.user, meeting_id=data.pop("meeting"))
        organisation = acting_for(request)
        action_item = create_action_item(
            actor=request.user, acting_for=organisation, meeting=meeting, **data
        )
        return self._answer(action_item, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ActionItemSerializer, **WRITE)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        action_item = self.get_object()
        organisation = acting_for(request)
        action_item = complete_action_item(
            actor=request.user, acting_for=organisation, action=action_item
        )
        return self._answer(action_item)

    @extend_schema(request=ReasonInputSerializer, responses=ActionItemSerializer, **WRITE)
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        action_item = self.get_object()
        organisation = acting_for(request)
        action_item = drop_action_item(
            actor=request.user,
            acting_for=organisation,
            action=action_item,
            **_valid(ReasonInputSerializer, request),
        )
        return self._answer(action_item)
