"""What referrals add to other parts: menu entries, the work list, the case page (a panel and timeline events),
the person's timeline, an organisation's page and two kinds of approval. Each returns only what the actor may see."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.accounts.panels import ORGANISATION_PANELS
from hifazat.cases.panels import CASE_PANELS, CASE_TIMELINE_SOURCES
from hifazat.cases.services import APPROVAL_KINDS, ApprovalKind
from hifazat.core.audit import Actor
from hifazat.core.navigation import NAVIGATION, Section
from hifazat.notifications.selectors import WORKLIST_SOURCES
from hifazat.people.selectors import TIMELINE_SOURCES
from hifazat.referrals import services
from hifazat.referrals.models import ReferralEvent, ReferralStatus
from hifazat.referrals.selectors import (
    awaiting_response,
    for_lists,
    incoming_referrals,
    outgoing_referrals,
    pathways_for_area,
    providers_visible_to,
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
                url=r.get_absolute_url(),
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


def organisation_panel(organisation, actor: Actor):
    """Who does what where, on an organisation's page: its service points with the services each offers and the
    areas each covers, and the open sites it manages. Providers come from the services directory as the actor
    may see it; sites are reference data every member sees. Nothing when there is nothing to show."""
    from hifazat.accounts.panels import OrganisationPanel
    from hifazat.geography.selectors import sites_visible_to
    from hifazat.referrals.models import ServiceType

    providers = list(providers_visible_to(actor).filter(organisation=organisation).order_by("name"))
    sites = list(
        sites_visible_to(actor).filter(managing_organisation=organisation, is_open=True).order_by("name")
    )
    if not providers and not sites:
        return None
    offered = {s.service for p in providers for s in p.services.all()}
    areas = {a.pk: a for p in providers for a in p.areas.all()} | {s.area.pk: s.area for s in sites}
    return OrganisationPanel(
        key="who-what-where",
        title=gettext_lazy("Who does what where"),
        template="referrals/_organisation_panel.html",
        context={
            "services": [label for value, label in ServiceType.choices if value in offered],
            "providers": providers,
            "sites": sites,
            "areas": sorted(areas.values(), key=lambda a: (a.level, a.name)),
            "can_see_sites": actor.can("geography.view"),
        },
        weight=100,
    )


for section in (
    Section(
        gettext_lazy("Referrals sent"),
        "referrals:referral_list",
        "referrals.view",
        gettext_lazy("Referrals your organisation sent, with their answers"),
        weight=90,
    ),
    Section(
        gettext_lazy("Incoming referrals"),
        "referrals:referral_incoming",
        "referrals.view",
        gettext_lazy("Referrals other organisations sent to yours"),
        weight=92,
    ),
    Section(
        gettext_lazy("Services directory"),
        "referrals:provider_list",
        "services.view",
        gettext_lazy("Who offers which service, where, and whether they accept referrals now"),
        weight=94,
    ),
    Section(
        gettext_lazy("Referral pathways"),
        "referrals:pathway_list",
        "services.view",
        gettext_lazy("The steps to follow in each area"),
        weight=96,
    ),
):
    NAVIGATION.register(section)
WORKLIST_SOURCES.register(worklist)
CASE_PANELS.register(case_panel)
CASE_TIMELINE_SOURCES.register(case_events)
TIMELINE_SOURCES.register(person_events)
ORGANISATION_PANELS.register(organisation_panel)
# A caseworker's requests, decided by a supervisor through the cases part's approvals; the handlers tell the
# requester with the referral's number.
APPROVAL_KINDS.register(
    ApprovalKind(
        services.APPROVAL_CONSENT_OVERRIDE,
        gettext_lazy("Sending a referral without the person's consent"),
        on_approved=services.approval_granted,
        on_refused=services.approval_refused,
        tells_requester=True,
    )
)
APPROVAL_KINDS.register(
    ApprovalKind(
        services.APPROVAL_TRANSFER,
        gettext_lazy("Transferring a case to another organisation"),
        on_approved=services.approval_granted,
        on_refused=services.approval_refused,
        tells_requester=True,
    )
)
