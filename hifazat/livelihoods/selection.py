"""The ranked list of a programme: eligible registered households, most at risk first, each with its reasons.

The whole ranking is one database query over the implementing organisation's households. Each rule becomes a
condition on the household through an uncorrelated ``IN (subquery)`` that the database evaluates once (the
vulnerability group index, the person's screening history index, the household's foreign key); the priority
score is the sum of ``2 ** (n - position)`` over the priority rules met, so that ordering by it is ordering by
rule 1 first, then rule 2, and so on (lexicographic). Ties keep the order of registration (``created_at``, then
the internal id), which never changes once a household is registered: the documented, stable tie-break.

Who in a household may take part: active, living members of it who meet the sex and age rules (adults when no age
rule is given). Band, group and referral conditions hold for a household when any of its active members meets them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from hifazat.geography.models import Site
from hifazat.livelihoods.models import (
    MAX_PRIORITY_RULES,
    Enrolment,
    HouseholdLimit,
    Programme,
    ProgrammeReferral,
    RuleCondition,
    RulePurpose,
    SelectionRule,
    Skip,
)
from hifazat.livelihoods.rules import ADULT_AGE
from hifazat.people.models import Household, Person, Vulnerability
from hifazat.screening.models import Screening


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def members_q() -> Q:
    """Members who count: active, not merged into another record, not deceased."""
    return Q(is_active=True, merged_into__isnull=True, deceased=False)


def _person_rule_q(rule: SelectionRule, today: datetime.date) -> Q:
    if rule.condition == RuleCondition.SEX:
        return Q(gender__in=rule.values)
    q = Q()
    if rule.age_min is not None:
        q &= Q(birthdate__lte=_years_before(today, rule.age_min))
    if rule.age_max is not None:
        q &= Q(birthdate__gt=_years_before(today, rule.age_max + 1))
    return q


def _sites_in(area) -> QuerySet[Site]:
    return Site.objects.filter(Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area))


@dataclass
class Plan:
    """A programme's rules turned into conditions on households."""

    programme: Programme
    eligibility: list[Q] = field(default_factory=list)
    participant: Q = field(default_factory=Q)  # who in an eligible household may take part
    priority: list[tuple[SelectionRule, Q]] = field(default_factory=list)

    def weight(self, position: int) -> int:
        return 2 ** (len(self.priority) - 1 - position)


def plan_for(programme: Programme, rules: list[SelectionRule] | None = None, *, today=None) -> Plan:
    today = today or timezone.localdate()
    rules = list(programme.rules.all()) if rules is None else rules
    org = programme.implementing_organisation_id
    eligibility = [r for r in rules if r.purpose == RulePurpose.ELIGIBILITY]
    priority = sorted((r for r in rules if r.purpose == RulePurpose.PRIORITY), key=lambda r: r.rank)
    if len(priority) > MAX_PRIORITY_RULES:
        raise ValueError(f"at most {MAX_PRIORITY_RULES} priority rules")

    participant = members_q()
    for rule in eligibility:
        if rule.condition in (RuleCondition.SEX, RuleCondition.AGE):
            participant &= _person_rule_q(rule, today)
    if not any(r.condition == RuleCondition.AGE for r in eligibility):
        participant &= Q(birthdate__isnull=True) | Q(birthdate__lte=_years_before(today, ADULT_AGE))

    # Conditions on the person a screening or a group belongs to, through the join the subquery makes anyway.
    member_of_org = Q(
        person__organisation_id=org,
        person__is_active=True,
        person__merged_into__isnull=True,
        person__deceased=False,
    )

    def household_q(rule: SelectionRule) -> Q:
        c = rule.condition
        if c == RuleCondition.SCREENING_BAND:
            newer = Screening.objects.filter(
                person=OuterRef("person"), screened_at__gt=OuterRef("screened_at")
            )
            latest = Screening.objects.filter(
                member_of_org, organisation_id=org, band__in=rule.values
            ).filter(~Exists(newer))
            return Q(pk__in=latest.values("person__household_id"))
        if c == RuleCondition.VULNERABILITY:
            return Q(
                pk__in=Vulnerability.objects.filter(member_of_org, group__in=rule.values).values(
                    "person__household_id"
                )
            )
        if c == RuleCondition.SITE:
            return Q(site_id=rule.site_id)
        if c == RuleCondition.AREA:
            return Q(site_id__in=list(_sites_in(rule.area_id).values_list("pk", flat=True)))
        if c == RuleCondition.REFERRED:
            return Q(
                pk__in=ProgrammeReferral.objects.filter(
                    programme=programme,
                    status__in=[ProgrammeReferral.Status.OPEN, ProgrammeReferral.Status.ENROLLED],
                ).values("household_id")
            )
        # Sex and age: a member who may take part and also meets this rule.
        return Q(
            pk__in=Person.objects.filter(
                participant & _person_rule_q(rule, today), organisation_id=org
            ).values("household_id")
        )

    plan = Plan(programme=programme, participant=participant)
    plan.eligibility.append(
        Q(pk__in=Person.objects.filter(participant, organisation_id=org).values("household_id"))
    )
    site_ids = list(programme.sites.values_list("pk", flat=True))
    area_ids = list(programme.areas.values_list("pk", flat=True))
    if site_ids or area_ids:
        # Sites are few: the list is read once here, so the ranking compares the household's site to a list.
        for area in area_ids:
            site_ids.extend(_sites_in(area).values_list("pk", flat=True))
        plan.eligibility.append(Q(site_id__in=sorted(set(site_ids))))
    plan.eligibility.extend(
        household_q(r) for r in eligibility if r.condition not in (RuleCondition.SEX, RuleCondition.AGE)
    )
    plan.priority = [(r, household_q(r)) for r in priority]
    return plan


