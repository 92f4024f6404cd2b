"""Writes to what a case holds: trafficking status, victim context, historic events, perpetrators, comments,
support plans, services delivered and follow-ups. Each checks ``cases.edit`` (the trafficking status: the
supervisor's decision), that the actor may see the case, and writes one audit entry with no personal values.

Only comments may be added to a closed case; everything else needs it open.

Historic events, perpetrators, support plans, services and follow-ups can be corrected and removed, by those who
may add them, while the case is open. Edits take the ``version`` the editor saw (``core.versioning``) and write
only the fields that changed; a removal keeps the row (marked removed, with who, when and why) and both leave a
line in the case's history (``CaseHistory``), which the case's timeline shows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hifazat.accounts.models import User
from hifazat.cases import htcds
from hifazat.cases.models import (
    Case,
    CaseComment,
    CaseFollowUp,
    CaseHistory,
    CaseRecord,
    HistoricEvent,
    Perpetrator,
    ServiceDelivery,
    SupportPlan,
)
from hifazat.cases.selectors import case_roles_members
from hifazat.cases.services import check_case, check_open, log
from hifazat.core import crypto
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.versioning import changed_fields as set_changed
from hifazat.core.versioning import check_version
from hifazat.people.models import Gender
from hifazat.people.normalise import normalise_identity_number, normalise_phone
from hifazat.screening.models import TraffickingStatus

A = AuditEntry.Action
H = CaseHistory.Kind


def _editable(actor: Actor, case: Case, *, open_only: bool = True) -> None:
    require(actor, "cases.edit")
    check_case(actor, case)
    if open_only:
        check_open(case)


def _stamped(record, actor: Actor):
    record.created_by = actor.user
    record.modified_by = actor.user
    return record


# The kinds of case records that can be corrected and removed, as the case's history names them.
RECORD_KINDS = {
    HistoricEvent: "historic_event",
    Perpetrator: "perpetrator",
    SupportPlan: "support_plan",
    ServiceDelivery: "service",
    CaseFollowUp: "followup",
}


def _check_record(actor: Actor, record: CaseRecord, version: int | None) -> None:
    """May the actor correct or remove ``record``: ``cases.edit``, a case they may see, open; not removed; and
    not changed since the version the editor saw."""
    _editable(actor, record.case)
    if record.is_removed:
        raise ValidationError("This record was removed.")
    check_version(record, version)


def _known(fields: dict, allowed: set[str], kind: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not {kind} fields: {sorted(unknown)}")


def _record_save(actor: Actor, record: CaseRecord, values: dict[str, Any]) -> CaseRecord:
    """Write the values that changed (only those: someone else's change to another field stays), note the
    correction in the case's history and audit the names of the fields."""
    changed = sorted(set_changed(record, values))
    if changed:
        record.modified_by = actor.user
        record.full_clean()
        record.save(update_fields=[*changed, "modified_by"])
        fields = [f.removesuffix("_encrypted") for f in changed if not f.endswith("_index")]
        log(
            record.case,
            H.RECORD_CHANGED,
            actor,
            record=RECORD_KINDS[type(record)],
            id=str(record.uuid),
            fields=fields,
        )
    audit(actor, A.UPDATE, record, case=str(record.case.uuid), fields=changed)
    return record


# --- Trafficking status and victim context -----------------------------------------------------------------------

# The HTCDS decision-making body a recording organisation stands for, by its HTCDS organisation type.
DECIDER_BY_ORGANISATION_TYPE = {
    "LawEnforcement": htcds.DecisionMakingOrganisation.POLICE,
    "NGO": htcds.DecisionMakingOrganisation.NGO,
    "InternationalOrganisation": htcds.DecisionMakingOrganisation.NGO,
    "UNAgency": htcds.DecisionMakingOrganisation.NGO,
    "CentralGovernmentOrganisation": htcds.DecisionMakingOrganisation.NON_POLICE_GOVERNMENT,
    "LocalGovernmentOrganisation": htcds.DecisionMakingOrganisation.NON_POLICE_GOVERNMENT,
    "GovernmentMinistry": htcds.DecisionMakingOrganisation.NON_POLICE_GOVERNMENT,
    "ImmigrationService": htcds.DecisionMakingOrganisation.NON_POLICE_GOVERNMENT,
}


@transaction.atomic
def case_trafficking_status_set(
    *, actor: Actor, case: Case, status: str, decided_by: str = "", version: int | None = None
) -> Case:
    """Record the HTCDS trafficking status of the case's person: recorded by the actor, for their organisation,
    now. ``decided_by`` is the kind of body that decided (``vic_TraffickingStatusDecisionMakingOrg``: the police
    unit may have decided what the organisation records); by default the recording organisation's kind.
    Supervisors only, as on screenings. ``version``: the version of the case the editor saw."""
    require(actor, "screening.set_trafficking_status")
    _editable(actor, case)
    check_version(case, version)
    if status not in TraffickingStatus.values:
        raise ValidationError({"status": f"{status!r} is not an HTCDS trafficking status."})
    decided_by = decided_by or DECIDER_BY_ORGANISATION_TYPE.get(
        actor.organisation.org_type, htcds.DecisionMakingOrganisation.OTHER
    )
    if decided_by not in htcds.DecisionMakingOrganisation.values:
        raise ValidationError({"decided_by": f"{decided_by!r} is not an HTCDS decision-making organisation."})
    case.trafficking_status = status
    case.trafficking_status_by = actor.user
    case.trafficking_status_organisation = actor.organisation
    case.trafficking_status_decided_by = decided_by
    case.trafficking_status_at = timezone.now()
    case.modified_by = actor.user
    case.full_clean()
    case.save(
        update_fields=[
            "trafficking_status",
            "trafficking_status_by",
            "trafficking_status_organisation",
            "trafficking_status_decided_by",
            "trafficking_status_at",
            "modified_by",
        ]
    )
    log(case, H.TRAFFICKING_STATUS, actor, status=status, decided_by=decided_by)
    # Field names only: the audit log is read by administrators, who may not see cases.
    audit(actor, A.UPDATE, case, fields=["trafficking_status", "trafficking_status_decided_by"])
    return case


VICTIM_CONTEXT_FIELDS = {
    *Case.MULTI_VALUED,
    "recruitment_area",
    "recruitment_place",
    "recruitment_country",
    "forced_labour_industry",
    "relationship_to_trafficker",
    "age_when_trafficked",
}


@transaction.atomic
def victim_context_update(*, actor: Actor, case: Case, version: int | None = None, **fields: Any) -> Case:
    """Change the HTCDS victim context of the case (``vic_``). Multi-valued fields take lists of HTCDS value
    names, checked against their picklist; single picklists take one value name or "". Only the fields whose
    value changes are written; ``version``: the version of the case the editor saw."""
    _editable(actor, case)
    check_version(case, version)
    unknown = set(fields) - VICTIM_CONTEXT_FIELDS
    if unknown:
        raise ValueError(f"not victim context fields: {sorted(unknown)}")
    for field, choices in Case.MULTI_VALUED.items():
        if field in fields:
            fields[field] = htcds.check_values(field, fields[field], choices)
    if "recruitment_country" in fields:
        fields["recruitment_country"] = (fields["recruitment_country"] or "").upper()
    changed = sorted(set_changed(case, fields))
    if changed:
        case.modified_by = actor.user
        case.full_clean()
        case.save(update_fields=[*changed, "modified_by"])
        log(case, H.VICTIM_CONTEXT, actor, fields=changed)
    audit(actor, A.UPDATE, case, fields=changed)
    return case


# --- Historic events and perpetrators ---------------------------------------------------------------------------


def _event_values(values: dict[str, Any]) -> dict[str, Any]:
    """The checked values of a historic event: an area and/or a place name, no date in the future."""
    if "place" in values:
        values["place"] = (values["place"] or "").strip()
    if "description" in values:
        values["description"] = (values["description"] or "").strip()
    if "country" in values:
        values["country"] = (values["country"] or "").upper()
    if values.get("area") is None and not values.get("place"):
        raise ValidationError({"place": "Give the area or the name of the place."})
    occurred_on = values.get("occurred_on")
    if occurred_on is not None and occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date is in the future."})
    return values


@transaction.atomic
def historic_event_add(
    *,
    actor: Actor,
    case: Case,
    event_type: str,
    occurred_on: datetime.date | None = None,
    date_is_approximate: bool = False,
    area=None,
    place: str = "",
    country: str = "PK",
    description: str = "",
) -> HistoricEvent:
    """Record where and when recruitment, transit or exploitation happened (HTCDS ``hte_``): an admin area
    and/or a place name, with the country."""
    _editable(actor, case)
    values = _event_values(
        {
            "event_type": event_type,
            "occurred_on": occurred_on,
            "date_is_approximate": date_is_approximate,
            "area": area,
            "place": place,
            "country": country,
            "description": description,
        }
    )
    event = _stamped(HistoricEvent(case=case, **values), actor)
    event.full_clean()
    event.save()
    audit(actor, A.CREATE, event, case=str(case.uuid), event_type=event_type)
    return event


EVENT_FIELDS = {"event_type", "occurred_on", "date_is_approximate", "area", "place", "country", "description"}


@transaction.atomic
def historic_event_update(
    *, actor: Actor, event: HistoricEvent, version: int | None = None, **fields: Any
) -> HistoricEvent:
    """Correct a historic event; the same checks as adding one."""
    _check_record(actor, event, version)
    _known(fields, EVENT_FIELDS, "historic event")
    current = {name: getattr(event, name) for name in EVENT_FIELDS}
    values = _event_values({**current, **fields})
    return _record_save(actor, event, {name: values[name] for name in fields})


# Perpetrators' numbers and details are stored encrypted: (field, encrypted column, blind index column or "").
PERPETRATOR_SECRETS = (
    ("phone", "phone_encrypted", "phone_index"),
    ("identity_number", "identity_number_encrypted", "identity_number_index"),
    ("identifying_details", "identifying_details_encrypted", ""),
)
PERPETRATOR_FIELDS = {
    "roles",
    "first_name",
    "second_name",
    "alias",
    "gender",
    "estimated_age",
    "nationality",
    "role_details",
    *(name for name, _, _ in PERPETRATOR_SECRETS),
}


def _perpetrator_values(values: dict[str, Any]) -> dict[str, Any]:
    """The checked values of a perpetrator as stored: roles (at least one), a name or an alias, and the
    numbers normalised, encrypted and indexed."""
    roles = htcds.check_values("roles", values.get("roles") or [], htcds.PerpetratorRole)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role in the process."})
    gender = values.get("gender") or ""
    if gender and gender not in Gender.values:
        raise ValidationError({"gender": f"{gender!r} is not an HTCDS gender."})
    names = {name: (values.get(name) or "").strip() for name in ("first_name", "second_name", "alias")}
    if not any(names.values()):
        raise ValidationError({"first_name": "Give a name or the name they are known by."})
    stored = {
        **names,
        "roles": roles,
        "gender": gender,
        "estimated_age": values.get("estimated_age"),
        "nationality": (values.get("nationality") or "").upper(),
        "role_details": (values.get("role_details") or "").strip(),
    }
    phone = (values.get("phone") or "").strip()
    normalised = normalise_phone(phone) if phone else ""
    if phone and not normalised:
        raise ValidationError({"phone": "This is not a phone number this system can read."})
    number = (values.get("identity_number") or "").strip()
    plain = {
        "phone": normalised,
        "identity_number": normalise_identity_number(number) if number else "",
        "identifying_details": (values.get("identifying_details") or "").strip(),
    }
    for name, column, index in PERPETRATOR_SECRETS:
        if name in values:
            stored[column] = crypto.encrypt(plain[name]) if plain[name] else ""
            if index:
                stored[index] = crypto.blind_index(f"perpetrator_{name}", plain[name]) if plain[name] else ""
    return stored


@transaction.atomic
def perpetrator_add(
    *,
    actor: Actor,
    case: Case,
    roles: list[str],
    first_name: str = "",
    second_name: str = "",
    alias: str = "",
    gender: str = "",
    estimated_age: int | None = None,
    nationality: str = "",
    role_details: str = "",
    phone: str = "",
    identity_number: str = "",
    identifying_details: str = "",
) -> Perpetrator:
    """Record a perpetrator with their roles in the process (HTCDS ``per_RoleInProcess``, at least one). A name
    or an alias is needed. Phone, identity number and identifying details are stored encrypted."""
    _editable(actor, case)
    stored = _perpetrator_values(
        {
            "roles": roles,
            "first_name": first_name,
            "second_name": second_name,
            "alias": alias,
            "gender": gender,
            "estimated_age": estimated_age,
            "nationality": nationality,
            "role_details": role_details,
            "phone": phone,
            "identity_number": identity_number,
            "identifying_details": identifying_details,
        }
    )
    perpetrator = _stamped(Perpetrator(case=case, **stored), actor)
    perpetrator.full_clean()
    perpetrator.save()
    audit(actor, A.CREATE, perpetrator, case=str(case.uuid), roles=stored["roles"])
    return perpetrator


@transaction.atomic
def perpetrator_update(
    *, actor: Actor, perpetrator: Perpetrator, version: int | None = None, **fields: Any
) -> Perpetrator:
    """Correct a perpetrator; the same checks as adding one. A number is encrypted again only when it
    changed (encryption gives a new text each time, so an unchanged number is left as stored)."""
    _check_record(actor, perpetrator, version)
    _known(fields, PERPETRATOR_FIELDS, "perpetrator")
    current = {name: getattr(perpetrator, name) for name in PERPETRATOR_FIELDS}
    secrets = {name for name, _, _ in PERPETRATOR_SECRETS if name in fields}
    stored = _perpetrator_values({**{k: v for k, v in current.items() if k not in secrets}, **fields})
    keep = {name: stored[name] for name in fields if name not in secrets}
    for name, column, index in PERPETRATOR_SECRETS:
        if name in secrets:
            fresh = Perpetrator(**{column: stored[column]})
            if getattr(fresh, name) != current[name]:
                keep[column] = stored[column]
                if index:
                    keep[index] = stored[index]
    return _record_save(actor, perpetrator, keep)


# --- Comments ---------------------------------------------------------------------------------------------------


@transaction.atomic
def case_comment_add(*, actor: Actor, case: Case, body: str) -> CaseComment:
    """A formal update on the case (HTCDS ``cco_CaseComment``); allowed on a closed case too."""
    _editable(actor, case, open_only=False)
    if not body.strip():
        raise ValidationError({"body": "Write the comment."})
    comment = _stamped(CaseComment(case=case, body=body.strip()), actor)
    comment.full_clean()
    comment.save()
    audit(actor, A.CREATE, comment, case=str(case.uuid))
    return comment


# --- Support plans and services ---------------------------------------------------------------------------------


@transaction.atomic
def support_plan_add(
    *,
    actor: Actor,
    case: Case,
    plan_type: str,
    objectives: str,
    action_plan: str = "",
    planned_end_date: datetime.date | None = None,
) -> SupportPlan:
    """A support plan of an HTCDS type (``spl_Type``) with its objectives, actions and planned end date."""
    _editable(actor, case)
    if not objectives.strip():
        raise ValidationError({"objectives": "Say what the plan is for."})
    plan = _stamped(
        SupportPlan(
            case=case,
            plan_type=plan_type,
            objectives=objectives.strip(),
            action_plan=action_plan.strip(),
            planned_end_date=planned_end_date,
        ),
        actor,
    )
    plan.full_clean()
    plan.save()
    audit(actor, A.CREATE, plan, case=str(case.uuid), plan_type=plan_type)
    return plan


PLAN_FIELDS = {"plan_type", "objectives", "action_plan", "planned_end_date", "actual_end_date"}


@transaction.atomic
def support_plan_update(
    *, actor: Actor, plan: SupportPlan, version: int | None = None, **fields: Any
) -> SupportPlan:
    """Change a plan's type, objectives, actions or dates; an actual end date ends it."""
    _check_record(actor, plan, version)
    _known(fields, PLAN_FIELDS, "support plan")
    for text in ("objectives", "action_plan"):
        if text in fields:
            fields[text] = (fields[text] or "").strip()
    if "objectives" in fields and not fields["objectives"]:
        raise ValidationError({"objectives": "Say what the plan is for."})
    end = fields.get("actual_end_date")
    if end is not None and end > timezone.localdate():
        raise ValidationError({"actual_end_date": "The plan cannot have ended in the future."})
    return _record_save(actor, plan, fields)


@transaction.atomic
def service_record(
    *,
    actor: Actor,
    case: Case,
    service: str,
    delivered_on: datetime.date,
    provided_by: str = "",
    note: str = "",
    support_plan: SupportPlan | None = None,
) -> ServiceDelivery:
    """Record a service the person received, under one of the case's support plans if given."""
    _editable(actor, case)
    if support_plan is not None and support_plan.case_id != case.pk:
        raise ValidationError({"support_plan": "This plan belongs to another case."})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": "A service is recorded once it is delivered."})
    delivery = _stamped(
        ServiceDelivery(
            case=case,
            support_plan=support_plan,
            service=service,
            delivered_on=delivered_on,
            provided_by=provided_by.strip(),
            note=note.strip(),
        ),
        actor,
    )
    delivery.full_clean()
    delivery.save()
    audit(actor, A.CREATE, delivery, case=str(case.uuid), service=service)
    return delivery


SERVICE_FIELDS = {"service", "delivered_on", "provided_by", "note", "support_plan"}


@transaction.atomic
def service_update(
    *, actor: Actor, delivery: ServiceDelivery, version: int | None = None, **fields: Any
) -> ServiceDelivery:
    """Correct a service delivered; the same checks as recording one."""
    _check_record(actor, delivery, version)
    _known(fields, SERVICE_FIELDS, "service")
    plan = fields.get("support_plan")
    if plan is not None and (plan.case_id != delivery.case_id or plan.is_removed):
        raise ValidationError({"support_plan": "This plan belongs to another case."})
    day = fields.get("delivered_on")
    if day is not None and day > timezone.localdate():
        raise ValidationError({"delivered_on": "A service is recorded once it is delivered."})
    if "delivered_on" in fields and day is None:
        raise ValidationError({"delivered_on": "Give the day the service was delivered."})
    for text in ("provided_by", "note"):
        if text in fields:
            fields[text] = (fields[text] or "").strip()
    return _record_save(actor, delivery, fields)


# --- Follow-ups -------------------------------------------------------------------------------------------------


@transaction.atomic
def case_followup_add(
    *,
    actor: Actor,
    case: Case,
    due_on: datetime.date,
    purpose: str,
    assigned_to: User | None = None,
) -> CaseFollowUp:
    """A follow-up due on a date, for the case's caseworker unless someone else of the organisation is named."""
    _editable(actor, case)
    if not purpose.strip():
        raise ValidationError({"purpose": "Say what the follow-up is for."})
    assigned_to = assigned_to or case.caseworker
    if (
        assigned_to is not None
        and not case_roles_members(actor.organisation).filter(pk=assigned_to.pk).exists()
    ):
        raise ValidationError({"assigned_to": "Choose a caseworker or supervisor of your organisation."})
    followup = _stamped(
        CaseFollowUp(case=case, due_on=due_on, purpose=purpose.strip(), assigned_to=assigned_to), actor
    )
    followup.full_clean()
    followup.save()
    audit(actor, A.CREATE, followup, case=str(case.uuid), due_on=due_on.isoformat())
    return followup


@transaction.atomic
def case_followup_close(
    *,
    actor: Actor,
    followup: CaseFollowUp,
    status: str = CaseFollowUp.Status.DONE,
    outcome: str = "",
    version: int | None = None,
) -> CaseFollowUp:
    """Mark an open follow-up done (with what happened, if said) or cancelled (saying why). ``version``: the
    version of the follow-up the editor saw."""
    _check_record(actor, followup, None)
    followup = CaseFollowUp.objects.select_for_update().get(pk=followup.pk)
    check_version(followup, version)
    if followup.status != CaseFollowUp.Status.OPEN:
        raise ValidationError("This follow-up is already closed.")
    if status not in (CaseFollowUp.Status.DONE, CaseFollowUp.Status.CANCELLED):
        raise ValidationError({"status": "Choose done or cancelled."})
    if status == CaseFollowUp.Status.CANCELLED and not outcome.strip():
        raise ValidationError({"outcome": "Say why the follow-up is cancelled."})
    followup.status = status
    followup.outcome = outcome.strip()
    followup.closed_at = timezone.now()
    followup.closed_by = actor.user
    followup.modified_by = actor.user
    followup.full_clean()
    followup.save(update_fields=["status", "outcome", "closed_at", "closed_by", "modified_by"])
    audit(actor, A.UPDATE, followup, fields=["status", "outcome"] if outcome else ["status"], status=status)
    return followup


FOLLOWUP_FIELDS = {"due_on", "purpose", "assigned_to"}


@transaction.atomic
def case_followup_update(
    *, actor: Actor, followup: CaseFollowUp, version: int | None = None, **fields: Any
) -> CaseFollowUp:
    """Correct an open follow-up: its due date, purpose or who it is for (a caseworker or supervisor of the
    organisation). A closed one is kept as it was closed."""
    _check_record(actor, followup, version)
    _known(fields, FOLLOWUP_FIELDS, "follow-up")
    if followup.status != CaseFollowUp.Status.OPEN:
        raise ValidationError("This follow-up is closed: it is kept as it was closed.")
    if "purpose" in fields:
        fields["purpose"] = (fields["purpose"] or "").strip()
        if not fields["purpose"]:
            raise ValidationError({"purpose": "Say what the follow-up is for."})
    if "due_on" in fields and fields["due_on"] is None:
        raise ValidationError({"due_on": "Give the day the follow-up is due."})
    if "assigned_to" in fields:
        fields["assigned_to"] = fields["assigned_to"] or followup.case.caseworker
        who = fields["assigned_to"]
        if who is not None and not case_roles_members(actor.organisation).filter(pk=who.pk).exists():
            raise ValidationError({"assigned_to": "Choose a caseworker or supervisor of your organisation."})
    return _record_save(actor, followup, fields)


# --- Removal ----------------------------------------------------------------------------------------------------


@transaction.atomic
def case_record_remove(
    *, actor: Actor, record: CaseRecord, reason: str, version: int | None = None
) -> CaseRecord:
    """Remove a historic event, perpetrator, support plan, service or follow-up recorded in error (entered twice,
    on the wrong case): it leaves the case's lists, the API and other parts' queries, but the row stays, marked
    with who removed it, when and why, and the case's history says so. The reason is required. A support plan
    that other records point at (services delivered under it, a livelihood referral) is refused: change those
    first."""
    _check_record(actor, record, version)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is removed (for example: entered twice)."})
    if isinstance(record, SupportPlan) and _is_referred_to(record):
        raise ValidationError(
            "Other records point at this plan (services delivered under it, or referrals): "
            "change or remove them first."
        )
    record.removed_at = timezone.now()
    record.removed_by = actor.user
    record.removal_reason = reason
    record.modified_by = actor.user
    record.save(update_fields=["removed_at", "removed_by", "removal_reason", "modified_by"])
    kind = RECORD_KINDS[type(record)]
    log(record.case, H.RECORD_REMOVED, actor, record=kind, id=str(record.uuid), reason=reason)
    audit(actor, A.DELETE, record, case=str(record.case.uuid), record=kind)
    return record


def _is_referred_to(record: CaseRecord) -> bool:
    """Whether a current row of any model (this part's or another's) has a foreign key to ``record``."""
    for relation in record._meta.related_objects:
        related = relation.related_model._default_manager.filter(**{relation.field.name: record})
        if (relation.one_to_many or relation.one_to_one) and related.exists():
            return True
    return False
