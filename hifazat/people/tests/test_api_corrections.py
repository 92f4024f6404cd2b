"""Correcting people and households through the API: PATCH through the same services, the version in the
output, 409 on a stale version, 400 naming the field."""

from __future__ import annotations

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people.models import Household
from hifazat.people.tests.test_registry import RegistryTestCase


class PeopleCorrectionApiTests(RegistryTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client = self.token_client(self.a[Role.CASEWORKER])
        self.person = self.register(
            "Shazia", age_years=30, marital_status="Separated", child_status="separated", phone="0300 1234567"
        )

    def patch(self, url: str, data: dict, client=None):
        return (client or self.client).patch(url, data, content_type="application/json")

    def test_roles_that_may_not_register_get_403_and_organisation_b_gets_404(self) -> None:
        url = f"/api/v1/people/{self.person.uuid}/"
        for role in (Role.CAMPAIGN_COORDINATOR, Role.LIVELIHOOD_OFFICER):
            client = self.token_client(self.a[role])
            self.assertEqual(client.get(url).status_code, 200, role)  # they may read
            self.assertEqual(self.patch(url, {"first_name": "X"}, client).status_code, 403, role)
            household_url = f"/api/v1/households/{self.household.uuid}/"
            self.assertEqual(self.patch(household_url, {"shelter_number": "X"}, client).status_code, 403)
        other = self.token_client(self.b[Role.CASEWORKER])
        self.assertEqual(self.patch(url, {"first_name": "X"}, other).status_code, 404)
        response = self.patch(f"/api/v1/households/{self.household.uuid}/", {"shelter_number": "X"}, other)
        self.assertEqual(response.status_code, 404)
        self.person.refresh_from_db()
        self.assertEqual(self.person.first_name, "Shazia")

    def test_an_age_corrected_through_the_api_moves_the_person_into_the_right_group(self) -> None:
        url = f"/api/v1/people/{self.person.uuid}/"
        read = self.client.get(url).json()
        self.assertEqual(read["version"], self.person.version)
        response = self.patch(url, {"age_years": 15, "version": read["version"]})
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["age"], 15)
        self.assertEqual(body["version"], read["version"] + 1)
        self.assertEqual(
            body["vulnerability_groups"], [{"group": "at_risk_child", "reason": "child aged 15, separated"}]
        )
        entry = AuditEntry.objects.get(action="update", object_uuid=self.person.uuid)
        self.assertEqual(entry.detail, {"fields": ["birthdate"]})

    def test_a_stale_version_gets_409_and_changes_nothing(self) -> None:
        url = f"/api/v1/people/{self.person.uuid}/"
        seen = self.client.get(url).json()["version"]
        self.assertEqual(self.patch(url, {"marital_status": "Widowed", "version": seen}).status_code, 200)
        response = self.patch(url, {"first_name": "Shazeen", "version": seen})
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("Someone else changed this record", response.json()["detail"])
        self.person.refresh_from_db()
        self.assertEqual((self.person.first_name, self.person.marital_status), ("Shazia", "Widowed"))

    def test_bad_input_gets_400_naming_the_field(self) -> None:
        url = f"/api/v1/people/{self.person.uuid}/"
        for data, field in (
            ({"gender": "Robot"}, "gender"),
            ({"first_name": ""}, "first_name"),
            ({"phone": "not a phone"}, "phone"),
            ({"age_years": 15, "birthdate": "2000-01-01"}, "birthdate"),
            ({"household": "00000000-0000-0000-0000-000000000000"}, "household"),
        ):
            response = self.patch(url, data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn(field, response.json(), data)
        self.person.refresh_from_db()
        self.assertEqual(self.person.first_name, "Shazia")
        self.assertEqual(self.person.phone, "+923001234567")

    def test_a_household_is_corrected_with_its_head_and_a_stale_version_gets_409(self) -> None:
        head = self.register("Rabia", age_years=40, relationship_to_head="spouse", marital_status="Widowed")
        url = f"/api/v1/households/{self.household.uuid}/"
        seen = self.client.get(url).json()["version"]
        response = self.patch(url, {"head": str(head.uuid), "shelter_number": "T-15", "version": seen})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["head"], str(head.uuid))
        self.assertEqual(response.json()["version"], seen + 1)
        head.refresh_from_db()
        self.assertEqual(head.relationship_to_head, "head")
        self.assertIn("female_headed_household", set(head.vulnerabilities.values_list("group", flat=True)))
        self.assertEqual(self.patch(url, {"shelter_number": "T-16", "version": seen}).status_code, 409)
        self.assertEqual(Household.objects.get(pk=self.household.pk).shelter_number, "T-15")

    def test_a_head_outside_the_household_is_400_naming_the_head(self) -> None:
        elsewhere = self.register("Zainab", age_years=30, household=None)
        url = f"/api/v1/households/{self.household.uuid}/"
        response = self.patch(url, {"head": str(elsewhere.uuid)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("head", response.json())
