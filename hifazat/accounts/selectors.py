"""Reads of organisations and users, starting from what the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from hifazat.accounts.models import Organisation, User
from hifazat.core.audit import Actor


def organisations_visible_to(actor: Actor | None) -> QuerySet[Organisation]:
    """The directory of active organisations: names and types are shared, so that partners can refer and
    report to each other. Nothing else about an organisation is exposed through it."""
    if actor is None or not actor.can("organisations.view"):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True)


def users_visible_to(actor: Actor | None) -> QuerySet[User]:
    """Users of the administrator's own organisation; nobody else's."""
    if actor is None or not actor.can("users.manage"):
        return User.objects.none()
    return (
        User.objects.filter(memberships__organisation=actor.organisation)
        .distinct()
        .prefetch_related("memberships")
    )
