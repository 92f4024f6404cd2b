"""The livelihoods part's step of the demo scenario: ``build(demo)``, through the services users call.

Spring 2006, months after the quake: the host (IMPO) runs two programmes in Mansehra and Muzaffarabad funded by
the US Bureau of Population, Refugees and Migration (PRM): tailoring and embroidery for women, and livestock
restocking. The livelihood officer ranks the registry, enrols the top households (a few wait for a place, one is
passed over, one is enrolled out of rank order with a reason), records training, grants and goods, and visits the
participants three and six months on. PRM's donor viewer (``prm-donor``) sees the aggregate figures.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hifazat.accounts import services as accounts
from hifazat.core.roles import Role
from hifazat.geography.models import AdminArea
from hifazat.livelihoods import selection, services
from hifazat.livelihoods.models import Enrolment, OutcomeVisit

DISTRICTS = ["PK201", "PK501"]  # Mansehra, Muzaffarabad


def _prm_donor(demo):
    from hifazat.demo.scenario import DEMO_PASSWORD

    if "prm-donor" not in demo.users:
        demo.users["prm-donor"] = accounts.user_create(
            actor=demo.actor(),
            organisation=demo.organisations["PRM"],
            role=Role.DONOR_VIEWER,
            username="prm-donor",
            password=DEMO_PASSWORD,
            first_name="Laura",
            last_name="Mitchell",
        )
    return demo.users["prm-donor"]


def _programmes(demo, officer):
    areas = list(AdminArea.objects.filter(pcode__in=DISTRICTS))
    prm = demo.organisations["PRM"]
    tailoring = services.programme_create(
        actor=officer,
        name="Tailoring and embroidery for women",
        name_ur="خواتین کے لیے سلائی اور کڑھائی",
        kind="vocational_training",
        trade="Tailoring and embroidery",
        description="Three months of training in cutting, stitching and Hazara embroidery, a sewing machine and a "
        "start-up grant, so that women heading households can earn at home.",
        funder=prm,
        capacity=max(6, demo.households // 30),
        budget_per_participant=Decimal("25000"),
        currency="PKR",
        starts_on=datetime.date(2006, 2, 1),
        ends_on=datetime.date(2006, 9, 30),
        followup_months=[3, 6],
        areas=areas,
    )
    for purpose, condition, data in (
        ("eligibility", "sex", {"values": ["Feminine"]}),
        ("eligibility", "age", {"age_min": 16, "age_max": 50}),
        ("priority", "screening_band", {"values": ["high", "urgent"]}),
        ("priority", "vulnerability", {"values": ["widowed_single_parent"]}),
        ("priority", "vulnerability", {"values": ["female_headed_household"]}),
    ):
        services.rule_add(actor=officer, programme=tailoring, purpose=purpose, condition=condition, **data)
    livestock = services.programme_create(
        actor=officer,
        name="Livestock restocking",
        name_ur="مویشیوں کی بحالی",
        kind="livestock",
        trade="Goats and poultry",
        description="Two goats or a flock of poultry, fodder and veterinary training for households that lost "
        "their animals in the quake.",
        funder=prm,
        capacity=max(4, demo.households // 50),
        budget_per_participant=Decimal("40000"),
        currency="PKR",
        starts_on=datetime.date(2006, 3, 1),
        ends_on=datetime.date(2006, 12, 31),
        followup_months=[3, 6, 12],
        areas=areas,
    )
    for purpose, condition, data in (
        ("priority", "referred", {}),
        ("priority", "vulnerability", {"values": ["widowed_single_parent"]}),
        ("priority", "vulnerability", {"values": ["older_person_alone"]}),
        ("priority", "screening_band", {"values": ["medium", "high", "urgent"]}),
    ):
        services.rule_add(actor=officer, programme=livestock, purpose=purpose, condition=condition, **data)
    return tailoring, livestock


def _refer_from_cases(programme, limit: int = 3) -> None:
    """Caseworkers refer the people of open cases with a livelihood support plan whose household the programme
    covers: the livestock programme puts referred households first."""
    from hifazat.cases.models import SupportPlan
    from hifazat.core.audit import Actor

    plans = SupportPlan.objects.filter(
        plan_type=services.LIVELIHOOD_PLAN,
        actual_end_date__isnull=True,
        case__organisation=programme.implementing_organisation,
        case__status__in=["Active", "FollowUp"],
        case__person__household__isnull=False,
    ).select_related("case__person__household", "case__caseworker", "case__owner")
    referred = 0
    people: set[int] = set()  # a person with two open cases is referred once
    for plan in plans.order_by("pk"):
        household = plan.case.person.household
        if (
            referred >= limit
            or plan.case.person_id in people
            or not selection.is_eligible(programme, household)
        ):
            continue
        people.add(plan.case.person_id)
        worker = plan.case.caseworker or plan.case.owner
        services.referral_create(
            actor=Actor.for_user(worker),
            support_plan=plan,
            programme=programme,
            note="Lost the family's animals in the quake; the support plan asks for livestock.",
        )
        referred += 1
    if referred:
        return
    # A small registry may have no livelihood plan yet: a caseworker adds one to an open case the programme
    # covers, as the plan's type asks, and refers from it.
    from hifazat.cases import record_services
    from hifazat.cases.models import Case

    for case in (
        Case.objects.filter(
            organisation=programme.implementing_organisation, status="Active", person__household__isnull=False
        )
        .select_related("person__household", "caseworker", "owner")
        .order_by("pk")
    ):
        if (
            referred >= min(limit, 2)
            or case.person_id in people
            or not selection.is_eligible(programme, case.person.household)
        ):
            continue
        people.add(case.person_id)
        worker = Actor.for_user(case.caseworker or case.owner)
        plan = record_services.support_plan_add(
            actor=worker,
            case=case,
            plan_type=services.LIVELIHOOD_PLAN,
            objectives="An income of the family's own, so that offers of work far away lose their pull.",
            action_plan="Refer to the livestock restocking programme.",
        )
        services.referral_create(actor=worker, support_plan=plan, programme=programme)
        referred += 1


def _select(demo, officer, programme, *, waiting: int, start: datetime.date) -> list[Enrolment]:
    """Enrol down the ranked list until every place is taken and ``waiting`` households wait. The fourth
    household is passed over (it moved away); the last place goes out of rank order, with a reason."""
    rng = demo.rng
    plan = selection.plan_for(programme)
    candidates = list(selection.next_undecided(programme, plan)[: programme.capacity + waiting + 2])
    participants = selection.participants_in(plan, [h.pk for h in candidates])
    enrolled: list[Enrolment] = []
    day = start
    for index, household in enumerate(candidates):
        if index == 3:
            services.household_skip(
                actor=officer,
                programme=programme,
                household=household,
                reason="The family returned to its village before the programme started.",
            )
            continue
        if index == len(candidates) - 2:
            continue  # the one the last enrolment below passes over
        people = participants.get(household.pk)
        if not people:
            continue
        # A member referred from a case is the one enrolled, when the rules let them take part.
        referred = set(
            programme.referrals.filter(household=household, status="open").values_list("person_id", flat=True)
        )
        people = sorted(people, key=lambda p: p.pk not in referred)
        reason = (
            "Referred by the camp committee: the family's only income was lost this month."
            if index == len(candidates) - 1
            else ""
        )
        enrolled.append(
            services.enrol(
                actor=officer,
                programme=programme,
                person=people[0],
                agreed=True,
                # A child referred from a case takes part with a caregiver's agreement.
                **(
                    {"agreed_by": "caregiver", "agreed_by_name": "the head of household"}
                    if people[0].is_child
                    else {}
                ),
                income_before=Decimal(rng.randrange(15, 60) * 100),
                departure_reason=reason,
                on=day,
            )
        )
        day += datetime.timedelta(days=rng.randrange(0, 3))
    return enrolled


def _support(demo, officer, verifiers, enrolment, kind: str) -> None:
    rng = demo.rng
    day = enrolment.enrolled_on
    record = services.support_record
    if kind == "tailoring":
        for week in (1, 3, 6):
            record(
                actor=officer,
                enrolment=enrolment,
                kind="training",
                description="Cutting and stitching class",
                quantity=Decimal("4"),
                delivered_on=day + datetime.timedelta(weeks=week),
                verified_by=rng.choice(verifiers),
            )
        record(
            actor=officer,
            enrolment=enrolment,
            kind="in_kind",
            description="Sewing machine",
            quantity=Decimal("1"),
            amount=Decimal("9000"),
            delivered_on=day + datetime.timedelta(weeks=8),
            verified_by=rng.choice(verifiers),
        )
        record(
            actor=officer,
            enrolment=enrolment,
            kind="grant",
            description="Start-up grant for cloth and thread",
            amount=Decimal(rng.choice([12000, 14000, 16000, 18000])),
            delivered_on=day + datetime.timedelta(weeks=10),
            verified_by=rng.choice(verifiers),
        )
    else:
        record(
            actor=officer,
            enrolment=enrolment,
            kind="in_kind",
            description="Two goats",
            quantity=Decimal("2"),
            amount=Decimal(rng.choice([26000, 30000, 34000])),
            delivered_on=day + datetime.timedelta(weeks=2),
            verified_by=rng.choice(verifiers),
        )
        record(
            actor=officer,
            enrolment=enrolment,
            kind="distribution",
            description="Fodder, one month",
            amount=Decimal("4000"),
            delivered_on=day + datetime.timedelta(weeks=3),
            verified_by=rng.choice(verifiers),
        )
        # A veterinary kit donated in US dollars, counted in rupees at the day's rate.
        record(
            actor=officer,
            enrolment=enrolment,
            kind="in_kind",
            description="Veterinary kit",
            amount=Decimal("40"),
            currency="USD",
            exchange_rate=Decimal("59.90"),
            delivered_on=day + datetime.timedelta(weeks=4),
            verified_by=rng.choice(verifiers),
        )


def _follow_up(demo, officer, enrolment) -> None:
    rng = demo.rng
    before = enrolment.income_before or Decimal("3000")
    for visit in enrolment.visits.order_by("months_after"):
        if rng.random() < 0.08:
            services.visit_record(
                actor=officer,
                visit=visit,
                status=OutcomeVisit.Status.MISSED,
                visited_on=visit.due_on + datetime.timedelta(days=rng.randrange(0, 10)),
                note="Nobody at home; neighbours say the family is visiting relatives.",
            )
            continue
        running = rng.random() < 0.85
        factor = Decimal(str(round(rng.uniform(1.2, 2.6) if running else rng.uniform(0.8, 1.2), 2)))
        services.visit_record(
            actor=officer,
            visit=visit,
            visited_on=visit.due_on + datetime.timedelta(days=rng.randrange(0, 10)),
            income=(before * factor).quantize(Decimal("100")),
            activity_running=running,
            employment=rng.choice(["self_employed", "self_employed", "casual", "wage"])
            if running
            else "none",
        )


def build(demo) -> None:
    _prm_donor(demo)
    officer = demo.actor("livelihoods")
    verifiers = [demo.users["livelihoods"], demo.users["supervisor"]]
    tailoring, livestock = _programmes(demo, officer)
    _refer_from_cases(livestock)
    for programme, kind, start in (
        (tailoring, "tailoring", datetime.date(2006, 2, 6)),
        (livestock, "livestock", datetime.date(2006, 3, 6)),
    ):
        enrolled = _select(demo, officer, programme, waiting=3, start=start)
        active = [e for e in enrolled if e.status == Enrolment.Status.ACTIVE]
        if len(active) > 2:
            # One participant leaves early; the best-ranked household on the waiting list takes the place.
            services.enrolment_end(
                actor=officer,
                enrolment=active[-1],
                status=Enrolment.Status.WITHDRAWN,
                reason="Moved to Rawalpindi to join relatives.",
                on=start + datetime.timedelta(weeks=3),
            )
        for enrolment in programme.enrolments.filter(status=Enrolment.Status.ACTIVE).order_by("pk"):
            _support(demo, officer, verifiers, enrolment, kind)
            _follow_up(demo, officer, enrolment)
        if kind == "tailoring":
            for enrolment in programme.enrolments.filter(status=Enrolment.Status.ACTIVE).order_by("pk"):
                services.enrolment_end(
                    actor=officer,
                    enrolment=enrolment,
                    status=Enrolment.Status.COMPLETED,
                    on=programme.ends_on,
                )
