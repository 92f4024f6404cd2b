"""The services directory: who keeps it, coverage of the areas below, filters, pathways, the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.geography.models import AdminArea
from hifazat.referrals import directory_services
from hifazat.referrals.models import ServiceProvider
from hifazat.referrals.selectors import pathways_for_area, providers_covering, providers_visible_to
from hifazat.referrals.testing import make_provider
from hifazat.referrals.tests.base import ReferralTestCase


class DirectoryTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        country = AdminArea.objects.get(pcode="PK")
        province = AdminArea.objects.create(pcode="PK2", name="NWFP", level=1, parent=country)
        self.mansehra = AdminArea.objects.create(pcode="PK201", name="Mansehra", level=2, parent=province)
        self.balakot = AdminArea.objects.create(
            pcode="PK20101", name="Balakot", level=3, parent=self.mansehra
        )
        self.hwws = make_provider(
            self.supervisor,
            self.org_a,
            self.mansehra,
            name="Women's Centre Mansehra",
            services=("psychosocial",),
        )

    def test_only_the_organisation_or_the_host_keeps_a_providers_entry(self) -> None:
        for role in (Role.CASEWORKER, Role.ANALYST, Role.DONOR_VIEWER):
            with self.assertRaises(PermissionDenied):
                make_provider(self.actor(self.a[role]), self.org_a, self.area, name="X")
        with self.assertRaises(PermissionDenied):  # B does not host the system: it keeps its own entries only
            directory_services.provider_update(
                actor=self.b_supervisor, provider=self.hwws, accepting_referrals=False
            )
        directory_services.provider_update(
            actor=self.b_supervisor, provider=self.clinic, accepting_referrals=False
        )
        entry = AuditEntry.objects.filter(object_uuid=self.clinic.uuid, action="update").get()
        self.assertEqual(entry.detail["fields"], ["accepting_referrals"])

    def test_a_provider_offers_at_least_one_service_in_at_least_one_area(self) -> None:
        with self.assertRaises(ValidationError):
            directory_services.provider_create(
                actor=self.supervisor, organisation=self.org_a, name="Y", services=[], areas=[self.area]
            )
        with self.assertRaises(ValidationError):
            directory_services.provider_create(
                actor=self.supervisor,
                organisation=self.org_a,
                name="Y",
                services=["magic"],
                areas=[self.area],
            )
        with self.assertRaises(ValidationError):
            directory_services.provider_create(
                actor=self.supervisor, organisation=self.org_a, name="Y", services=["medical"], areas=[]
            )

    def test_covering_a_district_covers_its_tehsils_but_not_other_districts(self) -> None:
        visible = providers_visible_to(self.caseworker)
        self.assertEqual(list(providers_covering(visible, self.balakot)), [self.hwws])
        self.assertNotIn(self.hwws, providers_covering(visible, self.area))
        national = make_provider(
            self.supervisor, self.org_a, AdminArea.objects.get(pcode="PK"), name="Hotline"
        )
        self.assertIn(national, providers_covering(visible, self.balakot))

    def test_the_directory_page_filters_by_area_and_service(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/services/providers/?area={self.balakot.uuid}")
        self.assertContains(page, "Women&#x27;s Centre Mansehra")
        self.assertNotContains(page, "B Clinic")
        page = client.get("/services/providers/?service=police")
        self.assertContains(page, "B Anti-Trafficking Unit")
        self.assertNotContains(page, "B Clinic")
        self.assertEqual(
            self.client_for(self.a[Role.DONOR_VIEWER]).get("/services/providers/").status_code, 403
        )
        self.assertEqual(client.get("/services/providers/new/").status_code, 403)

    def test_a_supervisor_adds_and_edits_a_provider_on_the_page(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        response = client.post(
            "/services/providers/new/",
            {
                "organisation": str(self.org_a.uuid),
                "name": "A Legal Aid Desk",
                "services": ["legal_aid"],
                "areas": [str(self.mansehra.uuid)],
                "hours": "Mon-Sat 9-4",
                "accepting_referrals": "on",
                "is_active": "on",
            },
        )
        provider = ServiceProvider.objects.get(name="A Legal Aid Desk")
        self.assertRedirects(response, f"/services/providers/{provider.uuid}/")
        self.assertEqual(provider.service_values, ["legal_aid"])
        client.post(
            f"/services/providers/{provider.uuid}/edit/",
            {
                "organisation": str(self.org_a.uuid),
                "name": "A Legal Aid Desk",
                "services": ["legal_aid", "police"],
                "areas": [str(self.balakot.uuid)],
                "availability_note": "Full until March",
                "is_active": "on",
            },
        )
        provider.refresh_from_db()
        self.assertEqual(
            (provider.service_values, provider.accepting_referrals), (["legal_aid", "police"], False)
        )
        self.assertEqual(list(provider.areas.all()), [self.balakot])
        b_client = self.client_for(self.b[Role.SUPERVISOR])
        self.assertEqual(b_client.get(f"/services/providers/{provider.uuid}/edit/").status_code, 404)
        self.assertEqual(b_client.get(f"/services/providers/{provider.uuid}/").status_code, 200)

    def test_pathways_apply_in_their_area_and_below_and_check_their_steps(self) -> None:
        with self.assertRaisesMessage(ValidationError, "does not offer"):
            directory_services.pathway_create(
                actor=self.supervisor,
                area=self.mansehra,
                title="X",
                steps=[{"service": "medical", "provider": self.hwws}],
            )
        with self.assertRaises(ValidationError):
            directory_services.pathway_create(actor=self.supervisor, area=self.mansehra, title="X", steps=[])
        pathway = directory_services.pathway_create(
            actor=self.supervisor,
            area=self.mansehra,
            title="A woman at risk",
            steps=[
                {"service": "psychosocial", "provider": self.hwws, "notes": "First visit at home"},
                {"service": "police"},
            ],
        )
        self.assertEqual(list(pathways_for_area(self.caseworker, self.balakot)), [pathway])
        self.assertEqual(list(pathways_for_area(self.caseworker, self.area)), [])
        self.assertEqual(
            [(s.order, s.service) for s in pathway.steps.all()], [(1, "psychosocial"), (2, "police")]
        )
        page = self.client_for(self.a[Role.CASEWORKER]).get(f"/services/pathways/?area={self.balakot.uuid}")
        self.assertContains(page, "First visit at home")

    def test_a_pathway_is_edited_with_its_steps_on_the_page(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        data = {
            "area": str(self.mansehra.uuid),
            "title": "A separated child",
            "steps-TOTAL_FORMS": "3",
            "steps-INITIAL_FORMS": "0",
            "steps-0-service": "family_tracing",
            "steps-1-service": "psychosocial",
            "steps-1-provider": str(self.hwws.uuid),
            "steps-2-service": "",
        }
        client.post("/services/pathways/new/", data)
        pathway = pathways_for_area(self.caseworker, self.mansehra).get()
        self.assertEqual([s.service for s in pathway.steps.all()], ["family_tracing", "psychosocial"])
        client.post(
            f"/services/pathways/{pathway.uuid}/edit/",
            {**data, "steps-0-service": "medical", "steps-1-service": ""},
        )
        self.assertEqual([s.service for s in pathway.steps.order_by("order")], ["medical"])

    def test_the_api_lists_providers_by_area_and_service_and_pathways_by_area(self) -> None:
        api = self.token_client(self.a[Role.CASEWORKER])
        rows = api.get("/api/v1/service-providers/?area=PK20101").json()["results"]
        self.assertEqual(
            [(r["name"], r["services"], r["areas"]) for r in rows],
            [("Women's Centre Mansehra", ["psychosocial"], ["PK201"])],
        )
        self.assertEqual(api.get("/api/v1/service-providers/?service=police").json()["count"], 1)
        self.assertEqual(api.get("/api/v1/service-providers/?area=PK999").status_code, 400)
        directory_services.pathway_create(
            actor=self.supervisor, area=self.mansehra, title="P", steps=[{"service": "police"}]
        )
        rows = api.get("/api/v1/referral-pathways/?area=PK20101").json()["results"]
        self.assertEqual([(r["area"], r["steps"][0]["service"]) for r in rows], [("PK201", "police")])
        self.assertEqual(
            self.token_client(self.a[Role.NETWORK_REPORTER]).get("/api/v1/service-providers/").status_code,
            403,
        )
