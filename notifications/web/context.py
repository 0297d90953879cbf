"""The unread count in the header of every page (one indexed count per page)."""

from notifications.selectors import unread_count


def unread(request):
    person = getattr(request, "user", None)
    if person is None or not person.is_authenticated or request.path.startswith("/api/"):
        return {}
    return {"unread_notifications": unread_count(person)}
