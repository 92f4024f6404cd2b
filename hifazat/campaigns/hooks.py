"""What campaigns adds to other parts: menu entries, the person's reach on their timeline, and sections of the
work page: key message versions waiting for the user's review, and the user's audience exports whose file is
ready to take."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core.audit import Actor
from hifazat.core.models import Job
from hifazat.core.navigation import NAVIGATION, Section
from hifazat.notifications.selectors import WORKLIST_SOURCES, WorkItem, WorkSection
from hifazat.people.selectors import TIMELINE_SOURCES

from . import selectors
from .languages import language_name
from .models import MessageVersion

SHOWN = 5


def worklist(actor: Actor) -> list[WorkSection]:
    sections = []
    if actor.can("campaigns.approve"):
        waiting = (
            selectors.versions_visible_to(actor)
            .filter(
                status=MessageVersion.Status.IN_REVIEW, message__campaign__organisation=actor.organisation
            )
            .exclude(created_by=actor.user)
            .order_by("submitted_at")
        )
        total = waiting.count()
        if total:
            items = [
                WorkItem(
                    f"{v.message.campaign.name}: {v.message.title}",
                    reverse("campaigns:message_detail", args=[v.message.uuid]),
                    detail=f"{language_name(v.language)} · {v.get_channel_display()} · v{v.number}",
                )
                for v in waiting[:SHOWN]
            ]
            sections.append(
                WorkSection("campaigns.review", _("Key messages to review"), items, total=total, weight=130)
            )
    if actor.can("campaigns.export_audience"):
        ready = selectors.exports_visible_to(actor).filter(
            created_by=actor.user, downloaded_at__isnull=True, job__status=Job.Status.DONE
        )
        total = ready.count()
        if total:
            items = [
                WorkItem(
                    e.campaign.name,
                    reverse("campaigns:export_detail", args=[e.uuid]),
                    detail=_("%(n)s people") % {"n": e.recipients},
                )
                for e in ready[:SHOWN]
            ]
            sections.append(
                WorkSection(
                    "campaigns.exports", _("Audience exports to take"), items, total=total, weight=131
                )
            )
    return sections


NAVIGATION.register(
    Section(
        _("Campaigns"),
        "campaigns:campaign_list",
        "campaigns.aggregates",
        _("Awareness campaigns: messages, activities, reach and coverage"),
        weight=130,
    )
)
NAVIGATION.register(
    Section(
        _("Public awareness page"),
        "campaigns:public",
        "campaigns.manage",
        _("What anyone can read without signing in"),
        weight=135,
    )
)
WORKLIST_SOURCES.register(worklist)
TIMELINE_SOURCES.register(selectors.reach_events)
