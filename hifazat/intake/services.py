"""Writes of the field intake: forms uploaded and switched on or off, Collect keys, and submissions received,
stored through the registry's services, corrected and re-run. Nothing received is ever dropped: a submission
that cannot be stored keeps its XML, its attachments and the reason."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TypeVar
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.intake.models import Attachment, CollectKey, FormMedia, Purpose, Submission, XForm
from hifazat.intake.registration import (
    PURPOSE_ACTIONS,
    REQUIRED_FIELDS,
    STORE,
    HeldForReview,
    child_text,
    children,
    local,
)

A = AuditEntry.Action
M = TypeVar("M", bound=models.Model)
FINAL = (Submission.Status.STORED, Submission.Status.SUPERSEDED)
MAX_XLSFORM_BYTES = 5 * 1024 * 1024


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def parse_xml(data: bytes) -> Element:
    """An XML document parsed safely (no entities, no external references), or ``ValidationError``."""
    try:
        return ElementTree.fromstring(data)
    except Exception as error:  # defusedxml's refusals and ParseError alike: the document is not usable
        raise ValidationError(_("The XML cannot be read: %(error)s") % {"error": error}) from None


@dataclass(frozen=True)
class Converted:
    xml: bytes
    form_id: str
    version: str
    title: str
    fields: set[str]


def _instance_fields(node: Element, prefix: str = "") -> set[str]:
    fields = set()
    for child in node:
        path = f"{prefix}{local(child.tag)}"
        fields.add(path)
        fields |= _instance_fields(child, f"{path}/")
    return fields


def xlsform_convert(content: bytes) -> Converted:
    """The XForm of an XLSForm workbook (pyxform, without ODK Validate, which needs Java), with its form id,
    version, title and the paths of its fields. ``ValidationError`` saying what pyxform found wrong."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        result = convert(content, validate=False)
    except (PyXFormError, ValueError, KeyError) as error:
        raise ValidationError(
            {"xlsform": _("The XLSForm cannot be converted: %(error)s") % {"error": error}}
        ) from None
    xml = result.xform.encode()
    root = parse_xml(xml)
    model = next((n for n in root.iter() if local(n.tag) == "model"), None)
    instance = next((n for n in model if local(n.tag) == "instance"), None) if model is not None else None
    if instance is None or len(instance) == 0:
        raise ValidationError({"xlsform": _("The converted form has no instance.")})
    data = instance[0]
    title = next((n.text or "" for n in root.iter() if local(n.tag) == "title"), "")
    return Converted(
        xml=xml,
        form_id=data.get("id", ""),
        version=data.get("version", ""),
        title=title.strip(),
        fields=_instance_fields(data),
    )


@transaction.atomic
def form_upload(
    *, actor: Actor, name: str, content: bytes, purpose: str, media: list[tuple[str, bytes]] = ()
) -> XForm:
    """Publish an XLSForm to the organisation's Collect users: converted, checked to hold the fields its
    purpose stores, and served instead of any earlier version of the same form id."""
    require(actor, "intake.forms")
    if len(content) > MAX_XLSFORM_BYTES:
        raise ValidationError({"xlsform": _("The XLSForm is larger than 5 MB.")})
    converted = xlsform_convert(content)
    missing = sorted(REQUIRED_FIELDS[purpose] - converted.fields)
    if missing:
        raise ValidationError(
            {
                "purpose": _("This form lacks fields that %(purpose)s stores: %(fields)s.")
                % {"purpose": Purpose(purpose).label, "fields": ", ".join(missing)}
            }
        )
    forms = XForm.objects.select_for_update().filter(
        organisation=actor.organisation, form_id=converted.form_id
    )
    if forms.filter(version=converted.version).exists():
        raise ValidationError(
            {
                "xlsform": _(
                    "Version %(version)s of form %(form)s is already uploaded: raise the version in the "
                    "settings sheet."
                )
                % {"version": converted.version or "-", "form": converted.form_id}
            }
        )
    forms.filter(active=True).update(active=False, modified_by=actor.user)
    form = XForm(
        organisation=actor.organisation,
        form_id=converted.form_id,
        version=converted.version,
        title=converted.title or converted.form_id,
        purpose=purpose,
        xlsform_name=name[:200],
        xlsform=content,
        xml=converted.xml,
        md5=md5_hex(converted.xml),
        active=True,
        created_by=actor.user,
        modified_by=actor.user,
    )
    form.full_clean()
    form.save()
    for media_name, media_content in media:
        row = FormMedia(form=form, name=media_name, content=media_content, md5=md5_hex(media_content))
        row.full_clean(exclude=["form"])
        row.save()
    audit(actor, A.CREATE, form, form_id=form.form_id, version=form.version, media=len(media))
    return form


