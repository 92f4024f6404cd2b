"""Writes: notify users, mark notifications read."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from hifazat.core.access import require
from hifazat.core.audit import Actor
from hifazat.notifications.models import Notification


def notify(
    *, recipients: Iterable, kind: str, title: str, url: str = "", organisation=None
) -> list[Notification]:
    """Add a notification to each recipient's list (inactive users and duplicates are skipped).

    ``title`` must hold no personal values: numbers and codes only. With ``HIFAZAT_EMAIL_NOTIFICATIONS`` on, each
    recipient with an address also gets it by email (off by default and in the demo). Not audited: the thing
    notified about is.
    """
    seen: set[int] = set()
    made = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        org = organisation or _organisation_of(user)
        if org is None:
            continue
        made.append(Notification(recipient=user, organisation=org, kind=kind, title=title[:200], url=url))
    Notification.objects.bulk_create(made)
    if getattr(settings, "HIFAZAT_EMAIL_NOTIFICATIONS", False):
        addresses = [n.recipient.email for n in made if n.recipient.email]
        if addresses:
            transaction.on_commit(
                lambda: send_mail(title, f"{title}\n\n{url}", None, addresses, fail_silently=True)
            )
    return made


def _organisation_of(user):
    membership = user.memberships.filter(is_active=True).select_related("organisation").first()
    return membership.organisation if membership else None


def notifications_mark_read(*, actor: Actor, notification: Notification | None = None) -> int:
    """Mark one of the actor's notifications read, or all of them; returns how many changed."""
    require(actor, "notifications.view")
    unread = Notification.objects.filter(recipient=actor.user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
