"""The registration's batch path (``people.batch``), which the spreadsheet import writes through, gives exactly
the records that registering the same people one by one through ``people.services`` gives."""

from __future__ import annotations

import datetime
from collections import Counter

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.people import batch, services
from hifazat.people.models import Consent, Household, Person, PersonMatchKey, Vulnerability
from hifazat.people.testing import make_site

HOUSEHOLDS = [{"shelter_number": "T-1"}, {"shelter_number": "T-2"}]
# (household index or None, registration arguments)
PEOPLE = [
    (
        0,
        {
            "first_name": "Amina",
            "second_name": "Bibi",
            "first_name_ur": "آمنہ",
            "gender": "Feminine",
            "age_years": 34,
            "marital_status": "Widowed",
            "relationship_to_head": "head",
            "parentage_word": "wife_of",
            "parentage_name": "Gul Khan",
            "phone": "0300-1234567",
        },
    ),
    (
        0,
        {
            "first_name": "Bilal",
            "second_name": "Khan",
            "gender": "Masculine",
            "birthdate": datetime.date(2015, 3, 4),
            "relationship_to_head": "child",
            "consent_given_by": "caregiver",
            "consent_given_by_name": "Amina Bibi",
            "child_view": "agrees",
        },
    ),
    (
        0,
        {
            "first_name": "Zarina",
            "gender": "Feminine",
            "age_years": 70,
            "relationship_to_head": "parent",
            "identity_number": "35202-1234567-1",
        },
    ),
    (1, {"first_name": "Karim", "gender": "Masculine", "age_years": 66, "relationship_to_head": "head"}),
    (None, {"first_name": "Noor", "gender": "Feminine", "age_years": 25, "marital_status": "Separated"}),
]
# Registered later into the same households: a child of the widowed head (her group's reason counts him), a
# wife for Karim (66 and alone no more: his group goes).
LATER = [
    (
        0,
        {
            "first_name": "Daud",
            "second_name": "Khan",
            "gender": "Masculine",
            "age_years": 6,
            "relationship_to_head": "child",
            "consent_given_by": "caregiver",
            "consent_given_by_name": "Amina Bibi",
            "child_view": "not_able",
        },
    ),
    (1, {"first_name": "Gulnaz", "gender": "Feminine", "age_years": 60, "relationship_to_head": "spouse"}),
]


def snapshot(organisation) -> dict:
    """Every record the registration wrote for an organisation, without what differs by nature (ids, UUIDs,
    times, who, fresh ciphertexts of the same numbers)."""
    people = Person.objects.filter(organisation=organisation).order_by("first_name")
    skip = {
        "id",
        "uuid",
        "organisation",
        "created_at",
        "modified_at",
        "created_by",
        "modified_by",
        "household",
        "phone_encrypted",
        "identity_number_encrypted",
    }
    fields = [f.attname for f in Person._meta.concrete_fields if f.name not in skip]
    by_uuid = {str(p.uuid): p.first_name for p in people}
    return {
        "people": [
            (
                *(getattr(p, f) for f in fields),
                p.phone,
                p.identity_number,
                p.household.shelter_number if p.household else None,
            )
            for p in people
        ],
        "households": sorted(
            (h.shelter_number, h.version, h.head.first_name if h.head else None, h.site_id)
            for h in Household.objects.filter(organisation=organisation)
        ),
        "consents": sorted(
            (
                c.person.first_name,
                c.purpose,
                c.status,
                c.given_by,
                c.given_by_name,
                c.child_view,
                c.shared_with_id,
            )
            for c in Consent.objects.filter(person__organisation=organisation)
        ),
        "groups": sorted(
            (v.person.first_name, v.group, v.source, v.reason)
            for v in Vulnerability.objects.filter(person__organisation=organisation)
        ),
        "keys": sorted(
            (k.person.first_name, k.key, k.birth_year)
            for k in PersonMatchKey.objects.filter(person__organisation=organisation)
        ),
        "audit": Counter(
            (
                e.action,
                e.object_type,
                e.role,
                tuple(sorted(e.detail)),
                by_uuid.get(e.detail.get("person", ""), ""),
                e.detail.get("purpose", ""),
            )
            for e in AuditEntry.objects.filter(organisation=organisation)
        ),
    }


class BatchEqualsOneByOneTests(HifazatTestCase):
    def test_the_batch_writes_exactly_what_registering_one_by_one_writes(self) -> None:
        site = make_site()
        one = self.actor(self.a[Role.CASEWORKER])
        households = [services.household_register(actor=one, site=site, **h) for h in HOUSEHOLDS]
        for index, data in PEOPLE + LATER:
            services.person_register(
                actor=one, household=households[index] if index is not None else None, **data
            )

        many = self.actor(self.b[Role.CASEWORKER])
        preparation = batch.Preparation(many)
        prepared_households = [
            batch.household_prepare(actor=many, site=site, preparation=preparation, **h) for h in HOUSEHOLDS
        ]
        batch.households_register_batch(actor=many, households=prepared_households)
        for people, new_households in ((PEOPLE, [h.pk for h in prepared_households]), (LATER, [])):
            prepared = []
            for index, data in people:
                person, consent = batch.person_prepare(actor=many, preparation=preparation, **data)
                person.household = prepared_households[index] if index is not None else None
                prepared.append((person, consent))
            batch.persons_register_batch(actor=many, prepared=prepared, new_households=new_households)

        expected, found = snapshot(self.org_a), snapshot(self.org_b)
        for part in expected:
            self.assertEqual(found[part], expected[part], part)
        # The comparison covers derived groups (changed by the later members too), keys and consents.
        self.assertIn(
            ("Amina", "widowed_single_parent", "rule", "widowed, heads a household with 2 children under 18"),
            expected["groups"],
        )
        self.assertNotIn(
            "older_person_alone", {group for name, group, *_ in expected["groups"] if name == "Karim"}
        )
        self.assertTrue(expected["keys"])

    def test_the_batch_refuses_what_registration_refuses(self) -> None:
        many = self.actor(self.b[Role.CASEWORKER])
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as refused:
            batch.person_prepare(actor=many, first_name="Bilal", gender="Masculine", age_years=8)
        self.assertIn("given_by", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            batch.person_prepare(actor=many, first_name="Bilal", gender="Masculine", phone="12")
        self.assertIn("phone", refused.exception.message_dict)

    def test_the_batch_refuses_a_bad_field_with_the_registration_services_words(self) -> None:
        """The batch checks each distinct value once (``people.batch._full_clean``): the same refusal, by field,
        as ``person_register``'s ``full_clean``, the first time and the next."""
        from django.core.exceptions import ValidationError

        one, many = self.actor(self.a[Role.CASEWORKER]), self.actor(self.b[Role.CASEWORKER])
        for data in (
            {"first_name": "B" * 81, "gender": "Masculine", "age_years": 30},
            {"first_name": "Bilal", "gender": "Man", "age_years": 30, "marital_status": "Engaged"},
            {"first_name": "\u202e", "gender": "Masculine", "age_years": 30},  # nothing left once cleaned
        ):
            with self.subTest(data=data), self.assertRaises(ValidationError) as expected:
                services.person_register(actor=one, **data)
            for _attempt in range(2):
                with self.subTest(data=data), self.assertRaises(ValidationError) as found:
                    batch.person_prepare(actor=many, **data)
                self.assertEqual(found.exception.message_dict, expected.exception.message_dict)
