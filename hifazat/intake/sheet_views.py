"""Pages of the spreadsheet import of households and people: upload (the dry run starts at once), the job's
status polled by htmx, the commit, and the template file."""

from __future__ import annotations

import uuid as uuid_module

from django import forms
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.jobs import job_create, jobs_visible_to
from hifazat.core.models import Job
from hifazat.intake import tasks
from hifazat.intake.sheet_services import KIND
from hifazat.intake.sheets import XLSX_MAGIC, PersonSheet, template_csv

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class SheetForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV UTF-8 or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 100 MB; split it into several imports."))
        start = upload.read(4)
        upload.seek(0)
        name = upload.name.lower()
        if name.endswith(".xlsx"):
            if start != XLSX_MAGIC:
                raise forms.ValidationError(_("This is not an XLSX workbook."))
            return upload, "xlsx"
        if name.endswith(".csv") or name.endswith(".txt"):
            return upload, "csv"
        raise forms.ValidationError(_("Upload a .csv (UTF-8) or .xlsx file."))


def _jobs(request):
    return jobs_visible_to(request.actor).filter(kind=KIND)


@requires("intake.import")
@require_http_methods(["GET", "POST"])
def sheet_start(request):
    """Upload a sheet; the dry run starts at once in the background."""
    form = SheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, extension = form.cleaned_data["file"]
        # A random name: nothing personal in the stored file's name; it is deleted when the import ends.
        stored = default_storage.save(f"intake/sheets/{uuid_module.uuid4()}.{extension}", upload)
        job = job_create(actor=request.actor, kind=KIND, file_name=upload.name, payload=stored)
        tasks.sheet_check.enqueue(str(job.uuid))
        return redirect("intake:sheet_detail", job.uuid)
    context = {"form": form, "recent": _jobs(request)[:10], "columns": PersonSheet.columns}
    return render(request, "intake/sheet_start.html", context)


@requires("intake.import")
def sheet_detail(request, uuid):
    job = get_visible_or_404(_jobs(request), uuid)
    return render_page_or_partial(
        request, "intake/sheet_detail.html", "intake/sheet_status.html", {"job": job}
    )


@requires("intake.import")
@require_POST
def sheet_commit(request, uuid):
    """Write a checked sheet. Only a job whose dry run found no errors can be committed."""
    job = get_visible_or_404(_jobs(request), uuid)
    # Compare-and-set: a second click, or a second tab, cannot queue the same commit twice.
    if Job.objects.filter(pk=job.pk, status=Job.Status.READY).update(status=Job.Status.QUEUED):
        tasks.sheet_commit.enqueue(str(job.uuid))
    return redirect("intake:sheet_detail", job.uuid)


@requires("intake.import")
def sheet_template(request):
    """The template to fill in: the column names, their HXL hashtags, an example row."""
    response = HttpResponse(template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
    return response
