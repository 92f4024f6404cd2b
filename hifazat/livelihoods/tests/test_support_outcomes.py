"""Support delivered against the budget, follow-up visits, and the outcome summary behind the charts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from hifazat.core.disclosure import EXACT, Policy
from hifazat.core.roles import Role
from hifazat.livelihoods import services
from hifazat.livelihoods.selectors import chart_data, enrolment_budget, outcome_summary, programme_figures
from hifazat.livelihoods.tests.base import LivelihoodTestCase


class SupportTests(LivelihoodTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.prog = self.programme(budget_per_participant=Decimal("20000"))
        self.gul = self.widow_with_children("T-1", "Gul")
        self.enrolment = self.enrol(self.prog, self.gul, income_before=Decimal("3000"))
        self.verifier = self.a[Role.SUPERVISOR]

    def give(self, **data):
        data.setdefault("kind", "grant")
        data.setdefault("delivered_on", self.today)
        data.setdefault("verified_by", self.verifier)
        return services.support_record(actor=self.officer, enrolment=self.enrolment, **data)

    def test_totals_count_against_the_budget_and_warn_when_over(self) -> None:
        self.give(amount=Decimal("12000"))
        self.give(kind="in_kind", description="sewing machine", amount=Decimal("6500"), quantity=Decimal("1"))
        self.give(kind="training", description="cutting and stitching", quantity=Decimal("3"))  # no value
        budget = enrolment_budget(self.enrolment)
        self.assertEqual(
            (budget.spent, budget.remaining, budget.over), (Decimal("18500"), Decimal("1500"), False)
        )
        self.give(amount=Decimal("30"), currency="USD", exchange_rate=Decimal("60"))  # 1,800 PKR
        budget = enrolment_budget(self.enrolment)
        self.assertEqual((budget.spent, budget.over), (Decimal("20300"), True))
        figures = programme_figures(self.prog, policy=EXACT)
        self.assertEqual((figures.spent, figures.over_budget), (Decimal("20300"), "1"))

    def test_an_amount_in_another_currency_needs_the_rate(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Give the rate from USD to PKR"):
            self.give(amount=Decimal("30"), currency="USD")

    def test_a_grant_has_an_amount_and_a_verifier_of_the_organisation(self) -> None:
        with self.assertRaisesMessage(ValidationError, "A grant or a wage has an amount"):
            self.give()
        with self.assertRaisesMessage(ValidationError, "member of your organisation"):
            self.give(amount=Decimal("100"), verified_by=self.b[Role.SUPERVISOR])

    def test_nothing_is_given_to_a_household_on_the_waiting_list(self) -> None:
        full = self.programme(name="Small", capacity=1, household_limit="one_in_programme")
        self.enrol(full, self.gul)
        waiting = self.enrol(full, self.widow_with_children("T-2", "Amina"))
        with self.assertRaisesMessage(ValidationError, "not for households on the waiting list"):
            services.support_record(
                actor=self.officer,
                enrolment=waiting,
                kind="grant",
                amount=Decimal("1"),
                delivered_on=self.today,
                verified_by=self.verifier,
            )


class OutcomeTests(LivelihoodTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.prog = self.programme(capacity=20, followup_months=[3, 6])
        self.enrolments = [
            self.enrol(
                self.prog,
                self.widow_with_children(f"T-{n}", f"Woman {n}"),
                income_before=Decimal(2000 + 500 * n),
                departure_reason="test order",
            )
            for n in range(6)
        ]

    def visit(self, enrolment, months: int, **data):
        visit = enrolment.visits.get(months_after=months)
        data.setdefault("visited_on", self.today)
        return services.visit_record(actor=self.officer, visit=visit, **data)

    def test_visits_are_scheduled_at_the_programmes_intervals(self) -> None:
        self.assertEqual(
            list(self.enrolments[0].visits.values_list("months_after", "due_on")),
            [(3, services.add_months(self.today, 3)), (6, services.add_months(self.today, 6))],
        )

    def test_the_summary_gives_the_median_income_before_and_after_and_the_share_still_running(self) -> None:
        for n, enrolment in enumerate(self.enrolments):
            self.visit(
                enrolment,
                3,
                income=Decimal(5000 + 1000 * n),
                activity_running=n != 0,
                employment="self_employed",
            )
        before, three, six = outcome_summary(self.prog)
        self.assertEqual((before.count, before.median_income), (6, Decimal("3250")))
        self.assertEqual((three.count, three.median_income, three.running_percent), (6, Decimal("7500"), 83))
        self.assertEqual((six.count, six.median_income), (0, None))
        self.assertEqual(three.employed_percent, 100)

    def test_funders_see_no_point_made_of_too_few_people(self) -> None:
        for enrolment in self.enrolments[:3]:
            self.visit(enrolment, 3, income=Decimal("6000"), activity_running=True)
        outside = programme_figures(self.prog, policy=Policy(controlled=True, threshold=5))
        shown = chart_data(outside.points, currency="PKR")
        self.assertEqual(shown["income"], [3250.0, None, None])
        self.assertEqual(shown["counts"], ["5", "*", "0"])
        inside = programme_figures(self.prog, policy=EXACT)
        self.assertEqual(chart_data(inside.points, currency="PKR")["income"], [3250.0, 6000.0, None])

    def test_a_visit_needs_something_recorded_and_no_future_date(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Record at least"):
            self.visit(self.enrolments[0], 3)
        with self.assertRaises(ValidationError):
            self.visit(
                self.enrolments[0], 3, income=Decimal("1"), visited_on=self.today + datetime.timedelta(days=1)
            )
        missed = self.visit(self.enrolments[0], 6, status="missed", note="family moved back to the village")
        self.assertEqual((missed.status, missed.income), ("missed", None))
