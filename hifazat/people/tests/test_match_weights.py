"""Re-estimating the duplicate scorer's weights from the registry and the review queue's decisions."""

from __future__ import annotations

import io
import math

from django.core.management import call_command

from hifazat.core.models import AuditEntry
from hifazat.matching.scoring import DEFAULT_WEIGHTS
from hifazat.people import match_weights
from hifazat.people.duplicates import clear_cache, weights_in_force
from hifazat.people.merge import suspicion_dismiss
from hifazat.people.models import DuplicateSuspicion, MatchWeights, Person
from hifazat.people.review_queue import duplicates_scan_person
from hifazat.people.tests.test_duplicates import MatchingTestCase


class MatchWeightsTests(MatchingTestCase):
    def setUp(self) -> None:
        super().setUp()
        clear_cache()
        self.addCleanup(clear_cache)  # the weights in force are cached per process
        names = ["Sadia", "Rubina", "Nasreen", "Shazia", "Kulsoom", "Razia"]
        for n, name in enumerate(names):
            self.person(name, second_name="Awan", parentage_name="Zafar", age_years=20 + 3 * n)
            self.person(
                name,
                second_name="Awan",
                parentage_name="Zafar",
                age_years=21 + 3 * n,
                household=self.other_household,
            )

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("estimate_match_weights", *args, stdout=out)
        return out.getvalue()

    def test_a_dry_run_reports_the_change_and_stores_nothing(self) -> None:
        output = self.run_command("--dry-run")
        self.assertIn("Candidate pairs used:", output)
        self.assertIn("Weight changes in bits", output)
        self.assertIn("given_name, exact:", output)
        self.assertIn("Dry run: nothing stored.", output)
        self.assertFalse(MatchWeights.objects.exists())
        self.assertEqual(weights_in_force(), DEFAULT_WEIGHTS)

    def test_the_estimate_is_stored_audited_and_used_by_lookups_from_then_on(self) -> None:
        output = self.run_command()
        stored = MatchWeights.objects.get()
        self.assertIn(str(stored.uuid), output)
        self.assertGreater(stored.pairs, 0)
        self.assertEqual(set(stored.m_u), set(DEFAULT_WEIGHTS.m_u))
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_uuid=stored.uuid).exists()
        )
        in_force = weights_in_force()
        self.assertEqual(in_force.source, f"stored {stored.uuid}")
        self.assertNotEqual(in_force.m_u, DEFAULT_WEIGHTS.m_u)

    def test_review_decisions_are_counted_as_truth_and_refit_the_calibration_when_enough(self) -> None:
        for person in Person.objects.filter(household=self.household):
            duplicates_scan_person(person)
        suspicions = list(DuplicateSuspicion.objects.all())
        self.assertGreaterEqual(len(suspicions), 2)
        suspicion_dismiss(actor=self.supervisor, suspicion=suspicions[0])
        found = match_weights.match_weights_estimate(store=False)
        self.assertEqual((found.merged, found.dismissed), (0, 1))
        self.assertFalse(found.recalibrated, "one decision is not enough to re-fit the calibration")
        # Without enough decisions the calibration is EM's: the posterior of the weights (bits are log2 odds).
        self.assertEqual(found.weights.slope, round(math.log(2), 4))

        self.addCleanup(setattr, match_weights, "MIN_DECISIONS", match_weights.MIN_DECISIONS)
        match_weights.MIN_DECISIONS = 1
        DuplicateSuspicion.objects.filter(pk=suspicions[-1].pk).update(
            status=DuplicateSuspicion.Status.MERGED
        )
        found = match_weights.match_weights_estimate(store=False)
        self.assertEqual((found.merged, found.dismissed), (1, 1))
        self.assertTrue(found.recalibrated)
