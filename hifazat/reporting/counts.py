"""The dashboard's counts, per site and month: counted from the records (``count``) or read from the summary
that a periodic job keeps (``summary_rebuild``, ``summary_read``). Both give the same ``Counts``, so the dashboard
is built one way whichever it reads, and a test can check that the summary equals a recount.

What is counted (the organisation's, as ``reporting.selectors`` says):

========== ================================ ================================================ ==================
figure     key                              a record counts in the month of                  at the site of
========== ================================ ================================================ ==================
people     ""                               registration                                     their household
group      vulnerability group              registration (each person once per group)        their household
age        ``<band>|f`` or ``<band>|o``     registration (band on the day counted)           their household
screening  band                             screening                                        the person's home
case       status                           opening                                          the person's home
closed     ""                               closing                                          the person's home
referral   status                           sending                                          the person's home
alert      status                           first report                                     the alert's site
reach      campaign id                      their first reach by the campaign                where first reached
enrolment  ``<programme id>|<status>``      listing                                          the household's
========== ================================ ================================================ ==================

People reached are counted once per campaign, in the month and at the site of their first reach: the months add
up to the campaign's reach, and a period counts the people it reached for the first time.

Why a rebuilt summary rather than counts kept by every service: the figures change through many services of
many parts, and through bulk updates that send no signal; a recount from the records, in one transaction per
organisation, cannot drift. At 1,000,000 people it takes seconds (``bench/bench_reporting.py``); run it every few
minutes (``hifazat reporting_refresh``, or the ``summaries_refresh`` task from a scheduler). The dashboard says
when its figures were counted. It reads the summary however old it is, and where it is older than
``HIFAZAT_REPORTING_SUMMARY_MAX_AGE`` minutes (or missing) queues the organisation's rebuild
(``tasks.summary_refresh_soon``), so that a page is never held up for a recount and the next one is fresh without
a scheduler. It counts from the records only where the summary cannot answer: a period that does not start and end
with a month, or an organisation whose first summary is not built yet.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Case, Count, DateField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hifazat.campaigns.models import Reach
from hifazat.cases.models import Case as ProtectionCase
from hifazat.core import disclosure
from hifazat.livelihoods.models import Enrolment
from hifazat.monitoring.models import Alert
from hifazat.people.models import Gender, Person, Vulnerability
from hifazat.referrals.models import Referral
from hifazat.reporting.models import MonthlyCount, SummaryBuild
from hifazat.screening.models import Screening

# Figures the dashboard needs per place as well as per month.
BY_PLACE = ("people", "group")
WOMEN = [Gender.FEMININE, Gender.TRANSGENDER_FEMININE]


def month_of(day: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day.replace(day=1)


@dataclass
class Counts:
    """Counts per (figure, key, site id) over the period, and per (figure, key, month) over the area."""

    by_place: dict[tuple[str, str, int | None], int] = field(default_factory=lambda: defaultdict(int))
    by_month: dict[tuple[str, str, datetime.date], int] = field(default_factory=lambda: defaultdict(int))
    counted_at: datetime.datetime | None = None  # None: counted from the records just now
    ages_on: datetime.date | None = None

    def total(self, figure: str, key: str) -> int:
        if not hasattr(self, "_totals"):
            totals: dict[tuple[str, str], int] = defaultdict(int)
            for (f, k, _m), n in self.by_month.items():
                totals[(f, k)] += n
            self._totals = totals
        return self._totals.get((figure, key), 0)

    def keys(self, figure: str) -> set[str]:
        return {k for (f, k, _m) in self.by_month if f == figure}

    def months(self) -> list[datetime.date]:
        return sorted({m for (_f, _k, m) in self.by_month})


def _period(field_name: str, start, end, *, datetime_field: bool = False) -> Q:
    lookup = f"{field_name}__date" if datetime_field else field_name
    condition = Q()
    if start:
        condition &= Q(**{f"{lookup}__gte": start})
    if end:
        condition &= Q(**{f"{lookup}__lte": end})
    return condition


def _sites(path: str, site_ids: Iterable[int] | None) -> Q:
    return Q() if site_ids is None else Q(**{f"{path}__in": list(site_ids)})


def buckets(
    organisation,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    site_ids: Iterable[int] | None = None,
    ages_on: datetime.date | None = None,
) -> dict[tuple[str, str, int | None, datetime.date], int]:
    """Every count per (figure, key, site id, month), from the records: nine aggregate queries."""
    ages_on = ages_on or timezone.localdate()
    site_ids = None if site_ids is None else list(site_ids)
    rows: dict[tuple[str, str, int | None, datetime.date], int] = defaultdict(int)
    month = TruncMonth
    people = Person.objects.filter(
        Q(organisation=organisation, is_active=True, merged_into__isnull=True, household__isnull=False),
        _sites("household__site_id", site_ids),
        _period("registered_on", start, end),
    )
    # One pass over the people gives both the totals and the age bands by sex.
    for row in (
        people.annotate(
            m=month("registered_on"),
            band=disclosure.age_band_expression("birthdate", on=ages_on),
            female=Case(
                When(gender__in=WOMEN, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .values_list("household__site_id", "m", "band", "female")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        site, m, band, female, n = row
        rows[("people", "", site, month_of(m))] += n
        rows[("age", f"{band}|{'f' if female else 'o'}", site, month_of(m))] += n
    # A person has a row per group and source: counted once per group. The person's conditions are joined, not
    # an IN list of every person's id.
    for group, site, m, n in (
        Vulnerability.objects.filter(
            Q(
                person__organisation=organisation,
                person__is_active=True,
                person__merged_into__isnull=True,
                person__household__isnull=False,
            ),
            _sites("person__household__site_id", site_ids),
            _period("person__registered_on", start, end),
        )
        .annotate(m=month("person__registered_on"))
        .values_list("group", "person__household__site_id", "m")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        rows[("group", group, site, month_of(m))] += n

    def add(figure: str, queryset, site_path: str, month_expression, key_field: str | None) -> None:
        fields = [site_path, "m"] + ([key_field] if key_field else [])
        for row in (
            queryset.annotate(m=month_expression).values_list(*fields).annotate(n=Count("pk")).order_by()
        ):
            site, m, *key, n = row
            rows[(figure, str(key[0]) if key else "", site, month_of(m))] += n

    add(
        "screening",
        Screening.objects.filter(
            Q(organisation=organisation, person__is_active=True),
            _sites("person__household__site_id", site_ids),
            _period("screened_at", start, end, datetime_field=True),
        ),
        "person__household__site_id",
        month("screened_at", output_field=DateField()),
        "band",
    )
    cases = ProtectionCase.objects.filter(
        Q(organisation=organisation), _sites("person__household__site_id", site_ids)
    )
    add(
        "case",
        cases.filter(_period("opened_on", start, end)),
        "person__household__site_id",
        month("opened_on"),
        "status",
    )
    add(
        "closed",
        cases.filter(Q(closed_on__isnull=False), _period("closed_on", start, end)),
        "person__household__site_id",
        month("closed_on"),
        None,
    )
    add(
        "referral",
        Referral.objects.filter(
            Q(sender_organisation=organisation, sent_at__isnull=False),
            _sites("case__person__household__site_id", site_ids),
            _period("sent_at", start, end, datetime_field=True),
        ),
        "case__person__household__site_id",
        month("sent_at", output_field=DateField()),
        "status",
    )
    add(
        "alert",
        Alert.objects.filter(
            Q(network=organisation), _sites("site_id", site_ids), _period("first_seen_on", start, end)
        ),
        "site_id",
        month("first_seen_on"),
        "status",
    )
    # People reached by a campaign, each counted once: at the site and in the month of their first reach. A
    # person's first reach depends on all their reach rows, so the period cannot narrow the rows read, except
    # that a first reach after the period's end is not in it.
    reach = Reach.objects.filter(Q(campaign__organisation=organisation), _period("reached_on", None, end))
    first: dict[tuple[int, int], tuple[datetime.date, int]] = {}
    for campaign, person, site, day in reach.values_list(
        "campaign_id", "person_id", "site_id", "reached_on"
    ).iterator(chunk_size=20_000):
        known = first.get((campaign, person))
        if known is None or (day, site) < known:
            first[(campaign, person)] = (day, site)
    wanted = None if site_ids is None else set(site_ids)
    for (campaign, _person), (day, site) in first.items():
        if (start and day < start) or (wanted is not None and site not in wanted):
            continue
        rows[("reach", str(campaign), site, day.replace(day=1))] += 1
    for programme, status, site, m, n in (
        Enrolment.objects.filter(
            Q(programme__implementing_organisation=organisation),
            _sites("household__site_id", site_ids),
            _period("listed_on", start, end),
        )
        .annotate(m=month("listed_on"))
        .values_list("programme_id", "status", "household__site_id", "m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[("enrolment", f"{programme}|{status}", site, month_of(m))] += n
    return {key: n for key, n in rows.items() if n}


def _counts(rows: dict[tuple[str, str, int | None, datetime.date], int]) -> Counts:
    counts = Counts()
    for (figure, key, site, m), n in rows.items():
        counts.by_month[(figure, key, m)] += n
        if figure in BY_PLACE:
            counts.by_place[(figure, key, site)] += n
    return counts


def count(organisation, *, start=None, end=None, site_ids=None) -> Counts:
    """The counts from the records, exact to the day."""
    counts = _counts(buckets(organisation, start=start, end=end, site_ids=site_ids))
    counts.ages_on = timezone.localdate()
    return counts


def summary_rebuild(organisation) -> SummaryBuild:
    """Count the organisation's records again into its summary, in one transaction: a reader sees the old
    summary or the new one, never half of each."""
    started = time.perf_counter()
    today = timezone.localdate()
    rows = buckets(organisation, ages_on=today)
    objects = [
        MonthlyCount(organisation=organisation, site_id=site, month=m, figure=figure, key=key, n=n)
        for (figure, key, site, m), n in rows.items()
    ]
    with transaction.atomic():
        MonthlyCount.objects.filter(organisation=organisation).delete()
        MonthlyCount.objects.bulk_create(objects, batch_size=5000)
        build, _created = SummaryBuild.objects.update_or_create(
            organisation=organisation,
            defaults={
                "built_at": timezone.now(),
                "ages_on": today,
                "rows": len(objects),
                "seconds": time.perf_counter() - started,
            },
        )
    return build


def summary_of(organisation) -> SummaryBuild | None:
    """The organisation's summary as last built, or None before its first build."""
    return SummaryBuild.objects.filter(organisation=organisation).first()


