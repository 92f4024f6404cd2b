"""What other parts add to a case: panels on the case page, events on its timeline, checks before it closes.

Parts register from their ``AppConfig.ready``, so that cases never imports them (referrals, tracing and
livelihoods build on cases, not the other way round). Every function returns only what ``actor`` may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

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


# ``panel(case, actor) -> CasePanel | None``
CASE_PANELS: list[Callable[[Case, Actor], CasePanel | None]] = []
# ``events(case, actor) -> list[CaseEvent]``
CASE_TIMELINE_SOURCES: list[Callable[[Case, Actor], list[CaseEvent]]] = []
# ``check(case, outcome) -> list of reasons the case cannot close with that outcome`` (empty: it can).
CLOSURE_CHECKS: list[Callable[[Case, str], list[str]]] = []


def panels_for(case: Case, actor: Actor) -> list[CasePanel]:
    panels = [panel for source in CASE_PANELS if (panel := source(case, actor)) is not None]
    return sorted(panels, key=lambda p: p.weight)


def events_for(case: Case, actor: Actor) -> list[CaseEvent]:
    events = [event for source in CASE_TIMELINE_SOURCES for event in source(case, actor)]
    return sorted(events, key=lambda e: e.at, reverse=True)


def closure_blockers(case: Case, outcome: str) -> list[str]:
    return [reason for check in CLOSURE_CHECKS for reason in check(case, outcome)]
