"""Reads of programmes, enrolments, support and visits, starting from what the actor may see; the rows of the
ranked list; totals against the budget; and the outcome summary behind the programme's charts.

Scope: the implementing organisation's staff see its programmes and participants (``livelihoods.view``).
Aggregate figures (``livelihoods.aggregates``) are for the implementing organisation's staff and analysts, and
for the funder: a donor viewer sees the figures of the programmes their organisation funds, and nothing else.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from hifazat.cases.models import SupportPlan
from hifazat.cases.selectors import cases_visible_to
from hifazat.core.audit import Actor
from hifazat.core.disclosure import EXACT, Policy, policy_for
from hifazat.livelihoods import selection
from hifazat.livelihoods.models import (
    Enrolment,
    OutcomeVisit,
    Programme,
    ProgrammeReferral,
    SelectionRule,
    Skip,
    Support,
)
from hifazat.livelihoods.rules import rule_sentence
from hifazat.people.models import Household, Person


def programmes_visible_to(actor: Actor | None) -> QuerySet[Programme]:
    """The programmes the actor's organisation implements."""
    if actor is None or not actor.can("livelihoods.view"):
        return Programme.objects.none()
    return Programme.objects.filter(implementing_organisation=actor.organisation).select_related(
        "implementing_organisation", "funder"
    )


def programme_figures_visible_to(actor: Actor | None) -> QuerySet[Programme]:
    """Programmes whose aggregate figures the actor may see: those their organisation funds, and with
    ``livelihoods.aggregates_implemented`` (everyone but donor viewers), those it implements."""
    if actor is None or not actor.can("livelihoods.aggregates"):
        return Programme.objects.none()
    scope = Q(funder=actor.organisation)
    if actor.can("livelihoods.aggregates_implemented"):
        scope |= Q(implementing_organisation=actor.organisation)
    return Programme.objects.filter(scope).select_related("implementing_organisation", "funder")


def enrolments_visible_to(actor: Actor | None) -> QuerySet[Enrolment]:
    if actor is None or not actor.can("livelihoods.view"):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(programme__implementing_organisation=actor.organisation).select_related(
        "programme", "person", "household__site"
    )


def visits_visible_to(actor: Actor | None) -> QuerySet[OutcomeVisit]:
    if actor is None or not actor.can("livelihoods.view"):
        return OutcomeVisit.objects.none()
    return OutcomeVisit.objects.filter(
        enrolment__programme__implementing_organisation=actor.organisation
    ).select_related("enrolment__programme", "enrolment__person")


def rules_visible_to(actor: Actor | None) -> QuerySet[SelectionRule]:
    if actor is None or not actor.can("livelihoods.view"):
        return SelectionRule.objects.none()
    return SelectionRule.objects.filter(
        programme__implementing_organisation=actor.organisation
    ).select_related("programme")


def support_plans_visible_to(actor: Actor | None) -> QuerySet[SupportPlan]:
    """The support plans of the cases the actor may see (the cases part's scope)."""
    return SupportPlan.objects.filter(case__in=cases_visible_to(actor))


# --- The ranked list -------------------------------------------------------------------------------------------


@dataclass
class RankedRow:
    position: int
    household: Household
    score: int
    reasons: list[str]
    participants: list[Person]
    enrolment: Enrolment | None = None
    skip: Skip | None = None
    elsewhere: bool = False
    referrals: list[ProgrammeReferral] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.enrolment is not None or self.skip is not None

    @property
    def can_enrol(self) -> bool:
        return not self.decided and not self.elsewhere and bool(self.participants)


