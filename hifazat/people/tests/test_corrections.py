"""Correcting a registered person or household: who may, what follows (groups, search and duplicate keys),
what the audit and the timeline keep, and edits that two people make at once."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict
from hifazat.people import services
from hifazat.people.duplicates import candidates_for_registration
from hifazat.people.models import Household, Person, PersonMatchKey
from hifazat.people.search import person_search
from hifazat.people.selectors import persons_visible_to
from hifazat.people.tests.test_registry import RegistryTestCase

# Roles that see the registry or not, but may not register (and so may not correct) anyone.
NOT_REGISTRARS = (
    Role.ADMINISTRATOR,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
)


def edit_form(person: Person, **changes) -> dict:
    """The edit page's form as it comes pre-filled for ``person``, with ``changes`` typed in."""
    data = {
        "first_name": person.first_name,
        "second_name": person.second_name,
        "first_name_ur": person.first_name_ur,
        "second_name_ur": person.second_name_ur,
        "parentage_word": person.parentage_word,
        "parentage_name": person.parentage_name,
        "parentage_name_ur": person.parentage_name_ur,
        "gender": person.gender,
        "relationship_to_head": person.relationship_to_head,
        "marital_status": person.marital_status,
        "disability": person.disability,
        "child_status": person.child_status,
        "caregiver_name": person.caregiver_name,
        "phone": person.phone,
        "identity_number": person.identity_number,
        "version": person.version,
    }
    if person.birthdate_is_estimate:
        data["age_years"] = person.age
    elif person.birthdate:
        data["birthdate"] = person.birthdate.isoformat()
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


class CorrectionRefusalTests(RegistryTestCase):
    def test_roles_that_may_not_register_are_refused_and_organisation_b_gets_404(self) -> None:
        person = self.register("Nasreen", age_years=30)
        for role in NOT_REGISTRARS:
            actor = self.actor(self.a[role])
            with self.assertRaises(PermissionDenied, msg=role):
                services.person_update(actor=actor, person=person, first_name="Nasrin")
            with self.assertRaises(PermissionDenied, msg=role):
                services.household_update(actor=actor, household=self.household, shelter_number="X")
            client = self.client_for(self.a[role])
            self.assertEqual(client.get(f"/people/{person.uuid}/edit/").status_code, 403, role)
            self.assertEqual(client.post(f"/people/{person.uuid}/edit/", edit_form(person)).status_code, 403)
            self.assertEqual(client.get(f"/households/{self.household.uuid}/edit/").status_code, 403, role)
        other = self.actor(self.b[Role.CASEWORKER])
        with self.assertRaises(Http404):
            services.person_update(actor=other, person=person, first_name="Nasrin")
        with self.assertRaises(Http404):
            services.household_update(actor=other, household=self.household, shelter_number="X")
        client = self.client_for(self.b[Role.CASEWORKER])
        self.assertEqual(client.get(f"/people/{person.uuid}/edit/").status_code, 404)
        self.assertEqual(client.post(f"/people/{person.uuid}/edit/", edit_form(person)).status_code, 404)
        self.assertEqual(client.get(f"/households/{self.household.uuid}/edit/").status_code, 404)
        person.refresh_from_db()
        self.assertEqual(person.first_name, "Nasreen")
        self.assertFalse(AuditEntry.objects.filter(action="update", object_uuid=person.uuid).exists())


