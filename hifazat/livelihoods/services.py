"""Writes to programmes, their rules, enrolments, support and follow-up visits: each with its actor, its checks
and one audit entry.

The implementing organisation manages its programmes; another organisation's programme is refused here even
when a caller got hold of it. A decision that departs from the ranking needs a written reason, kept on the record;
the audit entry says that it departed and how many households it passed over, never the reason's words.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hifazat.cases.htcds import SupportPlanType
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.versioning import check_version
from hifazat.livelihoods import selection
from hifazat.livelihoods.models import (
    MAX_PRIORITY_RULES,
    Enrolment,
    HouseholdLimit,
    OutcomeVisit,
    Programme,
    ProgrammeReferral,
    RulePurpose,
    SelectionRule,
    Skip,
    Support,
)
from hifazat.notifications.services import notify
from hifazat.people.models import Consent, ConsentPurpose, Household, Person
from hifazat.people.services import consent_require

A = AuditEntry.Action
# HTCDS spl_Type of the support plans that refer to livelihood programmes.
LIVELIHOOD_PLAN = SupportPlanType.LIVELIHOOD

PROGRAMME_FIELDS = {
    "name",
    "name_ur",
    "kind",
    "trade",
    "description",
    "funder",
    "capacity",
    "budget_per_participant",
    "currency",
    "starts_on",
    "ends_on",
    "household_limit",
    "followup_months",
    "status",
}


def _manages(actor: Actor, programme: Programme) -> None:
    if programme.implementing_organisation_id != actor.organisation.pk:
        raise PermissionDenied("this programme is another organisation's")


def _own_person(actor: Actor, person: Person) -> None:
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this person belongs to another organisation")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- Programmes and rules ---------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor: Actor, sites=(), areas=(), **data: Any) -> Programme:
    """A programme implemented by the actor's organisation."""
    require(actor, "livelihoods.manage")
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise ValueError(f"unknown programme fields: {sorted(unknown)}")
    programme = Programme(
        implementing_organisation=actor.organisation, created_by=actor.user, modified_by=actor.user, **data
    )
    programme.full_clean()
    programme.save()
    programme.sites.set(sites)
    programme.areas.set(areas)
    audit(actor, A.CREATE, programme, kind=programme.kind)
    return programme


@transaction.atomic
def programme_update(*, actor: Actor, programme: Programme, sites=None, areas=None, **data: Any) -> Programme:
    """Change a programme. More places promote households from the waiting list, in rank order."""
    require(actor, "livelihoods.manage")
    _manages(actor, programme)
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise ValueError(f"unknown programme fields: {sorted(unknown)}")
    changed = changed_fields(programme, data)
    for name, value in data.items():
        setattr(programme, name, value)
    if "capacity" in data and data["capacity"] < places_taken(programme):
        raise ValidationError(
            {"capacity": f"{places_taken(programme)} places are taken: the programme cannot have fewer."}
        )
    programme.modified_by = actor.user
    programme.full_clean()
    programme.save(update_fields=[*changed, "modified_by", "modified_at"])
    if sites is not None:
        programme.sites.set(sites)
        changed.append("sites")
    if areas is not None:
        programme.areas.set(areas)
        changed.append("areas")
    audit(actor, A.UPDATE, programme, fields=sorted(changed))
    _fill_places(actor, programme)
    return programme


@transaction.atomic
def rule_add(
    *, actor: Actor, programme: Programme, purpose: str, condition: str, **data: Any
) -> SelectionRule:
    """Add an eligibility or priority rule. A priority rule without a rank goes last."""
    require(actor, "livelihoods.manage")
    _manages(actor, programme)
    existing = programme.rules.filter(purpose=purpose)
    if purpose == RulePurpose.PRIORITY and existing.count() >= MAX_PRIORITY_RULES:
        raise ValidationError({"purpose": f"A programme has at most {MAX_PRIORITY_RULES} priority rules."})
    rank = data.pop("rank", None) or (max(existing.values_list("rank", flat=True), default=0) + 1)
    if existing.filter(rank=rank).exists():
        # Make room: the new rule takes this rank and the ones from it move down by one.
        for rule in existing.filter(rank__gte=rank).order_by("-rank"):
            rule.rank += 1
            rule.save(update_fields=["rank", "modified_at"])
    rule = SelectionRule(
        programme=programme,
        purpose=purpose,
        condition=condition,
        rank=rank,
        created_by=actor.user,
        modified_by=actor.user,
        **data,
    )
    rule.full_clean()
    rule.save()
    audit(actor, A.CREATE, rule, programme=str(programme.uuid), purpose=purpose, condition=condition)
    return rule


