"""The duplicate review queue through the pages: a supervisor merges a re-registration and can undo it."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.people.models import DuplicateSuspicion, Person, PersonMerge
from hifazat.people.tests.test_registry import RegistryTestCase


class ReviewPageTests(RegistryTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.original = self.register(
            "Nasreen",
            second_name="Bibi",
            age_years=32,
            marital_status="Widowed",
            parentage_word="wife_of",
            parentage_name="Muhammad Rashid",
            relationship_to_head="head",
        )
        self.again = self.register(
            "Nasrin",
            second_name="Bibi",
            age_years=33,
            marital_status="Widowed",
            parentage_word="wife_of",
            parentage_name="Mohd Rashid",
            household=None,
        )

    def test_registration_puts_the_pair_in_the_queue_which_only_supervisors_open(self) -> None:
        suspicion = DuplicateSuspicion.objects.get()
        self.assertEqual({suspicion.person_a, suspicion.person_b}, {self.original, self.again})
        for role in (Role.CASEWORKER, Role.ADMINISTRATOR, Role.ANALYST):
            self.assertEqual(self.client_for(self.a[role]).get("/people/duplicates/").status_code, 403, role)
        self.assertEqual(
            self.client_for(self.b[Role.SUPERVISOR]).get(f"/people/duplicates/{suspicion.uuid}/").status_code,
            404,
        )
        page = self.client_for(self.a[Role.SUPERVISOR]).get("/people/duplicates/")
        self.assertContains(page, "Nasrin Bibi")

    def test_a_merge_without_a_reason_is_refused_then_merged_and_undone(self) -> None:
        suspicion = DuplicateSuspicion.objects.get()
        client = self.client_for(self.a[Role.SUPERVISOR])
        keep = "a" if suspicion.person_a == self.original else "b"
        refused = client.post(f"/people/duplicates/{suspicion.uuid}/", {"action": "merge", "keep": keep})
        self.assertContains(refused, "This field is required.")
        self.assertFalse(PersonMerge.objects.exists())
        response = client.post(
            f"/people/duplicates/{suspicion.uuid}/",
            {"action": "merge", "keep": keep, "reason": "same CNIC seen by the caseworker"},
        )
        merge = PersonMerge.objects.get()
        self.assertRedirects(response, f"/people/merges/{merge.uuid}/")
        self.again.refresh_from_db()
        self.assertEqual(self.again.merged_into, self.original)
        self.assertEqual(self.again.consents.count(), 0)  # moved to the kept record
        client.post(f"/people/merges/{merge.uuid}/", {"reason": "two sisters-in-law after all"})
        self.again.refresh_from_db()
        self.assertIsNone(self.again.merged_into)
        self.assertEqual(self.again.consents.count(), 1)
        self.assertEqual(Person.objects.filter(is_active=True).count(), 2)

    def test_dismissed_pairs_leave_the_queue(self) -> None:
        suspicion = DuplicateSuspicion.objects.get()
        self.client_for(self.a[Role.SUPERVISOR]).post(
            f"/people/duplicates/{suspicion.uuid}/", {"action": "dismiss"}
        )
        suspicion.refresh_from_db()
        self.assertEqual(suspicion.status, "dismissed")