def ranked_rows(programme: Programme, households, offset: int, plan: selection.Plan) -> list[RankedRow]:
    """The rows of one page of the ranked list (``households``: a sliced ranked queryset, or the list a paginator
    took from one), with the reasons in words, who may take part, and what the programme decided about each: a
    fixed number of queries per page."""
    if isinstance(households, QuerySet):
        households = households.select_related("site", "head")
    households = list(households)
    ids = [h.pk for h in households]
    sentences = [rule_sentence(rule, n) for n, (rule, _q) in enumerate(plan.priority, 1)]
    participants = selection.participants_in(plan, ids)
    enrolments = {
        e.household_id: e
        for e in Enrolment.objects.filter(programme=programme, household_id__in=ids)
        .select_related("person")
        .order_by("created_at")
    }
    skips = {s.household_id: s for s in Skip.objects.filter(programme=programme, household_id__in=ids)}
    elsewhere = set(
        Household.objects.filter(selection.unavailable_households(programme), pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    referrals: dict[int, list[ProgrammeReferral]] = {}
    referred = ProgrammeReferral.objects.filter(programme=programme, household_id__in=ids)
    for referral in referred.select_related("case").only("uuid", "household_id", "status", "case__number"):
        referrals.setdefault(referral.household_id, []).append(referral)
    rows = []
    for index, household in enumerate(households):
        rows.append(
            RankedRow(
                position=offset + index + 1,
                household=household,
                score=household.priority_score,
                reasons=[sentences[n] for n in selection.rules_met(plan, household.priority_score)],
                participants=participants.get(household.pk, []),
                enrolment=enrolments.get(household.pk),
                skip=skips.get(household.pk),
                elsewhere=household.pk in elsewhere and household.pk not in enrolments,
                referrals=referrals.get(household.pk, []),
            )
        )
    return rows


# --- Budget totals ---------------------------------------------------------------------------------------------


def with_totals(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with ``spent`` (support value in the programme's currency) and ``visits_done``. Subqueries,
    not joins: joining both support and visits would count each support row once per visit."""
    spent = (
        Support.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("value"))
        .values("total")
    )
    done = (
        OutcomeVisit.objects.filter(enrolment=OuterRef("pk"), status=OutcomeVisit.Status.DONE)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrolments.annotate(
        spent=Coalesce(
            Subquery(spent, output_field=DecimalField(max_digits=14, decimal_places=2)), Decimal("0")
        ),
        visits_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
    )


@dataclass(frozen=True)
class Budget:
    budget: Decimal
    spent: Decimal
    currency: str

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.budget

    @property
    def percent(self) -> int:
        return int(self.spent * 100 / self.budget) if self.budget else 0


def enrolment_budget(enrolment: Enrolment) -> Budget:
    spent = enrolment.support.aggregate(total=Sum("value", default=Decimal("0")))["total"]
    return Budget(enrolment.programme.budget_per_participant, spent, enrolment.programme.currency)


# --- Aggregate figures and outcomes ----------------------------------------------------------------------------


def _median(values: list[Decimal]) -> Decimal | None:
    return Decimal(statistics.median(values)).quantize(Decimal("1")) if values else None


@dataclass
class OutcomePoint:
    label: str
    months: int
    count: int
    median_income: Decimal | None
    running_percent: int | None
    employed_percent: int | None


def outcome_summary(programme: Programme) -> list[OutcomePoint]:
    """Per follow-up interval: how many participants were visited, their median household income per month
    (against the median before, for the same kind of participant), the share whose activity still runs and the
    share in work. The point "before" is every participant's income when enrolled."""
    enrolled = programme.enrolments.filter(
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN]
    )
    before = [i for i in enrolled.values_list("income_before", flat=True) if i is not None]
    points = [OutcomePoint(_("Before"), 0, len(before), _median(before), None, None)]
    visits = OutcomeVisit.objects.filter(enrolment__programme=programme, status=OutcomeVisit.Status.DONE)
    rows: dict[int, list[tuple]] = {}
    for months, income, running, employment in visits.values_list(
        "months_after", "income", "activity_running", "employment"
    ):
        rows.setdefault(months, []).append((income, running, employment))
    for months in sorted(set(programme.followup_months) | set(rows)):
        found = rows.get(months, [])
        incomes = [r[0] for r in found if r[0] is not None]
        running = [r[1] for r in found if r[1] is not None]
        work = [r[2] for r in found if r[2]]
        points.append(
            OutcomePoint(
                _("%(months)s months") % {"months": months},
                months,
                len(found),
                _median(incomes),
                round(100 * sum(running) / len(running)) if running else None,
                round(100 * sum(1 for w in work if w != OutcomeVisit.Employment.NONE) / len(work))
                if work
                else None,
            )
        )
    return points


def figures_policy(actor: Actor, programme: Programme) -> Policy:
    """How the actor sees the programme's figures: exact for the implementing organisation's staff (who see the
    participants anyway), through disclosure control for a funder, another organisation and analysts. Every
    figures page and the API ask here, so a funder never gets exact figures from one and not another."""
    inside = programme.implementing_organisation_id == actor.organisation.pk and actor.can("livelihoods.view")
    return policy_for(actor, inside=inside)


@dataclass(frozen=True)
class ShownPoint:
    """An outcome point as it leaves: values are None where hidden."""

    label: str
    months: int
    count: str
    median_income: Decimal | None
    running_percent: int | None
    employed_percent: int | None


def chart_data(points: list[ShownPoint], *, currency: str) -> dict:
    """What the outcome chart draws (``json_script``): median income per point and the share whose activity
    still runs, as ``programme_figures`` protected them."""

    def value(number) -> float | None:
        return None if number is None else float(number)

    return {
        "labels": [p.label for p in points],
        "counts": [p.count for p in points],
        "income": [value(p.median_income) for p in points],
        "running": [value(p.running_percent) for p in points],
        "income_label": _("Median household income per month (%(currency)s)") % {"currency": currency},
        "running_label": _("Activity still running (%)"),
    }


@dataclass
class Figures:
    """A programme's aggregate figures as they leave (``policy``): counts as strings, money only where the
    number of people it was spent on is shown."""

    policy: Policy
    places: int
    enrolled: str
    waiting: str
    completed: str
    withdrawn: str
    women: str
    men: str
    by_district: list[tuple[str, str]]
    budget_total: Decimal
    spent: Decimal | None
    spent_percent: int | None
    over_budget: str
    points: list[ShownPoint]
    # Households that received support in the period (all time without one), and the value delivered to them.
    supported: str = "0"
    support_value: Decimal | None = None


def programme_figures(
    programme: Programme,
    *,
    policy: Policy = EXACT,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Figures:
    """Counts of participants (by status, sex and district), money spent against the budget, and the outcome
    points: aggregate only, protected together by ``policy`` (``core.disclosure``): the sexes and the
    districts add up to the participants, and "before" (everyone enrolled with an income recorded) to the
    participants and those who left, so none of them can be worked out from the others. ``start`` and ``end``
    bound the support delivered (households supported, value); the other figures are as they stand now."""
    statuses = dict(
        programme.enrolments.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    taking_part = programme.enrolments.filter(
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]
    )
    sexes = dict(taking_part.values_list("person__gender").annotate(n=Count("pk")))
    women = sexes.get("Feminine", 0) + sexes.get("TransgenderFeminine", 0)
    districts = (
        taking_part.values_list(
            "household__site__area__name",
            "household__site__area__level",
            "household__site__area__parent__name",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_district: dict[str, int] = {}
    for name, level, parent, n in districts:
        district = parent if level == 3 else name
        by_district[district] = by_district.get(district, 0) + n
    per_participant = list(with_totals(taking_part).values_list("spent", flat=True))
    spent = sum(per_participant, Decimal("0"))
    over = sum(1 for s in per_participant if s > programme.budget_per_participant)
    budget_total = programme.budget_per_participant * programme.capacity
    points = outcome_summary(programme)
    support = Support.objects.filter(enrolment__programme=programme)
    if start is not None:
        support = support.filter(delivered_on__gte=start)
    if end is not None:
        support = support.filter(delivered_on__lte=end)
    delivered = support.aggregate(
        households=Count("enrolment__household_id", distinct=True), value=Sum("value", default=Decimal("0"))
    )

    table = policy.table()
    enrolled = statuses.get(Enrolment.Status.ACTIVE, 0) + statuses.get(Enrolment.Status.COMPLETED, 0)
    table.add("enrolled", enrolled, headline=True)
    table.add("waiting", statuses.get(Enrolment.Status.WAITING, 0))
    table.add("completed", statuses.get(Enrolment.Status.COMPLETED, 0))
    table.add("withdrawn", statuses.get(Enrolment.Status.WITHDRAWN, 0))
    table.add("women", women)
    table.add("men", sum(sexes.values()) - women)
    table.relate("enrolled", ["women", "men"])
    for district, n in by_district.items():
        table.add(("district", district), n)
    table.relate("enrolled", [("district", district) for district in by_district])
    table.add("over_budget", over)
    table.add("supported", delivered["households"])
    for index, point in enumerate(points):
        table.add(("point", index), point.count)
    table.relate(("point", 0), ["enrolled", "withdrawn"], if_adds_up=True)  # "before": points[0]
    cells = table.protect()

    def shown_point(index: int, point: OutcomePoint) -> ShownPoint:
        count = cells[("point", index)]
        keep = not policy.controlled or (not count.hidden and point.count >= policy.threshold)
        return ShownPoint(
            label=point.label,
            months=point.months,
            count=count.text,
            median_income=point.median_income if keep else None,
            running_percent=point.running_percent if keep else None,
            employed_percent=point.employed_percent if keep else None,
        )

    money = not policy.controlled or (not cells["enrolled"].hidden and enrolled >= policy.threshold)
    # Money delivered in the period is shown where the households it went to are shown, and are enough.
    support_money = not policy.controlled or (
        not cells["supported"].hidden and delivered["households"] >= policy.threshold
    )
    return Figures(
        policy=policy,
        places=programme.capacity,
        enrolled=cells["enrolled"].text,
        waiting=cells["waiting"].text,
        completed=cells["completed"].text,
        withdrawn=cells["withdrawn"].text,
        women=cells["women"].text,
        men=cells["men"].text,
        by_district=sorted((district, cells[("district", district)].text) for district in by_district),
        budget_total=budget_total,
        spent=spent if money else None,
        spent_percent=(int(spent * 100 / budget_total) if budget_total else 0) if money else None,
        over_budget=cells["over_budget"].text,
        points=[shown_point(index, point) for index, point in enumerate(points)],
        supported=cells["supported"].text,
        support_value=delivered["value"] if support_money else None,
    )


def rules_of(programme: Programme) -> list[SelectionRule]:
    return list(programme.rules.select_related("site", "area").order_by("purpose", "rank"))


def enrolments_of(programme: Programme) -> QuerySet[Enrolment]:
    return with_totals(
        programme.enrolments.select_related("person", "household__site").order_by(
            "status", "-priority_score", "listed_on", "pk"
        )
    )


def person_enrolments(person: Person, actor: Actor) -> QuerySet[Enrolment]:
    """A person's enrolments the actor may see, with their support totals and visits (case panel, timeline)."""
    return with_totals(
        enrolments_visible_to(actor)
        .filter(person=person)
        .prefetch_related(Prefetch("visits", queryset=OutcomeVisit.objects.order_by("due_on")))
    ).order_by("-listed_on")


def visits_due(actor: Actor, *, within_days: int = 14) -> QuerySet[OutcomeVisit]:
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return (
        visits_visible_to(actor)
        .filter(status=OutcomeVisit.Status.DUE, due_on__lte=horizon)
        .exclude(enrolment__status=Enrolment.Status.WITHDRAWN)
        .order_by("due_on", "pk")
    )
