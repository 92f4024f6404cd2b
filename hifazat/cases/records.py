"""Writes to what a case holds: trafficking status, victim context, historic events, perpetrators, comments,
support plans, services delivered and follow-ups. Each checks ``cases.edit`` (the trafficking status: the
supervisor's decision), that the actor may see the case, and writes one audit entry with no personal values.

Only comments may be added to a closed case; everything else needs it open.
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
    HistoricEvent,
    Perpetrator,
    ServiceDelivery,
    SupportPlan,
)
from hifazat.cases.selectors import case_roles_members
from hifazat.cases.services import check_case, check_open, log
from hifazat.core import crypto
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
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
def case_trafficking_status_set(*, actor: Actor, case: Case, status: str, decided_by: str = "") -> Case:
    """Record the HTCDS trafficking status of the case's person: recorded by the actor, for their organisation,
    now. ``decided_by`` is the kind of body that decided (``vic_TraffickingStatusDecisionMakingOrg``: the police
    unit may have decided what the organisation records); by default the recording organisation's kind.
    Supervisors only, as on screenings."""
    require(actor, "screening.set_trafficking_status")
    _editable(actor, case)
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
    case.save()
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
def victim_context_update(*, actor: Actor, case: Case, **fields: Any) -> Case:
    """Change the HTCDS victim context of the case (``vic_``). Multi-valued fields take lists of HTCDS value
    names, checked against their picklist; single picklists take one value name or ""."""
    _editable(actor, case)
    unknown = set(fields) - VICTIM_CONTEXT_FIELDS
    if unknown:
        raise ValueError(f"not victim context fields: {sorted(unknown)}")
    for field, choices in Case.MULTI_VALUED.items():
        if field in fields:
            fields[field] = htcds.check_values(field, fields[field], choices)
    if "recruitment_country" in fields:
        fields["recruitment_country"] = (fields["recruitment_country"] or "").upper()
    changed = changed_fields(case, fields)
    for field, value in fields.items():
        setattr(case, field, value)
    case.modified_by = actor.user
    case.full_clean()
    case.save()
    if changed:
        log(case, H.VICTIM_CONTEXT, actor, fields=changed)
    audit(actor, A.UPDATE, case, fields=changed)
    return case


# --- Historic events and perpetrators ---------------------------------------------------------------------------


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
    if area is None and not place.strip():
        raise ValidationError({"place": "Give the area or the name of the place."})
    if occurred_on is not None and occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date is in the future."})
    event = _stamped(
        HistoricEvent(
            case=case,
            event_type=event_type,
            occurred_on=occurred_on,
            date_is_approximate=date_is_approximate,
            area=area,
            place=place.strip(),
            country=(country or "").upper(),
            description=description.strip(),
        ),
        actor,
    )
    event.full_clean()
    event.save()
    audit(actor, A.CREATE, event, case=str(case.uuid), event_type=event_type)
    return event


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
    roles = htcds.check_values("roles", roles, htcds.PerpetratorRole)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role in the process."})
    if gender and gender not in Gender.values:
        raise ValidationError({"gender": f"{gender!r} is not an HTCDS gender."})
    if not (first_name.strip() or second_name.strip() or alias.strip()):
        raise ValidationError({"first_name": "Give a name or the name they are known by."})
    perpetrator = _stamped(
        Perpetrator(
            case=case,
            first_name=first_name.strip(),
            second_name=second_name.strip(),
            alias=alias.strip(),
            gender=gender,
            estimated_age=estimated_age,
            nationality=(nationality or "").upper(),
            roles=roles,
            role_details=role_details.strip(),
        ),
        actor,
    )
    if phone.strip():
        normalised = normalise_phone(phone)
        if not normalised:
            raise ValidationError({"phone": "This is not a phone number this system can read."})
        perpetrator.phone_encrypted = crypto.encrypt(normalised)
        perpetrator.phone_index = crypto.blind_index("perpetrator_phone", normalised)
    if identity_number.strip():
        normalised = normalise_identity_number(identity_number)
        perpetrator.identity_number_encrypted = crypto.encrypt(normalised)
        perpetrator.identity_number_index = crypto.blind_index("perpetrator_identity_number", normalised)
    perpetrator.identifying_details_encrypted = crypto.encrypt(identifying_details.strip())
    perpetrator.full_clean()
    perpetrator.save()
    audit(actor, A.CREATE, perpetrator, case=str(case.uuid), roles=roles)
    return perpetrator


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


PLAN_FIELDS = {"objectives", "action_plan", "planned_end_date", "actual_end_date"}


@transaction.atomic
def support_plan_update(*, actor: Actor, plan: SupportPlan, **fields: Any) -> SupportPlan:
    """Change a plan's objectives, actions or dates; an actual end date ends it."""
    _editable(actor, plan.case)
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise ValueError(f"not support plan fields: {sorted(unknown)}")
    for text in ("objectives", "action_plan"):
        if text in fields:
            fields[text] = (fields[text] or "").strip()
    if "objectives" in fields and not fields["objectives"]:
        raise ValidationError({"objectives": "Say what the plan is for."})
    end = fields.get("actual_end_date")
    if end is not None and end > timezone.localdate():
        raise ValidationError({"actual_end_date": "The plan cannot have ended in the future."})
    changed = changed_fields(plan, fields)
    for field, value in fields.items():
        setattr(plan, field, value)
    plan.modified_by = actor.user
    plan.full_clean()
    plan.save()
    audit(actor, A.UPDATE, plan, fields=changed)
    return plan


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
    *, actor: Actor, followup: CaseFollowUp, status: str = CaseFollowUp.Status.DONE, outcome: str = ""
) -> CaseFollowUp:
    """Mark an open follow-up done (with what happened, if said) or cancelled (saying why)."""
    _editable(actor, followup.case)
    followup = CaseFollowUp.objects.select_for_update().get(pk=followup.pk)
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
    followup.save()
    audit(actor, A.UPDATE, followup, fields=["status", "outcome"] if outcome else ["status"], status=status)
    return followup
