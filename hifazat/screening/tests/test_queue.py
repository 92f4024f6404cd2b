"""The follow-up queue and the scoping of screenings."""

from __future__ import annotations

import datetime

from django.utils import timezone

from hifazat.core.roles import Role
from hifazat.screening.selectors import followup_queue, followups_visible_to, screenings_visible_to
from hifazat.screening.testing import make_followup, make_screening
from hifazat.screening.tests.base import ScreeningTestCase


class QueueTests(ScreeningTestCase):
    def test_most_urgent_first_then_by_due_date_with_overdue_marked(self) -> None:
        person = self.widow()
        by = self.a[Role.CASEWORKER]
        urgent, high, medium = (
            make_screening(person, by=by, band=band) for band in ("urgent", "high", "medium")
        )
        make_followup(medium, due_in_days=-10, kind="rescreening")
        make_followup(high, due_in_days=3)
        make_followup(urgent, due_in_days=5)
        make_followup(urgent, due_in_days=-1)
        make_followup(high, due_in_days=-2)
        make_followup(urgent, due_in_days=-30, status="done", closed_at=timezone.now())  # done: never overdue
        queue = [(f.priority, f.due_on, f.is_overdue) for f in followup_queue(self.caseworker)]
        today = timezone.localdate()

        def day(n: int) -> datetime.date:
            return today + datetime.timedelta(days=n)

        self.assertEqual(
            queue,
            [
                ("urgent", day(-30), False),
                ("urgent", day(-1), True),
                ("urgent", day(5), False),
                ("high", day(-2), True),
                ("high", day(3), False),
                ("medium", day(-10), True),
            ],
        )

    def test_the_queue_reads_without_a_query_per_task(self) -> None:
        person = self.widow()
        screening = make_screening(person, by=self.a[Role.CASEWORKER])
        make_followup(screening)
        with self.assertNumQueries(1):
            rows = [
                (f.person.household.site.code, f.screening.band, f.assigned_to)
                for f in followup_queue(self.caseworker)
            ]
        for _ in range(5):
            make_followup(screening)
        with self.assertNumQueries(1):
            rows = [
                (f.person.household.site.code, f.screening.band, f.assigned_to)
                for f in followup_queue(self.caseworker)
            ]
        self.assertEqual(len(rows), 6)


class ScopingTests(ScreeningTestCase):
    def test_organisation_b_sees_none_of_as_screenings_or_follow_ups(self) -> None:
        screening = self.screen(self.widow(), lure_offer_work="yes")
        self.assertEqual(list(screenings_visible_to(self.caseworker)), [screening])
        self.assertEqual(followups_visible_to(self.caseworker).count(), 2)
        for user in (self.b[Role.CASEWORKER], self.b[Role.SUPERVISOR]):
            self.assertEqual(screenings_visible_to(self.actor(user)).count(), 0)
            self.assertEqual(followups_visible_to(self.actor(user)).count(), 0)

    def test_roles_without_screening_view_see_none(self) -> None:
        self.screen(self.widow(), lure_offer_work="yes")
        for role in (Role.ADMINISTRATOR, Role.CAMPAIGN_COORDINATOR, Role.LIVELIHOOD_OFFICER, Role.ANALYST):
            self.assertEqual(screenings_visible_to(self.actor(self.a[role])).count(), 0, role)
            self.assertEqual(followup_queue(self.actor(self.a[role])).count(), 0, role)
