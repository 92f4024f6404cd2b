"""Candidates both ways on a small known registry: who is searched (consent gating, scope), how they rank, and
what the explanation says."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from hifazat.core.roles import Role
from hifazat.people import services as people
from hifazat.tracing import selectors, services
from hifazat.tracing.models import TracingCandidate
from hifazat.tracing.testing import make_request
from hifazat.tracing.tests.base import TracingTestCase


class ConsentGatingTests(TracingTestCase):
    def test_a_child_without_tracing_consent_is_never_a_candidate(self) -> None:
        request = make_request(self.cw, "Bilal", second_name="Tanoli", gender="Masculine", age_years=9)
        found = [c.person for c in selectors.candidates_for_request(self.cw, request)]
        self.assertEqual(found[0], self.bilal)
        self.assertIn(self.namesake, found)
        for person in self.hidden:
            self.assertNotIn(person, found)
        stored = set(TracingCandidate.objects.filter(request=request).values_list("person_id", flat=True))
        self.assertTrue(stored)
        self.assertFalse(stored & {p.pk for p in self.hidden})

    def test_a_withdrawn_consent_takes_the_child_off_the_list_and_refuses_the_match(self) -> None:
        request = make_request(self.cw, "Bilal", second_name="Tanoli", age_years=9)
        to_review = dict((r.pk, n) for r, n in selectors.requests_to_review(self.cw))[request.pk]
        people.consent_record(
            actor=self.cw,
            person=self.bilal,
            purpose="family_tracing",
            status="withdrawn",
            given_by="caregiver",
            given_by_name="the uncle",
            child_view="disagrees",
        )
        self.assertNotIn(self.bilal, [c.person for c in selectors.candidates_for_request(self.cw, request)])
        with self.assertRaises(PermissionDenied):
            services.match_confirm(actor=self.cw, request=request, person=self.bilal)
        self.assertEqual(selectors.candidates_for_child(self.cw, self.bilal), [])
        after = dict((r.pk, n) for r, n in selectors.requests_to_review(self.cw)).get(request.pk, 0)
        self.assertEqual(after, to_review - 1)

    def test_a_matched_child_whose_consent_is_withdrawn_is_hidden_from_the_request(self) -> None:
        request = make_request(self.cw, "Bilal", second_name="Tanoli", age_years=9)
        services.match_confirm(actor=self.cw, request=request, person=self.bilal)
        self.assertEqual(selectors.matched_child(self.cw, request), self.bilal)
        people.consent_record(
            actor=self.cw,
            person=self.bilal,
            purpose="family_tracing",
            status="withdrawn",
            given_by="caregiver",
            given_by_name="the uncle",
            child_view="disagrees",
        )
        self.assertIsNone(selectors.matched_child(self.cw, request))

    def test_a_child_without_consent_is_not_searched_for_requests(self) -> None:
        make_request(self.cw, "Bilal", second_name="Tanoli", age_years=9)
        self.assertEqual(selectors.candidates_for_child(self.cw, self.no_consent), [])
        self.assertFalse(selectors.is_tracing_child(self.cw, self.no_consent))
        self.assertTrue(selectors.candidates_for_child(self.cw, self.bilal))


class RankingTests(TracingTestCase):
    def test_a_request_written_in_urdu_with_a_guessed_age_finds_the_child_first(self) -> None:
        request = make_request(
            self.cw,
            first_name_ur="بلال",
            parentage_name="Akbar",
            gender="Masculine",
            age_years=8,
            origin_area=self.areas["mansehra"],
        )
        found = selectors.candidates_for_request(self.cw, request)
        self.assertEqual([c.person for c in found][:2], [self.bilal, self.namesake])
        best, second = found[0].match, found[1].match
        self.assertGreater(best.probability, second.probability)
        self.assertEqual(best.band, "likely")
        levels = best.levels
        self.assertIn(levels["given_name"], {"exact", "variant"})
        # Akbar / Akbar Tanoli: Tanoli is the child's family name, the father's given name is the same.
        self.assertEqual(levels["father_name"], "exact")
        self.assertEqual(levels["age"], "estimate_1")
        self.assertEqual(levels["origin"], "within_district")
        self.assertEqual(levels["separation_date"], "soon_after")
        family = next(c for c in best.comparisons if c.field == "family_name")
        self.assertEqual((family.outcome, family.weight), ("missing", 0.0))
        self.assertIn("Akbar", next(c for c in best.comparisons if c.field == "father_name").text)

    def test_a_childs_candidate_requests_are_ranked_the_other_way_round(self) -> None:
        for_bilal = make_request(self.cw, "Bilaal", second_name="Tanoli", gender="Masculine", age_years=10)
        for_saima = make_request(self.cw, "Saima", second_name="Awan", gender="Feminine", age_years=7)
        found = selectors.candidates_for_child(self.cw, self.bilal)
        self.assertEqual(found[0].request, for_bilal)
        self.assertNotIn(for_saima, [c.request for c in found])
        self.assertEqual(selectors.candidates_for_child(self.cw, self.saima)[0].request, for_saima)
        self.assertEqual(found[0].match.levels["given_name"], "variant")

    def test_a_request_for_a_child_not_registered_finds_no_likely_candidate(self) -> None:
        request = make_request(self.cw, "Zubair", second_name="Qureshi", gender="Masculine", age_years=4)
        self.assertFalse(
            [c for c in selectors.candidates_for_request(self.cw, request) if c.match.band == "likely"]
        )

    def test_another_organisations_children_and_requests_are_never_candidates(self) -> None:
        request_b = make_request(self.cw_b, "Bilal", second_name="Tanoli", age_years=9)
        self.assertEqual(
            [c.person for c in selectors.candidates_for_request(self.cw_b, request_b)], [self.other_org]
        )
        self.assertNotIn(request_b, [c.request for c in selectors.candidates_for_child(self.cw, self.bilal)])
        self.assertEqual(selectors.requests_visible_to(self.cw).filter(pk=request_b.pk).count(), 0)

    def test_roles_without_tracing_see_nothing(self) -> None:
        analyst = self.actor_of(self.a[Role.ANALYST])
        make_request(self.cw, "Bilal", second_name="Tanoli", age_years=9)
        self.assertFalse(selectors.requests_visible_to(analyst).exists())
        self.assertFalse(selectors.tracing_children_visible_to(analyst).exists())
        with self.assertRaises(PermissionDenied):
            make_request(analyst, "Bilal")
