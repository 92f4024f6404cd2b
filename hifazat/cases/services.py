"""Writes to cases, each with its actor and one audit entry: opening, assignment and transfer between
caseworkers, status, closure with a supervisor's approval, and the generic approvals other parts use.

Sub-records (comments, victim context, events, perpetrators, support plans, services, follow-ups) are written by
``hifazat.cases.record_services``.

Approvals: ``approval_request`` records a request for a supervisor's decision about an object (named by kind and
UUID); ``approval_decide`` records the decision and runs the kind's handler (``on_approved`` or
``on_refused`` of its ``ApprovalKind``) in the same transaction, so a handler that refuses undoes the decision.
Other parts register their kinds on the ``cases.approval_kinds`` hook (``APPROVAL_KINDS``) from their
``hooks.py``.
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from hifazat.accounts.models import User
from hifazat.cases import panels
from hifazat.cases.models import (
    CLOSED_STATUSES,
    Approval,
    Case,
    CaseFollowUp,
    CaseHistory,
    CaseOrigin,
    CaseStatus,
    ClosureOutcome,
)
from hifazat.cases.selectors import case_roles_members, cases_visible_to
from hifazat.core import hooks, sequences
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.permissions import roles_that_can
from hifazat.core.versioning import check_version
from hifazat.notifications.services import notify
from hifazat.people.models import Person

A = AuditEntry.Action
H = CaseHistory.Kind

APPROVAL_CLOSURE = "case.closure"


# --- Approvals: the registry other parts add their kinds to ------------------------------------------------------


@dataclass(frozen=True)
class ApprovalKind:
    """A kind of request a supervisor decides: how it reads on the approvals page and what the decision does."""

    kind: str
    label: str | Promise
    # ``handler(approval, actor)``, run inside the decision's transaction when a request of that kind is granted;
    # an exception from it (a ValidationError saying why) undoes the decision.
    on_approved: Callable[[Approval, Actor], Any]
    # The same, run when a request is refused (optional: tell the requester, put the object back).
    on_refused: Callable[[Approval, Actor], Any] | None = None
    # Whether the kind's handlers tell the requester of the decision themselves (with their own numbers);
    # otherwise ``approval_decide`` sends a plain notice.
    tells_requester: bool = False


APPROVAL_KINDS = hooks.define(
    "cases.approval_kinds",
    """An ``ApprovalKind``: a kind of request (a consent override, a transfer) that a supervisor decides through
    the cases part's approvals. Kinds are the same when their ``kind`` codes are: registering one again replaces
    it.""",
    key=lambda approval_kind: approval_kind.kind,
)


def approval_kind_register(
    kind: str,
    *,
    label: str | Promise,
    on_approved: Callable[[Approval, Actor], Any],
    on_refused: Callable[[Approval, Actor], Any] | None = None,
    tells_requester: bool = False,
) -> ApprovalKind:
    """Register an approval kind on the ``cases.approval_kinds`` hook (registering again replaces it)."""
    return APPROVAL_KINDS.register(ApprovalKind(kind, label, on_approved, on_refused, tells_requester))


def approval_kind(kind: str) -> ApprovalKind | None:
    return next((registered for registered in APPROVAL_KINDS if registered.kind == kind), None)


def approval_kind_label(kind: str) -> str | Promise:
    registered = approval_kind(kind)
    return registered.label if registered is not None else kind


# --- Helpers ---------------------------------------------------------------------------------------------------


def check_case(actor: Actor, case: Case) -> None:
    """Refuse a case of another organisation, or one the actor may not see (a caseworker's colleague's)."""
    if case.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this case belongs to another organisation")
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("this case is neither yours nor assigned to you")


def check_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(f"Case {case.number} is closed: reopen it first.")


def log(case: Case, kind: str, actor: Actor | None, **detail: Any) -> CaseHistory:
    return CaseHistory.objects.create(case=case, kind=kind, by=actor.user if actor else None, detail=detail)


def _check_worker(actor: Actor, user: User, field: str) -> None:
    """A caseworker or supervisor of the actor's organisation, with an active account."""
    if user is None or not case_roles_members(actor.organisation).filter(pk=user.pk).exists():
        raise ValidationError({field: "Choose a caseworker or supervisor of your organisation."})


def supervisors_of(organisation) -> Iterable[User]:
    return case_roles_members(organisation, roles=roles_that_can("cases.approve"))


