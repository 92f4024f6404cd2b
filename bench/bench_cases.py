"""Cases benchmarks, at 20,000 cases of one organisation on SQLite (half of them one caseworker's).

1. The case list page as that caseworker: open cases, only those with an overdue follow-up (an ``EXISTS`` per
   row), page 40 of 25 rows, rendered. Baseline: the same 25 case rows by a plain query.
2. The case page: everything about one case (victim context, plans with services, follow-ups, comments, the
   timeline with other parts' events and panels) with its audited read. Baseline: the case fetched by UUID.
3. The caseworker's work-list sources for cases ("My cases", "Case follow-ups due and overdue"), counted and
   the first ten rendered as items. Baseline: counting the caseworker's open cases.

Each case has two follow-ups (a quarter of them overdue), a support plan with a service, and a comment. Rows are
written with ``bulk_create`` (services would take an hour at this size). Target: each p95 under 100 ms.
"""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from bench.timing import measure, report

CASES = 20_000


def build():
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.cases.models import Case, CaseComment, CaseFollowUp, ServiceDelivery, SupportPlan
    from hifazat.geography.models import AdminArea, Site
    from hifazat.people.models import Household, Person

    org = Organisation.objects.create(name="Bench org", short_name="BENCH", org_type="NGO", hosts_system=True)
    workers = []
    for name in ("bench-caseworker", "bench-caseworker-2"):
        user = User.objects.create(username=name)
        Membership.objects.create(user=user, organisation=org, role="caseworker")
        workers.append(user)
    country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
    site = Site.objects.create(code="ISB-H11", name="H-11 Relief Camp", site_type="relief_camp", area=country)
    households = Household.objects.bulk_create(
        Household(organisation=org, site=site, shelter_number=f"T-{i}") for i in range(CASES // 4)
    )
    people = Person.objects.bulk_create(
        Person(organisation=org, household=households[i // 4], first_name=f"Person {i}", gender="Feminine")
        for i in range(CASES)
    )
    today = timezone.localdate()
    cases = Case.objects.bulk_create(
        Case(
            organisation=org,
            number=f"BENCH-2006-{i + 1:05d}",
            person=person,
            household=person.household,
            owner=workers[i % 2],
            caseworker=workers[i % 2],
            origin="walk_in",
            opened_on=today - datetime.timedelta(days=i % 300),
            exploitation_types=["ForcedLabour"] if i % 10 == 0 else [],
        )
        for i, person in enumerate(people)
    )
    CaseFollowUp.objects.bulk_create(
        CaseFollowUp(
            case=case,
            due_on=today + datetime.timedelta(days=(-5 if (i + n) % 4 == 0 else 10) + n),
            purpose="Home visit",
            assigned_to=case.caseworker,
        )
        for i, case in enumerate(cases)
        for n in range(2)
    )
    plans = SupportPlan.objects.bulk_create(
        SupportPlan(case=case, plan_type="SocialCare", objectives="Safe in the camp") for case in cases
    )
    ServiceDelivery.objects.bulk_create(
        ServiceDelivery(case=plan.case, support_plan=plan, service="psychosocial", delivered_on=today)
        for plan in plans
    )
    CaseComment.objects.bulk_create(
        CaseComment(case=case, body="Visited the tent.", created_by=case.caseworker) for case in cases
    )
    return workers[0], cases


def run() -> None:
    from hifazat.cases.hooks import worklist
    from hifazat.cases.models import Case
    from hifazat.core.audit import Actor

    user, cases = build()
    client = Client()
    client.force_login(user)
    size = f"{CASES} cases, {2 * CASES} follow-ups"

    page = measure(lambda: client.get("/cases/?overdue=on&page=40"), repeat=40)
    plain = measure(
        lambda: list(Case.objects.filter(caseworker=user).order_by("-opened_on")[975:1000]), repeat=40
    )
    report("case list page (mine, overdue follow-ups, rendered)", page, plain, size=size)
    report("  baseline: one page of case rows, plain query", plain)

    case = cases[1000]
    detail = measure(lambda: client.get(f"/cases/{case.uuid}/"), repeat=40)
    lookup = measure(lambda: Case.objects.get(uuid=case.uuid), repeat=40)
    report("case page (everything, timeline, audited read)", detail, lookup, size=size)
    report("  baseline: the case by UUID", lookup)

    actor = Actor.for_user(user)
    work = measure(lambda: worklist(actor), repeat=40)
    count = measure(lambda: Case.objects.filter(caseworker=user, status="Active").count(), repeat=40)
    report("work list: my cases and follow-ups due", work, count, size=f"{CASES // 2} of the caseworker's")
    report("  baseline: counting the caseworker's open cases", count)
