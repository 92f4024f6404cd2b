"""De-duplicate an organisation's whole registry (or the people registered since a date, such as an import's) into
the review queue, as a job: the same pairs that scanning each person would raise, found at once."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from hifazat.accounts.models import User
from hifazat.core.audit import Actor
from hifazat.core.models import Job
from hifazat.people.batch_dedup import (
    default_workers,
    duplicates_batch_job,
    duplicates_batch_start,
    registry_of,
)


class Command(BaseCommand):
    help = (
        "Batch de-duplication of the registry of a supervisor's organisation into the review queue, recorded as "
        "a job and run now (or queued for a worker with --queue)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", required=True, help="username of a supervisor of the organisation")
        parser.add_argument(
            "--since",
            type=datetime.date.fromisoformat,
            help="only the people registered on or after this date (YYYY-MM-DD), such as an import's",
        )
        parser.add_argument("--workers", type=int, help="processes comparing pairs (default: one per core)")
        parser.add_argument("--queue", action="store_true", help="leave the job to a task worker")

    def handle(self, *args, user: str, since, workers, queue: bool, **options) -> None:
        found = User.objects.filter(username=user).first()
        if found is None:
            raise CommandError(f"--user: no user named {user!r}")
        actor = Actor.for_user(found)
        if not actor.can("people.merge"):
            raise CommandError(f"--user: {user!r} is not a supervisor of an active organisation")
        if workers is not None and workers < 1:
            raise CommandError("--workers: give 1 or more")
        uuids = None
        if since is not None:
            since_then = registry_of(actor.organisation).filter(created_at__date__gte=since)
            uuids = [str(uuid) for uuid in since_then.values_list("uuid", flat=True)]
        job = duplicates_batch_start(actor=actor, person_uuids=uuids, enqueue=queue)
        if queue:
            self.stdout.write(f"Job {job.uuid} queued for a worker.")
            return
        duplicates_batch_job(job, workers=workers if workers is not None else default_workers())
        job.refresh_from_db()
        if job.status != Job.Status.DONE:
            raise CommandError(f"Job {job.uuid} {job.status}: {'; '.join(e['message'] for e in job.errors)}")
        result = job.result
        self.stdout.write(
            f"Job {job.uuid}: {result['people']} people scanned, {result['candidates']} candidate pairs compared, "
            f"{result['queued']} pairs at the queue's threshold: {result['added']} added, {result['updated']} "
            f"brought up to date, {result['unchanged']} already up to date, {result['decided']} already decided."
        )
        self.stdout.write(
            "Seconds: " + ", ".join(f"{step} {value}" for step, value in result["seconds"].items())
        )
