"""Batch de-duplication of a registry: the pairs, scores and reasons that scanning each person one at a time
raises, within one organisation, as a job with its audit entry, and nothing raised twice when run again."""

from __future__ import annotations

from io import StringIO

from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from hifazat.core.models import AuditEntry, Job
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.matching.scoring import LIKELY_FROM, POSSIBLE_FROM
from hifazat.matching.synthetic import generate
from hifazat.people.batch_dedup import duplicates_batch, duplicates_batch_job, duplicates_batch_start
from hifazat.people.duplicates import clear_cache
from hifazat.people.merge import suspicion_dismiss
from hifazat.people.models import DuplicateSuspicion, Person
from hifazat.people.review_queue import duplicates_scan_person
from hifazat.people.tasks import duplicates_scan_many
from hifazat.people.testing import write_synthetic_registry


class BatchDedupTestCase(HifazatTestCase):
    """A generated registry (households, second registrations at other sites) in organisation A, and the same
    registry again in organisation B: B's people are A's twins, under the same keys."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.registry = generate(350, seed=6)
        cls.people = cls.in_order(write_synthetic_registry(cls.org_a, cls.registry, code="BA"))
        cls.twins = cls.in_order(write_synthetic_registry(cls.org_b, cls.registry, code="BB"))

    @staticmethod
    def in_order(ids: list[int]) -> list[Person]:
        people = Person.objects.in_bulk(ids)
        return [people[pk] for pk in ids]

    def setUp(self) -> None:
        clear_cache()
        self.supervisor = self.actor(self.a[Role.SUPERVISOR])

    def queue(self, organisation=None) -> dict:
        """The review queue as it stands: (person a, person b) → (score, band, reasons, status)."""
        rows = DuplicateSuspicion.objects.all()
        if organisation is not None:
            rows = rows.filter(organisation=organisation)
        return {
            (s.person_a_id, s.person_b_id): (s.score, s.band, s.reasons, s.status)
            for s in rows.order_by("person_a_id", "person_b_id")
        }

    def one_at_a_time(self, people, threshold: float) -> dict:
        """The queue that scanning each of ``people`` in turn fills, emptied again afterwards."""
        for person in people:
            duplicates_scan_person(person, threshold=threshold)
        found = self.queue()
        DuplicateSuspicion.objects.all().delete()
        return found


class WhoIsRefusedTests(BatchDedupTestCase):
    def test_only_supervisors_start_a_batch(self) -> None:
        for role in (
            Role.CASEWORKER,
            Role.ANALYST,
            Role.DONOR_VIEWER,
            Role.ADMINISTRATOR,
            Role.NETWORK_REPORTER,
        ):
            with self.subTest(role), self.assertRaises(PermissionDenied):
                duplicates_batch_start(actor=self.actor(self.a[role]))
        self.assertFalse(Job.objects.exists())

    def test_another_organisations_people_are_never_paired(self) -> None:
        duplicates_batch(organisation=self.org_b, threshold=POSSIBLE_FROM)
        theirs = self.queue()
        self.assertTrue(theirs)
        twins = {person.pk for person in self.twins}
        self.assertTrue(all(a in twins and b in twins for a, b in theirs))
        self.assertFalse(DuplicateSuspicion.objects.filter(organisation=self.org_a).exists())
        # Each organisation's queue is what its own registry gives: B's pairs are A's, person for person.
        duplicates_batch(organisation=self.org_a, threshold=POSSIBLE_FROM)
        index = {person.pk: position for position, person in enumerate(self.people)}
        index |= {person.pk: position for position, person in enumerate(self.twins)}

        def by_position(found: dict) -> dict:
            return {(index[a], index[b]): value[:2] for (a, b), value in found.items()}

        self.assertEqual(by_position(self.queue(self.org_a)), by_position(self.queue(self.org_b)))


class SameAsOneAtATimeTests(BatchDedupTestCase):
    def test_the_batch_raises_the_pairs_scores_and_reasons_that_scanning_each_person_raises(self) -> None:
        # At the threshold of possible pairs, to compare more pairs than the queue's own threshold gives.
        expected = self.one_at_a_time(self.people, POSSIBLE_FROM)
        self.assertGreater(len(expected), 20)
        self.assertTrue(any(score >= LIKELY_FROM for score, *_ in expected.values()))
        result = duplicates_batch(organisation=self.org_a, threshold=POSSIBLE_FROM)
        self.assertEqual(self.queue(), expected)
        self.assertEqual(
            (result.people, result.queued, result.added), (len(self.people), len(expected), len(expected))
        )

    def test_an_imports_people_are_scanned_at_once_as_one_at_a_time(self) -> None:
        # Second registrations come last in the generated registry: an import of people already registered.
        imported = self.people[-40:]
        expected = self.one_at_a_time(imported, LIKELY_FROM)
        self.assertEqual(duplicates_scan_many.call([str(p.uuid) for p in imported]), len(expected))
        self.assertTrue(expected)
        self.assertEqual(self.queue(), expected)


class RerunTests(BatchDedupTestCase):
    def test_running_again_adds_nothing_brings_open_pairs_up_to_date_and_leaves_decisions(self) -> None:
        first = duplicates_batch(organisation=self.org_a, actor=self.supervisor)
        queued = self.queue()
        self.assertEqual(first.added, len(queued))
        self.assertTrue(
            all(s.created_by == self.a[Role.SUPERVISOR] for s in DuplicateSuspicion.objects.all())
        )
        dismissed, stale, *_ = DuplicateSuspicion.objects.order_by("pk")
        suspicion_dismiss(actor=self.supervisor, suspicion=dismissed)
        DuplicateSuspicion.objects.filter(pk=stale.pk).update(score=0.5, band="possible")
        again = duplicates_batch(organisation=self.org_a, actor=self.supervisor)
        self.assertEqual((again.added, again.updated, again.decided), (0, 1, 1))
        self.assertEqual(again.unchanged, len(queued) - 2)
        now = self.queue()
        self.assertEqual(now.keys(), queued.keys())
        dismissed.refresh_from_db()
        stale.refresh_from_db()
        self.assertEqual(dismissed.status, DuplicateSuspicion.Status.DISMISSED)
        self.assertEqual((stale.score, stale.band), queued[(stale.person_a_id, stale.person_b_id)][:2])


class JobTests(BatchDedupTestCase):
    def test_the_job_records_what_it_did_with_one_audit_entry_and_runs_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            job = duplicates_batch_start(actor=self.supervisor)
        job.refresh_from_db()
        self.assertEqual(
            (job.status, job.kind, job.organisation), (Job.Status.DONE, "people.duplicates_batch", self.org_a)
        )
        self.assertEqual(job.result["people"], len(self.people))
        self.assertEqual(job.result["added"], DuplicateSuspicion.objects.count())
        self.assertGreater(job.result["added"], 0)
        entries = AuditEntry.objects.filter(object_uuid=job.uuid).order_by("id")
        self.assertEqual([e.action for e in entries], [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE])
        self.assertEqual(entries[1].detail["added"], job.result["added"])
        self.assertEqual(entries[1].user, self.a[Role.SUPERVISOR])
        duplicates_batch_job(job)  # done already: nothing happens
        self.assertEqual(AuditEntry.objects.filter(object_uuid=job.uuid).count(), 2)

    def test_a_job_whose_starter_may_no_longer_decide_fails_and_writes_nothing(self) -> None:
        job = duplicates_batch_start(actor=self.supervisor, enqueue=False)
        membership = self.a[Role.SUPERVISOR].active_membership()
        membership.role = Role.CASEWORKER
        membership.save()
        duplicates_batch_job(job)
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertIn("may no longer", job.errors[0]["message"])
        self.assertFalse(DuplicateSuspicion.objects.exists())

    def test_the_command_runs_a_job_for_the_supervisors_organisation(self) -> None:
        out = StringIO()
        call_command("duplicates_batch", user=self.a[Role.SUPERVISOR].username, workers=1, stdout=out)
        job = Job.objects.get(kind="people.duplicates_batch")
        self.assertIn(f"Job {job.uuid}: {len(self.people)} people scanned", out.getvalue())
        self.assertEqual(job.status, Job.Status.DONE)
        self.assertFalse(DuplicateSuspicion.objects.filter(organisation=self.org_b).exists())
        with self.assertRaisesMessage(CommandError, "is not a supervisor"):
            call_command("duplicates_batch", user=self.a[Role.CASEWORKER].username)
        with self.assertRaisesMessage(CommandError, "no user named"):
            call_command("duplicates_batch", user="nobody")
