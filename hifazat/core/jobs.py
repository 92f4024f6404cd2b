"""Services and selectors for :class:`~hifazat.core.models.Job`, the record of long work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry, Job


def jobs_visible_to(actor: Actor | None) -> QuerySet[Job]:
    """Jobs the actor started, and, for roles with ``jobs.view``, every job of their organisation."""
    if actor is None or actor.organisation is None:
        return Job.objects.none()
    mine = Q(created_by=actor.user, organisation=actor.organisation)
    if actor.can("jobs.view"):
        return Job.objects.filter(mine | Q(organisation=actor.organisation))
    return Job.objects.filter(mine)


@transaction.atomic
def job_create(*, actor: Actor, kind: str, file_name: str = "", payload: str = "") -> Job:
    if actor.organisation is None:
        raise ValueError("a job belongs to an organisation; this actor has none")
    job = Job(
        kind=kind,
        organisation=actor.organisation,
        file_name=file_name[:200],
        payload=payload,
        created_by=actor.user,
        modified_by=actor.user,
    )
    job.full_clean()
    job.save()
    audit(actor, AuditEntry.Action.CREATE, job, kind=kind)
    return job


def enqueue_on_commit(task, *args: Any, arguments: Callable[[], Sequence[Any]] | None = None) -> None:
    """Enqueue ``task(*args)`` once the transaction under way commits (at once outside one); or, with
    ``arguments``, ``task(*arguments())``, its arguments made at the commit (a large list kept compact until then,
    as an import of many batches does with the people to scan).

    Every job is enqueued this way. A worker reads on its own connection (the Redis backend's, or the database
    backend's ``db_worker``): a job enqueued inside the transaction that writes its rows could run before they
    are committed and find nothing (or the old values), and a transaction rolled back would still leave its job
    queued. In a test inside ``TestCase`` the job runs only under ``captureOnCommitCallbacks(execute=True)``."""
    if arguments is not None and args:
        raise TypeError("give the task's arguments or a function that makes them, not both")
    transaction.on_commit(lambda: task.enqueue(*(args if arguments is None else arguments())))


def job_start(job: Job, *, total: int) -> None:
    """Mark the job running. Progress writes happen outside the work's own transaction, so the page sees them."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, total=total, progress=0, started_at=timezone.now(), errors=[]
    )
    job.refresh_from_db()


def job_progress(job: Job, done: int) -> None:
    Job.objects.filter(pk=job.pk).update(progress=done)
    job.progress = done


def job_finish(
    job: Job, *, status: str, errors: list[dict[str, Any]] | None = None, result: dict[str, Any] | None = None
) -> None:
    job.status = status
    job.errors = errors or []
    job.result = result or {}
    job.finished_at = timezone.now()
    if status in {Job.Status.DONE, Job.Status.READY}:
        job.progress = job.total
    job.save(update_fields=["status", "errors", "result", "finished_at", "progress", "modified_at"])