class CorrectionServiceTests(RegistryTestCase):
    def test_a_woman_recorded_as_30_who_is_really_15_becomes_a_separated_child(self) -> None:
        shazia = self.register(
            "Shazia",
            age_years=30,
            marital_status="Separated",
            child_status="separated",
            relationship_to_head="other_relative",
        )
        self.assertEqual(set(self.groups(shazia)), {"separated_or_widowed_woman"})
        services.person_update(actor=self.caseworker, person=shazia, version=shazia.version, age_years=15)
        self.assertEqual(self.groups(shazia), {"at_risk_child": "child aged 15, separated"})
        shazia.refresh_from_db()
        self.assertEqual(shazia.age, 15)
        self.assertTrue(shazia.birthdate_is_estimate)
        self.assertEqual(shazia.birth_year, shazia.birthdate.year)
        self.assertEqual(
            set(PersonMatchKey.objects.filter(person=shazia).values_list("birth_year", flat=True)),
            {shazia.birth_year},
        )

    def test_a_man_corrected_to_a_widowed_woman_heading_the_household_joins_her_groups(self) -> None:
        head = self.register("Gul", gender="Masculine", age_years=40, relationship_to_head="head")
        self.assertEqual(self.groups(head), {})
        services.person_update(
            actor=self.caseworker,
            person=head,
            version=head.version,
            gender="Feminine",
            marital_status="Widowed",
        )
        self.assertEqual(set(self.groups(head)), {"separated_or_widowed_woman", "female_headed_household"})

    def test_a_childs_age_correction_moves_the_widowed_parent_in_and_out_of_single_parents(self) -> None:
        father = self.register(
            "Rashid", gender="Masculine", age_years=45, marital_status="Widowed", relationship_to_head="head"
        )
        son = self.register("Bilal", gender="Masculine", age_years=19, relationship_to_head="child")
        self.assertNotIn("widowed_single_parent", self.groups(father))
        services.person_update(actor=self.caseworker, person=son, version=son.version, age_years=12)
        self.assertEqual(
            self.groups(father)["widowed_single_parent"], "widowed, heads a household with 1 child under 18"
        )
        services.person_update(actor=self.caseworker, person=son, version=son.version, age_years=20)
        self.assertNotIn("widowed_single_parent", self.groups(father))

    def test_only_changed_fields_are_written_and_the_audit_names_them_without_values(self) -> None:
        person = self.register("Rubina", second_name="Bibi", age_years=30, phone="0300 1234567")
        written = []
        original_save = Person.save

        def spy(instance, *args, **kwargs):
            written.append(sorted(kwargs.get("update_fields") or []))
            return original_save(instance, *args, **kwargs)

        Person.save = spy
        try:
            services.person_update(
                actor=self.caseworker,
                person=person,
                version=person.version,
                first_name="Rubeena",
                second_name="Bibi",  # unchanged: not written
                phone="0300-1234567",  # the same number, written differently: not written
                identity_number="35202-1234567-1",
            )
        finally:
            Person.save = original_save
        self.assertEqual(len(written), 1)
        # The search keys follow the name (when its normal form changes); nothing else is written.
        self.assertEqual(
            set(written[0]) - {"name_key", "phonetic_key"},
            {"first_name", "identity_number_encrypted", "identity_number_index", "modified_by"},
        )
        entry = AuditEntry.objects.get(action="update", object_uuid=person.uuid)
        self.assertEqual(entry.detail, {"fields": ["first_name", "identity_number"]})
        stored = json.dumps(entry.detail)
        for value in ("Rubeena", "Rubina", "35202", "1234567", "Bibi"):
            self.assertNotIn(value, stored)

    def test_a_stale_version_is_refused_and_changes_nothing(self) -> None:
        person = self.register("Nasreen", age_years=30)
        seen = person.version
        services.person_update(actor=self.caseworker, person=person, version=seen, second_name="Bibi")
        stale = Person.objects.get(pk=person.pk)
        with self.assertRaises(EditConflict):
            services.person_update(actor=self.caseworker, person=stale, version=seen, gender="Masculine")
        stale.refresh_from_db()
        self.assertEqual((stale.gender, stale.second_name), ("Feminine", "Bibi"))
        self.assertEqual(AuditEntry.objects.filter(action="update", object_uuid=person.uuid).count(), 1)

    def test_an_edit_of_an_older_copy_never_writes_back_a_field_changed_meanwhile(self) -> None:
        person = self.register("Nasreen", age_years=30, marital_status="Married")
        first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
        services.person_update(actor=self.caseworker, person=first, marital_status="Widowed")
        try:
            services.person_update(actor=self.caseworker, person=second, first_name="Nasrin")
            conflicted = False
        except EditConflict:
            conflicted = True
        person.refresh_from_db()
        self.assertEqual(person.marital_status, "Widowed")  # never reverted by the second edit
        self.assertEqual(person.first_name, "Nasreen" if conflicted else "Nasrin")
        self.assertIn("separated_or_widowed_woman", self.groups(person))

    def test_a_whole_row_save_of_a_person_or_household_is_refused(self) -> None:
        person = self.register("Nasreen", age_years=30)
        with self.assertRaises(TypeError):
            person.save()
        with self.assertRaises(TypeError):
            Household.objects.get(pk=self.household.pk).save()

    def test_a_new_head_is_recorded_as_head_and_the_groups_follow(self) -> None:
        husband = self.register("Tariq", gender="Masculine", age_years=40, relationship_to_head="head")
        wife = self.register("Rabia", age_years=35, relationship_to_head="spouse", marital_status="Widowed")
        self.household.refresh_from_db()
        self.assertEqual(self.household.head, husband)
        services.household_update(
            actor=self.caseworker, household=self.household, version=self.household.version, head=wife
        )
        wife.refresh_from_db()
        husband.refresh_from_db()
        self.assertEqual((wife.relationship_to_head, husband.relationship_to_head), ("head", ""))
        self.assertIn("female_headed_household", self.groups(wife))
        entry = AuditEntry.objects.get(action="update", object_uuid=self.household.uuid)
        self.assertEqual(entry.detail, {"fields": ["head"]})

    def test_a_head_from_another_household_is_refused_with_the_field_named(self) -> None:
        elsewhere = services.household_register(actor=self.caseworker, site=self.site, shelter_number="T-2")
        stranger = self.register("Zainab", age_years=30, household=elsewhere, relationship_to_head="head")
        with self.assertRaises(ValidationError) as refused:
            services.household_update(
                actor=self.caseworker, household=self.household, version=self.household.version, head=stranger
            )
        self.assertIn("head", refused.exception.message_dict)
        self.household.refresh_from_db()
        self.assertIsNone(self.household.head)


