"""Duplicate candidates at registration: found through the key table, scored with reasons, within scope."""

from __future__ import annotations

import datetime

from django.db.models import Q

from hifazat.core.roles import Role
from hifazat.matching import LIKELY, UNLIKELY, MatchRecord
from hifazat.matching.scoring import LIKELY_FROM
from hifazat.people import services
from hifazat.people.batch_dedup import duplicates_batch
from hifazat.people.duplicates import (
    candidates_for_registration,
    candidates_in,
    duplicate_candidates,
    record_for,
    refresh_match_keys,
)
from hifazat.people.models import DuplicateSuspicion, Person, PersonMatchKey
from hifazat.people.review_queue import duplicates_scan_person
from hifazat.people.testing import make_site
from hifazat.people.tests.test_registry import RegistryTestCase


class MatchingTestCase(RegistryTestCase):
    """The registry base with a second household at another site. ``person`` registers through the service and
    files the person's match keys (what ``person_register`` does once the keys are wired into it)."""

    def setUp(self) -> None:
        super().setUp()
        self.supervisor = self.actor(self.a[Role.SUPERVISOR])
        self.other_site = make_site(code="ISB-I11", name="I-11 Collective Centre")
        self.other_household = services.household_register(
            actor=self.caseworker, site=self.other_site, shelter_number="B-2"
        )

    def person(self, first_name: str, **data) -> Person:
        person = self.register(first_name, **data)
        refresh_match_keys(person)
        return person

    def candidates(self, record_or_person, actor=None):
        return duplicate_candidates(actor or self.caseworker, record_or_person)

    def find(self, record_or_person, person: Person, actor=None):
        """The candidate for ``person`` among the candidates of ``record_or_person``, or None."""
        return next((c for c in self.candidates(record_or_person, actor) if c.person.pk == person.pk), None)


class WhoIsRefusedTests(MatchingTestCase):
    def test_organisation_b_gets_no_candidates_among_as_people(self) -> None:
        original = self.person("Muhammad", second_name="Khan", gender="Masculine", age_years=40)
        record = record_for(original)
        self.assertIsNotNone(self.find(record, original))
        self.assertEqual(self.candidates(record, self.actor(self.b[Role.SUPERVISOR])), [])
        self.assertEqual(self.candidates(record, self.actor(self.b[Role.CASEWORKER])), [])

    def test_roles_outside_the_registry_get_no_candidates(self) -> None:
        original = self.person("Muhammad", second_name="Khan", gender="Masculine", age_years=40)
        for role in (Role.ANALYST, Role.DONOR_VIEWER, Role.NETWORK_REPORTER, Role.ADMINISTRATOR):
            self.assertEqual(self.candidates(record_for(original), self.actor(self.a[role])), [], role)


