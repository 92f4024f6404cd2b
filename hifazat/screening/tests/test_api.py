"""Screening through the API: consent first, scoring with reasons, the queue, scoping."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.people import services as people
from hifazat.people.tests.test_registry import RegistryTestCase
from hifazat.screening import indicators
from hifazat.screening.testing import answers_for


class ScreeningApiTests(RegistryTestCase):
    def test_screening_needs_consent_then_an_outside_offer_makes_it_urgent(self) -> None:
        person = self.register("Nasreen", age_years=30, marital_status="Widowed")
        catalogue, _ = indicators.current()
        answers = answers_for(catalogue, subject_is_child=False, lure_offer_work="yes")
        client = self.token_client(self.a[Role.CASEWORKER])
        url = f"/api/v1/people/{person.uuid}/screenings/"
        refused = client.post(url, {"answers": answers}, content_type="application/json")
        self.assertEqual(refused.status_code, 403)
        self.assertIn("consent", refused.json()["detail"])
        people.consent_record(actor=self.caseworker, person=person, purpose="screening", status="given")
        response = client.post(url, {"answers": answers}, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["band"], "urgent")
        self.assertTrue(response.json()["red_flags"])
        queue = client.get("/api/v1/follow-ups/").json()["results"]
        self.assertEqual({row["person"] for row in queue}, {str(person.uuid)})

    def test_unknown_question_is_refused_with_its_name(self) -> None:
        person = self.register("Nasreen", age_years=30)
        people.consent_record(actor=self.caseworker, person=person, purpose="screening", status="given")
        response = self.token_client(self.a[Role.CASEWORKER]).post(
            f"/api/v1/people/{person.uuid}/screenings/",
            {"answers": {"no_such_question": "yes"}},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("no_such_question", str(response.json()))

    def test_other_organisations_and_roles_are_refused(self) -> None:
        person = self.register("Nasreen", age_years=30)
        self.assertEqual(
            self.token_client(self.b[Role.CASEWORKER])
            .get(f"/api/v1/people/{person.uuid}/screenings/")
            .status_code,
            404,
        )
        self.assertEqual(
            self.token_client(self.a[Role.CAMPAIGN_COORDINATOR]).get("/api/v1/follow-ups/").status_code, 403
        )
