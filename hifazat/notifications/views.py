"""The user's notifications and work list."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import page_of
from hifazat.notifications import services
from hifazat.notifications.selectors import notifications_visible_to, worklist_for


@requires("notifications.view")
def work(request):
    """Everything waiting for the user, one list per kind of work, overdue first within each."""
    return render_page_or_partial(
        request,
        "notifications/work.html",
        "notifications/work.html",
        {"sections": worklist_for(request.actor)},
    )


@requires("notifications.view")
def notification_list(request):
    notifications = notifications_visible_to(request.actor)
    page = page_of(request, notifications)
    return render_page_or_partial(
        request,
        "notifications/notification_list.html",
        "notifications/_notification_rows.html",
        {"page": page, "unread": notifications.filter(read_at__isnull=True).count()},
    )


@requires("notifications.view")
@require_POST
def notification_open(request, uuid):
    """Mark the notification read and go to what it is about."""
    notification = get_visible_or_404(notifications_visible_to(request.actor), uuid)
    services.notifications_mark_read(actor=request.actor, notification=notification)
    return redirect(notification.url or "notifications:notification_list")


@requires("notifications.view")
@require_POST
def notification_read_all(request):
    services.notifications_mark_read(actor=request.actor)
    return redirect("notifications:notification_list")
