"""Reads of cases, their follow-ups and approvals, scoped to what the actor may see; the case's timeline."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hifazat.accounts.models import User
from hifazat.cases.models import Approval, Case, CaseFollowUp, Perpetrator
from hifazat.core.audit import Actor
from hifazat.core.permissions import roles_that_can

# Roles that work on cases: who can be assigned one.
CASE_ROLES = roles_that_can("cases.edit")


def cases_visible_to(actor: Actor | None) -> QuerySet[Case]:
    """Supervisors see every case of their organisation; caseworkers the cases they own or are assigned."""
    if actor is None or not actor.can("cases.view"):
        return Case.objects.none()
    cases = Case.objects.filter(organisation=actor.organisation)
    if actor.can("cases.view_all"):
        return cases
    return cases.filter(Q(owner=actor.user) | Q(caseworker=actor.user))


def case_uuids_numbered(actor: Actor | None, number: str) -> list:
    """For the audit page's record filter (``core.selectors.AUDIT_RECORD_FINDERS``): the UUID of the case of the
    actor's organisation numbered ``number``, for an actor who may read that organisation's audit log. Another
    organisation's case number finds nothing, exactly as a number that does not exist."""
    if actor is None or not actor.can("audit.view") or not number:
        return []
    numbers = {number, number.upper()}
    # Served by the unique constraint on (organisation, number).
    return list(
        Case.objects.filter(organisation=actor.organisation, number__in=numbers).values_list(
            "uuid", flat=True
        )
    )


def case_roles_members(organisation, roles=CASE_ROLES) -> QuerySet[User]:
    """Active users of ``organisation`` in one of ``roles`` (by default those who can hold a case)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def with_overdue_followups(cases: QuerySet[Case], today: datetime.date | None = None) -> QuerySet[Case]:
    """Annotate ``has_overdue``: the case has an open follow-up past its due date."""
    today = today or timezone.localdate()
    overdue = CaseFollowUp.objects.filter(
        case=OuterRef("pk"), status=CaseFollowUp.Status.OPEN, due_on__lt=today
    )
    return cases.annotate(has_overdue=Exists(overdue))


def case_followups_visible_to(actor: Actor | None) -> QuerySet[CaseFollowUp]:
    """The follow-ups of the cases the actor may see."""
    return CaseFollowUp.objects.filter(case__in=cases_visible_to(actor))


def followups_due(actor: Actor, *, within_days: int = 7, today: datetime.date | None = None):
    """Open follow-ups due within ``within_days`` or overdue that are the actor's: assigned to them, or
    unassigned on a case assigned to them. A supervisor also sees every overdue one of the organisation."""
    today = today or timezone.localdate()
    mine = Q(assigned_to=actor.user) | Q(assigned_to__isnull=True, case__caseworker=actor.user)
    if actor.can("cases.approve"):
        mine |= Q(due_on__lt=today)
    return (
        case_followups_visible_to(actor)
        .filter(
            mine, status=CaseFollowUp.Status.OPEN, due_on__lte=today + datetime.timedelta(days=within_days)
        )
        .select_related("case", "assigned_to")
        .order_by("due_on", "id")
    )


def approvals_visible_to(actor: Actor | None) -> QuerySet[Approval]:
    """Supervisors see their organisation's requests; caseworkers the requests they made."""
    if actor is None or not actor.can("cases.view"):
        return Approval.objects.none()
    approvals = Approval.objects.filter(organisation=actor.organisation).select_related(
        "case", "requested_by", "decided_by"
    )
    if actor.can("cases.approve"):
        return approvals
    return approvals.filter(requested_by=actor.user)


def awaiting_approval(actor: Actor) -> QuerySet[Approval]:
    """The requests waiting for a decision that ``actor`` may take, oldest first."""
    if not actor.can("cases.approve"):
        return Approval.objects.none()
    return (
        approvals_visible_to(actor).filter(decision=Approval.Decision.PENDING).order_by("requested_at", "id")
    )


def perpetrator_links(actor: Actor, perpetrators) -> dict[int, list[Case]]:
    """For each perpetrator, the other cases the actor may see that name someone with the same phone or
    identity number (matched through the blind indexes: the numbers themselves are never compared)."""
    phones = {p.phone_index for p in perpetrators if p.phone_index}
    numbers = {p.identity_number_index for p in perpetrators if p.identity_number_index}
    if not phones and not numbers:
        return {}
    matches = list(
        Perpetrator.objects.filter(case__in=cases_visible_to(actor))
        .filter(Q(phone_index__in=phones) | Q(identity_number_index__in=numbers))
        .select_related("case")
    )
    links: dict[int, list[Case]] = {}
    for p in perpetrators:
        others = {
            m.case.pk: m.case
            for m in matches
            if m.case_id != p.case_id
            and (
                (p.phone_index and m.phone_index == p.phone_index)
                or (p.identity_number_index and m.identity_number_index == p.identity_number_index)
            )
        }
        if others:
            links[p.pk] = sorted(others.values(), key=lambda c: c.number)
    return links
