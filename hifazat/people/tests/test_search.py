"""Name search through the key table: spelling variants, name order, Urdu script against Latin, scope."""

from __future__ import annotations

from django.core.paginator import Paginator

from hifazat.core.roles import Role
from hifazat.people.search import person_search
from hifazat.people.selectors import persons_visible_to
from hifazat.people.tests.test_duplicates import MatchingTestCase


class SearchTests(MatchingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.imran = self.person("Muhammad Imran", second_name="Khan", gender="Masculine", age_years=35)
        self.zainab = self.person("Zainab", second_name="Bibi", age_years=60)
        self.nasreen_ur = self.person("نسرین", second_name="بی بی", age_years=40)
        self.bilal = self.person("Bilal", second_name="Khan", gender="Masculine", age_years=20)

    def search(self, text: str, actor=None) -> list:
        return list(person_search(persons_visible_to(actor or self.caseworker), text))

    def test_organisation_b_and_roles_outside_the_registry_find_nobody(self) -> None:
        self.assertEqual(self.search("Imran", self.actor(self.b[Role.SUPERVISOR])), [])
        for role in (Role.ANALYST, Role.DONOR_VIEWER, Role.NETWORK_REPORTER, Role.ADMINISTRATOR):
            self.assertEqual(self.search("Imran", self.actor(self.a[role])), [], role)

    def test_spelling_variants_of_muhammad_and_name_order(self) -> None:
        for text in (
            "Muhammad Imran",
            "Mohd Imran",
            "Mohammad Imran Khan",
            "Muhammed imran",
            "Khan Mohd Imran",
            "imraan",
        ):
            with self.subTest(text):
                self.assertEqual(self.search(text), [self.imran])

    def test_urdu_script_against_latin_letters(self) -> None:
        self.assertEqual(self.search("محمد عمران"), [self.imran])
        self.assertEqual(self.search("Nasreen Bibi"), [self.nasreen_ur])
        self.assertEqual(self.search("Nasrin"), [self.nasreen_ur])

    def test_bibi_and_bi(self) -> None:
        self.assertEqual(self.search("Zainab Bi"), [self.zainab])
        self.assertEqual(self.search("Zenab Bibi"), [self.zainab])
        self.assertEqual(set(self.search("Bi")), {self.zainab, self.nasreen_ur})

    def test_every_name_must_be_found(self) -> None:
        self.assertEqual(set(self.search("Khan")), {self.imran, self.bilal})
        self.assertEqual(self.search("Bilal Imran"), [])
        self.assertEqual(self.search("Rubina"), [])
        self.assertEqual(self.search("  ...  "), [])

    def test_the_same_name_ranks_first_and_a_page_is_two_queries(self) -> None:
        self.person("Bilal", second_name="Khan Tanoli", gender="Masculine", age_years=25)
        exact = self.bilal
        results = person_search(persons_visible_to(self.caseworker), "Bilal Khan")
        with self.assertNumQueries(2):
            page = Paginator(results, 25).page(1)
            rows = list(page.object_list)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0], exact)

    def test_merged_and_inactive_people_are_not_found(self) -> None:
        self.imran.is_active = False
        self.imran.save(update_fields=["is_active"])
        self.assertEqual(self.search("Imran"), [])