def ranked_households(
    programme: Programme, *, plan: Plan | None = None, eligible_only: bool = True
) -> QuerySet[Household]:
    """The implementing organisation's active households, eligible ones only unless asked otherwise, annotated
    with ``priority_score``, in rank order. Which rules a household met is read from its score (``rules_met``)."""
    plan = plan or plan_for(programme)
    households = Household.objects.filter(
        organisation_id=programme.implementing_organisation_id, is_active=True
    )
    if eligible_only:
        for q in plan.eligibility:
            households = households.filter(q)
    score = sum(
        (
            Case(When(q, then=Value(plan.weight(n))), default=Value(0), output_field=IntegerField())
            for n, (_rule, q) in enumerate(plan.priority)
        ),
        Value(0, output_field=IntegerField()),
    )
    return households.annotate(priority_score=score).order_by("-priority_score", "created_at", "pk")


def above(households: QuerySet[Household], household: Household, score: int) -> QuerySet[Household]:
    """The households ranked above ``household`` (with ``score``) in a ranked queryset."""
    return households.filter(
        Q(priority_score__gt=score)
        | Q(priority_score=score, created_at__lt=household.created_at)
        | Q(priority_score=score, created_at=household.created_at, pk__lt=household.pk)
    )


def rules_met(plan: Plan, score: int) -> list[int]:
    """The positions (from 0) of the priority rules behind ``score``: each rule has its own bit."""
    return [n for n in range(len(plan.priority)) if score & plan.weight(n)]


def score_of(programme: Programme, household: Household, plan: Plan | None = None) -> tuple[int, list[int]]:
    """The household's priority score and the positions of the priority rules it meets (eligible or not)."""
    plan = plan or plan_for(programme)
    score = (
        ranked_households(programme, plan=plan, eligible_only=False)
        .filter(pk=household.pk)
        .values_list("priority_score", flat=True)
        .get()
    )
    return score, rules_met(plan, score)


def is_eligible(programme: Programme, household: Household, plan: Plan | None = None) -> bool:
    return ranked_households(programme, plan=plan).filter(pk=household.pk).exists()


def decided_households(programme: Programme) -> Q:
    """Households about which the programme has decided: enrolled (in any state) or passed over."""
    return Q(pk__in=Enrolment.objects.filter(programme=programme).values("household_id")) | Q(
        pk__in=Skip.objects.filter(programme=programme).values("household_id")
    )


def unavailable_households(programme: Programme) -> Q:
    """Households that cannot join this programme now: under "one enrolment at a time", those taking part in
    another programme."""
    if programme.household_limit != HouseholdLimit.ONE_AT_A_TIME:
        return Q(pk__in=[])
    return Q(
        pk__in=Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
        .exclude(programme=programme)
        .values("household_id")
    )


def passed_over(
    programme: Programme, household: Household, score: int, *, going_active: bool, plan: Plan | None = None
) -> int:
    """How many households a decision about ``household`` passes over: eligible households ranked above it
    that are still undecided and available, and, when it takes a place now, those above it on the waiting list."""
    ranked = above(ranked_households(programme, plan=plan), household, score)
    undecided = ranked.exclude(decided_households(programme)).exclude(unavailable_households(programme))
    count = undecided.count()
    if going_active:
        waiting = Enrolment.objects.filter(programme=programme, status=Enrolment.Status.WAITING)
        count += ranked.filter(pk__in=waiting.values("household_id")).count()
    return count


def next_undecided(programme: Programme, plan: Plan | None = None) -> QuerySet[Household]:
    """Eligible households not yet decided about and available, in rank order: whom the officer meets next."""
    return (
        ranked_households(programme, plan=plan)
        .exclude(decided_households(programme))
        .exclude(unavailable_households(programme))
    )


def participants_in(plan: Plan, household_ids: list[int]) -> dict[int, list[Person]]:
    """For each household, the members who may take part (heads first, then eldest first)."""
    found: dict[int, list[Person]] = {}
    # The members by their household first: given the participant conditions as well, SQLite without table
    # statistics walks the merged_into index (every row is NULL there) instead of the household's.
    members = list(Person.objects.filter(household_id__in=household_ids).values_list("pk", flat=True))
    people = Person.objects.filter(plan.participant, pk__in=members).annotate(
        is_head=Exists(Household.objects.filter(pk=OuterRef("household_id"), head_id=OuterRef("pk")))
    )
    for person in people.order_by("-is_head", "birthdate", "pk"):
        found.setdefault(person.household_id, []).append(person)
    return found
