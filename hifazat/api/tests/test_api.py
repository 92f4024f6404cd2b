"""API v1: token and session authentication, scoping, writes through the services, the schema."""

from __future__ import annotations

from django.test import Client

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography import services
from hifazat.geography.models import Site


class ApiTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actor = cls.actor(cls, cls.admin)
        country = services.area_create(actor=actor, pcode="PK", name="Pakistan", level=0, parent=None)
        province = services.area_create(actor=actor, pcode="PK7", name="ICT", level=1, parent=country)
        cls.district = services.area_create(
            actor=actor, pcode="PK701", name="Islamabad", level=2, parent=province
        )
        cls.site = services.site_create(
            actor=actor, code="ISB-H11", name="H-11 Relief Camp", site_type="relief_camp", area=cls.district
        )

    def test_anonymous_callers_and_bad_tokens_are_refused(self) -> None:
        self.assertEqual(Client().get("/api/v1/sites/").status_code, 401)
        self.assertEqual(Client(HTTP_AUTHORIZATION="Token nope").get("/api/v1/sites/").status_code, 401)
        self.assertEqual(Client().get("/api/v1/schema/").status_code, 401)

    def test_a_deactivated_member_is_refused(self) -> None:
        client = self.token_client(self.a[Role.CASEWORKER])
        membership = self.a[Role.CASEWORKER].memberships.get()
        membership.is_active = False
        membership.save()
        self.assertEqual(client.get("/api/v1/sites/").status_code, 403)

    def test_sites_list_with_uuids_outward_and_filters(self) -> None:
        client = self.token_client(self.a[Role.CASEWORKER])
        data = client.get("/api/v1/sites/?area=PK7").json()
        self.assertEqual(data["count"], 1)
        row = data["results"][0]
        self.assertEqual(
            (row["id"], row["area_pcode"], row["code"]), (str(self.site.uuid), "PK701", "ISB-H11")
        )
        self.assertNotIn("pk", row)
        self.assertEqual(client.get("/api/v1/sites/?area=PK9").status_code, 400)
        self.assertEqual(client.get("/api/v1/areas/?level=2").json()["results"][0]["pcode"], "PK701")

    def test_only_administrators_create_sites_and_the_write_is_audited(self) -> None:
        body = {
            "code": "ISB-I11",
            "name": "I-11 Centre",
            "site_type": "collective_centre",
            "area_pcode": "PK701",
            "latitude": "33.642",
            "longitude": "73.001",
        }
        refused = self.token_client(self.a[Role.CASEWORKER]).post(
            "/api/v1/sites/", body, content_type="application/json"
        )
        self.assertEqual(refused.status_code, 403)
        created = self.token_client(self.admin).post("/api/v1/sites/", body, content_type="application/json")
        self.assertEqual(created.status_code, 201, created.content)
        site = Site.objects.get(code="ISB-I11")
        self.assertEqual(created.json()["id"], str(site.uuid))
        self.assertTrue(
            AuditEntry.objects.filter(action="create", object_uuid=site.uuid, user=self.admin).exists()
        )

    def test_invalid_input_gets_field_errors_and_writes_nothing(self) -> None:
        client = self.token_client(self.admin)
        body = {
            "code": "X1",
            "name": "Half",
            "site_type": "relief_camp",
            "area_pcode": "PK701",
            "latitude": "33.6",
        }
        response = client.post("/api/v1/sites/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("both latitude and longitude", str(response.json()))
        province_site = {"code": "X2", "name": "Too high", "site_type": "relief_camp", "area_pcode": "PK7"}
        response = client.post("/api/v1/sites/", province_site, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("area", response.json())
        self.assertFalse(Site.objects.filter(code__in=["X1", "X2"]).exists())

    def test_patch_changes_through_the_service(self) -> None:
        response = self.token_client(self.admin).patch(
            f"/api/v1/sites/{self.site.uuid}/", {"capacity": 6500}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.site.refresh_from_db()
        self.assertEqual(self.site.capacity, 6500)
        entry = AuditEntry.objects.filter(object_uuid=self.site.uuid, action="update").latest("id")
        self.assertEqual(entry.detail["fields"], ["capacity"])

    def test_the_schema_is_served_to_members(self) -> None:
        response = self.token_client(self.a[Role.ANALYST]).get("/api/v1/schema/")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"/api/v1/sites/", response.content)

    def test_api_token_is_issued_to_the_user_and_replaces_the_old_one(self) -> None:
        user = self.a[Role.CASEWORKER]
        old = self.token_client(user)
        self.assertEqual(old.get("/api/v1/sites/").status_code, 200)
        response = self.client_for(user).post("/profile/api-token/")
        key = response.context["token"]
        self.assertContains(response, key)
        self.assertEqual(user.api_tokens.count(), 1)
        self.assertEqual(old.get("/api/v1/sites/").status_code, 401)
        self.assertEqual(Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/sites/").status_code, 200)


def test_the_openapi_schema_generates_without_warnings() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"HIFAZAT_ENV": "test"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "config.manage",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            os.devnull,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
