"""Phone message broadcasts: the audience as a CSV for RapidPro's contact import, since Hifazat sends no message.

The file has RapidPro's column names: ``URN:Tel`` (the number in E.164, as RapidPro expects it), ``Name`` (the
first name only: enough to greet, no more), ``Language`` (ISO 639-3, the contact's language in RapidPro) and
``Field:`` columns that become contact fields: ``Field:awareness_message`` holds the approved text message in the
contact's language, so that one broadcast of ``@fields.awareness_message`` sends each person their own language,
and ``Field:site`` the code of the site they live at. A cell that a spreadsheet would run as a formula is
quoted (``core.spreadsheets``). No BOM: RapidPro would read it as part of the first header.

The audience is the campaign's people in one target group, at its sites or some of them, in the maker's own
organisation's registry, with a phone number, whose consent in force allows contact by phone
(``people.services.consent_allows``). A background job builds the file; it is kept encrypted, and the maker takes
it once: then it is wiped, the handover is audited, and the people in it count as reached.

The maker takes it as CSV or as XLSX (the same columns and rows, ``write_xlsx``): RapidPro imports both. The
XLSX keeps Urdu intact wherever it is opened: Excel reads a CSV in the computer's code page unless it starts
with a BOM, which RapidPro would take for part of the first header, while an XLSX is always Unicode.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from hifazat.core import crypto, spreadsheets
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.jobs import enqueue_on_commit, job_create, job_finish, job_progress, job_start
from hifazat.core.models import AuditEntry, Job
from hifazat.people.models import ConsentPurpose, Person
from hifazat.people.selectors import persons_visible_to
from hifazat.people.services import consent_allows

from . import selectors
from .models import Channel, KeyMessage, MessageExport, MessageVersion, Reach

JOB_KIND = "campaigns.audience_export"
HEADERS = ["URN:Tel", "Name", "Language", "Field:awareness_message", "Field:site"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def approved_sms(message: KeyMessage) -> dict[str, str]:
    """The approved text-message versions of a key message, by language."""
    return dict(
        message.versions.filter(channel=Channel.SMS, status=MessageVersion.Status.APPROVED).values_list(
            "language", "text"
        )
    )


@transaction.atomic
def export_start(
    *,
    actor: Actor,
    message: KeyMessage,
    target_group: str,
    fallback_language: str,
    sites=(),
) -> MessageExport:
    """Queue the building of an audience file for ``message``'s approved text message."""
    require(actor, "campaigns.export_audience")
    campaign = message.campaign
    if not selectors.works_in(actor, campaign):
        raise PermissionDenied("only the organisation that runs the campaign and its partners may do this")
    texts = approved_sms(message)
    if not texts:
        raise ValidationError({"message": "This key message has no approved text message yet."})
    if fallback_language not in texts:
        raise ValidationError({"fallback_language": "Choose a language with an approved text message."})
    if target_group not in campaign.target_groups:
        raise ValidationError({"target_group": "Choose one of the campaign's target groups."})
    campaign_site_ids = set(selectors.campaign_site_ids(campaign))
    if any(site.pk not in campaign_site_ids for site in sites):
        raise ValidationError({"sites": "Choose among the campaign's sites."})
    job = job_create(actor=actor, kind=JOB_KIND, file_name=f"audience-{campaign.pk}.csv")
    export = MessageExport(
        campaign=campaign,
        organisation=actor.organisation,
        message=message,
        target_group=target_group,
        fallback_language=fallback_language,
        job=job,
        created_by=actor.user,
        modified_by=actor.user,
    )
    export.full_clean()
    export.save()
    export.sites.set(sites)
    audit(actor, AuditEntry.Action.CREATE, export, campaign=str(campaign.uuid), target_group=target_group)
    enqueue_on_commit(export_build, str(export.uuid))
    return export


def audience(export: MessageExport, actor: Actor):
    """The people who may receive the message: the campaign's people in the export's group and sites, in the
    maker's registry, with a number and, in the database, a phone-contact consent in force that was given. Each
    is checked again with ``consent_allows`` as the file is written."""
    site_ids = list(export.sites.values_list("pk", flat=True)) or selectors.campaign_site_ids(export.campaign)
    return (
        selectors.population(
            export.campaign, persons_visible_to(actor), groups=[export.target_group], site_ids=site_ids
        )
        .exclude(phone_encrypted="")
        .annotate(phone_consent=selectors.phone_consent_status())
        .select_related("household__site")
        .order_by("pk")
    )


