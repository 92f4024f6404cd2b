"""API lists come in pages of at most 200 rows; a bad limit or offset is a 400 naming it, never a 500."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography.models import AdminArea
from hifazat.people.testing import make_site


class PaginationTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_site()  # PK, PK7 and PK701
        district = AdminArea.objects.get(pcode="PK701")
        AdminArea.objects.bulk_create(
            AdminArea(pcode=f"PK701{i:03d}", name=f"Tehsil {i}", level=3, parent=district) for i in range(205)
        )

    def setUp(self) -> None:
        self.client = self.token_client(self.a[Role.CASEWORKER])

    def test_a_limit_above_the_ceiling_is_lowered_to_200_and_next_leads_on(self) -> None:
        data = self.client.get("/api/v1/areas/?limit=100000").json()
        self.assertEqual((data["count"], len(data["results"])), (208, 200))
        self.assertIn("limit=200", data["next"])
        self.assertIn("offset=200", data["next"])
        self.assertEqual(len(self.client.get(data["next"]).json()["results"]), 8)
        self.assertEqual(len(self.client.get("/api/v1/areas/").json()["results"]), 50)  # the default page

    def test_a_huge_limit_or_offset_is_not_a_server_error(self) -> None:
        huge = "99999999999999999999999"
        by_limit = self.client.get(f"/api/v1/areas/?limit={huge}")
        self.assertEqual(by_limit.status_code, 200)
        self.assertEqual(len(by_limit.json()["results"]), 200)
        by_offset = self.client.get(f"/api/v1/areas/?offset={huge}&limit={huge}")
        self.assertEqual(by_offset.status_code, 200)
        self.assertEqual(by_offset.json()["results"], [])

    def test_a_negative_zero_or_non_numeric_limit_or_offset_is_a_400_naming_it(self) -> None:
        for query, name in (
            ("limit=-5", "limit"),
            ("limit=0", "limit"),
            ("limit=ten", "limit"),
            ("offset=-1", "offset"),
            ("offset=1.5", "offset"),
        ):
            response = self.client.get(f"/api/v1/areas/?{query}")
            self.assertEqual(response.status_code, 400, query)
            self.assertIn(name, response.json(), query)
