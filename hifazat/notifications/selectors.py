"""Reads: a user's notifications, and the sections of their work list that the parts provide."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from hifazat.core import hooks
from hifazat.core.audit import Actor
from hifazat.notifications.models import Notification


def notifications_visible_to(actor: Actor | None) -> QuerySet[Notification]:
    """The actor's own notifications, in their current organisation."""
    if actor is None or not actor.can("notifications.view"):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor.user, organisation=actor.organisation)


def unread_count(actor: Actor | None) -> int:
    return notifications_visible_to(actor).filter(read_at__isnull=True).count()


@dataclass(frozen=True)
class WorkItem:
    label: str | Promise
    url: str
    due: datetime.date | None = None
    detail: str | Promise = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


@dataclass(frozen=True)
class WorkSection:
    """One list on the work page, such as "My cases" or "Incoming referrals"."""

    key: str
    title: str | Promise
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0  # how many there are in all; ``items`` may show only the first few
    more_url: str = ""
    weight: int = 500


WORKLIST_SOURCES = hooks.define(
    "notifications.worklist",
    """``source(actor) -> list[WorkSection]``: a part's sections of the actor's work list; a source returns only
    what the actor may see, and nothing for roles it does not concern.""",
)


def worklist_for(actor: Actor) -> list[WorkSection]:
    sections = [section for source in WORKLIST_SOURCES for section in source(actor)]
    return sorted(sections, key=lambda s: s.weight)
