"""Organisation administrators manage their own users; the hosting organisation adds organisations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.accounts import services
from hifazat.accounts.models import Organisation, User
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase


class UserAdministrationTests(HifazatTestCase):
    def test_only_administrators_reach_user_management(self) -> None:
        for role in Role:
            if role == Role.ADMINISTRATOR:
                continue
            self.assertEqual(self.client_for(self.a[role]).get("/users/new/").status_code, 403, role)

    def test_administrator_creates_a_user_in_their_own_organisation(self) -> None:
        response = self.client_for(self.admin).post(
            "/users/new/",
            {
                "username": "nasreen",
                "first_name": "Nasreen",
                "role": Role.CASEWORKER,
                "password": "tent-village-balakot-9",
                "password_again": "tent-village-balakot-9",
            },
        )
        user = User.objects.get(username="nasreen")
        self.assertRedirects(response, f"/users/{user.uuid}/")
        membership = user.active_membership()
        self.assertEqual((membership.organisation, membership.role), (self.org_a, Role.CASEWORKER))
        self.assertTrue(
            AuditEntry.objects.filter(action="create", object_uuid=user.uuid, user=self.admin).exists()
        )

    def test_form_errors_name_the_field_and_write_nothing(self) -> None:
        response = self.client_for(self.admin).post(
            "/users/new/",
            {
                "username": "a-caseworker",
                "role": Role.CASEWORKER,
                "password": "password",
                "password_again": "other",
            },
        )
        self.assertContains(response, "This username is taken.")
        self.assertContains(response, "The two passwords differ.")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertEqual(User.objects.filter(username__iexact="a-caseworker").count(), 1)

    def test_administrator_changes_a_role_and_deactivates_a_user(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        response = self.client_for(self.admin).post(
            f"/users/{caseworker.uuid}/edit/",
            {
                "first_name": "Nasreen",
                "last_name": "",
                "email": "",
                "phone": "",
                "role": Role.SUPERVISOR,
                "is_active": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        caseworker.refresh_from_db()
        self.assertFalse(caseworker.is_active)
        self.assertEqual(caseworker.memberships.get().role, Role.SUPERVISOR)

    def test_an_administrator_cannot_lock_themselves_out(self) -> None:
        with self.assertRaises(ValidationError):
            services.user_update(actor=self.actor(self.admin), user=self.admin, role=Role.CASEWORKER)
        with self.assertRaises(ValidationError):
            services.user_update(actor=self.actor(self.admin), user=self.admin, is_active=False)

    def test_the_host_onboards_a_partner_without_an_administrator_but_not_one_with(self) -> None:
        donor = Organisation.objects.create(name="Government of Japan", org_type="Donor")
        viewer = services.user_create(
            actor=self.actor(self.admin),
            organisation=donor,
            role=Role.DONOR_VIEWER,
            username="jp-viewer",
            password=None,
        )
        self.assertEqual(viewer.active_membership().organisation, donor)
        with self.assertRaises(PermissionDenied):  # B has its own administrator
            services.user_create(
                actor=self.actor(self.admin),
                organisation=self.org_b,
                role=Role.CASEWORKER,
                username="intruder",
                password=None,
            )
        with self.assertRaises(PermissionDenied):  # B is not the host
            services.user_create(
                actor=self.actor(self.b[Role.ADMINISTRATOR]),
                organisation=donor,
                role=Role.DONOR_VIEWER,
                username="other",
                password=None,
            )


class OrganisationTests(HifazatTestCase):
    def test_the_hosts_administrator_adds_an_organisation_with_an_htcds_type(self) -> None:
        response = self.client_for(self.admin).post(
            "/organisations/new/",
            {
                "name": "Federal Anti-Trafficking Police Unit",
                "short_name": "ATU",
                "org_type": "LawEnforcement",
                "country": "PK",
            },
        )
        organisation = Organisation.objects.get(short_name="ATU")
        self.assertRedirects(response, f"/organisations/{organisation.uuid}/")
        self.assertEqual(organisation.get_org_type_display(), "Law enforcement")

    def test_another_organisations_administrator_cannot_add_or_change_others(self) -> None:
        b_admin = self.client_for(self.b[Role.ADMINISTRATOR])
        self.assertEqual(b_admin.get("/organisations/new/").status_code, 403)
        self.assertEqual(
            b_admin.post(f"/organisations/{self.org_a.uuid}/edit/", {"name": "X"}).status_code, 403
        )
        own = b_admin.post(
            f"/organisations/{self.org_b.uuid}/edit/",
            {"name": "Organisation B renamed", "short_name": "B", "org_type": "NGO", "country": "PK"},
        )
        self.assertEqual(own.status_code, 302)
        self.org_b.refresh_from_db()
        self.assertEqual(self.org_b.name, "Organisation B renamed")
        entry = AuditEntry.objects.filter(object_uuid=self.org_b.uuid, action="update").latest("id")
        self.assertEqual(entry.detail["fields"], ["name"])
