"""The OpenRosa endpoints ODK Collect calls under its server URL ``/collect/<token>``: the form list, form and
media downloads, and submissions. Each answer carries the OpenRosa headers; see ``intake.openrosa``."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse

from hifazat.core.jobs import enqueue_on_commit
from hifazat.intake import services, tasks
from hifazat.intake.models import FormMedia, XForm
from hifazat.intake.openrosa import message, multipart_parts, openrosa_view, read_body
from hifazat.intake.registration import purposes_for

XML = "text/xml; charset=utf-8"


def _forms(request):
    """The organisation's forms whose work the user's role may do (another's are not known here: 404)."""
    return XForm.objects.filter(
        organisation=request.actor.organisation, purpose__in=purposes_for(request.actor)
    )


def _form(request, uuid) -> XForm:
    """A form of the user's organisation, or 404 (another organisation's form is not known here)."""
    form = _forms(request).filter(uuid=uuid).first()
    if form is None:
        raise Http404
    return form


def _url(request, name: str, uuid) -> str:
    return escape(request.build_absolute_uri(reverse(f"intake:{name}", kwargs={"uuid": uuid})))


def _method(request, *allowed: str) -> HttpResponse | None:
    if request.method not in allowed:
        response = message("Method not allowed.", 405)
        response["Allow"] = ", ".join(allowed)
        return response
    return None


@openrosa_view(under_server_url=True)
def form_list(request):
    """The OpenRosa form list of the organisation's active forms (``formID=`` narrows it to one), each with the
    MD5 of the exact bytes the download serves, so that Collect fetches a form again only when it changed."""
    if refused := _method(request, "GET", "HEAD"):
        return refused
    forms = _forms(request).filter(active=True).prefetch_related("media")
    if request.GET.get("formID"):
        forms = forms.filter(form_id=request.GET["formID"])
    rows = []
    for form in forms.order_by("form_id"):
        manifest = (
            f"<manifestUrl>{_url(request, 'openrosa_manifest', form.uuid)}</manifestUrl>"
            if form.media.all()
            else ""
        )
        rows.append(
            f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.title)}</name>"
            f"<version>{escape(form.version)}</version><hash>md5:{form.md5}</hash>"
            f"<downloadUrl>{_url(request, 'openrosa_form', form.uuid)}</downloadUrl>{manifest}</xform>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="http://openrosa.org/xforms/xformsList">'
        + "".join(rows)
        + "</xforms>"
    )
    return HttpResponse(body, content_type=XML)


@openrosa_view(under_server_url=False)
def form_download(request, uuid):
    if refused := _method(request, "GET", "HEAD"):
        return refused
    form = _form(request, uuid)
    return HttpResponse(bytes(form.xml), content_type=XML)


@openrosa_view(under_server_url=False)
def manifest(request, uuid):
    if refused := _method(request, "GET", "HEAD"):
        return refused
    form = _form(request, uuid)
    files = "".join(
        f"<mediaFile><filename>{escape(media.name)}</filename><hash>md5:{media.md5}</hash>"
        f"<downloadUrl>{_url(request, 'openrosa_media', media.uuid)}</downloadUrl>"
        "</mediaFile>"
        for media in form.media.all()
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="http://openrosa.org/xforms/xformsManifest">'
        + files
        + "</manifest>"
    )
    return HttpResponse(body, content_type=XML)


@openrosa_view(under_server_url=False)
def media_download(request, uuid):
    if refused := _method(request, "GET", "HEAD"):
        return refused
    media = FormMedia.objects.filter(form__in=_forms(request), uuid=uuid).first()
    if media is None:
        raise Http404
    return HttpResponse(bytes(media.content), content_type="application/octet-stream")


@openrosa_view(under_server_url=True)
def submission(request):
    """``HEAD``: the pre-flight, 204. ``POST``: a multipart submission (``xml_submission_file``, attachments,
    ``*isIncomplete*`` on every batch but the last of a split one): 201 when new, 202 when the instance was
    already received with the same XML, 409 when with another. Collect is answered once the submission is kept;
    a complete one is then stored in the background (``tasks.submission_store``), and one that cannot be stored
    is kept as failed for a supervisor."""
    if request.method == "HEAD":
        return HttpResponse(status=204)
    if refused := _method(request, "HEAD", "POST"):
        return refused
    try:
        body = read_body(request)
    except ValueError:
        return message("The submission is larger than this server accepts in one request.", 413)
    try:
        parts = multipart_parts(request.META.get("CONTENT_TYPE", ""), body)
    except ValueError:
        return message("A submission is sent as multipart/form-data.", 400)
    xml = next((data for name, _, _, data in parts if name == "xml_submission_file"), None)
    if xml is None:
        return message("The submission has no xml_submission_file part.", 400)
    complete = not any(name == "*isIncomplete*" for name, _, _, _ in parts)
    attachments = [
        (filename, kind, data)
        for name, filename, kind, data in parts
        if name != "xml_submission_file" and filename
    ]
    try:
        root = services.parse_xml(xml)
    except ValidationError as error:
        return message(" ".join(error.messages), 400)
    form = services.submission_form(request.actor, root)
    if form is None:
        return message("No such form here: download the form again.", 404)
    if form.purpose not in purposes_for(request.actor):
        return message("Your role may not send this form.", 403)
    try:
        received, created = services.submission_receive(
            actor=request.actor, form=form, xml=xml, attachments=attachments, complete=complete
        )
    except services.SubmissionConflict:
        return message("A different submission with this instanceID was already received.", 409)
    except ValidationError as error:
        return message(" ".join(error.messages), 400)
    except PermissionDenied:
        return message("Your role may not send forms.", 403)
    if received.complete and received.status not in services.FINAL:
        enqueue_on_commit(tasks.submission_store, str(received.uuid))
    return message("Thank you: the form is received.", 201 if created else 202)
