"""Donor reports: for a funder, one PDF per awareness campaign or livelihood programme it funds and per period, in
English or Urdu.

The figures are the parts' own (``campaigns.coverage.campaign_figures`` and ``shown``,
``livelihoods.selectors.programme_figures``), for the period, always under disclosure control whoever downloads
the report (a supervisor gets what the funder gets): counts rounded to the threshold, small ones and those that
would give them away hidden, places merged into districts (admin level 2), attendance in age bands, averages and
money only where enough people are behind them. This module adds no count of its own.

Who may download which report: a funder's donor viewers, for the campaigns and programmes their organisation
funds; supervisors, for those their organisation runs (or carries out as a partner) or funds. Only campaigns and
programmes that have a funder have donor reports. Every download is audited (codes and dates only).

A campaign's reach keeps apart what was *handed over* (people in a text-message file given to RapidPro, copies of
leaflets given out, radio spots aired) and what was *delivered* (people present at a session, text messages the
phone network reported delivered): ``Reach.confirmed_on``, ``campaigns.delivery``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hifazat.campaigns import coverage
from hifazat.campaigns.models import AttendanceCounts, Campaign
from hifazat.campaigns.selectors import campaigns_with_figures_visible_to
from hifazat.core import disclosure
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.livelihoods.models import Programme
from hifazat.livelihoods.selectors import programme_figures, programme_figures_visible_to
from hifazat.reporting import pdf
from hifazat.reporting.templatetags.donor_report import num

CAMPAIGN = "campaign"
PROGRAMME = "programme"
KINDS = (CAMPAIGN, PROGRAMME)
TEMPLATES = {
    CAMPAIGN: "reporting/donor/campaign_report.html",
    PROGRAMME: "reporting/donor/programme_report.html",
}


def campaigns_for_reports(actor: Actor | None) -> QuerySet[Campaign]:
    """Funded campaigns whose donor report the actor may download."""
    if actor is None or not actor.can("reporting.donor_reports"):
        return Campaign.objects.none()
    return campaigns_with_figures_visible_to(actor).filter(funder__isnull=False)


def programmes_for_reports(actor: Actor | None) -> QuerySet[Programme]:
    """Funded livelihood programmes whose donor report the actor may download."""
    if actor is None or not actor.can("reporting.donor_reports"):
        return Programme.objects.none()
    return programme_figures_visible_to(actor).filter(funder__isnull=False)


def reports_for(actor: Actor | None, kind: str) -> QuerySet:
    return campaigns_for_reports(actor) if kind == CAMPAIGN else programmes_for_reports(actor)


# --- The period -------------------------------------------------------------------------------------------------

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_start(text: str) -> datetime.date:
    """The first day of the month ``YYYY-MM``; ``ValueError`` otherwise."""
    found = MONTH.match(text or "")
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1900:
        raise ValueError(text)
    return datetime.date(int(found[1]), int(found[2]), 1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole months, first to last: under disclosure control a period that moves a day at a time would let a
    reader watch a rounded count change and learn on which day someone was reached."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def of_months(cls, first: datetime.date, last: datetime.date) -> Period:
        return cls(first.replace(day=1), month_end(last))

    @property
    def label(self) -> str:
        """ "January 2006 to June 2006", in the active language."""
        return _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "F Y"),
            "end": formats.date_format(self.end, "F Y"),
        }

    @property
    def code(self) -> str:
        return f"{self.start:%Y-%m}_{self.end:%Y-%m}"


def default_period(record: Campaign | Programme, today: datetime.date | None = None) -> Period:
    """The whole run so far: from the month the campaign or programme started to this month (what happens after
    the planned end, a late delivery report or a follow-up visit, belongs to it too)."""
    today = today or timezone.localdate()
    return Period.of_months(record.starts_on, max(today, record.starts_on))


# --- Numbers as they are written ------------------------------------------------------------------------------


def money(amount: Decimal | None, currency: str) -> str:
    """An amount with its currency and thousands separators: ``PKR 1,250,000``, ``USD 1,250.50``; hidden where
    the amount is withheld (too few people behind it)."""
    if amount is None:
        return disclosure.HIDDEN
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"{currency} {amount:,.0f}"
    return f"{currency} {amount:,.2f}"


def percent(value: int | float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


# --- The reports' contents ------------------------------------------------------------------------------------

ATTENDANCE_LABELS = {
    name: AttendanceCounts._meta.get_field(name).verbose_name for name in AttendanceCounts.COUNT_FIELDS
}


def _organisation(organisation) -> str:
    return organisation.name if organisation is not None else "—"


def campaign_context(campaign: Campaign, period: Period) -> dict:
    """Everything the campaign report shows, through disclosure control."""
    policy = disclosure.controlled()
    figures = coverage.campaign_figures(campaign, start=period.start, end=period.end)
    shown = coverage.shown(figures, policy=policy)
    # Counts of activities (sessions, copies, airings) are not counts of people, and the campaign page shows
    # them as they are; a report that leaves the team shows no figure under the threshold, so they are
    # published like counts here: small ones hidden, the rest rounded.
    activities = {
        name: policy.count(getattr(figures, name)).text
        for name in (
            "sessions",
            "exports",
            "copies_printed",
            "copies_distributed",
            "radio_spots",
            "radio_airings",
        )
    }
    group_labels = [row["label"] for row in shown["groups"]]
    by_district_and_group = [
        {"district": row["name"], "group": label, "cell": cell}
        for row in shown["sites"]
        for label, cell in zip(group_labels, row["groups"], strict=True)
    ]
    channels = [
        {
            "label": _("Sessions: registered people who attended"),
            "handed_over": shown["reached_via"]["session"],
            "delivered": shown["confirmed_via"]["session"],
        },
        {
            "label": _("Text messages: people in the files handed over to RapidPro"),
            "handed_over": shown["reached_via"]["sms"],
            "delivered": shown["confirmed_via"]["sms"],
        },
        {
            "label": _("Leaflets and other printed copies given out (copies)"),
            "handed_over": activities["copies_distributed"],
            "delivered": None,
        },
        {
            "label": _("Radio spots on air (times aired)"),
            "handed_over": activities["radio_airings"],
            "delivered": None,
        },
        {
            "label": _("Everyone counted at the sessions (head count, registered or not)"),
            "handed_over": None,
            "delivered": shown["attendance"]["total"],
        },
    ]
    attendance = [
        (ATTENDANCE_LABELS[name], shown["attendance"][name]) for name in AttendanceCounts.COUNT_FIELDS
    ]
    return {
        "kind": CAMPAIGN,
        "record": campaign,
        "name": campaign.name,
        "funder": _organisation(campaign.funder),
        "runner": _organisation(campaign.organisation),
        "partners": [p.name for p in campaign.partners.order_by("name")],
        "policy": policy,
        "figures": shown,
        "activities": activities,
        "channels": channels,
        "by_district_and_group": by_district_and_group,
        "attendance": attendance,
        "target_groups": campaign.target_group_labels(),
    }


def programme_context(programme: Programme, period: Period) -> dict:
    """Everything the livelihood report shows, through disclosure control."""
    policy = disclosure.controlled()
    figures = programme_figures(programme, policy=policy, start=period.start, end=period.end)
    currency = programme.currency
    points = [
        {
            "label": point.label,
            "count": point.count,
            "income": money(point.median_income, currency) if point.median_income is not None else "—",
            "running": percent(point.running_percent),
            "employed": percent(point.employed_percent),
        }
        for point in figures.points
    ]
    return {
        "kind": PROGRAMME,
        "record": programme,
        "name": str(programme),
        "funder": _organisation(programme.funder),
        "runner": _organisation(programme.implementing_organisation),
        "partners": [],
        "policy": policy,
        "figures": figures,
        "points": points,
        "budget_total": money(figures.budget_total, currency),
        "budget_per_participant": money(programme.budget_per_participant, currency),
        "spent": money(figures.spent, currency),
        "spent_percent": percent(figures.spent_percent),
        "support_value": money(figures.support_value, currency),
        "places": f"{figures.places:,}",
    }


def report_html(
    kind: str, record, period: Period, *, language: str, generated: datetime.date | None = None
) -> str:
    """The report as the HTML that becomes the PDF, in ``language``."""
    language = "ur" if language == "ur" else "en"
    with translation.override(language):
        context = campaign_context(record, period) if kind == CAMPAIGN else programme_context(record, period)
        context.update(
            language=language,
            direction="rtl" if language == "ur" else "ltr",
            font_family=pdf.font_family(language),
            period=period,
            period_label=period.label,
            # A range of dates reads left to right as one piece, in Urdu too.
            period_dates=f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}",
            record_dates=f"{record.starts_on:%Y-%m-%d} – {record.ends_on:%Y-%m-%d}" if record.ends_on else "",
            generated=num(f"{generated or timezone.localdate():%Y-%m-%d}"),
        )
        return render_to_string(TEMPLATES[kind], context)


@dataclass(frozen=True)
class Report:
    filename: str
    content: bytes
    pages: int


def donor_report(*, actor: Actor, kind: str, record, period: Period, language: str) -> Report:
    """The donor report of ``record`` (a campaign or programme the actor may report on) as a PDF; audited."""
    require(actor, "reporting.donor_reports")
    if kind not in KINDS:
        raise ValueError(f"unknown donor report {kind!r}")
    if not reports_for(actor, kind).filter(pk=record.pk).exists():
        from django.http import Http404

        raise Http404
    language = "ur" if language == "ur" else "en"
    rendered = pdf.render(report_html(kind, record, period, language=language), language=language)
    audit(
        actor,
        AuditEntry.Action.EXPORT,
        record,
        report=f"donor_{kind}",
        language=language,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        pages=rendered.pages,
    )
    filename = f"hifazat-donor-{kind}-{record.uuid}-{period.code}-{language}.pdf"
    return Report(filename, rendered.content, rendered.pages)
