"""Background tasks of the geography part: the two steps of a CSV import."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from hifazat.core.audit import Actor, audit
from hifazat.core.jobs import job_finish, job_start
from hifazat.core.models import AuditEntry, Job
from hifazat.geography.imports import IMPORTERS, ImportFileError

UNEXPECTED = {
    "row": 0,
    "column": "",
    "message": "An unexpected error stopped the import; nothing was written.",
}


def _actor(job: Job) -> Actor:
    return Actor.for_user(job.created_by)


@task()
def import_check(job_uuid: str) -> None:
    """The dry run: read and check every row, record the errors or the counts, write no data."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid)
    importer = IMPORTERS[job.kind]()
    job_start(job, total=job.payload.count("\n") + 1)
    try:
        plan = importer.plan(job.payload, actor=_actor(job))
    except ImportFileError as error:
        job_finish(job, status=Job.Status.FAILED, errors=[{"row": 0, "column": "", "message": str(error)}])
        return
    except Exception:
        job_finish(job, status=Job.Status.FAILED, errors=[UNEXPECTED])
        raise
    if plan.errors:
        job_finish(
            job, status=Job.Status.FAILED, errors=[e.as_dict() for e in plan.errors], result=plan.counts
        )
    else:
        job_finish(job, status=Job.Status.READY, result=plan.counts)


@task()
def import_commit(job_uuid: str) -> None:
    """Write the whole file or nothing. The rows are checked again inside the transaction, since the registry
    may have changed since the dry run."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid)
    if not Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING):
        return  # already taken by another worker, or not queued for commit
    importer = IMPORTERS[job.kind]()
    actor = _actor(job)
    job_start(job, total=job.total)
    try:
        with transaction.atomic():
            plan = importer.plan(job.payload, actor=actor)
            if plan.errors:
                raise _Refused(plan)
            counts = importer.apply(plan, actor=actor)
            audit(actor, AuditEntry.Action.IMPORT, job, kind=job.kind, **counts)
    except ImportFileError as error:
        job_finish(job, status=Job.Status.FAILED, errors=[{"row": 0, "column": "", "message": str(error)}])
    except _Refused as refused:
        job_finish(job, status=Job.Status.FAILED, errors=[e.as_dict() for e in refused.plan.errors])
    except Exception:
        # The transaction has rolled back; say so on the job, then let the worker log the error.
        job_finish(job, status=Job.Status.FAILED, errors=[UNEXPECTED])
        raise
    else:
        job_finish(job, status=Job.Status.DONE, result={**counts, "committed": True})


class _Refused(Exception):
    def __init__(self, plan) -> None:
        super().__init__("import refused")
        self.plan = plan
