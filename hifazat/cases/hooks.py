"""What cases add to other parts: menu entries, the work list ("My cases", "Case follow-ups due and overdue",
"Awaiting my approval"), the person's timeline and the audit page's case-number finder. Each returns only what the actor
may see, and nothing for roles it does not concern."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.cases.models import OPEN_STATUSES
from hifazat.cases.selectors import (
    awaiting_approval,
    case_uuids_numbered,
    cases_visible_to,
    followups_due,
    with_overdue_followups,
)
from hifazat.cases.services import (
    APPROVAL_CLOSURE,
    approval_kind_label,
    approval_kind_register,
    closure_approved,
    closure_refused,
)
from hifazat.cases.timeline import at_day
from hifazat.core.audit import Actor
from hifazat.core.navigation import NAVIGATION, Section
from hifazat.core.selectors import AUDIT_RECORD_FINDERS
from hifazat.core.text import isolated
from hifazat.notifications.selectors import WORKLIST_SOURCES, WorkItem, WorkSection
from hifazat.people.selectors import TIMELINE_SOURCES

SHOWN = 10

NAVIGATION.register(
    Section(
        gettext_lazy("Cases"),
        "cases:case_list",
        "cases.view",
        gettext_lazy("Cases of people at risk and victims: plans, services, follow-ups"),
        weight=80,
    )
)
NAVIGATION.register(
    Section(
        gettext_lazy("Approvals"),
        "cases:approval_list",
        "cases.approve",
        gettext_lazy("Requests waiting for a supervisor's decision"),
        weight=82,
    )
)
AUDIT_RECORD_FINDERS.register(case_uuids_numbered)
# The cases part's own kind of approval: closing a case (other parts add theirs from their own hooks).
approval_kind_register(
    APPROVAL_CLOSURE,
    label=gettext_lazy("Closing a case"),
    on_approved=closure_approved,
    on_refused=closure_refused,
    tells_requester=True,
)


@WORKLIST_SOURCES.register
def worklist(actor: Actor) -> list:
    if not actor.can("cases.view"):
        return []
    sections = []
    mine = with_overdue_followups(
        cases_visible_to(actor).filter(caseworker=actor.user, status__in=OPEN_STATUSES)
    ).order_by("-has_overdue", "opened_on", "id")
    total = mine.count()
    if total:
        items = [
            WorkItem(
                label=case.number,
                url=case.get_absolute_url(),
                detail=_("%(status)s · opened %(date)s")
                % {"status": case.get_status_display(), "date": isolated(f"{case.opened_on:%Y-%m-%d}")}
                + (" · " + _("follow-up overdue") if case.has_overdue else ""),
            )
            for case in mine[:SHOWN]
        ]
        sections.append(
            WorkSection(
                "my_cases",
                gettext_lazy("My cases"),
                items,
                total=total,
                more_url=reverse("cases:case_list") + "?mine=on",
                weight=20,
            )
        )
    due = followups_due(actor)
    total = due.count()
    if total:
        items = [
            WorkItem(
                label=f"{f.case.number} · {f.purpose}",
                url=f.case.get_absolute_url() + "#followups",
                due=f.due_on,
                detail=getattr(f.assigned_to, "username", ""),
            )
            for f in due[:SHOWN]
        ]
        sections.append(
            WorkSection(
                "case_followups_due",
                gettext_lazy("Case follow-ups due and overdue"),
                items,
                total=total,
                more_url=reverse("cases:case_list") + "?overdue=on",
                weight=25,
            )
        )
    pending = awaiting_approval(actor)
    total = pending.count()
    if total:
        items = [
            WorkItem(
                label=f"{approval_kind_label(a.kind)}" + (f" · {a.case.number}" if a.case_id else ""),
                url=reverse("cases:approval_list"),
                detail=_("requested by %(user)s on %(date)s")
                % {"user": a.requested_by.username, "date": f"{a.requested_at:%Y-%m-%d}"},
            )
            for a in pending[:SHOWN]
        ]
        sections.append(
            WorkSection(
                "awaiting_my_approval",
                gettext_lazy("Awaiting my approval"),
                items,
                total=total,
                more_url=reverse("cases:approval_list"),
                weight=15,
            )
        )
    return sections


@TIMELINE_SOURCES.register
def person_events(person, actor: Actor) -> list:
    """The person's cases on their timeline: opened and closed, for those who may see the case."""
    from hifazat.people.selectors import TimelineEvent

    if not actor.can("cases.view"):
        return []
    events = []
    for case in cases_visible_to(actor).filter(person=person).select_related("owner"):
        # A case entered after the fact starts on the day it was opened, not the day it was typed in.
        entered_later = case.opened_on < timezone.localdate(case.created_at)
        events.append(
            TimelineEvent(
                at_day(case.opened_on) if entered_later else case.created_at,
                "case",
                _("Case %(number)s opened: %(origin)s")
                % {"number": case.number, "origin": case.get_origin_display()},
                case.owner.username,
            )
        )
        if case.closed_on:
            events.append(
                TimelineEvent(
                    at_day(case.closed_on),
                    "case",
                    _("Case %(number)s: %(status)s")
                    % {"number": case.number, "status": case.get_status_display()},
                )
            )
    return events
