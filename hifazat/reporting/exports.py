"""Exports that leave the team as files: cases in HTCDS v2.0 (anonymised, k-anonymous; ``htcds``) and who does
what where as an HXL-tagged table (``hxl``). RapidPro contacts are the campaigns part's (``campaigns.exports``).

Who may export what is in ``core.permissions`` (``reporting.export_cases``: supervisors and analysts;
``reporting.export_3w``: administrators, supervisors and analysts). Every cell goes through
``core.spreadsheets`` (formula injection). Every export is one audit entry with field names and counts, never a
value.

The case export is long work: ``case_export_start`` records a ``core.models.Job`` and queues
``tasks.case_export_build``, which writes the file into the job, encrypted (``Job.payload``: the content the job
holds; the API never returns it). Its maker takes it once (``case_export_download``): the file is then wiped
and the handover audited, as the campaigns part's audience files are. The who-does-what-where table holds
reference data only (the services directory and the sites) and is small: it is written at once.
"""

from __future__ import annotations

import io
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hifazat.core import crypto, disclosure, spreadsheets
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.jobs import enqueue_on_commit, job_create, jobs_visible_to
from hifazat.core.models import AuditEntry, Job

from . import htcds, hxl

CASES_JOB_KIND = "reporting.htcds_cases"
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
MAX_K = 100


def case_exports_visible_to(actor: Actor | None) -> QuerySet[Job]:
    """The HTCDS case exports the actor may follow: their own, and their organisation's for roles with
    ``jobs.view``; none for roles that may not export cases."""
    if actor is None or not actor.can("reporting.export_cases"):
        return Job.objects.none()
    return jobs_visible_to(actor).filter(kind=CASES_JOB_KIND)


def check_k(k: int | None) -> int:
    """``k``: at least the disclosure threshold (``HIFAZAT_DISCLOSURE_THRESHOLD``), which is the default; a
    request may ask for more, never for less."""
    least = disclosure.threshold()
    if k is None:
        return least
    if not least <= k <= MAX_K:
        raise ValidationError({"k": f"k must be between {least} (the disclosure threshold) and {MAX_K}."})
    return k


@transaction.atomic
def case_export_start(*, actor: Actor, file_format: str = "xlsx", k: int | None = None) -> Job:
    """Queue the building of the organisation's cases in HTCDS v2.0, anonymised and k-anonymous."""
    require(actor, "reporting.export_cases")
    if file_format not in FORMATS:
        raise ValidationError({"file_format": "Choose XLSX or CSV."})
    k = check_k(k)
    extension = "xlsx" if file_format == "xlsx" else "zip"
    job = job_create(
        actor=actor,
        kind=CASES_JOB_KIND,
        file_name=f"hifazat-htcds-cases-{timezone.localdate():%Y-%m-%d}.{extension}",
        payload=json.dumps({"format": file_format, "k": k}),
    )
    from .tasks import case_export_build

    enqueue_on_commit(case_export_build, str(job.uuid))
    return job


def case_export_request(job: Job) -> dict:
    """What was asked for (format and k), kept in the job until the file replaces it."""
    return json.loads(job.payload) if job.status == Job.Status.PENDING else {}


@transaction.atomic
def case_export_download(*, actor: Actor, job: Job) -> tuple[str, str, bytes]:
    """Hand the file to the person who asked for it, once: (file name, content type, bytes). The file is then
    wiped from the job and the handover audited (field names and counts only)."""
    require(actor, "reporting.export_cases")
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.kind != CASES_JOB_KIND or job.organisation_id != actor.organisation.pk:
        raise PermissionDenied("not an export of your organisation")
    if job.created_by_id != actor.user.pk:
        raise PermissionDenied("only the person who asked for the export may take its file")
    if job.status != Job.Status.DONE:
        raise ValidationError({"export": "The file is not ready."})
    if job.result.get("taken"):
        raise ValidationError({"export": "The file was already taken once and has been wiped."})
    content = htcds.unpack(crypto.decrypt(job.payload))
    job.payload = ""
    job.result = {**job.result, "taken": True, "taken_at": timezone.now().isoformat()}
    job.modified_by = actor.user
    job.save(update_fields=["payload", "result", "modified_by", "modified_at"])
    audit(
        actor,
        AuditEntry.Action.EXPORT,
        job,
        export="htcds_cases",
        format=job.result.get("format", ""),
        fields=htcds.HEADERS,
        rows=job.result.get("rows", 0),
        k=job.result.get("k"),
        suppressed=job.result.get("suppressed", 0),
        without_consent=job.result.get("without_consent", 0),
    )
    extension = job.file_name.rsplit(".", 1)[-1]
    return job.file_name, CONTENT_TYPES[extension], content


def who_what_where(*, actor: Actor, file_format: str = "xlsx", public: bool = True) -> tuple[str, str, bytes]:
    """The who-does-what-where table with its HXL hashtag row: (file name, content type, bytes). One audit entry
    with the hashtags and the number of rows."""
    require(actor, "reporting.export_3w")
    if file_format not in FORMATS:
        raise ValidationError({"file_format": "Choose XLSX or CSV."})
    table = hxl.table(actor, public=public)
    if file_format == "xlsx":
        content = spreadsheets.xlsx_bytes({"3W": table, "README": hxl.readme_rows(public=public)})
    else:
        out = io.StringIO()
        spreadsheets.writer(out, lineterminator="\n").writerows(table)
        content = out.getvalue().encode("utf-8")
    audit(
        actor,
        AuditEntry.Action.EXPORT,
        object_kind="reporting.who_what_where",
        export="who_what_where",
        format=file_format,
        public=public,
        fields=table[1],
        rows=len(table) - 2,
    )
    kind = "public" if public else "partners"
    name = f"hifazat-3w-{kind}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    return name, CONTENT_TYPES[file_format], content
