"""Who is acting, and the audit entries that services and access helpers write.

Every service takes ``actor=`` (an :class:`Actor`); views get theirs from ``request.actor``, set by
``accounts.middleware.MembershipMiddleware``; commands and the demo build one with ``Actor.for_user``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

from hifazat.core.models import AuditEntry
from hifazat.core.permissions import role_can

if TYPE_CHECKING:
    from hifazat.accounts.models import Organisation, User


@dataclass(frozen=True)
class Actor:
    """A user acting as a member of one organisation in one role, from one address."""

    user: User
    organisation: Organisation | None
    role: str | None
    ip: str | None = None

    @classmethod
    def for_user(cls, user: User, ip: str | None = None) -> Actor:
        """The actor for ``user`` through their active membership (none: an actor who may do nothing)."""
        membership = user.active_membership()
        if membership is None:
            return cls(user=user, organisation=None, role=None, ip=ip)
        return cls(user=user, organisation=membership.organisation, role=membership.role, ip=ip)

    def can(self, action: str) -> bool:
        return self.organisation is not None and self.organisation.is_active and role_can(self.role, action)


def object_type(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def audit(
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    *,
    object_kind: str = "",
    ip: str | None = None,
    **detail: Any,
) -> AuditEntry:
    """Append one audit entry. ``detail`` must hold no personal values: field names, counts and codes only."""
    return AuditEntry.objects.create(
        user=actor.user if actor else None,
        organisation=actor.organisation if actor else None,
        role=(actor.role or "") if actor else "",
        action=action,
        object_type=object_type(obj) if obj is not None else object_kind,
        object_uuid=getattr(obj, "uuid", None),
        ip=ip or (actor.ip if actor else None),
        detail=detail,
    )


def audit_read(actor: Actor, obj: models.Model, **detail: Any) -> AuditEntry:
    """Record that ``actor`` opened a sensitive record (a person, a case, a user's profile)."""
    return audit(actor, AuditEntry.Action.READ, obj, **detail)


def audit_list(
    actor: Actor, model: type[models.Model], *, count: int, total: int, filters: Iterable[str] = ()
) -> AuditEntry:
    """Record that ``actor`` listed sensitive records (people, cases): the model, how many rows they were sent
    (``count``) out of how many matched (``total``), and the NAMES of the filters used, never their values (a
    search for a name or a phone number must not reach the log)."""
    return audit(
        actor,
        AuditEntry.Action.READ,
        object_kind=object_type(model),
        count=count,
        total=total,
        filters=sorted(set(filters)),
    )


def changed_fields(instance: models.Model, data: dict[str, Any]) -> list[str]:
    """The names of the fields in ``data`` whose values differ from ``instance``: what an update audit records."""
    return sorted(name for name, value in data.items() if getattr(instance, name) != value)
