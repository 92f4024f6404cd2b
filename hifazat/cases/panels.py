"""What other parts add to a case: panels on the case page, events on its timeline, checks before it closes.

Parts register on these hooks from their ``hooks.py``, so that cases never imports them (referrals, tracing and
livelihoods build on cases, not the other way round). Every function returns only what ``actor`` may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from hifazat.core import hooks
from hifazat.core.audit import Actor

if TYPE_CHECKING:
    from hifazat.cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    """A section of the case page, rendered from ``template`` with ``context`` (plus ``case`` and ``actor``)."""

    key: str
    title: str | Promise
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    weight: int = 500


@dataclass(frozen=True)
class CaseEvent:
    """One line of the case's timeline."""

    at: datetime.datetime
    kind: str
    text: str | Promise
    by: str = ""


CASE_PANELS = hooks.define(
    "cases.panels",
    """``panel(case, actor) -> CasePanel | None``: a section of the case page, or None when the actor may see
    nothing of it.""",
)
CASE_TIMELINE_SOURCES = hooks.define(
    "cases.timeline",
    """``events(case, actor) -> list[CaseEvent]``: the case's events from another part that ``actor`` may see.""",
)
CLOSURE_CHECKS = hooks.define(
    "cases.closure_checks",
    """``check(case, outcome) -> list[str]``: the reasons the case cannot close with ``outcome`` (empty: it can).""",
)


def panels_for(case: Case, actor: Actor) -> list[CasePanel]:
    panels = [panel for source in CASE_PANELS if (panel := source(case, actor)) is not None]
    return sorted(panels, key=lambda p: p.weight)


def events_for(case: Case, actor: Actor) -> list[CaseEvent]:
    events = [event for source in CASE_TIMELINE_SOURCES for event in source(case, actor)]
    return sorted(events, key=lambda e: e.at, reverse=True)


def closure_blockers(case: Case, outcome: str) -> list[str]:
    return [reason for check in CLOSURE_CHECKS for reason in check(case, outcome)]