@transaction.atomic
def rule_remove(*, actor: Actor, rule: SelectionRule) -> None:
    require(actor, "livelihoods.manage")
    _manages(actor, rule.programme)
    audit(actor, A.DELETE, rule, programme=str(rule.programme.uuid), purpose=rule.purpose)
    rule.delete()


# --- Selection and enrolment -----------------------------------------------------------------------------------


def places_taken(programme: Programme) -> int:
    """Places in use: participants taking part or who completed. Leaving the programme frees the place."""
    return programme.enrolments.filter(
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]
    ).count()


def _check_household_limit(programme: Programme, household: Household, person: Person) -> None:
    current = Enrolment.objects.filter(
        household=household, status__in=[Enrolment.Status.WAITING, Enrolment.Status.ACTIVE]
    )
    if current.filter(programme=programme, person=person).exists():
        raise ValidationError({"person": "This person is already enrolled or waiting in this programme."})
    if programme.household_limit != HouseholdLimit.SEVERAL and current.filter(programme=programme).exists():
        raise ValidationError(
            {"household": "A member of this household is already enrolled or waiting in this programme."}
        )
    if (
        programme.household_limit == HouseholdLimit.ONE_AT_A_TIME
        and current.filter(status=Enrolment.Status.ACTIVE).exclude(programme=programme).exists()
    ):
        raise ValidationError(
            {"household": "This household takes part in another programme: one enrolment at a time."}
        )


@transaction.atomic
def enrol(
    *,
    actor: Actor,
    programme: Programme,
    person: Person,
    agreed: bool,
    agreed_by: str = Consent.GivenBy.SELF,
    agreed_by_name: str = "",
    departure_reason: str = "",
    income_before: Decimal | None = None,
    on: datetime.date | None = None,
) -> Enrolment:
    """Enrol ``person`` (a member of an eligible household who may take part) with their agreement; on the
    waiting list when every place is taken.

    Refused: without the person's registration consent in force or their agreement to take part; for a household
    the programme's one-enrolment rule excludes; and without a written reason when the decision passes over
    higher-ranked households (undecided ones, or, when it takes a place, households on the waiting list).
    """
    require(actor, "livelihoods.enrol")
    _manages(actor, programme)
    _own_person(actor, person)
    if programme.status != Programme.Status.OPEN:
        raise ValidationError("This programme is closed to new participants.")
    on = on or timezone.localdate()
    if not programme.starts_on <= on <= programme.ends_on:
        raise ValidationError({"on": "Enrolment is within the programme's period."})
    if person.household_id is None:
        raise ValidationError({"person": "Only members of a registered household can be enrolled."})
    consent_require(person, ConsentPurpose.REGISTRATION)
    if not agreed:
        raise ValidationError({"agreed": "The person's agreement to take part is needed."})
    if person.is_child and agreed_by == Consent.GivenBy.SELF:
        raise ValidationError({"agreed_by": "For a child, a caregiver or guardian agrees."})
    if agreed_by != Consent.GivenBy.SELF and not agreed_by_name:
        raise ValidationError({"agreed_by_name": "Name the caregiver or guardian who agreed."})
    household = Household.objects.select_for_update().get(pk=person.household_id)
    plan = selection.plan_for(programme)
    if not selection.is_eligible(programme, household, plan):
        raise ValidationError(
            {"household": "This household does not meet the programme's eligibility rules."}
        )
    if not Person.objects.filter(plan.participant, pk=person.pk).exists():
        raise ValidationError({"person": "This member does not meet the rules on who may take part."})
    _check_household_limit(programme, household, person)

    going_active = places_taken(programme) < programme.capacity
    score, met = selection.score_of(programme, household, plan)
    skipped = selection.passed_over(programme, household, score, going_active=going_active, plan=plan)
    departure_reason = departure_reason.strip()
    if skipped and not departure_reason:
        raise ValidationError(
            {
                "departure_reason": f"{skipped} higher-ranked household(s) are waiting or not yet decided: "
                "give the reason for enrolling this one first."
            }
        )
    rules = [rule for rule, _q in plan.priority]
    referral = ProgrammeReferral.objects.filter(
        programme=programme, person=person, status=ProgrammeReferral.Status.OPEN
    ).first()
    enrolment = Enrolment(
        programme=programme,
        household=household,
        person=person,
        status=Enrolment.Status.ACTIVE if going_active else Enrolment.Status.WAITING,
        priority_score=score,
        reasons=[str(rules[n].uuid) for n in met],
        departure_reason=departure_reason if skipped else "",
        passed_over=skipped,
        agreed_by=agreed_by,
        agreed_by_name=agreed_by_name,
        income_before=income_before,
        referral=referral,
        listed_on=on,
        enrolled_on=on if going_active else None,
        created_by=actor.user,
        modified_by=actor.user,
    )
    enrolment.full_clean()
    enrolment.save()
    if referral is not None:
        referral.status = ProgrammeReferral.Status.ENROLLED
        referral.save(update_fields=["status", "modified_at"])
    if going_active:
        _schedule_visits(enrolment)
    audit(
        actor,
        A.CREATE,
        enrolment,
        programme=str(programme.uuid),
        status=enrolment.status,
        departure=bool(skipped),
        passed_over=skipped,
    )
    return enrolment


