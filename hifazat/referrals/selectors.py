"""Reads of the services directory and of referrals, starting from what the actor may see.

The directory is shared reference data: every staff member sees every active provider and pathway. A referral
is seen by two organisations in two ways: the sender (with its case) and the receiver (the snapshot only).
``referral_side`` says which one the actor is on; pages and the API show the receiver nothing but the snapshot.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from hifazat.cases.selectors import cases_visible_to
from hifazat.core.audit import Actor
from hifazat.geography.models import AdminArea
from hifazat.referrals.models import (
    RECEIVED_STATUSES,
    Pathway,
    PathwayStep,
    ProvidedService,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ServiceProvider,
)

SENDER, RECEIVER = "sender", "receiver"


def providers_visible_to(actor: Actor | None) -> QuerySet[ServiceProvider]:
    """Every active provider, with its organisation, services and areas."""
    if actor is None or not actor.can("services.view"):
        return ServiceProvider.objects.none()
    return (
        ServiceProvider.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("services", "areas")
    )


def providers_managed_by(actor: Actor | None) -> QuerySet[ServiceProvider]:
    """Providers the actor may change: their own organisation's; the hosting organisation keeps the whole
    directory (many providers have no users of their own)."""
    if actor is None or not actor.can("services.manage"):
        return ServiceProvider.objects.none()
    providers = ServiceProvider.objects.select_related("organisation").prefetch_related("services", "areas")
    if actor.organisation.hosts_system:
        return providers
    return providers.filter(organisation=actor.organisation)


def area_and_ancestors(area: AdminArea) -> list[int]:
    """The keys of ``area`` and the areas above it: a provider or pathway for any of them covers ``area``."""
    return [area.pk, *(a.pk for a in area.ancestors())]


def providers_covering(queryset: QuerySet[ServiceProvider], area: AdminArea) -> QuerySet[ServiceProvider]:
    """Providers that serve ``area``: they cover it or an area above it."""
    return queryset.filter(areas__in=area_and_ancestors(area)).distinct()


def providers_offering(queryset: QuerySet[ServiceProvider], service: str) -> QuerySet[ServiceProvider]:
    return queryset.filter(pk__in=ProvidedService.objects.filter(service=service).values("provider"))


def pathways_visible_to(actor: Actor | None) -> QuerySet[Pathway]:
    if actor is None or not actor.can("services.view"):
        return Pathway.objects.none()
    steps = PathwayStep.objects.select_related("provider__organisation").order_by("order")
    return (
        Pathway.objects.filter(is_active=True)
        .select_related("area", "organisation")
        .prefetch_related(Prefetch("steps", queryset=steps))
    )


def pathways_managed_by(actor: Actor | None) -> QuerySet[Pathway]:
    """Pathways the actor may change: their own organisation's, or all for the hosting organisation."""
    if actor is None or not actor.can("services.manage"):
        return Pathway.objects.none()
    pathways = Pathway.objects.select_related("area", "organisation")
    if actor.organisation.hosts_system:
        return pathways
    return pathways.filter(organisation=actor.organisation)


def pathways_for_area(actor: Actor | None, area: AdminArea | None) -> QuerySet[Pathway]:
    """The pathways that apply in ``area``: those of the area itself and of the areas above it, nearest first."""
    if area is None:
        return Pathway.objects.none()
    return (
        pathways_visible_to(actor).filter(area__in=area_and_ancestors(area)).order_by("-area__level", "title")
    )


# --- Referrals ------------------------------------------------------------------------------------------------


def _with_relations(referrals: QuerySet[Referral], *, case: bool = True) -> QuerySet[Referral]:
    """The rows lists and pages show with a referral. The receiver's never load the sender's case."""
    related = ["provider", "sender_organisation", "receiver_organisation", "sent_by"]
    return referrals.select_related(*related, *(["case"] if case else []))


def outgoing_referrals(actor: Actor | None) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent: all of them for a supervisor; for a caseworker, those they sent
    and those of the cases they may see."""
    if actor is None or not actor.can("referrals.view"):
        return Referral.objects.none()
    referrals = Referral.objects.filter(sender_organisation=actor.organisation)
    if not actor.can("cases.view_all"):
        referrals = referrals.filter(Q(sent_by=actor.user) | Q(case__in=cases_visible_to(actor)))
    return _with_relations(referrals)


def incoming_referrals(actor: Actor | None) -> QuerySet[Referral]:
    """Referrals sent to the actor's organisation. Those still awaiting the sender's approval, or not sent,
    are not the receiver's to see."""
    if actor is None or not actor.can("referrals.view"):
        return Referral.objects.none()
    return _with_relations(
        Referral.objects.filter(receiver_organisation=actor.organisation, status__in=RECEIVED_STATUSES),
        case=False,
    )


def referrals_visible_to(actor: Actor | None) -> QuerySet[Referral]:
    """Outgoing and incoming referrals together: the lookup for a referral's page."""
    if actor is None or not actor.can("referrals.view"):
        return Referral.objects.none()
    return _with_relations(
        Referral.objects.filter(
            Q(pk__in=outgoing_referrals(actor).values("pk"))
            | Q(pk__in=incoming_referrals(actor).values("pk"))
        ),
        case=False,
    )


def referral_side(actor: Actor, referral: Referral) -> str:
    """Whether the actor reads ``referral`` as its sender or its receiver (a referral never stays inside one
    organisation: the database refuses it)."""
    return SENDER if referral.sender_organisation_id == actor.organisation.pk else RECEIVER


def referral_events(referral: Referral, side: str) -> QuerySet[ReferralEvent]:
    """The status timeline, oldest first; the receiver does not see the sender's internal steps."""
    events = referral.events.select_related("by", "organisation")
    return events if side == SENDER else events.filter(sender_only=False)


def for_lists(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Lists show the status, never the shared parts: the snapshot stays in the database."""
    return referrals.defer("snapshot_encrypted", "override_reason")


def awaiting_response(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.filter(status=ReferralStatus.SENT).order_by("due_at")
