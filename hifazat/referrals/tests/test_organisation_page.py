"""Who does what where, on an organisation's page: its services, the areas they cover and the sites it manages,
for every member who may see the directory, in English and in Urdu."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.geography.models import AdminArea
from hifazat.referrals.tests.base import ReferralTestCase


class OrganisationPageTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.site.managing_organisation = self.org_b
        self.site.save(update_fields=["managing_organisation"])
        AdminArea.objects.filter(pk=self.area.pk).update(name_ur="اسلام آباد")
        self.url = f"/organisations/{self.org_b.uuid}/"

    def test_an_organisation_outside_the_directory_is_not_found(self) -> None:
        self.org_b.is_active = False
        self.org_b.save(update_fields=["is_active"])
        self.assertEqual(self.client_for(self.a[Role.CASEWORKER]).get(self.url).status_code, 404)

    def test_the_page_shows_the_services_areas_and_sites_of_the_organisation(self) -> None:
        page = self.client_for(self.a[Role.CASEWORKER]).get(self.url)
        self.assertContains(page, "Who does what where")
        section = page.content.decode().split('id="panel-who-what-where"')[1]
        for text in ("Medical care", "Police (anti-trafficking)", "B Clinic", "B Anti-Trafficking Unit"):
            self.assertIn(text, section)
        self.assertIn("Islamabad", section)
        self.assertIn('<bdi dir="ltr" class="small text-body-secondary">PK701</bdi>', section)
        self.assertIn("H-11 Relief Camp", section)
        # Another organisation's service points are not listed as this one's.
        self.assertNotIn("A Safe House", section)
        self.assertNotIn("Safe shelter", section)

    def test_a_role_without_the_services_directory_sees_only_the_sites(self) -> None:
        page = self.client_for(self.a[Role.DONOR_VIEWER]).get(self.url)
        self.assertContains(page, "H-11 Relief Camp")
        self.assertNotContains(page, "B Clinic")

    def test_an_organisation_with_nothing_recorded_has_no_section(self) -> None:
        page = self.client_for(self.a[Role.CASEWORKER]).get(f"/organisations/{self.org_a.uuid}/")
        self.assertContains(page, "A Safe House")  # organisation A's own provider
        self.site.managing_organisation = None
        self.site.save(update_fields=["managing_organisation"])
        self.own_provider.is_active = False
        self.own_provider.save(update_fields=["is_active"])
        page = self.client_for(self.a[Role.CASEWORKER]).get(f"/organisations/{self.org_a.uuid}/")
        self.assertNotContains(page, "Who does what where")

    def test_in_urdu_the_section_and_the_area_are_in_urdu(self) -> None:
        page = self.client_for(self.a[Role.CASEWORKER]).get(self.url, HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(page, "کون کہاں کیا کرتا ہے")
        self.assertContains(page, "اسلام آباد")
        self.assertContains(page, "طبی نگہداشت")
