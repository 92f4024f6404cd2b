"""Registry pages: who is refused, registration through the page, person page with its audited read."""

from __future__ import annotations

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people.models import Household, Person
from hifazat.people.testing import make_site
from hifazat.people.tests.test_registry import RegistryTestCase

WIDOW = {
    "first_name": "Nasreen",
    "second_name": "Bibi",
    "first_name_ur": "نسرین",
    "second_name_ur": "بی بی",
    "parentage_word": "wife_of",
    "parentage_name": "Muhammad Rashid",
    "gender": "Feminine",
    "age_years": "32",
    "relationship_to_head": "head",
    "marital_status": "Widowed",
    "disability": "none",
    "consent_given_by": "self",
    "phone": "0300-1234567",
}


class RegistryPageTests(RegistryTestCase):
    def test_roles_outside_the_registry_are_refused(self) -> None:
        for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.DONOR_VIEWER, Role.NETWORK_REPORTER):
            client = self.client_for(self.a[role])
            self.assertEqual(client.get("/people/").status_code, 403, role)
            self.assertEqual(client.get("/households/").status_code, 403, role)
        viewer = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        self.assertEqual(viewer.get("/people/").status_code, 200)
        self.assertEqual(viewer.get("/households/new/").status_code, 403)

    def test_organisation_b_gets_404_for_as_household_and_person(self) -> None:
        person = self.register("Nasreen", age_years=30)
        client = self.client_for(self.b[Role.CASEWORKER])
        for url in (
            f"/households/{self.household.uuid}/",
            f"/people/{person.uuid}/",
            f"/people/{person.uuid}/consent/",
            f"/households/{self.household.uuid}/members/new/",
        ):
            self.assertEqual(client.get(url).status_code, 404, url)
        self.assertNotContains(client.get("/people/?q=Nasreen"), "Nasreen</a>")

    def test_a_caseworker_registers_a_household_and_a_widowed_mother(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.post("/households/new/", {"site": self.site.uuid, "shelter_number": "T-99"})
        household = Household.objects.get(shelter_number="T-99")
        self.assertRedirects(response, f"/households/{household.uuid}/members/new/")
        response = client.post(f"/households/{household.uuid}/members/new/", WIDOW)
        self.assertRedirects(response, f"/households/{household.uuid}/")
        nasreen = Person.objects.get(household=household)
        self.assertEqual(household.__class__.objects.get(pk=household.pk).head, nasreen)
        page = client.get(f"/households/{household.uuid}/")
        self.assertContains(page, "Separated or widowed woman")

    def test_a_child_needs_a_caregivers_consent_and_their_own_view(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        child = {
            **WIDOW,
            "first_name": "Ayesha",
            "age_years": "9",
            "relationship_to_head": "child",
            "marital_status": "",
            "phone": "",
        }
        response = client.post(f"/households/{self.household.uuid}/members/new/", child)
        self.assertContains(response, "For a child, a caregiver or guardian consents.")
        self.assertContains(response, "Record the child&#x27;s own view.")
        self.assertFalse(Person.objects.filter(first_name="Ayesha").exists())

    def test_gender_starts_blank_and_must_be_chosen(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/households/{self.household.uuid}/members/new/"
        form = client.get(url).content.decode()
        gender = form[form.index('name="gender"') : form.index("</select>", form.index('name="gender"'))]
        self.assertIn('<option value="" selected>', gender)
        self.assertNotIn('value="Feminine" selected', gender)
        self.assertIn('value="NonSpecifiedUnknown"', gender)  # "not specified or unknown" is a choice
        response = client.post(url, {**WIDOW, "gender": ""})
        self.assertContains(response, 'id="id_gender_error"')
        self.assertFalse(Person.objects.filter(first_name="Nasreen").exists())
        client.post(url, {**WIDOW, "gender": "NonSpecifiedUnknown"})
        self.assertEqual(Person.objects.get(first_name="Nasreen").gender, "NonSpecifiedUnknown")

    def test_search_by_name_variant_phone_and_group(self) -> None:
        self.register("Muhammad", second_name="Khan", gender="Masculine", age_years=40, phone="0345 7654321")
        self.register("Nasreen", age_years=30, marital_status="Widowed")
        client = self.client_for(self.a[Role.CASEWORKER])
        self.assertContains(client.get("/people/?q=Mohd+Khan"), "Muhammad Khan")
        self.assertContains(client.get("/people/?q=محمد خان"), "Muhammad Khan")
        self.assertContains(client.get("/people/?phone=%2B923457654321"), "Muhammad Khan")
        by_group = client.get("/people/?group=separated_or_widowed_woman")
        self.assertContains(by_group, "Nasreen")
        self.assertNotContains(by_group, "Muhammad Khan")

    def test_opening_a_person_is_audited_and_shows_the_timeline(self) -> None:
        person = self.register("Nasreen", age_years=30, marital_status="Widowed", phone="0300-1234567")
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/people/{person.uuid}/")
        self.assertContains(page, "+923001234567")
        self.assertContains(page, "Consent: Registration")
        self.assertTrue(AuditEntry.objects.filter(action="read", object_uuid=person.uuid).exists())
        self.assertIn("no-store", page["Cache-Control"])

    def test_in_urdu_the_reasons_are_urdu_and_numbers_stay_left_to_right_beside_their_labels(self) -> None:
        person = self.register(
            "Nasreen",
            age_years=32,
            marital_status="Widowed",
            relationship_to_head="head",
            phone="0300-1234567",
            identity_number="12345-1234567-1",
        )
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/people/{person.uuid}/", HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(page, "32 سالہ خاتون")
        self.assertContains(page, "گھرانے کی سربراہ ایک خاتون ہے")
        self.assertNotContains(page, "woman aged")
        self.assertNotContains(page, "a woman heads the household")
        # The value keeps its place beside the label (a <dd> turned left to right took a left margin and fell
        # below it); the number inside reads left to right, and a phone number can be called.
        self.assertContains(
            page, '<dd class="col-sm-7"><a href="tel:+923001234567" dir="ltr">+923001234567</a></dd>'
        )
        self.assertContains(page, '<dd class="col-sm-7"><bdi dir="ltr">1234512345671</bdi></dd>')
        self.assertNotContains(page, 'dd class="col-sm-7 hz-ltr"')
        # What is stored stays in English, whoever made the change.
        self.assertEqual(self.groups(person)["separated_or_widowed_woman"], "woman aged 32, widowed")

    def test_consent_is_recorded_through_the_page(self) -> None:
        person = self.register("Nasreen", age_years=30)
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.post(
            f"/people/{person.uuid}/consent/", {"purpose": "referral", "status": "given", "given_by": "self"}
        )
        self.assertRedirects(response, f"/people/{person.uuid}/")
        refused = client.post(
            f"/people/{person.uuid}/consent/", {"purpose": "sharing", "status": "given", "given_by": "self"}
        )
        self.assertContains(refused, "Name the organisation")


class RiskBandFilterTests(RegistryTestCase):
    def test_people_are_filtered_by_their_latest_screening_band_for_roles_that_see_screenings(self) -> None:
        from hifazat.screening.testing import make_screening

        urgent = self.register("Nasreen", age_years=30)
        make_screening(urgent, by=self.a[Role.CASEWORKER], band="low", score=1)
        make_screening(urgent, by=self.a[Role.CASEWORKER], band="urgent", score=30)
        self.register("Zainab", age_years=40)
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get("/people/?risk_band=urgent")
        self.assertContains(page, "Nasreen")
        self.assertNotContains(page, "Zainab")
        self.assertNotContains(client.get("/people/?risk_band=low"), "Nasreen</a>")
        self.assertContains(client.get("/people/?risk_band=none"), "Zainab")
        coordinator = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR]).get("/people/?risk_band=urgent")
        self.assertNotContains(coordinator, "Risk band")
        self.assertContains(coordinator, "Zainab")  # the filter is not applied for them


class HandRecordedGroupTests(RegistryTestCase):
    def test_a_caseworker_records_a_group_by_hand_with_its_reason(self) -> None:
        person = self.register("Nasreen", age_years=30)
        self.assertEqual(
            self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
            .post(
                f"/people/{person.uuid}/vulnerabilities/", {"group": "person_with_disability", "reason": "x"}
            )
            .status_code,
            403,
        )
        client = self.client_for(self.a[Role.CASEWORKER])
        client.post(
            f"/people/{person.uuid}/vulnerabilities/",
            {"group": "person_with_disability", "reason": "cannot hear well; to be assessed"},
        )
        row = person.vulnerabilities.get()
        self.assertEqual(
            (row.group, row.source, row.reason),
            ("person_with_disability", "manual", "cannot hear well; to be assessed"),
        )
        self.assertContains(client.get(f"/people/{person.uuid}/"), "cannot hear well")
        client.post(f"/people/{person.uuid}/vulnerabilities/", {"group": "person_with_disability"})
        self.assertEqual(person.vulnerabilities.count(), 1)


class HouseholdFilterTests(RegistryTestCase):
    def test_the_household_register_filters_by_site(self) -> None:
        from hifazat.people import services as people

        other = make_site(code="ISB-I11", name="I-11 Collective Centre")
        people.household_register(actor=self.caseworker, site=other, shelter_number="Q-7")
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/households/?site={other.uuid}", HTTP_HX_REQUEST="true")
        self.assertContains(page, "Q-7")
        self.assertNotContains(page, "T-14")
        self.assertContains(client.get("/households/?site=not-a-site"), "is not a valid UUID")
