"""The sites and areas pages: filters, pagination, htmx partials, the map data, and query counts."""

from __future__ import annotations

import json

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.demo import scenario


class SitePageTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.demo = scenario.Demo(seed=1)
        cls.demo.users["admin"] = cls.admin
        cls.demo.organisations = {"IMPO": cls.org_a}
        scenario.build_geography(cls.demo)

    def setUp(self) -> None:
        self.client = self.client_for(self.a[Role.CASEWORKER])

    def test_sites_list_filters_by_area_and_type(self) -> None:
        from hifazat.geography.models import AdminArea

        kashmir = AdminArea.objects.get(pcode="PK5")
        page = self.client.get(f"/sites/?area={kashmir.uuid}&site_type=relief_camp")
        self.assertContains(page, "Thuri Park Camp")
        self.assertContains(page, "Bagh City Camp")
        self.assertNotContains(page, "H-11 Relief Camp")
        self.assertNotContains(page, "Dhirkot")  # a host community

    def test_an_htmx_request_gets_the_rows_only(self) -> None:
        response = self.client.get("/sites/?q=H-11", HTTP_HX_REQUEST="true")
        self.assertContains(response, "H-11 Relief Camp")
        self.assertNotContains(response, "<html")

    def test_the_list_costs_the_same_queries_for_ten_sites_as_for_two(self) -> None:
        # session, user, membership, count, unread notifications, area choices, the page of sites, and the
        # session's renewal (3)
        with self.assertNumQueries(10):
            self.client.get("/sites/?q=Camp")
        with self.assertNumQueries(10):
            self.client.get("/sites/?q=H-11")

    def test_site_page_shows_population_and_map_points_of_its_district(self) -> None:
        from hifazat.geography.models import Site

        site = Site.objects.get(code="MZD-THP")
        page = self.client.get(f"/sites/{site.uuid}/")
        self.assertContains(page, "Muzaffarabad")
        points = json.loads(
            page.content.decode().split('id="map-points" type="application/json">')[1].split("</script>")[0]
        )
        names = {p["properties"]["name"]: p["properties"]["current"] for p in points}
        self.assertEqual(names, {"Thuri Park Camp": True, "University Ground Camp, Muzaffarabad": False})

    def test_areas_list_filters_by_level(self) -> None:
        page = self.client.get("/areas/?level=2")
        self.assertContains(page, "Battagram")
        self.assertNotContains(page, '<td class="hz-ltr">PK2</td>')  # a province

    def test_urdu_pages_are_right_to_left_with_urdu_names(self) -> None:
        self.client.cookies["django_language"] = "ur"
        page = self.client.get("/sites/?q=H-11")
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, "ایچ الیون ریلیف کیمپ")
