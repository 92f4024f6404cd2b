"""Record numbers: one locked counter per organisation, kind and year; kinds never share a number."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction

from hifazat.cases.services import next_case_number
from hifazat.core import sequences
from hifazat.core.audit import Actor
from hifazat.core.models import NumberSequence
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase, make_organisation, needs_postgresql, run_at_once
from hifazat.monitoring import services as monitoring
from hifazat.monitoring.models import Report
from hifazat.monitoring.rules import next_alert_number
from hifazat.monitoring.services import next_report_number
from hifazat.referrals.services import next_referral_number
from hifazat.tracing.services import next_request_number

YEAR = 2006


class NumberKindsTests(HifazatTestCase):
    def test_numbers_of_different_kinds_never_collide(self) -> None:
        drawn = {
            "case": next_case_number(self.org_a, YEAR),
            "referral": next_referral_number(self.org_a, YEAR),
            "report": next_report_number(self.org_a, YEAR),
            "alert": next_alert_number(self.org_a, YEAR),
            "tracing": next_request_number(self.org_a, YEAR),
        }
        self.assertEqual(len(set(drawn.values())), 5, drawn)
        self.assertEqual(drawn["report"], "A-R-2006-0001")
        self.assertEqual(drawn["referral"], "A-RF-2006-0001")
        # A referral number no longer reads as a report number.
        self.assertIsNone(re.fullmatch(r"A-R-\d{4}-\d{4}", drawn["referral"]))

    def test_many_numbers_drawn_in_a_row_are_consecutive_and_unique(self) -> None:
        numbers = [next_case_number(self.org_a, YEAR) for _ in range(30)]
        self.assertEqual(numbers, [f"A-2006-{n:04d}" for n in range(1, 31)])
        # Each kind, organisation and year counts on its own.
        self.assertEqual(next_referral_number(self.org_a, YEAR), "A-RF-2006-0001")
        self.assertEqual(next_case_number(self.org_b, YEAR), "B-2006-0001")
        self.assertEqual(next_case_number(self.org_a, YEAR + 1), "A-2007-0001")
        self.assertEqual(NumberSequence.objects.get(organisation=self.org_a, kind="case", year=YEAR).last, 30)


class SeedingTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = monitoring.report_submit(
            actor=Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT]),
            kind="recruiter_seen",
            occurred_on=datetime.date(YEAR, 1, 10),
            description="A man offering factory work in Lahore at the gate.",
        )

    def test_the_counter_starts_after_the_highest_number_stored_before_it_existed(self) -> None:
        # Numbers given before the counter: the highest is 41, and 9 sorts after it as text.
        Report.objects.filter(pk=self.report.pk).update(number="A-R-2006-0041")
        NumberSequence.objects.all().delete()
        self.assertEqual(next_report_number(self.org_a, YEAR), "A-R-2006-0042")
        self.assertEqual(next_report_number(self.org_a, YEAR), "A-R-2006-0043")

    def test_an_older_format_of_the_same_kind_counts_for_the_seed(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(number="A-R-2006-0007")
        NumberSequence.objects.all().delete()
        number = sequences.next_number(
            organisation=self.org_a,
            kind=NumberSequence.Kind.REFERRAL,
            year=YEAR,
            prefix="A-RF-2006-",
            older_prefixes=["A-R-2006-"],
            existing=Report.objects.filter(network=self.org_a),
        )
        self.assertEqual(number, "A-RF-2006-0008")

    def test_a_number_stored_by_hand_ahead_of_the_counter_is_stepped_over(self) -> None:
        self.assertEqual(self.report.number, "A-R-2006-0001")
        Report.objects.filter(pk=self.report.pk).update(number="A-R-2006-0002")
        self.assertEqual(next_report_number(self.org_a, YEAR), "A-R-2006-0003")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_writers_drawing_at_the_same_moment_get_different_numbers() -> None:
    organisation = make_organisation("Organisation C")

    def draw() -> str:
        with transaction.atomic():
            return next_case_number(organisation, YEAR)

    # The first draws race to create the counter too.
    numbers = run_at_once(*[draw] * 6) + run_at_once(*[draw] * 6)
    assert sorted(numbers) == [f"C-2006-{n:04d}" for n in range(1, 13)], numbers
