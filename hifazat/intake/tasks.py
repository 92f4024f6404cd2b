"""Background tasks of the intake part: storing a submission received from ODK Collect, and the two steps of a
spreadsheet import of households and people.

The uploaded file stays in the default storage (its name in ``Job.payload``) from the upload to the commit, and
is deleted when the import ends: after a refused dry run, and after the commit, written or refused.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from hifazat.core.audit import Actor, audit
from hifazat.core.jobs import job_finish, job_progress, job_start
from hifazat.core.models import AuditEntry, Job
from hifazat.geography.imports import ImportFileError
from hifazat.geography.tasks import UNEXPECTED
from hifazat.intake.models import Submission
from hifazat.intake.services import submission_process
from hifazat.intake.sheet_services import SheetImport, SheetRefused
from hifazat.intake.sheets import count_rows


@task()
def submission_store(submission_uuid: str) -> str:
    """Store a complete submission through its form's services, on behalf of the user whose Collect sent it
    (``services.submission_process``: stored, held for review with the likely duplicates, or failed with the
    reason). A task, so that the endpoint answers Collect as soon as the submission is kept: the duplicate check
    of every member reads the registry and takes longer than receiving. Safe to run twice."""
    submission = Submission.objects.select_related("created_by").get(uuid=submission_uuid)
    actor = Actor.for_user(submission.created_by)
    return submission_process(actor=actor, submission=submission).status


def _is_xlsx(job: Job) -> bool:
    return job.payload.endswith(".xlsx")


def _file_error(job: Job, error: ImportFileError) -> None:
    job_finish(job, status=Job.Status.FAILED, errors=[{"row": 0, "column": "", "message": str(error)}])


def _forget_file(job: Job) -> None:
    if job.payload and default_storage.exists(job.payload):
        default_storage.delete(job.payload)


@task()
def sheet_check(job_uuid: str) -> None:
    """The dry run: read and check every row, record every error or the counts, write no data."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid)
    with default_storage.open(job.payload, "rb") as binary:
        total = count_rows(binary, xlsx=_is_xlsx(job))
    job_start(job, total=total)
    importer = SheetImport(
        actor=Actor.for_user(job.created_by), commit=False, progress=lambda done: job_progress(job, done)
    )
    try:
        with default_storage.open(job.payload, "rb") as binary:
            outcome = importer.run(binary, xlsx=_is_xlsx(job))
    except ImportFileError as error:
        _file_error(job, error)
        _forget_file(job)
        return
    except Exception:
        job_finish(job, status=Job.Status.FAILED, errors=[UNEXPECTED])
        _forget_file(job)
        raise
    if outcome.errors:
        job_finish(
            job,
            status=Job.Status.FAILED,
            errors=[e.as_dict() for e in outcome.errors],
            result=outcome.counts,
        )
        _forget_file(job)
    else:
        job.total = outcome.rows
        job_finish(job, status=Job.Status.READY, result=outcome.counts)


@task()
def sheet_commit(job_uuid: str) -> None:
    """Write the whole file or nothing: every row is checked again inside the one transaction (the registry may
    have changed since the dry run), and any error rolls everything back."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid)
    if not Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING):
        return  # already taken by another worker, or not queued for commit
    actor = Actor.for_user(job.created_by)
    job_start(job, total=job.total)
    try:
        with transaction.atomic(), default_storage.open(job.payload, "rb") as binary:
            # Progress written inside the transaction shows once it commits on SQLite; PostgreSQL alike.
            outcome = SheetImport(actor=actor, commit=True).run(binary, xlsx=_is_xlsx(job))
            audit(actor, AuditEntry.Action.IMPORT, job, kind=job.kind, **outcome.counts)
    except ImportFileError as error:
        _file_error(job, error)
    except SheetRefused as refused:
        job_finish(
            job,
            status=Job.Status.FAILED,
            errors=[e.as_dict() for e in refused.outcome.errors],
            result=refused.outcome.counts,
        )
    except Exception:
        # The transaction has rolled back; say so on the job, then let the worker log the error.
        job_finish(job, status=Job.Status.FAILED, errors=[UNEXPECTED])
        _forget_file(job)
        raise
    else:
        job_finish(job, status=Job.Status.DONE, result={**outcome.counts, "committed": True})
    _forget_file(job)
