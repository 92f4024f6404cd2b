"""The case's timeline: its own history, comments, plans, services, follow-ups and approvals, with the events
other parts add (``panels.events_for``), newest first. Lines carry codes, numbers and labels, and the comment
text for those who may read the case."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.cases import panels
from hifazat.cases.models import Approval, Case, CaseFollowUp, CaseHistory, CaseStatus, ClosureOutcome
from hifazat.cases.panels import CaseEvent
from hifazat.cases.services import APPROVAL_CLOSURE, approval_kind_label
from hifazat.core.audit import Actor
from hifazat.screening.models import TraffickingStatus

# How a correction and a removal of each kind of record read on the timeline (``records.RECORD_KINDS``).
RECORD_LABELS = {
    "historic_event": (gettext_lazy("Historic event corrected"), gettext_lazy("Historic event removed")),
    "perpetrator": (gettext_lazy("Perpetrator corrected"), gettext_lazy("Perpetrator removed")),
    "support_plan": (gettext_lazy("Support plan corrected"), gettext_lazy("Support plan removed")),
    "service": (gettext_lazy("Service delivered corrected"), gettext_lazy("Service delivered removed")),
    "followup": (gettext_lazy("Follow-up corrected"), gettext_lazy("Follow-up removed")),
}


def _name(user) -> str:
    return getattr(user, "username", "") if user is not None else ""


def _history_text(row: CaseHistory) -> str:
    d, label = row.detail, row.get_kind_display()
    if row.kind in (CaseHistory.Kind.ASSIGNED, CaseHistory.Kind.TRANSFERRED):
        text = f"{label}: {d.get('to', '')}"
        return f"{text} — {d['note']}" if d.get("note") else text
    if row.kind == CaseHistory.Kind.STATUS:
        return f"{label}: {CaseStatus(d['status']).label}" if d.get("status") in CaseStatus.values else label
    if row.kind == CaseHistory.Kind.TRAFFICKING_STATUS and d.get("status") in TraffickingStatus.values:
        return f"{label}: {TraffickingStatus(d['status']).label}"
    if row.kind in (CaseHistory.Kind.CLOSURE_REQUESTED, CaseHistory.Kind.CLOSED):
        outcome = d.get("outcome")
        return f"{label}: {ClosureOutcome(outcome).label}" if outcome in ClosureOutcome.values else label
    if row.kind in (CaseHistory.Kind.RECORD_CHANGED, CaseHistory.Kind.RECORD_REMOVED):
        changed, removed = RECORD_LABELS.get(d.get("record"), (label, label))
        if row.kind == CaseHistory.Kind.RECORD_CHANGED:
            return str(changed)
        return f"{removed} — {d['reason']}" if d.get("reason") else str(removed)
    if row.kind in (CaseHistory.Kind.CLOSURE_REFUSED, CaseHistory.Kind.REOPENED) and d.get("note"):
        return f"{label}: {d['note']}"
    return str(label)


def own_events(case: Case) -> list[CaseEvent]:
    events = [
        CaseEvent(at=row.at, kind=f"case.{row.kind}", text=_history_text(row), by=_name(row.by))
        for row in case.history.select_related("by")
    ]
    for comment in case.comments.select_related("created_by"):
        events.append(
            CaseEvent(
                at=comment.created_at,
                kind="case.comment",
                text=_("Comment: %(text)s") % {"text": Truncator(comment.body).chars(160)},
                by=_name(comment.created_by),
            )
        )
    for plan in case.support_plans.select_related("created_by"):
        events.append(
            CaseEvent(
                plan.created_at,
                "case.plan",
                _("Support plan: %(type)s") % {"type": plan.get_plan_type_display()},
                _name(plan.created_by),
            )
        )
        if plan.actual_end_date:
            events.append(
                CaseEvent(
                    at_day(plan.actual_end_date),
                    "case.plan_ended",
                    _("Support plan ended: %(type)s") % {"type": plan.get_plan_type_display()},
                )
            )
    for service in case.services.select_related("created_by"):
        events.append(
            CaseEvent(
                at_day(service.delivered_on),
                "case.service",
                _("Service delivered: %(service)s") % {"service": service.get_service_display()}
                + (f" ({service.provided_by})" if service.provided_by else ""),
                _name(service.created_by),
            )
        )
    for followup in case.followups.select_related("created_by", "closed_by"):
        events.append(
            CaseEvent(
                followup.created_at,
                "case.followup",
                _("Follow-up set: %(purpose)s, due %(due)s")
                % {"purpose": followup.purpose, "due": f"{followup.due_on:%Y-%m-%d}"},
                _name(followup.created_by),
            )
        )
        if followup.status != CaseFollowUp.Status.OPEN and followup.closed_at:
            events.append(
                CaseEvent(
                    followup.closed_at,
                    "case.followup_closed",
                    _("Follow-up %(status)s: %(purpose)s")
                    % {"status": followup.get_status_display().lower(), "purpose": followup.purpose},
                    _name(followup.closed_by),
                )
            )
    # Closure requests and decisions are in the case's history; other kinds come from other parts.
    for approval in case.approvals.exclude(kind=APPROVAL_CLOSURE).select_related(
        "requested_by", "decided_by"
    ):
        events.append(
            CaseEvent(
                approval.requested_at,
                "case.approval",
                _("Approval requested: %(kind)s") % {"kind": approval_kind_label(approval.kind)},
                _name(approval.requested_by),
            )
        )
        if approval.decided_at and approval.decision != Approval.Decision.WITHDRAWN:
            events.append(
                CaseEvent(
                    approval.decided_at,
                    "case.approval_decided",
                    f"{approval_kind_label(approval.kind)}: {approval.get_decision_display()}",
                    _name(approval.decided_by),
                )
            )
    return events


def at_day(day: datetime.date) -> datetime.datetime:
    """A date on the timeline: noon of that day in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def case_timeline(case: Case, actor: Actor) -> list[CaseEvent]:
    """Everything that happened on the case that ``actor`` may see, newest first."""
    events = own_events(case) + panels.events_for(case, actor)
    return sorted(events, key=lambda e: e.at, reverse=True)
