"""The registry: vulnerability rules, consent, encrypted numbers, scoping."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.people import services
from hifazat.people.models import Consent, ConsentPurpose, Person, Vulnerability
from hifazat.people.normalise import normalise_phone
from hifazat.people.selectors import persons_visible_to, persons_with_identity_number, persons_with_phone
from hifazat.people.testing import make_site


class RegistryTestCase(HifazatTestCase):
    def setUp(self) -> None:
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.site = make_site()
        self.household = services.household_register(
            actor=self.caseworker, site=self.site, shelter_number="T-14"
        )

    def register(self, first_name: str, **data) -> Person:
        data.setdefault("gender", "Feminine")
        data.setdefault("household", self.household)
        if data.get("age_years", 18) < 18 or (data.get("birthdate") and data["birthdate"].year > 2000):
            data.setdefault("consent_given_by", Consent.GivenBy.CAREGIVER)
            data.setdefault("consent_given_by_name", "Nasreen Bibi")
            data.setdefault("child_view", Consent.ChildView.AGREES)
        # The registration commits here: its duplicate scan, queued for after the commit, runs as a worker would.
        with self.captureOnCommitCallbacks(execute=True):
            return services.person_register(actor=self.caseworker, first_name=first_name, **data)

    def groups(self, person: Person) -> dict[str, str]:
        return dict(person.vulnerabilities.values_list("group", "reason"))


class VulnerabilityRuleTests(RegistryTestCase):
    def test_widowed_mother_heading_a_household_with_children(self) -> None:
        mother = self.register(
            "Nasreen", second_name="Bibi", marital_status="Widowed", age_years=32, relationship_to_head="head"
        )
        self.register("Ayesha", age_years=9, relationship_to_head="child")
        self.register("Bilal", gender="Masculine", age_years=6, relationship_to_head="child")
        self.assertEqual(
            self.groups(mother),
            {
                "separated_or_widowed_woman": "woman aged 32, widowed",
                "widowed_single_parent": "widowed, heads a household with 2 children under 18",
                "female_headed_household": "a woman heads the household",
            },
        )

    def test_a_widow_without_children_is_not_a_single_parent(self) -> None:
        widow = self.register("Zainab", marital_status="Widowed", age_years=40, relationship_to_head="head")
        self.assertNotIn("widowed_single_parent", self.groups(widow))

    def test_separated_unaccompanied_and_orphaned_children(self) -> None:
        for status in ("separated", "unaccompanied", "orphaned"):
            child = self.register(
                f"Child {status}", age_years=12, child_status=status, relationship_to_head="other_relative"
            )
            self.assertEqual(self.groups(child), {"at_risk_child": f"child aged 12, {status}"})
        with_parents = self.register(
            "Sana", age_years=12, child_status="with_parents", relationship_to_head="child"
        )
        self.assertEqual(self.groups(with_parents), {})

    def test_an_adult_is_never_an_at_risk_child(self) -> None:
        adult = self.register("Gul", age_years=19, child_status="orphaned")
        self.assertNotIn("at_risk_child", self.groups(adult))

    def test_child_headed_household(self) -> None:
        head = self.register("Imran", gender="Masculine", age_years=15, relationship_to_head="head")
        self.assertEqual(self.groups(head), {"child_headed_household": "household headed by a child aged 15"})

    def test_older_person_alone_and_not_alone(self) -> None:
        alone = self.register("Khan Bibi", age_years=70, household=None)
        self.assertEqual(self.groups(alone), {"older_person_alone": "aged 70, living alone"})
        with_family = self.register("Rehmat", gender="Masculine", age_years=72, relationship_to_head="parent")
        self.register("Tariq", gender="Masculine", age_years=40, relationship_to_head="head")
        self.assertNotIn("older_person_alone", self.groups(with_family))

    def test_person_with_a_disability(self) -> None:
        person = self.register("Farhan", gender="Masculine", age_years=30, disability="walking")
        self.assertEqual(
            self.groups(person), {"person_with_disability": "a lot of difficulty: walking or climbing"}
        )

    def test_groups_follow_changes_and_hand_recorded_groups_stay(self) -> None:
        woman = self.register("Rabia", marital_status="Married", age_years=28)
        services.vulnerability_record(
            actor=self.caseworker,
            person=woman,
            group="person_with_disability",
            reason="cannot hear well; not yet assessed",
        )
        self.assertNotIn("separated_or_widowed_woman", self.groups(woman))
        services.person_update(actor=self.caseworker, person=woman, marital_status="Widowed")
        self.assertIn("separated_or_widowed_woman", self.groups(woman))
        self.assertTrue(Vulnerability.objects.filter(person=woman, source="manual").exists())

    def test_an_estimated_age_is_marked_and_gives_a_birth_year(self) -> None:
        person = self.register("Sadia", age_years=25)
        self.assertTrue(person.birthdate_is_estimate)
        self.assertIn(person.age, {24, 25})
        exact = self.register("Sadia", birthdate=datetime.date(1980, 3, 1))
        self.assertFalse(exact.birthdate_is_estimate)
        self.assertEqual(exact.birth_year, 1980)


class ConsentTests(RegistryTestCase):
    def test_registration_records_consent_and_withdrawal_takes_effect_at_once(self) -> None:
        person = self.register("Nasreen", age_years=30)
        self.assertTrue(services.consent_allows(person, ConsentPurpose.REGISTRATION))
        self.assertFalse(services.consent_allows(person, ConsentPurpose.REFERRAL))
        services.consent_record(actor=self.caseworker, person=person, purpose="referral", status="given")
        self.assertTrue(services.consent_allows(person, ConsentPurpose.REFERRAL))
        services.consent_record(actor=self.caseworker, person=person, purpose="referral", status="withdrawn")
        self.assertFalse(services.consent_allows(person, ConsentPurpose.REFERRAL))
        with self.assertRaises(services.ConsentRequired):
            services.consent_require(person, ConsentPurpose.REFERRAL)
        self.assertEqual(person.consents.filter(purpose="referral").count(), 2)  # the history stays

    def test_a_child_cannot_consent_alone_and_their_view_is_recorded(self) -> None:
        child = self.register("Ayesha", age_years=10)
        with self.assertRaises(ValidationError):
            services.consent_record(
                actor=self.caseworker, person=child, purpose="family_tracing", status="given"
            )
        with self.assertRaises(ValidationError):
            services.consent_record(
                actor=self.caseworker,
                person=child,
                purpose="family_tracing",
                status="given",
                given_by="caregiver",
                given_by_name="Uncle Rashid",
            )
        consent = services.consent_record(
            actor=self.caseworker,
            person=child,
            purpose="family_tracing",
            status="given",
            given_by="caregiver",
            given_by_name="Uncle Rashid",
            child_view="agrees",
        )
        self.assertEqual(consent.child_view, "agrees")

    def test_sharing_consent_names_the_organisation(self) -> None:
        person = self.register("Nasreen", age_years=30)
        services.consent_record(
            actor=self.caseworker, person=person, purpose="sharing", status="given", shared_with=self.org_b
        )
        self.assertTrue(services.consent_allows(person, "sharing", shared_with=self.org_b))
        with self.assertRaises(ValidationError):
            services.consent_record(actor=self.caseworker, person=person, purpose="sharing", status="given")


class EncryptionTests(RegistryTestCase):
    def test_numbers_are_unreadable_in_the_row_yet_found_by_exact_search(self) -> None:
        person = self.register(
            "Nasreen", age_years=30, phone="0300-1234567", identity_number="61101-1234567-2"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
            row = " ".join(str(value) for value in cursor.fetchone())
        for fragment in ("1234567", "3001234567", "611011234567"):
            self.assertNotIn(fragment, row)
        person.refresh_from_db()
        self.assertEqual((person.phone, person.identity_number), ("+923001234567", "6110112345672"))
        visible = persons_visible_to(self.caseworker)
        for written in ("0300 1234567", "+92 300 1234567", "923001234567"):
            self.assertEqual(list(persons_with_phone(visible, written)), [person], written)
        self.assertEqual(list(persons_with_identity_number(visible, "6110112345672")), [person])
        self.assertEqual(list(persons_with_phone(visible, "0300-7654321")), [])

    def test_phone_forms(self) -> None:
        for written in (
            "0300-1234567",
            "0300 1234567",
            "+92 300 1234567",
            "923001234567",
            "0092 300 1234567",
        ):
            self.assertEqual(normalise_phone(written), "+923001234567", written)
        self.assertEqual(normalise_phone("12"), "")


class PeopleScopingTests(RegistryTestCase):
    def test_organisation_b_sees_none_of_as_people(self) -> None:
        self.register("Nasreen", age_years=30)
        self.assertEqual(persons_visible_to(self.actor(self.b[Role.CASEWORKER])).count(), 0)
        self.assertEqual(persons_visible_to(self.caseworker).count(), 1)

    def test_roles_without_people_view_see_nobody(self) -> None:
        self.register("Nasreen", age_years=30)
        for role in (Role.ANALYST, Role.DONOR_VIEWER, Role.NETWORK_REPORTER, Role.ADMINISTRATOR):
            self.assertEqual(persons_visible_to(self.actor(self.a[role])).count(), 0, role)
