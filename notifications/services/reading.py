"""Marking a person's notices read: one, or all of them. Only the person's own; another's
notice is as missing. No Event: reading is not a change anyone audits (as a mail client's
"seen" flag), and a person reading a hundred notices should not write a hundred rows."""

from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.errors import NotFound
from notifications.models import Notice
from notifications.selectors import notices_of


def mark_read(*, person, notice_id: int) -> Notice:
    """The person's notice `notice_id`, read from now (already read: left as it was)."""
    notice = notices_of(person).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("There is no such notification of yours."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def mark_all_read(*, person) -> int:
    """Every unread notice of the person, read from now; how many that was."""
    return notices_of(person).filter(read_at__isnull=True).update(read_at=timezone.now())
