"""The campaigns part's rows of the route matrix, run on their own: the core matrix test runs every part's rows
together, and this one answers for this part alone while the others change."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.core.tests.test_route_matrix import ROLES
from hifazat.people.models import Household, Person
from hifazat.people.testing import make_site

from . import routes


class CampaignRouteTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.site = make_site()
        cls.household = Household.objects.create(organisation=cls.org_a, site=cls.site, shelter_number="T-1")
        cls.person = Person.objects.create(
            organisation=cls.org_a, household=cls.household, first_name="Nasreen", gender="Feminine"
        )
        cls.uuids = routes.fixtures(cls)

    def test_each_role_gets_the_expected_answer(self) -> None:
        clients = {"anonymous": Client(), **{role: self.client_for(self.a[role]) for role in ROLES}}
        failures = []
        for name, expected in routes.MATRIX.items():
            url = reverse(name, kwargs={"uuid": self.uuids[name]}) if name in self.uuids else reverse(name)
            for who, status in zip(clients, expected, strict=True):
                got = clients[who].get(url).status_code
                if got != status:
                    failures.append(f"{name} as {who}: expected {status}, got {got}")
        self.assertEqual(failures, [])

    def test_every_route_of_the_part_has_a_row(self) -> None:
        from hifazat.campaigns import api_urls, urls

        names = {f"campaigns:{p.name}" for p in urls.urlpatterns} | {
            f"api:{p.name}" for p in api_urls.urlpatterns
        }
        self.assertEqual(names, set(routes.MATRIX))

    def test_another_organisation_gets_404_on_every_record(self) -> None:
        failures = []
        for role in (
            Role.CAMPAIGN_COORDINATOR,
            Role.SUPERVISOR,
            Role.CASEWORKER,
            Role.ANALYST,
            Role.DONOR_VIEWER,
        ):
            client = self.client_for(self.b[role])
            for name, expected in routes.MATRIX.items():
                if name not in self.uuids:
                    continue
                status = expected[ROLES.index(role) + 1]
                if status not in (200, 405):
                    continue  # the role is refused whatever the record's organisation
                got = client.get(reverse(name, kwargs={"uuid": self.uuids[name]})).status_code
                if got not in (404, 405):
                    failures.append(f"{name} as B's {role}: got {got}")
        self.assertEqual(failures, [])
