"""What tracing adds to other parts: its menu entry, a panel and timeline events on the case page, the check that keeps a case from closing as reunified before the checklist is complete,
events on the person's timeline, and sections of the work list.

A case's tracing requests are those linked to it and those whose matched child is the case's person.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hifazat.cases.models import Case
from hifazat.cases.panels import CASE_PANELS, CASE_TIMELINE_SOURCES, CLOSURE_CHECKS, CaseEvent, CasePanel
from hifazat.core.audit import Actor
from hifazat.core.navigation import NAVIGATION, Section
from hifazat.notifications.selectors import WORKLIST_SOURCES, WorkItem, WorkSection
from hifazat.people.models import Person
from hifazat.people.selectors import TIMELINE_SOURCES, TimelineEvent
from hifazat.tracing import selectors
from hifazat.tracing.models import BestInterests, ChecklistItem, TracingRequest, TracingStatus

REUNIFIED = "reunified"  # cases.ClosureOutcome.REUNIFIED


def _requests_of_case(case: Case) -> QuerySet[TracingRequest]:
    return TracingRequest.objects.filter(
        Q(case=case) | Q(matched_person_id=case.person_id), organisation_id=case.organisation_id
    )


def closure_check(case: Case, outcome: str) -> list[str]:
    """Why the case cannot close as reunified: no confirmed tracing match for its child, or the reunification
    checklist items still to do, or the reunification not yet recorded. Nothing for other outcomes."""
    if outcome != REUNIFIED:
        return []
    requests = list(_requests_of_case(case).exclude(status=TracingStatus.CLOSED).order_by("-matched_at"))
    if any(r.status == TracingStatus.REUNIFIED for r in requests):
        return []
    matched = [r for r in requests if r.status == TracingStatus.MATCHED]
    if not matched:
        return [_("No tracing request has a confirmed match with this child: confirm the match first.")]
    request = matched[0]
    missing = selectors.checklist_missing(request)
    reasons = [
        _("Reunification checklist of %(number)s: %(item)s (not yet recorded).")
        % {"number": request.number, "item": ChecklistItem(item).label}
        for item in missing
    ]
    if not missing:
        decision = request.checklist.get(item=ChecklistItem.BEST_INTERESTS).outcome
        if decision != BestInterests.REUNIFY:
            reasons.append(_("The best-interests decision is not to reunify."))
        else:
            reasons.append(
                _("Record the reunification of %(number)s on its checklist first.")
                % {"number": request.number}
            )
    return reasons


def case_panel(case: Case, actor: Actor) -> CasePanel | None:
    """The tracing requests of the case, with status and checklist, for those who work on tracing."""
    if not actor.can("tracing.view"):
        return None
    requests = list(
        selectors.requests_visible_to(actor)
        .filter(Q(case=case) | Q(matched_person_id=case.person_id))
        .prefetch_related("checklist")
        .order_by("-received_on")
    )
    is_child = selectors.is_tracing_child(actor, case.person)
    if not requests and not is_child:
        return None
    rows = [
        {
            "request": r,
            "done": len(r.checklist.all()),
            "items": len(ChecklistItem.values),
        }
        for r in requests
    ]
    return CasePanel(
        key="tracing",
        title=gettext_lazy("Family tracing"),
        template="tracing/_case_panel.html",
        context={
            "tracing_rows": rows,
            "tracing_child": is_child,
            "can_manage": actor.can("tracing.manage"),
            "blockers": closure_check(case, REUNIFIED) if case.is_open else [],
        },
        weight=300,
    )


def _request_events(request: TracingRequest) -> list[tuple]:
    """(when, kind, text, by) of one request's steps, with numbers and labels only."""
    events = [
        (
            request.created_at,
            "tracing.request",
            _("Tracing request %(number)s received") % {"number": request.number},
            request.created_by,
        )
    ]
    if request.matched_at:
        events.append(
            (
                request.matched_at,
                "tracing.matched",
                _("Tracing request %(number)s: match confirmed") % {"number": request.number},
                request.matched_by,
            )
        )
    for entry in request.checklist.all():
        text = _("Tracing request %(number)s: %(item)s") % {
            "number": request.number,
            "item": entry.get_item_display(),
        }
        events.append((entry.recorded_at, "tracing.checklist", text, entry.recorded_by))
    if request.status == TracingStatus.REUNIFIED:
        events.append(
            (
                request.modified_at,
                "tracing.reunified",
                _("Tracing request %(number)s: reunified on %(date)s")
                % {"number": request.number, "date": request.reunified_on},
                request.modified_by,
            )
        )
    return events


def _by(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def case_events(case: Case, actor: Actor) -> list[CaseEvent]:
    if not actor.can("tracing.view"):
        return []
    requests = (
        selectors.requests_visible_to(actor)
        .filter(Q(case=case) | Q(matched_person_id=case.person_id))
        .select_related("created_by", "matched_by", "modified_by")
        .prefetch_related("checklist__recorded_by")
    )
    return [
        CaseEvent(at=at, kind=kind, text=text, by=_by(by))
        for request in requests
        for at, kind, text, by in _request_events(request)
    ]


def person_events(person: Person, actor: Actor) -> list[TimelineEvent]:
    """The person's tracing: requests matched to them, their checklist and reunification."""
    if not actor.can("tracing.view"):
        return []
    requests = (
        selectors.requests_for_person(actor, person)
        .select_related("created_by", "matched_by", "modified_by")
        .prefetch_related("checklist__recorded_by")
    )
    return [
        TimelineEvent(at, kind, text, _by(by))
        for request in requests
        for at, kind, text, by in _request_events(request)
        if kind != "tracing.request"
    ]


def worklist(actor: Actor) -> list:
    """Requests with candidates to review, for those who manage tracing; best-interests decisions awaiting a
    supervisor."""
    sections = []
    if actor.can("tracing.manage"):
        found = selectors.requests_to_review(actor)
        if found:
            sections.append(
                WorkSection(
                    key="tracing.candidates",
                    title=gettext_lazy("Tracing requests with new candidates"),
                    items=[
                        WorkItem(
                            label=request.number,
                            url=request.get_absolute_url(),
                            detail=ngettext("%(n)s candidate to review", "%(n)s candidates to review", n)
                            % {"n": n},
                        )
                        for request, n in found[:10]
                    ],
                    total=len(found),
                    more_url=reverse("tracing:request_list") + "?to_review=on",
                    weight=300,
                )
            )
    if actor.can("tracing.approve"):
        waiting = list(selectors.awaiting_best_interests(actor)[:11])
        if waiting:
            sections.append(
                WorkSection(
                    key="tracing.best_interests",
                    title=gettext_lazy("Best-interests decisions awaiting you"),
                    items=[
                        WorkItem(
                            label=request.number,
                            url=reverse("tracing:checklist", args=[request.uuid]),
                            detail=_("Reunification checklist"),
                        )
                        for request in waiting[:10]
                    ],
                    total=len(waiting),
                    weight=301,
                )
            )
    return sections


NAVIGATION.register(
    Section(
        gettext_lazy("Family tracing"),
        "tracing:request_list",
        "tracing.view",
        gettext_lazy("Tracing requests, candidate matches and reunification"),
        weight=100,
    )
)
CASE_PANELS.register(case_panel)
CASE_TIMELINE_SOURCES.register(case_events)
CLOSURE_CHECKS.register(closure_check)
TIMELINE_SOURCES.register(person_events)
WORKLIST_SOURCES.register(worklist)