@transaction.atomic
def household_skip(*, actor: Actor, programme: Programme, household: Household, reason: str) -> Skip:
    """Pass over an eligible household, with the written reason: a departure from the ranking."""
    require(actor, "livelihoods.enrol")
    _manages(actor, programme)
    if household.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this household belongs to another organisation")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Passing over a household needs a written reason."})
    if (
        programme.enrolments.filter(household=household).exists()
        or programme.skips.filter(household=household).exists()
    ):
        raise ValidationError({"household": "This programme has already decided about this household."})
    score, _met = selection.score_of(programme, household)
    skip = Skip(
        programme=programme,
        household=household,
        reason=reason,
        priority_score=score,
        created_by=actor.user,
        modified_by=actor.user,
    )
    skip.full_clean()
    skip.save()
    audit(actor, A.CREATE, skip, programme=str(programme.uuid), departure=True)
    return skip


def _schedule_visits(enrolment: Enrolment) -> None:
    OutcomeVisit.objects.bulk_create(
        [
            OutcomeVisit(
                enrolment=enrolment, months_after=months, due_on=add_months(enrolment.enrolled_on, months)
            )
            for months in enrolment.programme.followup_months
        ]
    )


def _fill_places(actor: Actor, programme: Programme, on: datetime.date | None = None) -> list[Enrolment]:
    """Give free places to the waiting list in rank order (the ranking of today; households no longer eligible
    after those still eligible, by their score when listed). Households a one-enrolment rule now excludes wait."""
    free = programme.capacity - places_taken(programme)
    waiting = list(programme.enrolments.filter(status=Enrolment.Status.WAITING).select_related("household"))
    if free <= 0 or not waiting:
        return []
    by_household: dict[int, list[Enrolment]] = {}
    for enrolment in waiting:
        by_household.setdefault(enrolment.household_id, []).append(enrolment)
    order = list(
        selection.ranked_households(programme).filter(pk__in=by_household).values_list("pk", flat=True)
    )
    rest = sorted(
        (e for e in waiting if e.household_id not in set(order)),
        key=lambda e: (-e.priority_score, e.listed_on, e.pk),
    )
    queue = [e for pk in order for e in by_household[pk]] + rest
    unavailable = (
        set(
            Household.objects.filter(selection.unavailable_households(programme)).values_list("pk", flat=True)
        )
        if programme.household_limit == HouseholdLimit.ONE_AT_A_TIME
        else set()
    )
    on = max(on or timezone.localdate(), programme.starts_on)
    promoted = []
    for enrolment in queue:
        if len(promoted) >= free:
            break
        if enrolment.household_id in unavailable:
            continue
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.enrolled_on = on
        enrolment.modified_by = actor.user
        enrolment.save(update_fields=["status", "enrolled_on", "modified_by", "modified_at"])
        _schedule_visits(enrolment)
        audit(actor, A.UPDATE, enrolment, fields=["status"], status=enrolment.status, promoted=True)
        promoted.append(enrolment)
        if programme.household_limit == HouseholdLimit.ONE_AT_A_TIME:
            unavailable.add(enrolment.household_id)
    if promoted:
        officers = [e.created_by for e in promoted if e.created_by_id]
        notify(
            recipients=officers,
            kind="livelihoods.promoted",
            title=f"{len(promoted)} household(s) moved from the waiting list into the programme",
            url=programme.get_absolute_url(),
            organisation=programme.implementing_organisation,
        )
    return promoted