class CandidateTests(MatchingTestCase):
    def test_transliteration_variants_find_each_other(self) -> None:
        latin = self.person(
            "Muhammad",
            second_name="Khan",
            gender="Masculine",
            parentage_word="son_of",
            parentage_name="Rashid",
            age_years=40,
        )
        for first, second, father in [("Mohd", "Khan", "Rasheed"), ("محمد", "خان", "راشد")]:
            with self.subTest(first):
                record = MatchRecord(
                    first_name=first,
                    second_name=second,
                    gender="Masculine",
                    parentage_word="son_of",
                    parentage_name=father,
                    birth_year=latin.birth_year + 1,
                    birthdate_is_estimate=True,
                    site=self.other_site.pk,
                )
                found = self.find(record, latin)
                self.assertIsNotNone(found)
                self.assertEqual(found.match.band, LIKELY)
                explanations = " | ".join(r.explanation for r in found.match.reasons)
                self.assertIn("Father's name agrees in another spelling or script", explanations)
                self.assertIn("Ages a year apart, at least one estimated", explanations)

    def test_a_registered_person_is_not_their_own_candidate(self) -> None:
        person = self.person("Sadia", second_name="Awan", age_years=30)
        twin = self.person("Saadia", second_name="Awan", age_years=30, household=self.other_household)
        self.assertEqual([c.person for c in self.candidates(person)], [twin])

    def test_swapped_name_order(self) -> None:
        original = self.person(
            "Imran", second_name="Awan", gender="Masculine", birthdate=datetime.date(1988, 5, 4)
        )
        swapped = self.person(
            "Awan",
            second_name="Imran",
            gender="Masculine",
            birthdate=datetime.date(1988, 5, 4),
            household=self.other_household,
        )
        found = self.find(swapped, original)
        self.assertEqual(found.match.band, LIKELY)
        self.assertIn("other order", found.match.reasons[1].explanation + found.match.reasons[0].explanation)

    def test_missing_birth_date_with_an_estimated_age(self) -> None:
        exact = self.person(
            "Nasreen",
            second_name="Bibi",
            parentage_word="wife_of",
            parentage_name="Muhammad Rashid",
            birthdate=datetime.date(1975, 2, 10),
        )
        age_now = exact.age
        estimated = self.person(
            "Nasrin",
            second_name="Bibi",
            parentage_word="wife_of",
            parentage_name="Mohd Rashid",
            age_years=age_now + 1,
            household=self.other_household,
        )
        self.assertTrue(estimated.birthdate_is_estimate)
        found = self.find(estimated, exact)
        self.assertEqual(found.match.band, LIKELY)
        birth = next(r for r in found.match.reasons if r.field == "birth")
        self.assertEqual(birth.outcome, "agrees")
        self.assertIn("estimated", birth.explanation)
        # With no birth date or age at all the person is still a candidate: keys hold no year.
        unknown = MatchRecord(first_name="Nasreen", second_name="Bi", parentage_name="Rashid")
        self.assertIsNotNone(self.find(unknown, exact))

    def test_bibi_and_bi(self) -> None:
        original = self.person("Zainab", second_name="Bibi", age_years=50)
        again = self.person("Zenab", second_name="Bi", age_years=51, household=self.other_household)
        found = self.find(again, original)
        self.assertIsNotNone(found)
        self.assertNotEqual(found.match.band, UNLIKELY)

    def test_siblings_in_one_household_with_the_same_father_are_not_likely_duplicates(self) -> None:
        common = dict(
            second_name="Khan",
            gender="Masculine",
            parentage_word="son_of",
            parentage_name="Rashid Khan",
            phone="0300-1234567",
            relationship_to_head="child",
            consent_given_by="caregiver",
            consent_given_by_name="Nasreen Bibi",
            child_view="agrees",
        )
        imran = self.person("Imran", age_years=12, **common)
        bilal_data = {"first_name": "Bilal", "age_years": 9, **common}
        self.assertEqual(
            candidates_for_registration(actor=self.caseworker, data=bilal_data, household=self.household), []
        )
        bilal = self.person("Bilal", age_years=9, **common)
        found = self.find(bilal, imran)
        self.assertIsNotNone(found, "siblings share keys (father, family name, phone) and are compared")
        self.assertEqual(found.match.band, UNLIKELY)
        context = next(r for r in found.match.reasons if r.field == "context")
        self.assertEqual(context.level, "siblings")
        self.assertLess(context.weight, 0.0)

    def test_a_different_gender_is_unlikely(self) -> None:
        woman = self.person(
            "Noor", second_name="Jadoon", parentage_name="Akhtar", gender="Feminine", age_years=30
        )
        man = self.person(
            "Noor",
            second_name="Jadoon",
            parentage_name="Akhtar",
            gender="Masculine",
            age_years=30,
            household=self.other_household,
        )
        found = self.find(man, woman)
        self.assertEqual(found.match.band, UNLIKELY)
        self.assertEqual(found.match.reasons[0].field, "gender")

    def test_the_lookup_costs_six_queries_whatever_the_registry_holds(self) -> None:
        """Keys, scope, the pool, how common the names are, the households' other members, and the registry's
        size (counted every time in a small registry, cached in a large one)."""
        for n in range(12):
            self.person("Ayesha", second_name="Bibi", age_years=20 + n)
        record = MatchRecord(first_name="Aisha", second_name="Bibi", birth_year=2000)
        with self.assertNumQueries(6):
            found = self.candidates(record)
        self.assertEqual(len(found), 10)
        self.assertEqual([c.match.score for c in found], sorted((c.match.score for c in found), reverse=True))


class RegistrationHookTests(MatchingTestCase):
    def test_the_registration_page_gets_likely_and_possible_candidates(self) -> None:
        original = self.person(
            "Nasreen",
            second_name="Bibi",
            parentage_word="wife_of",
            parentage_name="Muhammad Rashid",
            age_years=32,
        )
        data = {
            "first_name": "Nasrin",
            "second_name": "Bibi",
            "gender": "Feminine",
            "parentage_word": "wife_of",
            "parentage_name": "Mohd Rashid",
            "age_years": 33,
            "phone": "",
        }
        found = candidates_for_registration(actor=self.caseworker, data=data, household=self.other_household)
        self.assertEqual([c.person for c in found], [original])
        self.assertTrue(all(r.explanation for r in found[0].match.reasons))


class KeyTableTests(MatchingTestCase):
    def test_keys_follow_changes_and_leave_with_deactivation(self) -> None:
        person = self.person("Sadia", second_name="Awan", age_years=30)
        self.assertTrue(PersonMatchKey.objects.filter(person=person, key="t:sd").exists())
        services.person_update(actor=self.caseworker, person=person, first_name="Rubina")
        refresh_match_keys(person)
        keys = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
        self.assertIn("t:rbn", keys)
        self.assertNotIn("t:sd", keys)
        self.assertEqual(
            set(PersonMatchKey.objects.filter(person=person).values_list("birth_year", flat=True)),
            {person.birth_year},
        )
        person.is_active = False
        refresh_match_keys(person)
        self.assertFalse(PersonMatchKey.objects.filter(person=person).exists())


