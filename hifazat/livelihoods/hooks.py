"""What livelihoods adds to other parts: menu entries, the work list, the person's timeline, and the case page (a panel
with the person's referrals, enrolments and outcomes, and events on the case timeline). Each function returns
only what the actor may see."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.cases.panels import CASE_PANELS, CASE_TIMELINE_SOURCES, CaseEvent, CasePanel
from hifazat.core.audit import Actor
from hifazat.core.navigation import NAVIGATION, Section
from hifazat.livelihoods.models import Enrolment, ProgrammeReferral
from hifazat.livelihoods.selectors import enrolments_visible_to, person_enrolments, visits_due
from hifazat.livelihoods.services import LIVELIHOOD_PLAN
from hifazat.notifications.selectors import WORKLIST_SOURCES, WorkItem, WorkSection
from hifazat.people.selectors import TIMELINE_SOURCES, TimelineEvent

WORK_ITEMS = 5


def worklist(actor: Actor) -> list[WorkSection]:
    """For those who enrol: follow-up visits due in the next two weeks or overdue, and referrals from cases that
    wait for a decision."""
    if not actor.can("livelihoods.enrol"):
        return []
    sections = []
    visits = visits_due(actor)
    total = visits.count()
    if total:
        sections.append(
            WorkSection(
                key="livelihoods.visits",
                title=gettext_lazy("Livelihood follow-up visits due"),
                items=[
                    WorkItem(
                        label=f"{v.enrolment.person.full_name} · {v.enrolment.programme.name}",
                        url=reverse("livelihoods:visit_record", args=[v.uuid]),
                        due=v.due_on,
                        detail=_("%(months)s months after enrolment") % {"months": v.months_after},
                    )
                    for v in visits[:WORK_ITEMS]
                ],
                total=total,
                weight=140,
            )
        )
    referrals = ProgrammeReferral.objects.filter(
        programme__implementing_organisation=actor.organisation, status=ProgrammeReferral.Status.OPEN
    ).select_related("programme", "case")
    count = referrals.count()
    if count:
        sections.append(
            WorkSection(
                key="livelihoods.referrals",
                title=gettext_lazy("Referrals to livelihood programmes"),
                items=[
                    WorkItem(
                        label=f"{r.case.number} · {r.programme.name}",
                        url=reverse("livelihoods:programme_ranking", args=[r.programme.uuid])
                        + "?show=referred",
                    )
                    for r in referrals[:WORK_ITEMS]
                ],
                total=count,
                weight=141,
            )
        )
    return sections


def timeline_events(person, actor: Actor) -> list[TimelineEvent]:
    """The person's enrolments and the support they received, for roles that see livelihood programmes."""
    if not actor.can("livelihoods.view"):
        return []
    events = []
    for enrolment in enrolments_visible_to(actor).filter(person=person).prefetch_related("support"):
        events.append(
            TimelineEvent(
                enrolment.created_at,
                "livelihoods",
                f"{enrolment.programme.name}: {enrolment.get_status_display()}",
                getattr(enrolment.created_by, "username", ""),
            )
        )
        for support in enrolment.support.all():
            amount = f" {support.amount} {support.currency}" if support.amount is not None else ""
            events.append(
                TimelineEvent(
                    support.created_at,
                    "livelihoods",
                    f"{enrolment.programme.name}: {support.get_kind_display()}{amount}",
                )
            )
    return events


def case_panel(case, actor: Actor) -> CasePanel | None:
    """On the case page: the person's referrals to programmes, enrolments, support totals and outcomes."""
    if not actor.can("cases.view"):
        return None
    enrolments = list(person_enrolments(case.person, actor)) if actor.can("livelihoods.view") else []
    referrals = list(case.livelihood_referrals.select_related("programme", "support_plan"))
    can_refer = actor.can("cases.edit") and case.is_open
    plans = (
        list(
            case.support_plans.filter(plan_type=LIVELIHOOD_PLAN, actual_end_date__isnull=True).order_by(
                "created_at"
            )
        )
        if can_refer
        else []
    )
    return CasePanel(
        key="livelihoods",
        title=gettext_lazy("Livelihoods"),
        template="livelihoods/case_panel.html",
        context={
            "enrolments": enrolments,
            "referrals": referrals,
            "plans": plans,
            "can_open": actor.can("livelihoods.view"),
        },
        weight=600,
    )


def case_events(case, actor: Actor) -> list[CaseEvent]:
    if not actor.can("cases.view"):
        return []
    events = [
        CaseEvent(
            r.created_at, "livelihoods", _("Referred to %(programme)s") % {"programme": r.programme.name}
        )
        for r in case.livelihood_referrals.select_related("programme")
    ]
    if actor.can("livelihoods.view"):
        for e in (
            enrolments_visible_to(actor)
            .filter(person=case.person_id)
            .exclude(status=Enrolment.Status.WAITING)
        ):
            events.append(
                CaseEvent(e.modified_at, "livelihoods", f"{e.programme.name}: {e.get_status_display()}")
            )
    return events


NAVIGATION.register(
    Section(
        gettext_lazy("Livelihoods"),
        "livelihoods:programme_list",
        "livelihoods.view",
        gettext_lazy("Programmes, ranked selection, support and outcomes"),
        weight=140,
    )
)
NAVIGATION.register(
    Section(
        gettext_lazy("Programme figures"),
        "livelihoods:figures_list",
        "livelihoods.aggregates",
        gettext_lazy("Aggregate figures of the livelihood programmes you run or fund"),
        weight=145,
    )
)
WORKLIST_SOURCES.register(worklist)
TIMELINE_SOURCES.register(timeline_events)
CASE_PANELS.register(case_panel)
CASE_TIMELINE_SOURCES.register(case_events)
