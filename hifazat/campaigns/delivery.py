"""Delivery reports of text-message broadcasts: which people of a handed-over audience file the phone network
confirmed as having received the message.

Handing the audience file to RapidPro (``exports.export_download``) records its people as reached, but only as
*handed over*: Hifazat sends nothing, and a number may be switched off, full or wrong. RapidPro's message export
(Messages, Download) lists each message with the contact's number (``URN Value``, or ``URN`` as ``tel:+92...``)
and its ``Status``; a message whose status is ``delivered`` or ``read`` reached the phone. Recording that file
here confirms those people's reach (``Reach.confirmed_on``), so that funders' reports can say how many were sent
a message and how many are known to have received it. Other statuses (``sent``, ``wired``, ``queued``,
``errored``, ``failed``) confirm nothing. Numbers are matched through the phone blind index, never decrypted;
numbers that are not in this export are counted and left alone.

The page: the export's detail page shows how many are confirmed and, for its organisation's coordinators, a form
to upload the report (``activity_views.export_delivery_record``, with ``forms.DeliveryReportForm``).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.core import crypto
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.people.normalise import normalise_phone

from . import selectors
from .models import MessageExport, Reach

DELIVERED = frozenset({"delivered", "read"})
PHONE_COLUMNS = ("URN Value", "URN", "Contact URN", "URN:Tel", "Phone")
STATUS_COLUMN = "Status"
MAX_REPORT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class DeliveryResult:
    rows: int  # messages in the report
    delivered: int  # of them delivered or read
    confirmed: int  # people of the export confirmed now (not confirmed before)
    already: int  # people of the export confirmed by an earlier report
    not_in_export: int  # delivered messages to numbers that are not in this export


def read_report(text: str) -> list[tuple[str, str]]:
    """(E.164 number, status) for each row of a RapidPro message export in CSV. Raises ``ValidationError`` naming
    the row and column of what it cannot read."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    phone_column = next((name for name in PHONE_COLUMNS if name in headers), None)
    if phone_column is None or STATUS_COLUMN not in headers:
        raise ValidationError(
            _(
                "The file needs a %(status)s column and one of %(phones)s (RapidPro's message export has both)."
            )
            % {"status": STATUS_COLUMN, "phones": ", ".join(PHONE_COLUMNS)}
        )
    rows = []
    for line, row in enumerate(reader, start=2):
        value = (row.get(phone_column) or "").strip()
        if not value:
            continue
        number = normalise_phone(value[4:] if value.lower().startswith("tel:") else value)
        if not number:
            raise ValidationError(
                _("Row %(row)s, column %(column)s: %(value)s is not a phone number.")
                % {"row": line, "column": phone_column, "value": value[:30]}
            )
        rows.append((number, (row.get(STATUS_COLUMN) or "").strip().lower()))
    return rows


@transaction.atomic
def export_delivery_record(
    *, actor: Actor, export: MessageExport, report: list[tuple[str, str]], on: datetime.date | None = None
) -> DeliveryResult:
    """Confirm the reach of the export's people whose message the delivery ``report`` (``read_report``) says
    was delivered or read, on ``on`` (today). Only the campaign's organisations' coordinators, for an export
    their organisation made and handed over."""
    require(actor, "campaigns.export_audience")
    export = selectors.exports_visible_to(actor).filter(pk=export.pk).first()
    if export is None:
        raise PermissionDenied("only the organisation that made the export may record its delivery")
    if export.downloaded_at is None:
        raise ValidationError({"report": _("The file has not been handed over yet: nothing was sent.")})
    delivered = {number for number, status in report if status in DELIVERED}
    indexes = [crypto.blind_index("phone", number) for number in delivered]
    rows = Reach.objects.filter(export=export, person__phone_index__in=indexes)
    already = rows.filter(confirmed_on__isnull=False).count()
    matched = rows.values("person__phone_index").distinct().count()
    confirmed = rows.filter(confirmed_on__isnull=True).update(confirmed_on=on or timezone.localdate())
    result = DeliveryResult(
        rows=len(report),
        delivered=len(delivered),
        confirmed=confirmed,
        already=already,
        not_in_export=len(delivered) - matched,
    )
    audit(
        actor,
        AuditEntry.Action.IMPORT,
        export,
        campaign=str(export.campaign.uuid),
        report_rows=result.rows,
        delivered=result.delivered,
        confirmed=result.confirmed,
        not_in_export=result.not_in_export,
    )
    return result


def delivery_counts(export: MessageExport) -> dict[str, int]:
    """How many of the export's people were handed over and how many of them are confirmed delivered."""
    rows = Reach.objects.filter(export=export)
    return {"handed_over": rows.count(), "confirmed": rows.filter(confirmed_on__isnull=False).count()}
