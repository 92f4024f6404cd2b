from __future__ import annotations

from django.db.models import QuerySet

from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry


def audit_visible_to(actor: Actor | None) -> QuerySet[AuditEntry]:
    """An administrator sees their own organisation's audit entries, and nobody else's."""
    if actor is None or not actor.can("audit.view"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(organisation=actor.organisation).select_related("user")
