"""Writes to cases, each with its actor and one audit entry."""

from __future__ import annotations

import datetime
import uuid as uuid_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hifazat.cases.models import Case, CaseOrigin
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.people.models import Person

A = AuditEntry.Action


def next_case_number(organisation, year: int) -> str:
    """``<short name>-<year>-<sequence>``, counted per organisation and year. Called inside the transaction that
    creates the case; the unique constraint refuses a number taken by a concurrent writer."""
    prefix = f"{organisation.short_name or 'CASE'}-{year}-"
    taken = (
        Case.objects.select_for_update().filter(organisation=organisation, number__startswith=prefix).count()
    )
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    person: Person,
    origin: str,
    summary: str = "",
    caseworker=None,
    origin_uuid: uuid_module.UUID | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case for ``person`` in the actor's organisation, owned by the actor.

    Refused without ``cases.open``, for another organisation's person, and for a merged or removed record.
    """
    require(actor, "cases.open")
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this person belongs to another organisation")
    if not person.is_active or person.merged_into_id:
        raise ValidationError(
            "This record was merged into another or removed: open the case on the current one."
        )
    if origin not in CaseOrigin.values:
        raise ValidationError({"origin": f"Unknown origin {origin!r}."})
    opened_on = opened_on or timezone.localdate()
    case = Case(
        organisation=actor.organisation,
        number=next_case_number(actor.organisation, opened_on.year),
        person=person,
        household=person.household,
        owner=actor.user,
        caseworker=caseworker or actor.user,
        origin=origin,
        origin_uuid=origin_uuid,
        summary=summary,
        opened_on=opened_on,
        created_by=actor.user,
        modified_by=actor.user,
    )
    case.full_clean()
    case.save()
    audit(actor, A.CREATE, case, origin=origin)
    return case
