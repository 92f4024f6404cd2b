"""The exports page: cases in HTCDS v2.0 (a background job, taken once by its maker) and who does what where as
HXL (written at once). The services are in ``exports``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hifazat.core import disclosure
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial

from . import exports
from .export_forms import CaseExportForm, WhoWhatWhereForm

SHOWN_EXPORTS = 10


def _attachment(name: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _figures(job) -> dict:
    """The counts of a finished case export as the task stored them: the rows (they are in the file), and the
    people left out as ``core.disclosure`` let the maker see them (hidden ones are ``None``, shown as ``*``)."""
    result = job.result or {}
    return {
        key: disclosure.HIDDEN if result[key] is None else f"{result[key]:,}"
        for key in ("rows", "suppressed", "without_consent")
        if key in result
    }


def _page(request, *, case_form=None, status=200):
    actor = request.actor
    can_cases = actor.can("reporting.export_cases")
    context = {
        "can_cases": can_cases,
        "can_3w": actor.can("reporting.export_3w"),
        "case_form": case_form or CaseExportForm(),
        "www_form": WhoWhatWhereForm(initial={"file_format": "xlsx", "audience": "public"}, auto_id="www_%s"),
        "case_exports": (
            exports.case_exports_visible_to(actor).select_related("created_by")[:SHOWN_EXPORTS]
            if can_cases
            else []
        ),
        "threshold": disclosure.threshold(),
    }
    return render(request, "reporting/exports/page.html", context, status=status)


@requires("reporting.exports")
@require_GET
def exports_page(request):
    """What the actor may export, the forms to ask for it, and their recent case exports."""
    return _page(request)


@requires("reporting.export_cases")
@require_POST
def case_export_start(request):
    form = CaseExportForm(request.POST)
    if form.is_valid():
        try:
            job = exports.case_export_start(
                actor=request.actor, file_format=form.cleaned_data["file_format"], k=form.cleaned_data["k"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The export is being prepared."))
            return redirect("reporting:case_export_detail", job.uuid)
    return _page(request, case_form=form, status=400)


@requires("reporting.export_cases")
def case_export_detail(request, uuid):
    """The export's progress (polled by htmx while it runs), its counts, and the one download for its maker."""
    job = get_visible_or_404(exports.case_exports_visible_to(request.actor), uuid)
    context = {
        "job": job,
        "mine": job.created_by_id == request.user.pk,
        "taken": bool((job.result or {}).get("taken")),
        "figures": _figures(job),
        "k": (job.result or {}).get("k") or exports.case_export_request(job).get("k"),
        "levels": (job.result or {}).get("levels", {}),
    }
    return render_page_or_partial(
        request,
        "reporting/exports/case_export_detail.html",
        "reporting/exports/_case_export_status.html",
        context,
    )


@requires("reporting.export_cases")
@require_POST
def case_export_download(request, uuid):
    job = get_visible_or_404(exports.case_exports_visible_to(request.actor), uuid)
    try:
        name, content_type, content = exports.case_export_download(actor=request.actor, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:case_export_detail", job.uuid)
    return _attachment(name, content_type, content)


@requires("reporting.export_3w")
@require_GET
def who_what_where(request):
    """The who-does-what-where table as HXL-tagged XLSX or CSV (by default: XLSX, for publication)."""
    form = WhoWhatWhereForm(request.GET or {"file_format": "xlsx", "audience": "public"})
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(f"Bad request: {problems}", content_type="text/plain; charset=utf-8")
    name, content_type, content = exports.who_what_where(
        actor=request.actor,
        file_format=form.cleaned_data["file_format"],
        public=form.cleaned_data["audience"] == "public",
    )
    return _attachment(name, content_type, content)
