"""Reminders of who has not spoken: invited organisations silent before a consultation
closes, comments still without a response, and relationships without a meeting for too
long. "You said, we did" only builds trust if every voice is heard and answered. Sent once
each (workers.reminders.delivery.send_reminder)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.models import Membership, Organisation
from dialogue.models import (
    Comment,
    Consultation,
    CoSignature,
)
from dialogue.selectors.responses import unanswered
from workers.mail import people_of
from workers.reminders.delivery import days_after, link, send_reminder

Role = Membership.Role
Kind = Organisation.Kind

CONSULTATION_CLOSING_DAYS = 3
# "10 working days": Monday to Friday. There is no holiday calendar (Swedish, Norwegian and
# English public holidays differ), so a holiday counts as a working day.
UNANSWERED_AFTER_WORKING_DAYS = 10


# --- consultations ----------------------------------------------------------------------


def send_consultation_closing_reminders(*, today: datetime.date) -> int:
    """An open consultation closing within 3 days (today included, and not yet past its
    close): to the people of each invited organisation that has not commented yet.

    Commented means a submitted (not withdrawn) comment of its own, or an active
    co-signature of a submitted comment: a member standing behind its network's comment has
    been heard. An invited network is reminded like any organisation (its representatives);
    the members of a network are reminded only when they are invited themselves, since the
    network speaks for them and the invitation says who is asked."""
    now = timezone.now()
    consultations = (
        Consultation.objects.filter(
            status=Consultation.Status.OPEN,
            closes_at__gt=now,
        )
        .select_related("purchaser", "programme")
        .prefetch_related("invitations__organisation")
    )
    sent = 0
    for consultation in consultations:
        closes_on = timezone.localdate(consultation.closes_at)
        if not today <= closes_on <= days_after(today, CONSULTATION_CLOSING_DAYS):
            continue
        submitted = Comment.objects.filter(
            consultation=consultation, status=Comment.Status.SUBMITTED
        )
        commented = set(submitted.values_list("organisation_id", flat=True)) | set(
            CoSignature.objects.filter(
                comment__in=submitted, withdrawn_at__isnull=True
            ).values_list("organisation_id", flat=True)
        )
        silent = [
            invitation.organisation
            for invitation in consultation.invitations.all()
            if invitation.organisation_id not in commented
        ]
        for person, organisation in people_of(silent):
            sent += send_reminder(
                kind="consultation_closing",
                key=f"consultation-closing:{consultation.id}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("The consultation %(title)s closes on %(date)s"),
                subject_params={"title": consultation.title, "date": closes_on},
                template="consultation_closing",
                context={
                    "consultation": consultation,
                    "closes_at": timezone.localtime(consultation.closes_at),
                    "url": link("consultation-page", consultation_id=consultation.pk),
                },
                sender=consultation.purchaser,
            )
    return sent


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The day `count` working days (Monday to Friday) after `day`; no holiday calendar."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def send_unanswered_comment_reminders(*, today: datetime.date) -> int:
    """Comments still without a response 10 working days after the consultation closed:
    one email per consultation to each of the purchaser's officers, with the count.
    "You said, we did" only builds trust if every comment is answered."""
    now = timezone.now()
    consultations = (
        Consultation.objects.filter(closes_at__lte=now)
        .exclude(status=Consultation.Status.SCHEDULED)
        .filter(Exists(Comment.objects.filter(unanswered(), consultation=OuterRef("pk"))))
        .select_related("purchaser", "programme")
    )
    sent = 0
    for consultation in consultations:
        closed_on = timezone.localdate(consultation.closes_at)
        if add_working_days(closed_on, UNANSWERED_AFTER_WORKING_DAYS) > today:
            continue
        count = Comment.objects.filter(unanswered(), consultation=consultation).count()
        for person, organisation in people_of([consultation.purchaser], roles=[Role.OFFICER]):
            sent += send_reminder(
                kind="comments_unanswered",
                key=f"comments-unanswered:{consultation.id}:{person.id}",
                person=person,
                organisation=organisation,
                subject=_("%(count)s comments on %(title)s still have no response"),
                subject_params={"count": count, "title": consultation.title},
                template="comments_unanswered",
                context={
                    "consultation": consultation,
                    "count": count,
                    "closed_on": closed_on,
                    "url": link(
                        "consultation-comment-list",
                        consultation_pk=consultation.pk,
                        query="answered=false",
                    ),
                },
                sender=consultation.purchaser,
            )
    return sent


# --- relationships ----------------------------------------------------------------------


def send_relationship_silence_alerts(*, today: datetime.date) -> int:
    """Relationships with no held meeting for the purchaser's N days (or never), to the
    purchaser's managers: once per relationship per silence, since the key holds the date of
    the last meeting, and a new meeting starts a new silence.

    The figures are dialogue.relationships.relationship_health's, read as one of the
    purchaser's managers (every manager of a purchaser reads the same relationships)."""
    from dialogue.selectors.relationships import relationship_health

    sent = 0
    purchasers = Organisation.objects.filter(
        kind=Kind.PURCHASER, memberships__role=Role.MANAGER
    ).distinct()
    for purchaser in purchasers:
        managers = people_of([purchaser], roles=[Role.MANAGER])
        if not managers:
            continue
        reader = managers[0][0]
        for relationship in relationship_health(
            person=reader, purchaser_id=purchaser.id, today=today
        ):
            if not relationship.no_meeting_alert:
                continue
            last = relationship.last_meeting_on
            silence = last.isoformat() if last else "never"
            for person, organisation in managers:
                sent += send_reminder(
                    kind="relationship_silent",
                    key=(
                        f"relationship-silent:{purchaser.id}:{relationship.provider_id}:"
                        f"{silence}:{person.id}"
                    ),
                    person=person,
                    organisation=organisation,
                    subject=_("No meeting with %(provider)s for %(days)s days")
                    if last
                    else _("No meeting with %(provider)s yet"),
                    subject_params={
                        "provider": relationship.provider_name,
                        "days": relationship.days_since_last_meeting,
                    },
                    template="relationship_silent",
                    context={
                        "relationship": relationship,
                        "url": link(
                            "relationship-list",
                            query=f"purchaser={purchaser.id}&provider={relationship.provider_id}",
                        ),
                    },
                    sender=purchaser,
                )
    return sent


# Every kind the daily job runs, by name (the task takes the name).