@transaction.atomic
def enrolment_end(
    *,
    actor: Actor,
    enrolment: Enrolment,
    status: str,
    reason: str = "",
    on: datetime.date | None = None,
    version: int | None = None,
) -> Enrolment:
    """End a participation: completed, or left the programme (which frees the place for the waiting list). A
    household on the waiting list can also be taken off it. ``version`` is the enrolment's version the officer
    saw (``core.versioning``): ending an older one is refused, as is one that races another officer's change."""
    require(actor, "livelihoods.enrol")
    _manages(actor, enrolment.programme)
    check_version(enrolment, version)
    if status not in (Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN):
        raise ValidationError({"status": "An enrolment ends as completed or withdrawn."})
    if not enrolment.is_current:
        raise ValidationError({"status": "This enrolment has already ended."})
    if status == Enrolment.Status.COMPLETED and enrolment.status != Enrolment.Status.ACTIVE:
        raise ValidationError({"status": "Only a participant taking part can complete the programme."})
    if status == Enrolment.Status.WITHDRAWN and not reason.strip():
        raise ValidationError({"reason": "Say why the person left the programme."})
    enrolment.status = status
    enrolment.ended_on = on or timezone.localdate()
    enrolment.end_reason = reason.strip()
    enrolment.modified_by = actor.user
    enrolment.full_clean()
    enrolment.save(update_fields=["status", "ended_on", "end_reason", "modified_by"])
    if status == Enrolment.Status.WITHDRAWN:
        # Nobody visits someone who left; completed participants are still followed up.
        enrolment.visits.filter(status=OutcomeVisit.Status.DUE).delete()
    audit(actor, A.UPDATE, enrolment, fields=["status"], status=status)
    if status == Enrolment.Status.WITHDRAWN:
        _fill_places(actor, enrolment.programme, on=enrolment.ended_on)
    return enrolment


# --- Support and outcomes --------------------------------------------------------------------------------------


