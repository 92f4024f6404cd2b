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
        for index, data in PEOPLE:
            services.person_register(
                actor=one, household=households[index] if index is not None else None, **data
            )

        many = self.actor(self.b[Role.CASEWORKER])
        prepared_households = [batch.household_prepare(actor=many, site=site, **h) for h in HOUSEHOLDS]
        batch.households_register_batch(actor=many, households=prepared_households)
        prepared = []
        for index, data in PEOPLE:
            person, consent = batch.person_prepare(actor=many, **data)
            person.household = prepared_households[index] if index is not None else None
            prepared.append((person, consent))
        batch.persons_register_batch(actor=many, prepared=prepared)

        expected, found = snapshot(self.org_a), snapshot(self.org_b)
        for part in expected:
            self.assertEqual(found[part], expected[part], part)
        self.assertTrue(expected["groups"])  # the comparison covers derived groups, keys and consents
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