def write_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = spreadsheets.DictWriter(out, fieldnames=HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_xlsx(csv_text: str) -> bytes:
    """The CSV's rows as an XLSX workbook of one sheet (RapidPro imports the first), every cell a text cell
    through ``core.spreadsheets`` (a number such as ``+923001234567`` stays text, never a formula)."""
    return spreadsheets.xlsx_bytes({"Contacts": list(csv.reader(io.StringIO(csv_text, newline="")))})


@task()
def export_build(export_uuid: str) -> None:
    """Build the audience file of an export (the background job)."""
    export = MessageExport.objects.select_related("job", "created_by", "campaign").get(uuid=export_uuid)
    job = export.job
    if not Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.RUNNING):
        return  # taken by another worker already
    actor = Actor.for_user(export.created_by)
    try:
        texts = approved_sms(export.message)
        people = audience(export, actor)
        candidates = people.count()
        job_start(job, total=candidates)
        rows, ids, skipped = [], [], 0
        for done, person in enumerate(people.iterator(chunk_size=500), 1):
            if person.phone_consent != "given" or not consent_allows(person, ConsentPurpose.PHONE_CONTACT):
                skipped += 1
                continue
            language = (
                person.primary_language if person.primary_language in texts else export.fallback_language
            )
            rows.append(
                {
                    "URN:Tel": person.phone,
                    "Name": person.first_name,
                    "Language": language,
                    "Field:awareness_message": texts[language],
                    "Field:site": person.household.site.code,
                }
            )
            ids.append(person.pk)
            if done % 500 == 0:
                job_progress(job, done)
        skipped += candidates - len(rows) - skipped
        with transaction.atomic():
            MessageExport.objects.filter(pk=export.pk).update(
                recipients=len(rows),
                skipped_without_consent=skipped,
                recipient_ids=ids,
                content_encrypted=crypto.encrypt(write_csv(rows)),
            )
            job_finish(job, status=Job.Status.DONE, result={"recipients": len(rows), "skipped": skipped})
    except Exception:
        job_finish(job, status=Job.Status.FAILED, errors=[{"message": "The audience could not be prepared."}])
        raise
    from hifazat.notifications.services import notify

    notify(
        recipients=[export.created_by],
        kind="campaigns.export_ready",
        title=f"The audience export for campaign {export.campaign.name} is ready ({len(rows)} people)",
        url=reverse("campaigns:export_detail", args=[export.uuid]),
    )


@transaction.atomic
def export_download(
    *, actor: Actor, export: MessageExport, file_format: str = "csv"
) -> tuple[str, str | bytes]:
    """Hand the file to its maker, once: (file name, CSV text or XLSX bytes). The file is then wiped, the
    handover audited, and the people in it recorded as reached by a text message today."""
    require(actor, "campaigns.export_audience")
    if file_format not in CONTENT_TYPES:
        raise ValidationError({"file_format": "Choose CSV or XLSX."})
    export = MessageExport.objects.select_for_update().select_related("job", "campaign").get(pk=export.pk)
    if export.created_by_id != actor.user.pk:
        raise PermissionDenied("only the person who asked for the export may take its file")
    if export.job.status != Job.Status.DONE:
        raise ValidationError({"export": "The file is not ready."})
    if export.downloaded_at is not None:
        raise ValidationError({"export": "The file was already taken once and has been wiped."})
    content = crypto.decrypt(export.content_encrypted)
    today = timezone.localdate()
    sites = dict(Person.objects.filter(pk__in=export.recipient_ids).values_list("pk", "household__site_id"))
    Reach.objects.bulk_create(
        [
            Reach(
                campaign=export.campaign,
                person_id=pk,
                via=Reach.Via.SMS,
                site_id=sites[pk],
                reached_on=today,
                export=export,
            )
            for pk in export.recipient_ids
            if sites.get(pk)
        ]
    )
    export.downloaded_at, export.downloaded_by = timezone.now(), actor.user
    export.content_encrypted, export.recipient_ids = "", []
    export.save(
        update_fields=["downloaded_at", "downloaded_by", "content_encrypted", "recipient_ids", "modified_at"]
    )
    audit(
        actor,
        AuditEntry.Action.EXPORT,
        export,
        campaign=str(export.campaign.uuid),
        recipients=export.recipients,
        format=file_format,
        fields=HEADERS,
    )
    name = f"hifazat-audience-{export.uuid}.{file_format}"
    return name, write_xlsx(content) if file_format == "xlsx" else content
