"""The models of the dialogue app, by sub-domain: meetings (arenas, meetings and their
record), calendar_feeds, concerns, relationships (settings), consultations (comments and
responses). Django finds them here, as dialogue.models."""

from dialogue.models.calendar_feeds import CalendarFeed, new_feed_token
from dialogue.models.concerns import Concern
from dialogue.models.consultations import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    CoSignature,
    Response,
)
from dialogue.models.meetings import (
    ActionItem,
    AgendaItem,
    Arena,
    AttendanceEntry,
    AttendanceRevision,
    Decision,
    Invitation,
    Meeting,
    MinutesRevision,
)
from dialogue.models.relationships import RelationshipSettings

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Arena",
    "AttendanceEntry",
    "AttendanceRevision",
    "CalendarFeed",
    "CoSignature",
    "Comment",
    "CommentRevision",
    "Concern",
    "Consultation",
    "ConsultationInvitation",
    "Decision",
    "Invitation",
    "Meeting",
    "MinutesRevision",
    "RelationshipSettings",
    "Response",
    "new_feed_token",
]
