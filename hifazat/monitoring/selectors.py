"""Reads of the monitoring network, starting from what the actor may see.

A network's focal points and supervisors see the network's reports, alerts and reporters (the network is their
organisation); a reporter sees only the reports they wrote; nobody sees another network's. Camp exits belong to
the organisation that recorded them.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.accounts.models import User
from hifazat.core.audit import Actor
from hifazat.core.permissions import roles_that_can
from hifazat.monitoring.models import Alert, CampExit, Entity, Report, Reporter
from hifazat.notifications.selectors import WorkItem, WorkSection
from hifazat.people.models import Person
from hifazat.people.selectors import TimelineEvent, persons_visible_to


def reports_visible_to(actor: Actor | None) -> QuerySet[Report]:
    """The network's reports for its focal points and supervisors; a reporter's own reports for anyone else who
    may report."""
    if actor is None:
        return Report.objects.none()
    reports = Report.objects.select_related("site", "reporter__user", "assignee")
    if actor.can("monitoring.view"):
        return reports.filter(network=actor.organisation)
    if actor.can("monitoring.report"):
        return reports.filter(reporter__user=actor.user, source=Report.Source.NETWORK)
    return Report.objects.none()


def alerts_visible_to(actor: Actor | None) -> QuerySet[Alert]:
    if actor is None or not actor.can("alerts.view"):
        return Alert.objects.none()
    return Alert.objects.filter(network=actor.organisation).select_related("site", "owner", "entity")


def reporters_visible_to(actor: Actor | None) -> QuerySet[Reporter]:
    if actor is None or not actor.can("monitoring.manage_reporters"):
        return Reporter.objects.none()
    return (
        Reporter.objects.filter(network=actor.organisation)
        .select_related("user", "organisation")
        .annotate(report_count=Count("reports"))
        .order_by("user__username")
    )


def exits_visible_to(actor: Actor | None) -> QuerySet[CampExit]:
    if actor is None or not (actor.can("monitoring.record_exit") or actor.can("monitoring.view")):
        return CampExit.objects.none()
    return CampExit.objects.filter(organisation=actor.organisation).select_related("person", "site", "report")


def persons_linkable_by(actor: Actor | None) -> QuerySet[Person]:
    """The registered people the actor may link to a report or record an exit for: the registry as the actor
    sees it, or, for a focal point (who has no registry pages), the organisation's current registry, of which
    the monitoring pages show only the name, age and site."""
    if actor is None:
        return Person.objects.none()
    if actor.can("people.view"):
        return persons_visible_to(actor)
    if actor.can("monitoring.triage") or actor.can("monitoring.record_exit"):
        return Person.objects.filter(
            organisation=actor.organisation, is_active=True, merged_into__isnull=True
        )
    return Person.objects.none()


def reporter_candidates(actor: Actor) -> QuerySet[User]:
    """Users a focal point may add to the network: network reporters of any organisation, and the staff of
    their own organisation who report, who are not yet reporters anywhere."""
    if not actor.can("monitoring.manage_reporters"):
        return User.objects.none()
    staff = roles_that_can("monitoring.report_unregistered")
    return (
        User.objects.filter(
            Q(memberships__role__in=roles_that_can("monitoring.report") - staff)
            | Q(memberships__organisation=actor.organisation, memberships__role__in=staff),
            memberships__is_active=True,
            is_active=True,
            reporter_profile__isnull=True,
        )
        .distinct()
        .order_by("username")
    )


def cluster_reports(actor: Actor, report: Report) -> QuerySet[Report]:
    """The reports of ``report``'s cluster that the actor may see."""
    return reports_visible_to(actor).filter(cluster=report.cluster)


def entity_lookup(actor: Actor, kind: str, value: str) -> Entity | None:
    """The network's entity for a normalised value, if the actor may see the network."""
    if not actor.can("monitoring.view"):
        return None
    return Entity.objects.filter(network=actor.organisation, kind=kind, value=value).first()


# --- The work list and the person timeline ------------------------------------------------------------------

SHOWN = 5


def worklist(actor: Actor) -> list[WorkSection]:
    """For focal points and supervisors: reports waiting for triage, reports assigned to them, open alerts."""
    if not actor.can("monitoring.triage"):
        return []
    reports = reports_visible_to(actor)
    sections = []
    new = reports.filter(status=Report.Status.NEW).order_by("-occurred_on", "-id")
    mine = reports.filter(assignee=actor.user, status__in=[Report.Status.TRIAGED, Report.Status.ACTIONED])
    alerts = alerts_visible_to(actor).exclude(status=Alert.Status.RESOLVED)
    queue_url = reverse("monitoring:report_list")
    for key, title, queryset, more, weight in (
        ("monitoring-alerts", gettext_lazy("Open alerts"), alerts, reverse("monitoring:alert_list"), 110),
        ("monitoring-new", gettext_lazy("Reports to triage"), new, f"{queue_url}?status=new", 111),
        ("monitoring-mine", gettext_lazy("Reports assigned to me"), mine, f"{queue_url}?assigned=me", 112),
    ):
        total = queryset.count()
        if not total:
            continue
        items = [
            WorkItem(
                label=row.number,
                url=reverse(
                    "monitoring:alert_detail" if isinstance(row, Alert) else "monitoring:report_detail",
                    args=[row.uuid],
                ),
                detail=row.get_rule_display() if isinstance(row, Alert) else row.get_kind_display(),
            )
            for row in queryset[:SHOWN]
        ]
        sections.append(WorkSection(key, title, items, total, more, weight))
    return sections


def person_timeline(person: Person, actor: Actor) -> list[TimelineEvent]:
    """A person's camp exits, for those who record or watch them; and the reports that name them, for the
    network's focal points and supervisors."""
    events = []
    if actor.can("monitoring.record_exit") or actor.can("monitoring.view"):
        for exit_ in exits_visible_to(actor).filter(person=person).select_related("created_by"):
            when = datetime.datetime.combine(exit_.departed_on, datetime.time(12), tzinfo=datetime.UTC)
            text = f"{_('Left the site')}: {exit_.get_companion_display()}, {exit_.get_reason_display()}"
            events.append(TimelineEvent(when, "camp_exit", text, getattr(exit_.created_by, "username", "")))
    if actor.can("monitoring.view"):
        for report in reports_visible_to(actor).filter(people__person=person).distinct():
            when = datetime.datetime.combine(report.occurred_on, datetime.time(12), tzinfo=datetime.UTC)
            events.append(TimelineEvent(when, "monitoring_report", f"{_('Named in report')} {report.number}"))
    return events
