"""The livelihoods part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.

The fixture programme is implemented and funded by organisation A, so that A's donor viewer sees its figures.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # livelihoods.view: supervisor, caseworker, livelihood officer; manage and enrol: supervisor and officer.
    "livelihoods:programme_list":       [302, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "livelihoods:programme_create":     [302, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "livelihoods:programme_detail":     [302, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "livelihoods:programme_edit":       [302, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "livelihoods:rule_create":          [302, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "livelihoods:rule_delete":          [302, 403, 405, 403, 403, 403, 403, 405, 403, 403],
    "livelihoods:programme_ranking":    [302, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "livelihoods:household_skip":       [302, 403, 405, 403, 403, 403, 403, 405, 403, 403],
    # Without ?household= the enrolment page sends the officer back to the ranked list.
    "livelihoods:enrolment_create":     [302, 403, 302, 403, 403, 403, 403, 302, 403, 403],
    "livelihoods:enrolment_detail":     [302, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "livelihoods:enrolment_end":        [302, 403, 405, 403, 403, 403, 403, 405, 403, 403],
    "livelihoods:support_create":       [302, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "livelihoods:visit_record":         [302, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    # Aggregate figures: the officer and supervisor, analysts, and the funder's donor viewers.
    "livelihoods:figures_list":         [302, 403, 200, 403, 403, 403, 403, 200, 200, 200],
    "livelihoods:programme_figures":    [302, 403, 200, 403, 403, 403, 403, 200, 200, 200],
    # A caseworker refers from a case's livelihood support plan (cases.edit).
    "livelihoods:referral_create":      [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:programme_list":               [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:programme_detail":             [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:programme_rules":              [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:programme_ranking":            [401, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "api:programme_enrolments":         [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:programme_skips":              [401, 403, 200, 403, 403, 403, 403, 200, 403, 403],
    "api:programme_figures":            [401, 403, 200, 403, 403, 403, 403, 200, 200, 200],
    "api:livelihood_enrolment_detail":  [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:livelihood_enrolment_end":     [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:livelihood_support":           [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:livelihood_visit_detail":      [401, 403, 200, 200, 403, 403, 403, 200, 403, 403],
    "api:livelihood_referrals":         [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
}
# fmt: on


def fixtures(cls) -> dict:
    from hifazat.cases.models import Case, SupportPlan
    from hifazat.core.roles import Role
    from hifazat.livelihoods.models import Enrolment, OutcomeVisit, Programme, SelectionRule

    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Tailoring",
        kind="vocational_training",
        implementing_organisation=cls.org_a,
        funder=cls.org_a,
        capacity=5,
        budget_per_participant=Decimal("20000"),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=100),
        followup_months=[3],
    )
    rule = SelectionRule.objects.create(
        programme=programme,
        purpose="priority",
        rank=1,
        condition="vulnerability",
        values=["widowed_single_parent"],
    )
    enrolment = Enrolment.objects.create(
        programme=programme,
        household=cls.household,
        person=cls.person,
        status="active",
        listed_on=today,
        enrolled_on=today,
    )
    visit = OutcomeVisit.objects.create(
        enrolment=enrolment, months_after=3, due_on=today + datetime.timedelta(days=90)
    )
    case = Case.objects.create(
        organisation=cls.org_a,
        number="A-LIV-0001",
        person=cls.person,
        household=cls.household,
        owner=cls.a[Role.CASEWORKER],
        caseworker=cls.a[Role.CASEWORKER],
        origin="walk_in",
        opened_on=today,
    )
    plan = SupportPlan.objects.create(case=case, plan_type="Livelihood", objectives="An income of her own")
    pages = {
        "programme_detail": programme.uuid,
        "programme_edit": programme.uuid,
        "rule_create": programme.uuid,
        "rule_delete": rule.uuid,
        "programme_ranking": programme.uuid,
        "household_skip": programme.uuid,
        "enrolment_create": programme.uuid,
        "enrolment_detail": enrolment.uuid,
        "enrolment_end": enrolment.uuid,
        "support_create": enrolment.uuid,
        "visit_record": visit.uuid,
        "programme_figures": programme.uuid,
        "referral_create": plan.uuid,
    }
    api = {
        "programme_detail": programme.uuid,
        "programme_rules": programme.uuid,
        "programme_ranking": programme.uuid,
        "programme_enrolments": programme.uuid,
        "programme_skips": programme.uuid,
        "programme_figures": programme.uuid,
        "livelihood_enrolment_detail": enrolment.uuid,
        "livelihood_enrolment_end": enrolment.uuid,
        "livelihood_support": enrolment.uuid,
        "livelihood_visit_detail": visit.uuid,
        "livelihood_referrals": case.uuid,
    }
    return {
        **{f"livelihoods:{name}": uuid for name, uuid in pages.items()},
        **{f"api:{name}": uuid for name, uuid in api.items()},
    }
