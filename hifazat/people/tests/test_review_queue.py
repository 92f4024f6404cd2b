"""The duplicate review page reads the queue a page at a time by position, with the same few queries whatever
the queue's length and depth, on the queue's index, and counts the queue only up to a limit."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.people import review_queue
from hifazat.people.models import DuplicateSuspicion, Person

URL = "/people/duplicates/"


class ReviewQueueTests(HifazatTestCase):
    def setUp(self) -> None:
        self.supervisor = self.client_for(self.a[Role.SUPERVISOR])
        self.people = Person.objects.bulk_create(
            Person(organisation=self.org_a, first_name=f"Person{i:03d}", gender="Feminine")
            for i in range(130)
        )
        self.others = Person.objects.bulk_create(
            Person(organisation=self.org_b, first_name=f"Other{i:03d}", gender="Feminine") for i in range(4)
        )

    def pairs(
        self, count: int, *, start: int = 0, status: str = "open", score=None
    ) -> list[DuplicateSuspicion]:
        """``count`` pairs of organisation A's people; scores repeat every four pairs, so that many tie."""
        return DuplicateSuspicion.objects.bulk_create(
            DuplicateSuspicion(
                organisation=self.org_a,
                person_a=self.people[2 * i],
                person_b=self.people[2 * i + 1],
                score=score if score is not None else 0.5 + (i % 4) / 10,
                band="possible",
                status=status,
            )
            for i in range(start, start + count)
        )

    def queue_order(self) -> list[int]:
        return list(
            DuplicateSuspicion.objects.filter(organisation=self.org_a, status="open")
            .exclude(person_a__is_active=False)
            .exclude(person_b__is_active=False)
            .order_by("-score", "-id")
            .values_list("pk", flat=True)
        )

    def test_only_supervisors_open_it_and_they_see_only_their_organisations_pairs(self) -> None:
        self.pairs(2)
        DuplicateSuspicion.objects.create(
            organisation=self.org_b,
            person_a=self.others[0],
            person_b=self.others[1],
            score=0.9,
            band="likely",
        )
        for role in (Role.CASEWORKER, Role.ADMINISTRATOR, Role.ANALYST):
            self.assertEqual(self.client_for(self.a[role]).get(URL).status_code, 403, role)
        page = self.supervisor.get(URL)
        self.assertContains(page, "Person000")
        self.assertNotContains(page, "Other000")
        self.assertContains(page, "2 pairs wait for review.")

    def test_the_page_has_the_same_queries_for_three_pairs_and_for_sixty_first_and_deep(self) -> None:
        self.pairs(3)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.supervisor.get(URL).status_code, 200)
        self.pairs(57, start=3)
        with CaptureQueriesContext(connection) as first:
            response = self.supervisor.get(URL)
        self.assertEqual(len(response.context["page"].pairs), 25)
        order = self.queue_order()
        deep_position = DuplicateSuspicion.objects.get(pk=order[29]).uuid
        with CaptureQueriesContext(connection) as deep:
            response = self.supervisor.get(URL, {"after": deep_position})
        self.assertEqual([pair.pk for pair in response.context["page"].pairs], order[30:55])
        self.assertEqual(len(few), len(first))
        # The deep page also reads its position: one query more, and no more than that however deep.
        self.assertEqual(len(deep), len(first) + 1)
        self.assertLessEqual(len(deep), 15)

    def test_next_and_previous_visit_every_open_pair_once_in_order_ties_included(self) -> None:
        self.pairs(60)
        self.pairs(3, start=60, status="dismissed")
        hidden = self.pairs(1, start=63)[0]
        Person.objects.filter(pk=hidden.person_b_id).update(is_active=False, merged_into=hidden.person_a)
        DuplicateSuspicion.objects.create(
            organisation=self.org_b,
            person_a=self.others[0],
            person_b=self.others[1],
            score=0.9,
            band="likely",
        )
        order = self.queue_order()
        self.assertEqual(len(order), 60)

        seen, pages, query = [], [], {}
        while True:
            page = self.supervisor.get(URL, query).context["page"]
            pages.append([pair.pk for pair in page.pairs])
            seen.extend(pages[-1])
            if page.after is None:
                break
            query = {"after": page.after}
        self.assertEqual(seen, order)
        self.assertEqual([len(p) for p in pages], [25, 25, 10])

        back = self.supervisor.get(URL, {"before": page.before}).context["page"]
        self.assertEqual([pair.pk for pair in back.pairs], pages[1])
        first = self.supervisor.get(URL, {"before": back.before}).context["page"]
        self.assertEqual([pair.pk for pair in first.pairs], pages[0])
        self.assertIsNone(first.before)

    def test_the_count_is_exact_up_to_its_limit_and_more_than_it_above(self) -> None:
        self.pairs(8)
        with mock.patch.object(review_queue, "COUNT_LIMIT", 8):
            self.assertContains(self.supervisor.get(URL), "8 pairs wait for review.")
        with mock.patch.object(review_queue, "COUNT_LIMIT", 5):
            self.assertContains(self.supervisor.get(URL), "More than 5 pairs wait for review.")

    def test_a_malformed_or_unknown_position_shows_the_first_page_and_says_why(self) -> None:
        self.pairs(30)
        other = DuplicateSuspicion.objects.create(
            organisation=self.org_b,
            person_a=self.others[0],
            person_b=self.others[1],
            score=0.9,
            band="likely",
        )
        first = [pair.pk for pair in self.supervisor.get(URL).context["page"].pairs]
        unknown = self.supervisor.get(URL, {"after": other.uuid})
        self.assertContains(unknown, "This place in the queue does not exist: the first page is shown.")
        self.assertEqual([pair.pk for pair in unknown.context["page"].pairs], first)
        malformed = self.supervisor.get(URL, {"before": "not-a-uuid"})
        self.assertContains(malformed, "Enter a valid UUID.")
        self.assertEqual([pair.pk for pair in malformed.context["page"].pairs], first)

    def test_the_queue_is_read_on_its_index_in_order_without_sorting(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the plan is SQLite's")
        self.pairs(30)
        actor = self.actor(self.a[Role.SUPERVISOR])
        queue = review_queue.open_suspicions(actor)
        for rows in (queue[:26], queue.filter(score__lte=0.7).filter(score__lt=0.7)[:26]):
            sql, params = rows.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = " / ".join(row[-1] for row in cursor.fetchall())
            self.assertIn("USING INDEX suspicion_review_idx", plan)
            self.assertNotIn("TEMP B-TREE", plan)
            self.assertNotIn("LIST SUBQUERY", plan)
