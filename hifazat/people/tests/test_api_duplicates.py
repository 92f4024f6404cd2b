"""Duplicate detection through the API: the check before registering, the queue, merge and undo."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.people.models import DuplicateSuspicion
from hifazat.people.tests.test_registry import RegistryTestCase

WIDOW = {
    "first_name": "Nasreen",
    "second_name": "Bibi",
    "gender": "Feminine",
    "marital_status": "Widowed",
    "parentage_word": "wife_of",
    "parentage_name": "Muhammad Rashid",
}


class DuplicatesApiTests(RegistryTestCase):
    def test_the_check_finds_a_spelling_variant_and_writes_nothing(self) -> None:
        original = self.register(age_years=32, relationship_to_head="head", **WIDOW)
        response = self.token_client(self.a[Role.CASEWORKER]).post(
            "/api/v1/people/check-duplicates/",
            {
                **WIDOW,
                "first_name": "Nasrin",
                "parentage_name": "Mohd Rashid",
                "age_years": 33,
                "consent_given_by": "self",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        candidates = response.json()["candidates"]
        self.assertEqual(candidates[0]["person"], str(original.uuid))
        self.assertTrue(candidates[0]["reasons"])
        other = self.token_client(self.b[Role.CASEWORKER]).post(
            "/api/v1/people/check-duplicates/",
            {**WIDOW, "age_years": 32, "consent_given_by": "self"},
            content_type="application/json",
        )
        self.assertEqual(other.json()["candidates"], [])  # organisation B cannot see A's people

    def test_a_supervisor_merges_and_undoes_through_the_api(self) -> None:
        original = self.register(age_years=32, relationship_to_head="head", **WIDOW)
        again = self.register(age_years=33, household=None, **{**WIDOW, "first_name": "Nasrin"})
        suspicion = DuplicateSuspicion.objects.get()
        self.assertEqual(
            self.token_client(self.a[Role.CASEWORKER]).get("/api/v1/duplicates/").status_code, 403
        )
        url = f"/api/v1/duplicates/{suspicion.uuid}/merge/"
        caseworker = self.token_client(self.a[Role.CASEWORKER])
        self.assertEqual(
            caseworker.post(
                url, {"keep": str(original.uuid), "reason": "x"}, content_type="application/json"
            ).status_code,
            403,
        )
        client = self.token_client(self.a[Role.SUPERVISOR])
        self.assertEqual(client.get("/api/v1/duplicates/").json()["count"], 1)
        url = f"/api/v1/duplicates/{suspicion.uuid}/merge/"
        self.assertEqual(
            client.post(url, {"keep": str(original.uuid)}, content_type="application/json").status_code, 400
        )
        merged = client.post(
            url,
            {"keep": str(original.uuid), "reason": "same person, CNIC checked"},
            content_type="application/json",
        )
        self.assertEqual(merged.status_code, 201, merged.content)
        again.refresh_from_db()
        self.assertEqual(again.merged_into, original)
        undone = client.post(
            f"/api/v1/merges/{merged.json()['id']}/undo/",
            {"reason": "two people after all"},
            content_type="application/json",
        )
        self.assertEqual(undone.status_code, 200, undone.content)
        again.refresh_from_db()
        self.assertIsNone(again.merged_into)
