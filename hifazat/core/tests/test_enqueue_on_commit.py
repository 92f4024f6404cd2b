"""Jobs are enqueued once the transaction that writes their rows commits (``core.jobs.enqueue_on_commit``), so a
worker on its own connection (Redis, ``db_worker``) never runs a job before its rows exist, and a rolled-back
write queues nothing."""

from __future__ import annotations

from django.db import transaction
from django.test import TestCase

from hifazat.core.jobs import enqueue_on_commit


class FakeTask:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def enqueue(self, *args) -> None:
        self.calls.append(args)


class EnqueueOnCommitTests(TestCase):
    def test_the_job_is_enqueued_when_the_transaction_commits_not_before(self) -> None:
        task = FakeTask()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            enqueue_on_commit(task, "job-uuid")
            self.assertEqual(task.calls, [], "enqueued inside the transaction, before its rows are committed")
        self.assertEqual(task.calls, [("job-uuid",)])

    def test_a_rolled_back_transaction_enqueues_nothing(self) -> None:
        task = FakeTask()
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    enqueue_on_commit(task, "job-uuid")
                    raise RuntimeError("the write fails")
            except RuntimeError:
                pass
        self.assertEqual(task.calls, [])

    def test_arguments_made_at_the_commit_see_what_the_transaction_added(self) -> None:
        task, scanned = FakeTask(), []
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            enqueue_on_commit(task, arguments=lambda: [list(scanned)])
            scanned.append("person-uuid")
        self.assertEqual(task.calls, [(["person-uuid"],)])

    def test_arguments_and_a_function_that_makes_them_are_refused_together(self) -> None:
        with self.assertRaisesMessage(TypeError, "not both"):
            enqueue_on_commit(FakeTask(), "job-uuid", arguments=lambda: ["job-uuid"])
