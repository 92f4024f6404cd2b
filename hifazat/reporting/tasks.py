"""Background work of the reporting part: building an HTCDS case export (``exports.case_export_start``), and
rebuilding the response dashboard's summaries (``summaries_refresh``, from a scheduler or ``hifazat reporting_refresh``;
``summary_refresh``, one organisation's, queued by a dashboard that found its summary stale)."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from hifazat.core import crypto
from hifazat.core.audit import Actor
from hifazat.core.jobs import enqueue_on_commit, job_finish, job_progress, job_start
from hifazat.core.models import Job

from . import counts, htcds
from .exports import CASES_JOB_KIND


@task()
def case_export_build(job_uuid: str) -> None:
    """Build the file of a case export and keep it, encrypted, in the job until its maker takes it. The maker's
    permission is checked again: a role changed since the request stops the export."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid, kind=CASES_JOB_KIND)
    if not Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.RUNNING):
        return  # taken by another worker already
    request = json.loads(job.payload)
    actor = Actor.for_user(job.created_by)
    if not actor.can("reporting.export_cases") or actor.organisation.pk != job.organisation_id:
        Job.objects.filter(pk=job.pk).update(payload="")
        job_finish(job, status=Job.Status.FAILED, errors=[{"message": "You may no longer export cases."}])
        return
    try:
        total = htcds.cases_for_export(actor).values("person_id").distinct().count()
        job_start(job, total=total)
        content, summary = htcds.build(
            actor,
            k=request["k"],
            file_format=request["format"],
            progress=lambda done: job_progress(job, done),
        )
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(payload=crypto.encrypt(htcds.pack(content)))
            job_finish(
                job,
                status=Job.Status.DONE,
                result={
                    "format": request["format"],
                    "k": summary.k,
                    "rows": summary.rows,
                    "suppressed": summary.suppressed,
                    "without_consent": summary.without_consent,
                    "levels": summary.levels,
                },
            )
    except Exception:
        Job.objects.filter(pk=job.pk).update(payload="")
        job_finish(job, status=Job.Status.FAILED, errors=[{"message": "The export could not be prepared."}])
        raise
    from hifazat.notifications.services import notify

    notify(
        recipients=[job.created_by],
        kind="reporting.export_ready",
        title="The HTCDS case export is ready",
        url=reverse("reporting:case_export_detail", args=[job.uuid]),
    )


# How long one process waits before queuing an organisation's rebuild again while its summary stays stale (the
# worker may be busy with a large registry): one queued rebuild at a time is enough.
REFRESH_QUEUED_FOR = 10 * 60


@task()
def summary_refresh(organisation_id: int) -> None:
    """Count one organisation's records again into the dashboard's summary (queued by a dashboard that found its
    summary stale: ``summary_refresh_soon``)."""
    from hifazat.accounts.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        counts.summary_rebuild(organisation)


def summary_refresh_soon(organisation) -> None:
    """Queue ``organisation``'s summary rebuild once the transaction under way commits, unless this process
    queued one in the last ``REFRESH_QUEUED_FOR`` seconds."""
    if cache.add(f"hifazat:reporting:refresh:{organisation.pk}", True, timeout=REFRESH_QUEUED_FOR):
        enqueue_on_commit(summary_refresh, organisation.pk)


@task()
def summaries_refresh() -> int:
    """Count every active organisation's records again into the dashboard's summary; returns how many were
    rebuilt. Each organisation's rebuild is one transaction, so a reader never sees half of one."""
    from hifazat.accounts.models import Organisation

    built = 0
    for organisation in Organisation.objects.order_by("pk"):
        counts.summary_rebuild(organisation)
        built += 1
    return built
