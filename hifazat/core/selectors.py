from __future__ import annotations

import uuid

from django.db.models import QuerySet

from hifazat.core import hooks
from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry

AUDIT_RECORD_FINDERS = hooks.define(
    "core.audit_record_finders",
    """``finder(actor, text) -> Iterable[uuid.UUID]``, from parts whose records have a number people type (a
    case number): the UUIDs of the records *of the actor's organisation* whose number is ``text`` (so that nobody
    can probe another organisation's numbers through the audit page), or nothing.""",
)


def audit_visible_to(actor: Actor | None) -> QuerySet[AuditEntry]:
    """An administrator sees their own organisation's audit entries, and nobody else's."""
    if actor is None or not actor.can("audit.view"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(organisation=actor.organisation).select_related("user")


def audit_record_uuids(actor: Actor | None, text: str) -> list[uuid.UUID]:
    """The records the audit page's "person or case" filter names: a UUID as typed, or the UUIDs of the actor's
    organisation's records whose number is ``text``, found by the registered finders. Nothing for an actor who
    may not read the audit log."""
    if actor is None or not actor.can("audit.view"):
        return []
    text = text.strip()
    try:
        return [uuid.UUID(text)]
    except ValueError:
        pass
    found: list[uuid.UUID] = []
    for finder in AUDIT_RECORD_FINDERS:
        found.extend(finder(actor, text))
    return found