def next_case_number(organisation, year: int) -> str:
    """``<short name>-<year>-<sequence>``, from the organisation's locked counter of cases for the year
    (``core.sequences``); called inside the transaction that creates the case."""
    return sequences.next_number(
        organisation=organisation,
        kind=sequences.Kind.CASE,
        year=year,
        prefix=f"{organisation.short_name or 'CASE'}-{year}-",
        existing=Case.objects.filter(organisation=organisation),
    )


# --- Opening and changing a case -------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    person: Person,
    origin: str,
    summary: str = "",
    caseworker=None,
    origin_uuid: uuid_module.UUID | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case for ``person`` in the actor's organisation, owned by the actor and assigned to ``caseworker``
    (the actor unless another is named; they are told).

    Refused without ``cases.open``, for another organisation's person, and for a merged or removed record. A case
    opened from a screening names it in ``origin_uuid``; it must be a screening of this person.
    """
    require(actor, "cases.open")
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this person belongs to another organisation")
    if not person.is_active or person.merged_into_id:
        raise ValidationError(
            "This record was merged into another or removed: open the case on the current one."
        )
    if origin not in CaseOrigin.values:
        raise ValidationError({"origin": f"Unknown origin {origin!r}."})
    if origin == CaseOrigin.SCREENING and origin_uuid is not None:
        from hifazat.screening.models import Screening

        if not Screening.objects.filter(
            uuid=origin_uuid, person=person, organisation=actor.organisation
        ).exists():
            raise ValidationError({"origin_uuid": "This is not a screening of this person."})
    if caseworker is not None and caseworker != actor.user:
        _check_worker(actor, caseworker, "caseworker")
    opened_on = opened_on or timezone.localdate()
    case = Case(
        organisation=actor.organisation,
        number=next_case_number(actor.organisation, opened_on.year),
        person=person,
        household=person.household,
        owner=actor.user,
        caseworker=caseworker or actor.user,
        origin=origin,
        origin_uuid=origin_uuid,
        summary=summary.strip(),
        opened_on=opened_on,
        created_by=actor.user,
        modified_by=actor.user,
    )
    case.full_clean()
    case.save()
    opened = CaseHistory(case=case, kind=H.OPENED, by=actor.user, detail={"origin": origin})
    if opened_on < timezone.localdate():  # a case entered after the fact: its timeline starts that day
        opened.at = timezone.make_aware(datetime.datetime.combine(opened_on, datetime.time(9)))
    opened.save()
    if case.caseworker_id != actor.user.pk:
        _tell_assigned(case)
    audit(actor, A.CREATE, case, origin=origin)
    return case


def _tell_assigned(case: Case) -> None:
    notify(
        recipients=[case.caseworker],
        kind="case.assigned",
        title=f"Case {case.number} is assigned to you",
        url=case.get_absolute_url(),
        organisation=case.organisation,
    )


@transaction.atomic
def case_update(*, actor: Actor, case: Case, summary: str, version: int | None = None) -> Case:
    """Change the case's summary. ``version`` is the version of the case the editor saw (the form's, the API
    request's): an edit that started from an older one is refused (``EditConflict``), as is one that races
    another."""
    require(actor, "cases.edit")
    check_case(actor, case)
    check_version(case, version)
    summary = summary.strip()
    if case.summary == summary:
        return case
    case.summary = summary
    case.modified_by = actor.user
    case.full_clean()
    case.save(update_fields=["summary", "modified_by"])
    audit(actor, A.UPDATE, case, fields=["summary"])
    return case


@transaction.atomic
def case_assign(
    *, actor: Actor, case: Case, caseworker: User, note: str = "", version: int | None = None
) -> Case:
    """Assign the case to a caseworker (or supervisor) of the organisation, who is told. The owner stays.
    Supervisors only (``cases.assign``). ``version``: as for ``case_update``."""
    require(actor, "cases.assign")
    check_case(actor, case)
    check_version(case, version)
    check_open(case)
    _check_worker(actor, caseworker, "caseworker")
    if case.caseworker_id == caseworker.pk:
        raise ValidationError({"caseworker": "The case is already assigned to them."})
    previous = case.caseworker
    case.caseworker = caseworker
    case.modified_by = actor.user
    case.full_clean()
    case.save(update_fields=["caseworker", "modified_by"])
    _move_open_followups(case, previous, caseworker)
    log(
        case,
        H.ASSIGNED,
        actor,
        to=caseworker.username,
        previous=getattr(previous, "username", ""),
        note=note.strip(),
    )
    _tell_assigned(case)
    audit(actor, A.UPDATE, case, fields=["caseworker"])
    return case


@transaction.atomic
def case_transfer(*, actor: Actor, case: Case, to: User, note: str, version: int | None = None) -> Case:
    """Transfer the case to another caseworker of the organisation: they become its owner and its assigned
    caseworker, and take over its open follow-ups. The reason is required; the new caseworker is told.
    Supervisors only (``cases.assign``). A transfer to another organisation is a referral (referrals part).
    ``version``: as for ``case_update``."""
    require(actor, "cases.assign")
    check_case(actor, case)
    check_version(case, version)
    check_open(case)
    _check_worker(actor, to, "to")
    if not note.strip():
        raise ValidationError({"note": "Say why the case is transferred."})
    if case.owner_id == to.pk and case.caseworker_id == to.pk:
        raise ValidationError({"to": "The case is already theirs."})
    previous_owner, previous_worker = case.owner, case.caseworker
    case.owner = to
    case.caseworker = to
    case.modified_by = actor.user
    case.full_clean()
    case.save(update_fields=["owner", "caseworker", "modified_by"])
    _move_open_followups(case, previous_worker, to)
    log(
        case,
        H.TRANSFERRED,
        actor,
        to=to.username,
        previous=previous_owner.username,
        note=note.strip(),
    )
    _tell_assigned(case)
    audit(actor, A.UPDATE, case, fields=["caseworker", "owner"])
    return case


def _move_open_followups(case: Case, previous: User | None, to: User) -> None:
    if previous is not None and previous.pk != to.pk:
        case.followups.filter(status=CaseFollowUp.Status.OPEN, assigned_to=previous).update(
            assigned_to=to, modified_at=timezone.now(), version=F("version") + 1
        )


@transaction.atomic
def case_status_set(*, actor: Actor, case: Case, status: str, version: int | None = None) -> Case:
    """Move an open case between Active and FollowUp (HTCDS ``cas_Status``). Closing goes through
    ``case_close_request``, reopening through ``case_reopen``. ``version``: as for ``case_update``."""
    require(actor, "cases.edit")
    check_case(actor, case)
    check_version(case, version)
    check_open(case)
    if status not in (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP):
        raise ValidationError(
            {"status": "Choose Active or FollowUp; a case closes with a supervisor's approval."}
        )
    if case.status == status:
        return case
    previous = case.status
    case.status = status
    case.modified_by = actor.user
    case.full_clean()
    case.save(update_fields=["status", "modified_by"])
    log(case, H.STATUS, actor, status=status, previous=previous)
    audit(actor, A.UPDATE, case, fields=["status"], status=status)
    return case


# --- Closure ----------------------------------------------------------------------------------------------------


def pending_closure(case: Case) -> Approval | None:
    return Approval.objects.filter(
        kind=APPROVAL_CLOSURE, target_uuid=case.uuid, decision=Approval.Decision.PENDING
    ).first()


def _check_closable(case: Case, outcome: str) -> None:
    if outcome not in ClosureOutcome.values:
        raise ValidationError({"outcome": f"{outcome!r} is not an outcome a case can close with."})
    blockers = panels.closure_blockers(case, outcome)
    if blockers:
        raise ValidationError({"outcome": [str(reason) for reason in blockers]})


@transaction.atomic
def case_close_request(
    *, actor: Actor, case: Case, outcome: str, reason: str, version: int | None = None
) -> Approval:
    """Ask to close the case with an outcome and the reason (HTCDS ``cas_ReasonForCaseClosure``).

    The closure checks other parts registered (``panels.CLOSURE_CHECKS``) must pass. A caseworker's request waits
    for a supervisor (the organisation's supervisors are told); a supervisor's own closure is recorded as an
    approval they decided, and the case closes at once. ``version``: as for ``case_update``.
    """
    require(actor, "cases.edit")
    check_case(actor, case)
    check_version(case, version)
    check_open(case)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for closing the case."})
    _check_closable(case, outcome)
    if pending_closure(case) is not None:
        raise ValidationError("A closure of this case is already waiting for a supervisor's decision.")
    approval = approval_request(
        actor=actor,
        kind=APPROVAL_CLOSURE,
        target_uuid=case.uuid,
        reason=reason,
        case=case,
        detail={"outcome": outcome},
        tell_supervisors=not actor.can("cases.approve"),
    )
    log(case, H.CLOSURE_REQUESTED, actor, outcome=outcome)
    if actor.can("cases.approve"):
        approval = approval_decide(actor=actor, approval=approval, approved=True)
        case.refresh_from_db()
    return approval


def closure_approved(approval: Approval, actor: Actor) -> None:
    case = Case.objects.select_for_update().get(uuid=approval.target_uuid)
    check_open(case)
    outcome = approval.detail.get("outcome", "")
    _check_closable(case, outcome)  # what blocked it may have changed since the request
    _close(
        actor,
        case,
        status=CaseStatus.CLOSED_REFERRED if outcome == ClosureOutcome.REFERRED else CaseStatus.CLOSED,
        outcome=outcome,
        reason=approval.reason,
        kind=H.CLOSED,
        approval=approval,
    )
    notify(
        recipients=[approval.requested_by, case.caseworker],
        kind="case.closure_approved",
        title=f"Closing case {case.number} was approved",
        url=case.get_absolute_url(),
        organisation=case.organisation,
    )


def closure_refused(approval: Approval, actor: Actor) -> None:
    case = Case.objects.get(uuid=approval.target_uuid)
    log(case, H.CLOSURE_REFUSED, actor, note=approval.decision_note)
    notify(
        recipients=[approval.requested_by, case.caseworker],
        kind="case.closure_refused",
        title=f"Closing case {case.number} was refused",
        url=case.get_absolute_url(),
        organisation=case.organisation,
    )


def _close(
    actor: Actor,
    case: Case,
    *,
    status: str,
    outcome: str,
    reason: str,
    kind: str,
    approval: Approval | None = None,
    on: datetime.date | None = None,
) -> Case:
    """Close the case, cancel its open follow-ups and withdraw any other request about closing it."""
    case.status = status
    case.closure_outcome = outcome
    case.reason_for_closure = reason
    case.closed_on = on or timezone.localdate()
    case.modified_by = actor.user
    case.full_clean()
    case.save(
        update_fields=[
            "status",
            "closure_outcome",
            "reason_for_closure",
            "closed_on",
            "modified_by",
        ]
    )
    now = timezone.now()
    cancelled = case.followups.filter(status=CaseFollowUp.Status.OPEN).update(
        status=CaseFollowUp.Status.CANCELLED,
        closed_at=now,
        closed_by=actor.user,
        outcome="The case closed.",
        modified_at=now,
        version=F("version") + 1,  # an edit of one of them that started before is refused, not written
    )
    others = Approval.objects.filter(
        kind=APPROVAL_CLOSURE, target_uuid=case.uuid, decision=Approval.Decision.PENDING
    )
    if approval is not None:
        others = others.exclude(pk=approval.pk)
    others.update(
        decision=Approval.Decision.WITHDRAWN,
        decided_by=actor.user,
        decided_at=now,
        decision_note="The case was closed otherwise.",
        modified_at=now,
    )
    log(
        case,
        kind,
        actor,
        status=status,
        outcome=outcome,
        approval=str(approval.uuid) if approval else "",
        followups_cancelled=cancelled,
    )
    audit(
        actor,
        A.UPDATE,
        case,
        fields=["status", "closure_outcome", "reason_for_closure", "closed_on"],
        status=status,
        outcome=outcome,
    )
    return case


@transaction.atomic
def case_close_referred(*, actor: Actor, case: Case, note: str) -> Case:
    """Close the case as ``ClosedReferred`` because another organisation accepted its transfer: that transfer
    was already approved by a supervisor, so no second approval is asked. ``note`` becomes the reason for
    closure (no personal values: the receiving organisation and the referral number)."""
    require(actor, "cases.edit")
    if case.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this case belongs to another organisation")
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_open(case)
    if not note.strip():
        raise ValidationError({"note": "Say where the case was transferred."})
    return _close(
        actor,
        case,
        status=CaseStatus.CLOSED_REFERRED,
        outcome=ClosureOutcome.REFERRED,
        reason=note.strip(),
        kind=H.CLOSED_REFERRED,
    )


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, note: str, version: int | None = None) -> Case:
    """Reopen a closed case as Active, saying why (new risk, a closure made in error). Supervisors only; the
    history keeps the closure that is undone. ``version``: as for ``case_update``."""
    require(actor, "cases.approve")
    check_case(actor, case)
    check_version(case, version)
    case.refresh_from_db()
    if case.status not in CLOSED_STATUSES:
        raise ValidationError("The case is open.")
    if not note.strip():
        raise ValidationError({"note": "Say why the case is reopened."})
    previous = {"status": case.status, "outcome": case.closure_outcome}
    case.status = CaseStatus.ACTIVE
    case.closed_on = None
    case.closure_outcome = ""
    case.reason_for_closure = ""
    case.modified_by = actor.user
    case.full_clean()
    case.save(
        update_fields=[
            "status",
            "closed_on",
            "closure_outcome",
            "reason_for_closure",
            "modified_by",
        ]
    )
    log(case, H.REOPENED, actor, note=note.strip(), **previous)
    audit(actor, A.UPDATE, case, fields=["status", "closed_on", "closure_outcome", "reason_for_closure"])
    return case


# --- Approvals ---------------------------------------------------------------------------------------------------


@transaction.atomic
def approval_request(
    *,
    actor: Actor,
    kind: str,
    target_uuid: uuid_module.UUID,
    reason: str,
    case: Case | None = None,
    detail: dict | None = None,
    tell_supervisors: bool = True,
) -> Approval:
    """Ask a supervisor of the actor's organisation to decide about the object ``target_uuid`` of ``kind`` (a
    kind registered with ``approval_kind_register``). ``case`` links the request to a case page; ``detail``
    holds codes the handler needs, never personal values. The organisation's supervisors are told.

    Refused without ``cases.edit``, for a case the actor may not see, for an unknown kind, without a reason,
    and while a request of the same kind about the same object is waiting.
    """
    require(actor, "cases.edit")
    if approval_kind(kind) is None:
        raise ValueError(f"unknown approval kind {kind!r}: register it with approval_kind_register")
    if case is not None:
        check_case(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the request."})
    if Approval.objects.filter(
        kind=kind, target_uuid=target_uuid, decision=Approval.Decision.PENDING
    ).exists():
        raise ValidationError("A request about this is already waiting for a supervisor's decision.")
    approval = Approval(
        organisation=actor.organisation,
        case=case,
        kind=kind,
        target_uuid=target_uuid,
        requested_by=actor.user,
        reason=reason.strip(),
        detail=detail or {},
        created_by=actor.user,
        modified_by=actor.user,
    )
    approval.full_clean()
    approval.save()
    if tell_supervisors:
        subject = f"case {case.number}" if case is not None else str(target_uuid)[:8]
        notify(
            recipients=[u for u in supervisors_of(actor.organisation) if u.pk != actor.user.pk],
            kind="approval.requested",
            title=f"Approval requested: {kind} for {subject}",
            url=reverse("cases:approval_list"),
            organisation=actor.organisation,
        )
    audit(actor, A.CREATE, approval, kind=kind, target=str(target_uuid))
    return approval


@transaction.atomic
def approval_decide(*, actor: Actor, approval: Approval, approved: bool, note: str = "") -> Approval:
    """A supervisor's decision on a waiting request. A refusal needs a note saying why. The kind's handler runs
    in the same transaction (an error from it undoes the decision); the requester is told.

    Refused without ``cases.approve``, for another organisation's request, and for a request already decided.
    """
    require(actor, "cases.approve")
    if approval.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this request belongs to another organisation")
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if not approval.is_pending:
        raise ValidationError("This request has already been decided.")
    note = note.strip()
    if not approved and not note:
        raise ValidationError({"note": "Say why the request is refused."})
    approval.decision = Approval.Decision.APPROVED if approved else Approval.Decision.REFUSED
    approval.decided_by = actor.user
    approval.decided_at = timezone.now()
    approval.decision_note = note
    approval.modified_by = actor.user
    approval.full_clean()
    approval.save()
    kind = approval_kind(approval.kind)
    handler = kind and (kind.on_approved if approved else kind.on_refused)
    if handler is not None:
        handler(approval, actor)
    if approval.requested_by_id != actor.user.pk and not (kind and kind.tells_requester):
        notify(
            recipients=[approval.requested_by],
            kind=f"approval.{approval.decision}",
            title=f"Your request ({approval.kind}) was {approval.decision}",
            url=approval.case.get_absolute_url() if approval.case_id else reverse("notifications:work"),
            organisation=approval.organisation,
        )
    audit(actor, A.UPDATE, approval, fields=["decision"], kind=approval.kind, decision=approval.decision)
    return approval