def summary_answers(start, end) -> bool:
    """Whether the summary can answer for the period: whole months, or open."""
    if start and start.day != 1:
        return False
    return not (end and (end + datetime.timedelta(days=1)).day != 1)


def summary_stale(build: SummaryBuild | None) -> bool:
    """Whether the summary is missing or older than ``HIFAZAT_REPORTING_SUMMARY_MAX_AGE`` minutes: its rebuild is
    due."""
    max_age = datetime.timedelta(minutes=settings.HIFAZAT_REPORTING_SUMMARY_MAX_AGE)
    return build is None or timezone.now() - build.built_at > max_age


def summary_read(organisation, build: SummaryBuild, *, start=None, end=None, site_ids=None) -> Counts:
    """The counts from the summary: two aggregate queries over the organisation's rows for the period."""
    rows = MonthlyCount.objects.filter(organisation=organisation)
    if start:
        rows = rows.filter(month__gte=start)
    if end:
        rows = rows.filter(month__lte=end)
    if site_ids is not None:
        rows = rows.filter(site_id__in=list(site_ids))
    counts = Counts(counted_at=build.built_at, ages_on=build.ages_on)
    for figure, key, m, n in rows.values_list("figure", "key", "month").annotate(total=Sum("n")).order_by():
        counts.by_month[(figure, key, m)] = n
    for figure, key, site, n in (
        rows.filter(figure__in=BY_PLACE)
        .values_list("figure", "key", "site_id")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        counts.by_place[(figure, key, site)] = n
    return counts