@transaction.atomic
def support_record(
    *,
    actor: Actor,
    enrolment: Enrolment,
    kind: str,
    delivered_on: datetime.date,
    verified_by,
    description: str = "",
    quantity: Decimal | None = None,
    amount: Decimal | None = None,
    currency: str = "",
    exchange_rate: Decimal | None = None,
) -> Support:
    """Record support a participant received. An amount in another currency than the programme's needs the
    exchange rate, so that it counts against the budget in the programme's currency."""
    require(actor, "livelihoods.enrol")
    _manages(actor, enrolment.programme)
    if enrolment.status not in (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED):
        raise ValidationError("Support is recorded for participants, not for households on the waiting list.")
    if not verified_by.memberships.filter(organisation=actor.organisation, is_active=True).exists():
        raise ValidationError({"verified_by": "The person who verified is a member of your organisation."})
    if kind in ("grant", "wage") and amount is None:
        raise ValidationError({"amount": "A grant or a wage has an amount."})
    programme_currency = enrolment.programme.currency
    currency = (currency or programme_currency).upper() if amount is not None else ""
    if amount is not None and currency != programme_currency:
        if exchange_rate is None:
            raise ValidationError(
                {"exchange_rate": f"Give the rate from {currency} to {programme_currency}."}
            )
    else:
        exchange_rate = None
    value = Decimal("0")
    if amount is not None:
        value = (amount * (exchange_rate or Decimal("1"))).quantize(Decimal("0.01"))
    support = Support(
        enrolment=enrolment,
        kind=kind,
        delivered_on=delivered_on,
        description=description,
        quantity=quantity,
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
        value=value,
        verified_by=verified_by,
        created_by=actor.user,
        modified_by=actor.user,
    )
    support.full_clean()
    support.save()
    audit(actor, A.CREATE, support, enrolment=str(enrolment.uuid), kind=kind)
    return support


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    visit: OutcomeVisit,
    visited_on: datetime.date,
    status: str = OutcomeVisit.Status.DONE,
    income: Decimal | None = None,
    activity_running: bool | None = None,
    employment: str = "",
    note: str = "",
) -> OutcomeVisit:
    """Record a follow-up visit: the household's income now, whether the activity still runs, the work."""
    require(actor, "livelihoods.enrol")
    _manages(actor, visit.enrolment.programme)
    if status not in (OutcomeVisit.Status.DONE, OutcomeVisit.Status.MISSED):
        raise ValidationError({"status": "A visit is done or could not be made."})
    if status == OutcomeVisit.Status.DONE and income is None and activity_running is None and not employment:
        raise ValidationError("Record at least the income, the activity or the work found.")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "A visit cannot be recorded in the future."})
    data = {
        "status": status,
        "visited_on": visited_on,
        "income": income if status == OutcomeVisit.Status.DONE else None,
        "activity_running": activity_running if status == OutcomeVisit.Status.DONE else None,
        "employment": employment if status == OutcomeVisit.Status.DONE else "",
        "note": note,
    }
    changed = changed_fields(visit, data)
    for name, value in data.items():
        setattr(visit, name, value)
    visit.visited_by = actor.user
    visit.modified_by = actor.user
    visit.full_clean()
    visit.save(update_fields=[*changed, "visited_by", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, visit, fields=changed, enrolment=str(visit.enrolment.uuid))
    return visit


# --- Referrals from cases --------------------------------------------------------------------------------------


@transaction.atomic
def referral_create(*, actor: Actor, support_plan, programme: Programme, note: str = "") -> ProgrammeReferral:
    """Refer the person of a case to a programme of the same organisation, from the case's open support plan of
    HTCDS type Livelihood. The livelihood officers see the household marked as referred in the ranked list."""
    require(actor, "cases.edit")
    case = support_plan.case
    if case.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this case is another organisation's")
    if support_plan.plan_type != LIVELIHOOD_PLAN:
        raise ValidationError(
            {"support_plan": "Only a livelihood support plan refers to a livelihood programme."}
        )
    if support_plan.actual_end_date is not None:
        raise ValidationError({"support_plan": "This support plan has ended."})
    if programme.implementing_organisation_id != actor.organisation.pk:
        raise ValidationError({"programme": "Refer to a programme your organisation runs."})
    if programme.status != Programme.Status.OPEN:
        raise ValidationError({"programme": "This programme is closed to new participants."})
    person = case.person
    if person.household_id is None:
        raise ValidationError({"programme": "The person is not a member of a registered household."})
    consent_require(person, ConsentPurpose.REGISTRATION)
    if ProgrammeReferral.objects.filter(programme=programme, person=person, status="open").exists():
        raise ValidationError({"programme": "The person is already referred to this programme."})
    referral = ProgrammeReferral(
        programme=programme,
        support_plan=support_plan,
        case=case,
        person=person,
        household_id=person.household_id,
        note=note,
        created_by=actor.user,
        modified_by=actor.user,
    )
    referral.full_clean()
    referral.save()
    audit(
        actor,
        A.CREATE,
        referral,
        programme=str(programme.uuid),
        case=str(case.uuid),
        support_plan=str(support_plan.uuid),
    )
    officers = [
        m.user
        for m in programme.implementing_organisation.memberships.filter(
            is_active=True, role=Role.LIVELIHOOD_OFFICER
        ).select_related("user")
    ]
    notify(
        recipients=officers,
        kind="livelihoods.referral",
        title=f"Case {case.number} referred a person to a livelihood programme",
        url=reverse("livelihoods:programme_ranking", args=[programme.uuid]) + "?referred=1",
        organisation=programme.implementing_organisation,
    )
    return referral