class CorrectionPageTests(RegistryTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client = self.client_for(self.a[Role.CASEWORKER])
        self.person = self.register(
            "Rubina", second_name="Bibi", age_years=30, phone="0300 1234567", relationship_to_head="head"
        )

    def test_the_person_page_offers_the_edit_and_the_form_comes_pre_filled(self) -> None:
        page = self.client.get(f"/people/{self.person.uuid}/")
        self.assertContains(page, f'href="/people/{self.person.uuid}/edit/"')
        viewer = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR]).get(f"/people/{self.person.uuid}/")
        self.assertNotContains(viewer, f"/people/{self.person.uuid}/edit/")
        form = self.client.get(f"/people/{self.person.uuid}/edit/")
        self.assertContains(form, 'value="Rubina"')
        self.assertContains(form, 'value="+923001234567"')
        self.assertContains(form, f'name="version" value="{self.person.version}"')
        self.assertContains(form, 'name="age_years" value="30"')

    def test_a_corrected_name_is_found_by_search_and_duplicates_and_the_old_one_is_not(self) -> None:
        response = self.client.post(
            f"/people/{self.person.uuid}/edit/", edit_form(self.person, first_name="Nasreen")
        )
        self.assertRedirects(response, f"/people/{self.person.uuid}/")
        visible = persons_visible_to(self.caseworker)
        self.assertEqual(list(person_search(visible, "Nasreen Bibi")), [self.person])
        self.assertEqual(list(person_search(visible, "Rubina")), [])
        data = {"first_name": "Nasreen", "second_name": "Bibi", "gender": "Feminine", "age_years": 30}
        found = candidates_for_registration(actor=self.caseworker, data=data)
        self.assertEqual([c.person for c in found], [self.person])
        data["first_name"] = "Rubina"
        self.assertEqual(candidates_for_registration(actor=self.caseworker, data=data), [])

    def test_the_timeline_shows_the_corrected_field_names_and_no_values(self) -> None:
        self.client.post(
            f"/people/{self.person.uuid}/edit/",
            edit_form(self.person, first_name="Nasreen", phone="0345 7654321"),
        )
        page = self.client.get(f"/people/{self.person.uuid}/")
        self.assertContains(page, "Corrected: first name, phone")
        self.assertNotContains(page, "Rubina")
        self.assertNotContains(page, "+923001234567")

    def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(self) -> None:
        response = self.client.post(
            f"/people/{self.person.uuid}/edit/",
            edit_form(self.person, first_name="", age_years="", birthdate="2999-01-01", gender="Unknown"),
        )
        self.assertEqual(response.status_code, 200)
        for field in ("first_name", "birthdate", "gender"):
            self.assertContains(response, f'id="id_{field}_error"')
        self.assertContains(response, "The date of birth cannot be in the future.")
        self.person.refresh_from_db()
        self.assertEqual(self.person.first_name, "Rubina")

    def test_a_second_head_is_refused_next_to_the_relationship(self) -> None:
        other = self.register("Sana", age_years=40, relationship_to_head="spouse")
        response = self.client.post(
            f"/people/{other.uuid}/edit/", edit_form(other, relationship_to_head="head")
        )
        self.assertContains(response, 'id="id_relationship_to_head_error"')
        self.assertContains(response, "This household already has a head.")
        other.refresh_from_db()
        self.assertEqual(other.relationship_to_head, "spouse")

    def test_a_stale_form_shows_the_conflict_and_keeps_what_was_typed(self) -> None:
        stale = edit_form(self.person, first_name="Rubeena Typed")
        services.person_update(
            actor=self.caseworker, person=self.person, version=self.person.version, gender="Masculine"
        )
        response = self.client.post(f"/people/{self.person.uuid}/edit/", stale)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(CONFLICT_MESSAGE))
        self.assertContains(response, 'value="Rubeena Typed"')
        self.person.refresh_from_db()
        self.assertEqual((self.person.first_name, self.person.gender), ("Rubina", "Masculine"))

    def test_the_household_is_corrected_through_its_page(self) -> None:
        wife = self.register("Sana", age_years=40, relationship_to_head="spouse", marital_status="Widowed")
        self.household.refresh_from_db()
        page = self.client.get(f"/households/{self.household.uuid}/")
        self.assertContains(page, f'href="/households/{self.household.uuid}/edit/"')
        form = self.client.get(f"/households/{self.household.uuid}/edit/")
        self.assertContains(form, 'value="T-14"')
        data = {
            "site": self.site.uuid,
            "shelter_number": "T-15",
            "head": wife.uuid,
            "version": self.household.version,
        }
        response = self.client.post(f"/households/{self.household.uuid}/edit/", data)
        self.assertRedirects(response, f"/households/{self.household.uuid}/")
        self.household.refresh_from_db()
        self.assertEqual((self.household.shelter_number, self.household.head), ("T-15", wife))
        stale = self.client.post(
            f"/households/{self.household.uuid}/edit/", {**data, "shelter_number": "T-16"}
        )
        self.assertContains(stale, str(CONFLICT_MESSAGE))
        self.assertContains(stale, 'value="T-16"')

    def test_the_edit_pages_speak_urdu(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
        self.assertContains(self.client.get(f"/people/{self.person.uuid}/edit/"), "ریکارڈ کی درستی")
        self.assertContains(self.client.get(f"/households/{self.household.uuid}/edit/"), "گھرانے کی درستی")