@transaction.atomic
def form_set_active(*, actor: Actor, form: XForm, active: bool) -> XForm:
    """Serve a form version to Collect, or stop serving it (its submissions are still received and kept)."""
    require(actor, "intake.forms")
    if form.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this form belongs to another organisation")
    if active:
        XForm.objects.filter(organisation=form.organisation, form_id=form.form_id, active=True).exclude(
            pk=form.pk
        ).update(active=False, modified_by=actor.user)
    form.active, form.modified_by = active, actor.user
    form.save(update_fields=["active", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, form, fields=["active"])
    return form


def secret_sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def collect_key_create(*, actor: Actor) -> tuple[CollectKey, str]:
    """A new server URL token and secret for the actor's Collect (any earlier one stops working). The secret is
    returned once, to be shown once; only its hash is kept."""
    require(actor, "intake.submit")
    secret = secrets.token_urlsafe(24)
    CollectKey.objects.filter(user=actor.user).delete()
    key = CollectKey(
        user=actor.user,
        secret_sha256=secret_sha256(secret),
        created_by=actor.user,
        modified_by=actor.user,
    )
    key.full_clean(exclude=["user"])
    key.save()
    audit(actor, A.CREATE, key)
    return key, secret


# --- Submissions ---------------------------------------------------------------------------------------------


class SubmissionConflict(Exception):
    """The instance id is already stored with a different XML (OpenRosa: 409)."""


def instance_ids(root: Element) -> tuple[str, str]:
    """The submission's ``meta/instanceID`` and ``meta/deprecatedID`` (an edit of that earlier submission)."""
    meta = children(root, "meta")
    if not meta:
        return "", ""
    return child_text(meta[0], "instanceID"), child_text(meta[0], "deprecatedID")


def one(queryset: QuerySet[M]) -> M | None:
    """The one row of a lookup by a unique key, or none: ``first()`` without the ordering it would add (compiling
    a model's default ordering cost a submission more than its query)."""
    return next(iter(queryset.order_by()[:1]), None)


def submission_form(actor: Actor, root: Element) -> XForm | None:
    """The version of the actor's organisation's form the submission was filled in (active or not)."""
    return one(
        XForm.objects.filter(
            organisation=actor.organisation, form_id=root.get("id", ""), version=root.get("version", "")
        )
    )


def _add_attachments(submission: Submission, attachments: list[tuple[str, str, bytes]]) -> int:
    """Attachments not yet stored (a split submission sends them in several batches; a resent one is kept
    once). Returns how many were added."""
    if not attachments:
        return 0
    have = set(submission.attachments.values_list("name", flat=True))
    new = [
        Attachment(
            submission=submission, name=name[:200], content_type=kind[:100], content=data, md5=md5_hex(data)
        )
        for name, kind, data in attachments
        if name[:200] not in have
    ]
    Attachment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def submission_receive(
    *, actor: Actor, form: XForm, xml: bytes, attachments: list[tuple[str, str, bytes]], complete: bool
) -> tuple[Submission, bool]:
    """Keep a submission (or the next batch of a split one) as received. Returns it and whether it is new. The
    same instance id with the same XML adds the attachments not yet kept; with another XML it is refused
    (``SubmissionConflict``), since two different records cannot both be that instance."""
    require(actor, "intake.submit")
    require(actor, PURPOSE_ACTIONS[form.purpose])
    root = parse_xml(xml)
    instance_id, deprecated_id = instance_ids(root)
    if not instance_id:
        raise ValidationError(_("The submission has no meta/instanceID."))
    existing = one(Submission.objects.select_for_update().filter(form=form, instance_id=instance_id))
    if existing is None:
        replaces = (
            Submission.objects.filter(form__organisation=actor.organisation, instance_id=deprecated_id)
            .filter(form__form_id=form.form_id)
            .first()
            if deprecated_id
            else None
        )
        submission = Submission(
            organisation=actor.organisation,
            form=form,
            instance_id=instance_id[:100],
            deprecated_id=deprecated_id[:100],
            replaces=replaces,
            received_xml=xml,
            xml=xml,
            complete=complete,
            created_by=actor.user,
            modified_by=actor.user,
        )
        # The keys are the service's own; the UUID is new and the instance id's uniqueness is the database's (an
        # IntegrityError below): no query to check them.
        submission.full_clean(
            exclude=["form", "replaces", "organisation", "created_by", "modified_by"], validate_unique=False
        )
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:  # the same instance arrived at the same moment: it is a resubmission
            existing = Submission.objects.select_for_update().get(form=form, instance_id=instance_id)
        else:
            added = _add_attachments(submission, attachments)
            audit(actor, A.CREATE, submission, form=form.form_id, attachments=added, complete=complete)
            return submission, True
    if bytes(existing.received_xml) != xml:
        raise SubmissionConflict(instance_id)
    added = _add_attachments(existing, attachments)
    if complete and not existing.complete:
        existing.complete = True
        existing.save(update_fields=["complete", "modified_at"])
    audit(actor, A.UPDATE, existing, attachments=added, complete=existing.complete)
    return existing, False


def submission_process(*, actor: Actor, submission: Submission, confirmed: bool = False) -> Submission:
    """Store a complete submission through its form's services. On success the submission is ``stored`` with
    what it became; when a value cannot be stored nothing of it is (the services' writes roll back) and the
    submission is ``failed`` with the reason, to be corrected and re-run; when members are likely registered
    already it is held for ``review`` with the candidates, until a supervisor ``confirmed`` they are other
    people. Safe to call again: a stored or superseded submission is left alone."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("form").get(pk=submission.pk)
        if not submission.complete or submission.status in FINAL:
            return submission
        submission.attempts += 1
        store = STORE[submission.form.purpose]
        try:
            with transaction.atomic():
                if actor.organisation is None or actor.organisation.pk != submission.organisation_id:
                    # Stored in the background for the user who sent it, who may have left the organisation since.
                    raise PermissionDenied(_("The sender is no longer a member of this organisation."))
                replaced = submission.replaces
                if replaced is not None:
                    replaced = Submission.objects.select_for_update().get(pk=replaced.pk)
                    if replaced.status == Submission.Status.STORED:
                        raise ValidationError(
                            _(
                                "This is an edit of a submission whose records are already stored: correct "
                                "those records on their pages."
                            )
                        )
                result = store(actor=actor, root=parse_xml(bytes(submission.xml)), confirmed=confirmed)
                if replaced is not None:
                    replaced.status = Submission.Status.SUPERSEDED
                    replaced.save(update_fields=["status", "modified_at"])
        except HeldForReview as held:
            submission.status, submission.result = Submission.Status.REVIEW, {"candidates": held.candidates}
            submission.error = _(
                "Likely already registered: %(members)s. Open the candidates; store anyway if they are other "
                "people, or correct the submission."
            ) % {"members": ", ".join(held.candidates)}
        except (ValidationError, PermissionDenied) as error:
            submission.status, submission.result = Submission.Status.FAILED, {}
            submission.error = "; ".join(getattr(error, "messages", None) or [str(error)])[:4000]
        else:
            submission.status, submission.error, submission.result = Submission.Status.STORED, "", result
        submission.modified_by = actor.user
        submission.save(update_fields=["status", "error", "result", "attempts", "modified_by", "modified_at"])
        audit(
            actor,
            A.IMPORT,
            submission,
            status=submission.status,
            people=len(submission.result.get("people", [])),
            confirmed=confirmed,
        )
    return submission


@transaction.atomic
def submission_fix(*, actor: Actor, submission: Submission, xml: bytes) -> Submission:
    """A supervisor's correction of a submission that could not be stored. The XML as received is kept apart
    and never changed; the corrected one must still be the same instance of the same form."""
    require(actor, "intake.fix")
    if submission.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this submission belongs to another organisation")
    if submission.status in FINAL:
        raise ValidationError(_("Only a submission that is not stored can be corrected."))
    root = parse_xml(xml)
    original = parse_xml(bytes(submission.received_xml))
    if (root.get("id"), root.get("version")) != (original.get("id"), original.get("version")):
        raise ValidationError({"xml": _("The corrected XML must keep the form id and version.")})
    if instance_ids(root)[0] != submission.instance_id:
        raise ValidationError({"xml": _("The corrected XML must keep the instanceID.")})
    submission.xml, submission.modified_by = xml, actor.user
    submission.save(update_fields=["xml", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, submission, fields=["xml"])
    return submission
