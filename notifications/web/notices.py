"""The person's notifications: the list (unread first, newest first, a page at a time), each
item opening its page (and so read), "mark read" per item and "mark all read". The header of
every page links here with the unread count (notifications.web.context)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commissioning.web.acting import page
from notifications.selectors import inbox_of
from notifications.services.reading import mark_all_read, mark_read

PAGE_SIZE = 25


def _back(request):
    """To the page of the list the form was on."""
    number = request.POST.get("page", "")
    path = reverse("notification-list")
    return redirect(f"{path}?page={number}" if number.isdigit() else path)


@require_GET
@page
def notice_list(request):
    paginator = Paginator(inbox_of(request.user), PAGE_SIZE)
    notices = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/web/list.html",
        {"notices": notices, "paginator": paginator},
    )


@require_GET
@page
def open_notice(request, notice_id: int):
    """The notice's page, and the notice read: the link a person follows from the list."""
    notice = mark_read(person=request.user, notice_id=notice_id)
    target = notice.url if notice.url.startswith("/") else ""
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("notification-list")
    return redirect(target)


@require_POST
@page
def read_notice(request, notice_id: int):
    notice = mark_read(person=request.user, notice_id=notice_id)
    messages.success(request, _("Marked read: %(title)s") % {"title": notice.title})
    return _back(request)


@require_POST
@page
def read_all(request):
    count = mark_all_read(person=request.user)
    messages.success(
        request, _("All your notifications are marked read (%(count)s).") % {"count": count}
    )
    return _back(request)
