"""Pages of the field intake: publishing forms for ODK Collect, the submissions received and their correction,
and each field user's Collect settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.web import show_errors
from hifazat.intake import services
from hifazat.intake.forms import FormUploadForm, SubmissionFilterForm, SubmissionFixForm
from hifazat.intake.models import CollectKey, Submission
from hifazat.intake.selectors import forms_visible_to, submissions_visible_to


@requires("intake.forms")
@require_http_methods(["GET", "POST"])
def form_list(request):
    """The organisation's forms, newest version first, and the upload of a new one (or a new version)."""
    upload = FormUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        name, content = upload.cleaned_data["xlsform"]
        try:
            form = services.form_upload(
                actor=request.actor,
                name=name,
                content=content,
                purpose=upload.cleaned_data["purpose"],
                media=upload.cleaned_data["media"],
            )
        except ValidationError as error:
            show_errors(upload, error)
        else:
            messages.success(request, _("The form is published to Collect."))
            return redirect("intake:form_detail", form.uuid)
    forms = forms_visible_to(request.actor).order_by("form_id", "-created_at")
    page = Paginator(forms, settings.HIFAZAT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/form_list.html",
        {"page": page, "form": upload, "can_fix": request.actor.can("intake.fix")},
    )


@requires("intake.forms")
def form_detail(request, uuid):
    form = get_visible_or_404(forms_visible_to(request.actor), uuid)
    counts = {status: form.submissions.filter(status=status).count() for status in Submission.Status.values}
    return render(
        request,
        "intake/form_detail.html",
        {"xform": form, "media": form.media.all(), "counts": counts},
    )


@requires("intake.forms")
@require_POST
def form_toggle(request, uuid):
    form = get_visible_or_404(forms_visible_to(request.actor), uuid)
    services.form_set_active(actor=request.actor, form=form, active=not form.active)
    messages.success(
        request, _("The form is served to Collect.") if form.active else _("The form is no longer served.")
    )
    return redirect("intake:form_detail", form.uuid)


@requires("intake.fix")
def submission_list(request):
    filters = SubmissionFilterForm(request.GET or None)
    submissions = submissions_visible_to(request.actor).select_related("created_by")
    if filters.is_valid() and filters.cleaned_data["status"]:
        submissions = submissions.filter(status=filters.cleaned_data["status"])
    page = Paginator(submissions, settings.HIFAZAT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intake/submission_list.html", {"page": page, "filters": filters})


@requires("intake.fix")
def submission_detail(request, uuid):
    """A submission as received, what became of it, and for one not stored the correction form."""
    submission = get_visible_or_404(
        submissions_visible_to(request.actor), uuid, actor=request.actor, audit=True
    )
    fix = SubmissionFixForm(initial={"xml": bytes(submission.xml).decode("utf-8", "replace")})
    return render(request, "intake/submission_detail.html", _detail_context(submission, fix))


def _detail_context(submission: Submission, fix: SubmissionFixForm) -> dict:
    return {
        "submission": submission,
        "attachments": submission.attachments.only("name", "content_type", "md5"),
        "fix": fix,
        "received_xml": bytes(submission.received_xml).decode("utf-8", "replace"),
        "can_fix": submission.status not in services.FINAL,
    }


@requires("intake.fix")
@require_POST
def submission_retry(request, uuid):
    """Store a submission again, with the supervisor's corrected XML: the services run as for the field."""
    submission = get_visible_or_404(submissions_visible_to(request.actor), uuid)
    fix = SubmissionFixForm(request.POST)
    if fix.is_valid():
        try:
            services.submission_fix(
                actor=request.actor, submission=submission, xml=fix.cleaned_data["xml"].encode()
            )
        except ValidationError as error:
            show_errors(fix, error)
        else:
            submission = services.submission_process(
                actor=request.actor, submission=submission, confirmed=fix.cleaned_data["not_duplicates"]
            )
            if submission.status == Submission.Status.STORED:
                messages.success(request, _("The submission is stored."))
            else:
                messages.error(request, _("The submission still cannot be stored: see the reason."))
            return redirect("intake:submission_detail", submission.uuid)
    return render(request, "intake/submission_detail.html", _detail_context(submission, fix), status=400)


@requires("intake.submit")
@require_http_methods(["GET", "POST"])
def collect_setup(request):
    """The settings to type into ODK Collect: the server URL, the username and a secret shown once."""
    secret = None
    if request.method == "POST":
        key, secret = services.collect_key_create(actor=request.actor)
    else:
        key = CollectKey.objects.filter(user=request.user).first()
    server_url = (
        request.build_absolute_uri(
            reverse("intake:openrosa_form_list", kwargs={"uuid": key.token})
        ).removesuffix("/formList")
        if key
        else ""
    )
    return render(
        request, "intake/collect_setup.html", {"key": key, "secret": secret, "server_url": server_url}
    )
