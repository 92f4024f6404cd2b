"""Reads of cases, scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hifazat.cases.models import Case
from hifazat.core.audit import Actor
from hifazat.core.roles import Role


def cases_visible_to(actor: Actor | None) -> QuerySet[Case]:
    """Supervisors see every case of their organisation; caseworkers the cases they own or are assigned."""
    if actor is None or not actor.can("cases.view"):
        return Case.objects.none()
    cases = Case.objects.filter(organisation=actor.organisation)
    if actor.role == Role.SUPERVISOR:
        return cases
    return cases.filter(Q(owner=actor.user) | Q(caseworker=actor.user))
