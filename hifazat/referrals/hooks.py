"""What referrals add to other parts' pages, registered from ``apps.py``: the work list, the case page (a panel
and timeline events) and the person's timeline. Each returns only what the actor may see."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.core.audit import Actor
from hifazat.referrals.models import ReferralEvent, ReferralStatus
from hifazat.referrals.selectors import (
    awaiting_response,
    for_lists,
    incoming_referrals,
    outgoing_referrals,
    pathways_for_area,
)

SHOWN = 10


def worklist(actor: Actor) -> list:
    """ "Incoming referrals" (awaiting the organisation's answer) and "Referrals awaiting a response" (those the
    actor sent; all of the organisation's for a supervisor)."""
    from hifazat.notifications.selectors import WorkItem, WorkSection

    if not actor.can("referrals.view"):
        return []
    sections = []
    for key, title, referrals, list_url, weight in (
        (
            "incoming_referrals",
            gettext_lazy("Incoming referrals"),
            awaiting_response(for_lists(incoming_referrals(actor))),
            reverse("referrals:referral_incoming") + "?status=sent",
            40,
        ),
        (
            "referrals_awaiting_response",
            gettext_lazy("Referrals awaiting a response"),
            awaiting_response(
                for_lists(outgoing_referrals(actor))
                if actor.can("cases.approve")
                else for_lists(outgoing_referrals(actor)).filter(sent_by=actor.user)
            ),
            reverse("referrals:referral_list") + "?status=sent",
            45,
        ),
    ):
        total = referrals.count()
        if not total:
            continue
        items = [
            WorkItem(
                label=f"{r.number} · {r.get_service_display()}",
                url=reverse("referrals:referral_detail", args=[r.uuid]),
                due=r.due_at.date() if r.due_at else None,
                detail=" · ".join(
                    [
                        *([_("Overdue")] if r.is_overdue else []),
                        f"{r.sender_organisation.short_name or r.sender_organisation.name} → {r.provider.name}",
                        str(r.get_urgency_display()),
                    ]
                ),
            )
            for r in referrals[:SHOWN]
        ]
        sections.append(WorkSection(key, title, items, total=total, more_url=list_url, weight=weight))
    return sections


def case_panel(case, actor: Actor):
    """The case's referrals with their status, the "Refer" action, and the pathways of the person's area."""
    from hifazat.cases.panels import CasePanel

    if not actor.can("referrals.view"):
        return None
    household = case.person.household
    area = household.site.area if household is not None else None
    can_refer = actor.can("referrals.send") and case.is_open
    return CasePanel(
        key="referrals",
        title=gettext_lazy("Referrals"),
        template="referrals/_case_panel.html",
        context={
            "referrals": for_lists(outgoing_referrals(actor).filter(case=case)),
            "can_refer": can_refer,
            "refer_case": case if can_refer else None,
            "pathways": pathways_for_area(actor, area),
            "area": area,
        },
        weight=300,
    )


def case_events(case, actor: Actor) -> list:
    """Every step of the case's referrals, as the sender reads them."""
    from hifazat.cases.panels import CaseEvent

    if not actor.can("referrals.view"):
        return []
    events = ReferralEvent.objects.filter(
        referral__in=outgoing_referrals(actor).filter(case=case)
    ).select_related("referral", "by")
    return [
        CaseEvent(
            at=e.at,
            kind="referral",
            text=f"{_('Referral')} {e.referral.number}: {e.get_kind_display()}",
            by=getattr(e.by, "username", ""),
        )
        for e in events
    ]


def person_events(person, actor: Actor) -> list:
    """The person's referrals on their timeline, for the sender's staff who may see referrals."""
    from hifazat.people.selectors import TimelineEvent

    if not actor.can("referrals.view"):
        return []
    referrals = (
        outgoing_referrals(actor)
        .filter(case__person=person)
        .exclude(status__in=[ReferralStatus.AWAITING_APPROVAL, ReferralStatus.CANCELLED])
    )
    return [
        TimelineEvent(
            r.sent_at,
            "referral",
            f"{_('Referral')} {r.number}: {r.get_service_display()}, {r.provider.name} — {r.get_status_display()}",
            getattr(r.sent_by, "username", ""),
        )
        for r in referrals
    ]
