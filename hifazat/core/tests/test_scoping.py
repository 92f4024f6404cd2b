"""Organisation B cannot reach organisation A's records, in pages or the API: 404, as if they did not exist."""

from __future__ import annotations

from hifazat.accounts import services as accounts
from hifazat.core.jobs import job_create
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase


class ScopingTests(HifazatTestCase):
    def setUp(self) -> None:
        self.job = job_create(actor=self.actor(self.admin), kind="geography.sites", file_name="sites.csv")
        self.a_user = self.a[Role.CASEWORKER]

    def test_organisation_b_gets_404_for_organisation_as_records_in_pages(self) -> None:
        b_admin = self.client_for(self.b[Role.ADMINISTRATOR])
        for url in (
            f"/users/{self.a_user.uuid}/",
            f"/users/{self.a_user.uuid}/edit/",
            f"/geography/import/{self.job.uuid}/",
        ):
            self.assertEqual(b_admin.get(url).status_code, 404, url)
        self.assertEqual(b_admin.post(f"/users/{self.a_user.uuid}/reset-two-factor/").status_code, 404)
        self.assertEqual(b_admin.post(f"/geography/import/{self.job.uuid}/commit/").status_code, 404)
        self.assertNotContains(b_admin.get("/users/"), self.a_user.username)

    def test_organisation_b_gets_404_for_organisation_as_records_in_the_api(self) -> None:
        b_analyst = self.token_client(self.b[Role.ANALYST])
        self.assertEqual(b_analyst.get(f"/api/v1/jobs/{self.job.uuid}/").status_code, 404)
        listing = b_analyst.get("/api/v1/jobs/").json()
        self.assertEqual(listing["count"], 0)
        # A's own analyst sees it.
        response = self.token_client(self.a[Role.ANALYST]).get(f"/api/v1/jobs/{self.job.uuid}/")
        self.assertEqual(response.json()["id"], str(self.job.uuid))

    def test_a_malformed_identifier_is_a_404_too(self) -> None:
        b_admin = self.client_for(self.b[Role.ADMINISTRATOR])
        self.assertEqual(b_admin.get("/users/not-a-uuid/").status_code, 404)

    def test_administrator_cannot_manage_another_organisations_users_through_the_service(self) -> None:
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            accounts.user_update(
                actor=self.actor(self.b[Role.ADMINISTRATOR]), user=self.a_user, first_name="X"
            )
        self.a_user.refresh_from_db()
        self.assertNotEqual(self.a_user.first_name, "X")
