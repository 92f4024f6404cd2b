"""The registry through the API: scoping, consent at registration, numbers only in the audited detail."""

from __future__ import annotations

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people.models import Person
from hifazat.people.tests.test_registry import RegistryTestCase


class PeopleApiTests(RegistryTestCase):
    def test_roles_and_organisations_outside_scope_are_refused(self) -> None:
        person = self.register("Nasreen", age_years=30)
        self.assertEqual(self.token_client(self.a[Role.ANALYST]).get("/api/v1/people/").status_code, 403)
        other = self.token_client(self.b[Role.CASEWORKER])
        self.assertEqual(other.get(f"/api/v1/people/{person.uuid}/").status_code, 404)
        self.assertEqual(other.get("/api/v1/people/").json()["count"], 0)

    def test_registration_records_consent_and_lists_carry_no_numbers(self) -> None:
        client = self.token_client(self.a[Role.CASEWORKER])
        response = client.post(
            "/api/v1/people/",
            {
                "household": str(self.household.uuid),
                "first_name": "Nasreen",
                "gender": "Feminine",
                "marital_status": "Widowed",
                "age_years": 32,
                "relationship_to_head": "head",
                "phone": "0300 1234567",
                "consent_given_by": "self",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        person = Person.objects.get(uuid=response.json()["id"])
        self.assertEqual(response.json()["phone"], "+923001234567")
        self.assertEqual(person.consents.get().purpose, "registration")
        listing = client.get("/api/v1/people/?q=Nasreen").json()["results"][0]
        self.assertNotIn("phone", listing)
        self.assertIn(
            {"group": "separated_or_widowed_woman", "reason": "woman aged 32, widowed"},
            listing["vulnerability_groups"],
        )
        client.get(f"/api/v1/people/{person.uuid}/")
        self.assertTrue(AuditEntry.objects.filter(action="read", object_uuid=person.uuid).exists())

    def test_a_child_registered_without_a_caregiver_is_refused_with_the_field_named(self) -> None:
        response = self.token_client(self.a[Role.CASEWORKER]).post(
            "/api/v1/people/",
            {
                "first_name": "Ayesha",
                "gender": "Feminine",
                "age_years": 9,
                "consent_given_by": "self",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("given_by", response.json())
        self.assertFalse(Person.objects.filter(first_name="Ayesha").exists())

    def test_consent_withdrawn_through_the_api(self) -> None:
        person = self.register("Nasreen", age_years=30)
        client = self.token_client(self.a[Role.CASEWORKER])
        url = f"/api/v1/people/{person.uuid}/consents/"
        self.assertEqual(
            client.post(
                url,
                {"purpose": "referral", "status": "given", "given_by": "self"},
                content_type="application/json",
            ).status_code,
            201,
        )
        client.post(
            url,
            {"purpose": "referral", "status": "withdrawn", "given_by": "self"},
            content_type="application/json",
        )
        from hifazat.people.services import consent_allows

        self.assertFalse(consent_allows(person, "referral"))
        self.assertEqual(len(client.get(url).json()["results"]), 3)
