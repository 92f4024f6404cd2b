"""The response dashboard's figures as an HXL-tagged table (CSV or XLSX): one row per figure, with the dashboard's
filters applied.

The first row names the columns for people, the second holds the HXL hashtags (HXL 1.1), so that HDX, the HXL
Proxy or any HXL tool reads the file without a mapping. The table is long: an indicator (``#indicator+code``),
its category (a group, band or status), where (``#adm1``, ``#adm2``), when (``#date+month``, or the period in
``#date+start`` and ``#date+end``) and the value (``#indicator+value+num``).

A file is made to be passed on (to the cluster, to HDX), so its figures are always under disclosure control,
whoever downloads it: counts rounded, small ones and those that would give them away hidden (``*``), places as
districts, the period in whole months. They are the figures an analyst sees on the dashboard. Every download is
audited; every cell goes through ``core.spreadsheets``.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from hifazat.core import disclosure, spreadsheets
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.reporting.selectors import Dashboard, dashboard_figures

COLUMNS = (
    ("Indicator code", "#indicator+code"),
    ("Indicator", "#indicator+name"),
    ("Category", "#indicator+category"),
    ("Province", "#adm1+name"),
    ("Province P-code", "#adm1+code"),
    ("District", "#adm2+name"),
    ("District P-code", "#adm2+code"),
    ("Month", "#date+month"),
    ("From", "#date+start"),
    ("To", "#date+end"),
    ("Value", "#indicator+value+num"),
)


def _headers() -> list[str]:
    names = {
        "Indicator code": _("Indicator code"),
        "Indicator": _("Indicator"),
        "Category": _("Category"),
        "Province": _("Province"),
        "Province P-code": _("Province P-code"),
        "District": _("District"),
        "District P-code": _("District P-code"),
        "Month": _("Month"),
        "From": _("From"),
        "To": _("To"),
        "Value": _("Value"),
    }
    return [str(names[header]) for header, _tag in COLUMNS]


def rows(figures: Dashboard) -> list[list[str]]:
    """The figures as rows under the two header rows, each value as the dashboard shows it (``*`` hidden)."""
    start = figures.start.isoformat() if figures.start else ""
    end = figures.end.isoformat() if figures.end else ""
    months = [f"{month:%Y-%m}" for month in figures.months]
    out: list[list[str]] = []

    def add(code, name, category, value, *, place=("", "", "", ""), month="") -> None:
        adm1, adm1_code, adm2, adm2_code = place
        out.append(
            [code, str(name), str(category), adm1, adm1_code, adm2, adm2_code, month, start, end, str(value)]
        )

    def per_month(code, name, category, cells) -> None:
        for month, cell in zip(months, cells, strict=True):
            add(code, name, category, cell, month=month)

    places = [
        (parent[0], parent[1], name, code)
        for name, code, parent in zip(
            figures.place_names, figures.place_codes, figures.place_parents, strict=True
        )
    ]
    people = _("People registered")
    add("people_registered", people, "", figures.people_total)
    for place, cell in zip(places, figures.people_per_place, strict=True):
        add("people_registered", people, "", cell, place=place)
    per_month("people_registered", people, "", figures.people_per_month)
    in_group = _("People in a vulnerability group")
    for row in figures.group_rows:
        add("people_in_group", in_group, row.label, row.total)
        for place, cell in zip(places, row.cells, strict=True):
            add("people_in_group", in_group, row.label, cell, place=place)
    by_age = _("People by age band and sex")
    for row in figures.ages:
        women, others = row.cells
        add("people_by_age", by_age, f"{row.label} | {_('Women and girls')}", women)
        add("people_by_age", by_age, f"{row.label} | {_('Men, boys and others')}", others)
        add("people_by_age", by_age, row.label, row.total)
    for code, breakdown in (
        ("screenings", figures.screenings),
        ("cases_opened", figures.cases),
        ("referrals_sent", figures.referrals),
        ("alerts", figures.alerts),
    ):
        for label, cell in breakdown.rows:
            add(code, breakdown.title, label, cell)
        add(code, breakdown.title, "", breakdown.total)
        per_month(code, breakdown.title, "", breakdown.per_month)
        for label, cells in breakdown.by_key_month:
            per_month(code, breakdown.title, label, cells)
    closed = _("Cases closed")
    add("cases_closed", closed, "", figures.closed.total)
    per_month("cases_closed", closed, "", figures.closed.per_month)
    reached = _("People reached by a campaign (first reached in the period)")
    for name, cell in figures.campaigns:
        add("people_reached", reached, name, cell)
    add("people_reached", reached, "", figures.reach_total)
    per_month("people_reached", reached, "", figures.reach_per_month)
    listed = _("Livelihood enrolments")
    for name, cells in figures.livelihoods:
        for status, cell in zip(figures.enrolment_statuses, cells, strict=True):
            add("enrolments", listed, f"{name} | {status}", cell)
    return out


def dashboard_hxl(
    *,
    actor: Actor,
    file_format: str,
    area=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> tuple[str, str, bytes]:
    """The file (name, content type, bytes) of the dashboard's figures under disclosure control, for the area
    and period asked; one audit entry, with the filters and the number of rows (never a figure)."""
    figures = dashboard_figures(actor, area=area, start=start, end=end, policy=disclosure.controlled())
    table = [_headers(), [tag for _header, tag in COLUMNS], *rows(figures)]
    today = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content = spreadsheets.xlsx_bytes({"figures": table})
        name = f"hifazat-dashboard-hxl-{today}.xlsx"
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        out = io.StringIO()
        spreadsheets.writer(out).writerows(table)
        # With a byte order mark, so that Excel reads the Urdu names as UTF-8.
        content = ("\ufeff" + out.getvalue()).encode("utf-8")
        name = f"hifazat-dashboard-hxl-{today}.csv"
        content_type = "text/csv; charset=utf-8"
    audit(
        actor,
        AuditEntry.Action.EXPORT,
        object_kind="reporting.dashboard",
        format=file_format,
        area=str(area.uuid) if area else "",
        start=figures.start.isoformat() if figures.start else "",
        end=figures.end.isoformat() if figures.end else "",
        rows=len(table) - 2,
    )
    return name, content_type, content