class ReviewQueueTests(MatchingTestCase):
    def test_a_scan_raises_a_suspicion_once_and_a_dismissed_pair_stays_dismissed(self) -> None:
        original = self.person("Khadija", second_name="Awan", parentage_name="Zafar", age_years=45)
        again = self.person(
            "Khadijah",
            second_name="Awan",
            parentage_name="Zafar",
            age_years=46,
            household=self.other_household,
        )
        [suspicion] = duplicates_scan_person(again)
        self.assertEqual((suspicion.person_a, suspicion.person_b), (original, again))
        self.assertEqual(suspicion.status, DuplicateSuspicion.Status.OPEN)
        self.assertTrue(any("father" in r["explanation"].lower() for r in suspicion.reasons))
        duplicates_scan_person(original)
        self.assertEqual(DuplicateSuspicion.objects.count(), 1)


class WholeNameAloneTests(MatchingTestCase):
    """A second registration without the father's or husband's name shares no ``q:`` key with the first: the
    whole name alone (``w:``, ``x:``) joins them, and never two people whose fathers are both recorded."""

    def family(self, household, **mother) -> Person:
        """A mother registered with her two children in ``household``; the mother is returned."""
        found = self.person("Shazia", second_name="Awan", age_years=34, household=household, **mother)
        self.person(
            "Sana", second_name="Awan", age_years=10, relationship_to_head="child", household=household
        )
        self.person(
            "Bilal",
            second_name="Awan",
            gender="Masculine",
            age_years=8,
            relationship_to_head="child",
            household=household,
        )
        return found

    def queue(self) -> dict:
        found = {
            (s.person_a_id, s.person_b_id): (s.score, s.reasons) for s in DuplicateSuspicion.objects.all()
        }
        DuplicateSuspicion.objects.all().delete()
        return found

    def test_a_registration_without_the_husbands_name_is_found_from_either_side_and_in_batch(self) -> None:
        first = self.family(self.household, parentage_word="wife_of", parentage_name="Tariq Mehmood")
        again = self.family(self.other_household)
        self.queue()
        pair = (first.pk, again.pk)
        for scanned in (again, first):
            with self.subTest(scanned.parentage_name):
                duplicates_scan_person(scanned, threshold=LIKELY_FROM)
                found = self.queue()
                self.assertIn(pair, found)
                self.assertGreaterEqual(found[pair][0], LIKELY_FROM)
        people = Person.objects.filter(organisation=self.org_a).order_by("pk")
        for person in people:
            duplicates_scan_person(person, threshold=LIKELY_FROM)
        one_at_a_time = self.queue()
        self.assertIn(pair, one_at_a_time)
        duplicates_batch(organisation=self.org_a, threshold=LIKELY_FROM)
        self.assertEqual(self.queue(), one_at_a_time)

    def test_two_people_of_one_name_with_different_fathers_are_not_joined_by_the_name_alone(self) -> None:
        common = {
            "second_name": "Qureshi",
            "gender": "Masculine",
            "parentage_word": "son_of",
            "age_years": 30,
        }
        rashids = self.person("Imran", parentage_name="Rashid", **common)
        javeds = self.person("Imran", parentage_name="Javed", household=self.other_household, **common)
        people = Person.objects.filter(organisation=self.org_a)
        for person, other in ((rashids, javeds), (javeds, rashids)):
            found = candidates_in(people, record_for(person), exclude_pk=person.pk, queue=True)
            self.assertNotIn(other, [c.person for c in found])
        # An Imran Qureshi without a father's name reads both.
        common.pop("parentage_word")
        alone = self.person("Imran", household=None, **common)
        found = candidates_in(people, record_for(alone), exclude_pk=alone.pk, queue=True)
        self.assertEqual({c.person for c in found}, {rashids, javeds})

    def test_people_registered_before_the_whole_name_keys_are_filed_under_them_by_the_migration(self) -> None:
        from importlib import import_module

        from django.apps import apps

        backfill = import_module("hifazat.people.migrations.0009_backfill_whole_name_keys").backfill
        first = self.family(self.household, parentage_word="wife_of", parentage_name="Tariq Mehmood")
        again = self.family(self.other_household)
        whole_name_keys = PersonMatchKey.objects.filter(Q(key__startswith="w:") | Q(key__startswith="x:"))
        filed = set(whole_name_keys.values_list("person_id", "key"))
        self.assertTrue({first.pk, again.pk} <= {pk for pk, _key in filed})
        whole_name_keys.delete()  # as registered before these keys existed
        backfill(apps, None)
        self.assertEqual(set(whole_name_keys.values_list("person_id", "key")), filed)
        backfill(apps, None)  # run again: nothing twice
        self.assertEqual(whole_name_keys.count(), len(filed))
