"""The alert rules. Each looks at one report as it arrives (or changes) and says what pattern it completes, with
the evidence; ``raise_alert`` then opens an alert for the pattern, or adds the report to the open one.

1. **Shared trace** (``shared_trace``): the report names a phone number, a vehicle plate or a name that another
   report of the network names too, from another site, and the two happened within ``WINDOW_DAYS`` (30) days of
   each other. One open alert per cluster (``linking``), however many traces the reports share: two reports
   with the same phone, plate and name are one pattern, not three. The evidence lists every shared trace and
   every report naming one within 30 days of the newest; when clusters join, their open alerts become one.
2. **Rise at a site** (``site_rise``): reports of one kind at one site in the 7 days up to the report's date,
   against the same site's and kind's weekly counts in the 8 weeks before (the baseline). It fires when the count
   is at least ``RISE_MIN`` (3) and above the baseline's mean plus two standard deviations, the deviation taken
   as at least one report (so a site with a flat baseline needs a real jump, not one extra report). This is the
   statistic of the CDC's Early Aberration Reporting System (C2), with weeks instead of days. Reports closed as
   duplicates or unfounded do not count.
3. **High-risk person** (``high_risk_person``): a registered person whose latest screening band is high or
   urgent is named in the report: linked to it, or found in the network organisation's registry under the same
   name, spelling variants allowed (``people.search``, the same canonical or phonetic name; the evidence says
   which, so that a focal point checks a name match before acting on it).
4. **Child leaving** (``child_leaving``): a report of a child leaving with a non-family adult names a registered
   child, unless the adult is registered in the child's own household.
5. **Child exit** (``child_exit``), raised by a camp exit itself (``services.exit_record``): a registered child
   left alone or with a non-relative. It shares its key with rule 4, so one child has one open alert.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hifazat.accounts.models import Membership
from hifazat.core import sequences
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.permissions import roles_that_can
from hifazat.monitoring.models import (
    Alert,
    AlertRule,
    InvolvedRole,
    Mention,
    Priority,
    Report,
    ReportKind,
    validate_fields,
)
from hifazat.monitoring.normalise import ALERT_KINDS
from hifazat.notifications.services import notify
from hifazat.people.models import Person
from hifazat.people.search import person_search
from hifazat.screening.models import Band, Screening

WINDOW_DAYS = 30
RISE_DAYS = 7
BASELINE_WEEKS = 8
RISE_MIN = 3
RISE_SD = 2
NOT_COUNTED = (Report.Outcome.DUPLICATE, Report.Outcome.UNFOUNDED)
HIGH_RISK = (Band.HIGH, Band.URGENT)


@dataclass
class Finding:
    """A pattern a rule found: what it is about (``key``), how serious, the evidence and the reports."""

    rule: str
    key: str
    severity: str
    evidence: dict
    reports: list[int]
    first_seen: datetime.date
    last_seen: datetime.date
    site_id: int | None = None
    person_id: int | None = None
    entity_id: int | None = None
    # For rules keyed by cluster: the report's cluster label, under which open alerts of the rule are found again
    # (an alert raised under a label that a merge of clusters has since replaced included).
    cluster: int | None = None
    extra: dict = field(default_factory=dict)


def _report_row(row: dict) -> dict:
    return {
        "number": row["report__number"],
        "uuid": str(row["report__uuid"]),
        "site": row["report__site__name"] or "",
        "occurred_on": row["report__occurred_on"].isoformat(),
    }


def shared_traces(report: Report) -> list[Finding]:
    """Rule 1: the same phone, plate or name in reports from two or more sites within 30 days."""
    if report.site_id is None:
        return []
    day = report.occurred_on
    window = (day - datetime.timedelta(days=WINDOW_DAYS), day + datetime.timedelta(days=WINDOW_DAYS))
    entities = Mention.objects.filter(report=report, entity__kind__in=ALERT_KINDS).values("entity_id")
    rows = (
        Mention.objects.filter(entity_id__in=entities, report__occurred_on__range=window)
        .exclude(report__outcome__in=NOT_COUNTED)
        .values(
            "entity_id",
            "entity__kind",
            "entity__value",
            "entity__display",
            "report_id",
            "report__number",
            "report__uuid",
            "report__site_id",
            "report__site__name",
            "report__occurred_on",
        )
        .order_by("report__occurred_on", "report_id")
    )
    by_entity: dict[int, list[dict]] = {}
    for row in rows:
        by_entity.setdefault(row["entity_id"], []).append(row)
    traces: list[dict] = []
    entity_ids: list[int] = []
    found: dict[int, dict] = {}  # every report naming a shared trace, once
    for entity_id, mentions in by_entity.items():
        other_sites = {m["report__site_id"] for m in mentions if m["report_id"] != report.pk} - {None}
        if not other_sites - {report.site_id}:
            continue
        first = mentions[0]
        traces.append(
            {
                "kind": first["entity__kind"],
                "value": first["entity__value"],
                "display": first["entity__display"],
            }
        )
        entity_ids.append(entity_id)
        for m in mentions:
            found.setdefault(m["report_id"], m)
    if not traces:
        return []
    mentions = sorted(found.values(), key=lambda m: (m["report__occurred_on"], m["report_id"]))
    sites = sorted({m["report__site__name"] for m in mentions if m["report__site_id"]})
    return [
        Finding(
            rule=AlertRule.SHARED_TRACE,
            key=f"cluster:{report.cluster or report.pk}",
            severity=Priority.URGENT if len(sites) >= 3 else Priority.HIGH,
            evidence={
                "traces": traces,
                "window_days": WINDOW_DAYS,
                "sites": sites,
                "reports": [_report_row(m) for m in mentions],
            },
            reports=[m["report_id"] for m in mentions],
            first_seen=mentions[0]["report__occurred_on"],
            last_seen=mentions[-1]["report__occurred_on"],
            entity_id=entity_ids[0],
            cluster=report.cluster or report.pk,
        )
    ]


def site_rise(report: Report) -> list[Finding]:
    """Rule 2: more reports of the report's kind at its site in the last 7 days than the 8 weeks before suggest."""
    if report.site_id is None:
        return []
    day = report.occurred_on
    window_start = day - datetime.timedelta(days=RISE_DAYS - 1)
    baseline_start = window_start - datetime.timedelta(days=7 * BASELINE_WEEKS)
    rows = list(
        Report.objects.filter(
            network_id=report.network_id,
            site_id=report.site_id,
            kind=report.kind,
            occurred_on__range=(baseline_start, day),
        )
        .exclude(outcome__in=NOT_COUNTED)
        .values_list("pk", "number", "uuid", "occurred_on")
    )
    current = [row for row in rows if row[3] >= window_start]
    weekly = [0] * BASELINE_WEEKS
    for _pk, _number, _uuid, occurred in rows:
        if occurred < window_start:
            weekly[((window_start - occurred).days - 1) // 7] += 1
    mean = statistics.fmean(weekly)
    deviation = statistics.pstdev(weekly)
    threshold = mean + RISE_SD * max(deviation, 1.0)
    if len(current) < RISE_MIN or len(current) <= threshold:
        return []
    return [
        Finding(
            rule=AlertRule.SITE_RISE,
            key=f"rise:{report.site_id}:{report.kind}",
            severity=Priority.HIGH,
            evidence={
                "kind": report.kind,
                "site": report.site.name,
                "window": [window_start.isoformat(), day.isoformat()],
                "count": len(current),
                "baseline_weeks": list(reversed(weekly)),  # oldest week first
                "baseline_mean": round(mean, 2),
                "baseline_sd": round(deviation, 2),
                "threshold": round(threshold, 2),
                "statistic": "count in 7 days > mean + 2 × max(sd, 1) of the 8 weekly counts before; count ≥ 3",
                "reports": [
                    {"number": number, "uuid": str(uuid), "occurred_on": occurred.isoformat()}
                    for _pk, number, uuid, occurred in current
                ],
            },
            reports=[row[0] for row in current],
            first_seen=min(row[3] for row in current),
            last_seen=max(row[3] for row in current),
            site_id=report.site_id,
        )
    ]


def _registry(network_id: int):
    latest = Screening.objects.filter(person=OuterRef("pk")).order_by("-screened_at", "-id")
    return Person.objects.filter(
        organisation_id=network_id, is_active=True, merged_into__isnull=True
    ).annotate(latest_band=Subquery(latest.values("band")[:1]))


def named_people(report: Report) -> list[tuple[Person, str, str]]:
    """The registered people a report names: ``(person, role, how)``, ``how`` being "linked" (a focal point or
    the reporter linked them) or "name" (the same canonical or phonetic name in the network organisation's
    registry, at most three people per name given)."""
    registry = _registry(report.network_id)
    out: dict[int, tuple[Person, str, str]] = {}
    involved = list(report.people.all())
    linked_ids = {rp.person_id: rp.role for rp in involved if rp.person_id}
    for person in registry.filter(pk__in=linked_ids).select_related("household"):
        out[person.pk] = (person, linked_ids[person.pk], "linked")
    for rp in involved:
        if rp.person_id or not rp.name or rp.role == InvolvedRole.COMPANION:
            continue
        for person in (
            person_search(registry, rp.name).filter(search_rank__gte=1).select_related("household")[:3]
        ):
            out.setdefault(person.pk, (person, rp.role, "name"))
    return list(out.values())


def registered_people(report: Report) -> list[Finding]:
    """Rules 3 and 4: a registered high-risk person named; a registered child reported leaving with an adult who
    is not of their family."""
    named = named_people(report)
    if not named:
        return []
    companions = {
        rp.person.household_id
        for rp in report.people.filter(role=InvolvedRole.COMPANION, person__isnull=False).select_related(
            "person"
        )
        if rp.person.household_id
    }
    row = {
        "number": report.number,
        "uuid": str(report.uuid),
        "site": report.site.name if report.site_id else "",
        "occurred_on": report.occurred_on.isoformat(),
    }
    findings = []
    for person, role, how in named:
        evidence = {"person": str(person.uuid), "how": how, "role": role, "reports": [row]}
        if role != InvolvedRole.COMPANION and person.latest_band in HIGH_RISK:
            findings.append(
                Finding(
                    rule=AlertRule.HIGH_RISK_PERSON,
                    key=f"high_risk:{person.pk}",
                    severity=Priority.URGENT if person.latest_band == Band.URGENT else Priority.HIGH,
                    evidence={**evidence, "band": person.latest_band},
                    reports=[report.pk],
                    first_seen=report.occurred_on,
                    last_seen=report.occurred_on,
                    person_id=person.pk,
                    site_id=report.site_id,
                )
            )
        if (
            report.kind == ReportKind.CHILD_LEAVING
            and role in (InvolvedRole.AT_RISK, InvolvedRole.MISSING)
            and person.is_child
            and not (person.household_id and person.household_id in companions)
        ):
            findings.append(
                Finding(
                    rule=AlertRule.CHILD_LEAVING,
                    key=f"child:{person.pk}",
                    severity=Priority.URGENT,
                    evidence=evidence,
                    reports=[report.pk],
                    first_seen=report.occurred_on,
                    last_seen=report.occurred_on,
                    person_id=person.pk,
                    site_id=report.site_id,
                )
            )
    return findings


def check_report(actor: Actor | None, report: Report) -> list[Alert]:
    """Run every rule on ``report``; open or add to an alert for each finding. Returns the alerts touched."""
    findings = [*shared_traces(report), *site_rise(report), *registered_people(report)]
    return [raise_alert(actor, report.network, finding) for finding in findings]


def next_alert_number(network, year: int) -> str:
    """``<network short name>-A-<year>-<sequence>``, from the network's locked counter of alerts for the year
    (``core.sequences``)."""
    return sequences.next_number(
        organisation=network,
        kind=sequences.Kind.ALERT,
        year=year,
        prefix=f"{network.short_name or 'NET'}-A-{year}-",
        existing=Alert.objects.filter(network=network),
    )


def _open_alerts(network, finding: Finding) -> list[Alert]:
    """The open alerts of ``finding``'s pattern, locked, oldest first: the one under its key and, for a rule keyed
    by cluster, every open alert of the rule about a report of the cluster (raised before clusters joined)."""
    same = Q(key=finding.key)
    if finding.cluster is not None:
        same |= Q(rule=finding.rule, reports__cluster=finding.cluster)
    # The ids first: PostgreSQL locks no rows of a query with DISTINCT, which the join to reports needs.
    ids = Alert.objects.filter(same, network=network).exclude(status=Alert.Status.RESOLVED).values("pk")
    return list(Alert.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def raise_alert(actor: Actor | None, network, finding: Finding) -> Alert:
    """Open an alert for ``finding``, or bring the open alert for the same pattern up to date. A new alert is
    audited and notified to the network's focal points and supervisors (the title holds only its number and
    rule). An alert brought up to date gets the new reports and evidence, a line in its history and an audit
    entry, and is notified again only if it became more severe. Two open alerts of one pattern (their clusters
    joined) become one: the older keeps the other's evidence, the other is resolved as merged into it."""
    found = _open_alerts(network, finding)
    if found:
        return _update_alert(actor, network, found[0], finding, merged=found[1:])
    alert = Alert(
        network=network,
        number=next_alert_number(network, finding.last_seen.year),
        rule=finding.rule,
        key=finding.key,
        severity=finding.severity,
        evidence=finding.evidence,
        site_id=finding.site_id,
        person_id=finding.person_id,
        entity_id=finding.entity_id,
        first_seen_on=finding.first_seen,
        last_seen_on=finding.last_seen,
        created_by=actor.user if actor else None,
        modified_by=actor.user if actor else None,
    )
    validate_fields(alert)
    alert.save()
    alert.reports.add(*finding.reports)
    audit(actor, AuditEntry.Action.CREATE, alert, rule=finding.rule, reports=len(finding.reports))
    notify(
        recipients=network_watchers(network),
        kind="monitoring.alert",
        title=_("Alert %(number)s: %(rule)s") % {"number": alert.number, "rule": alert.get_rule_display()},
        url=alert.get_absolute_url(),
        organisation=network,
    )
    return alert


def _update_alert(
    actor: Actor | None, network, alert: Alert, finding: Finding, *, merged: list[Alert]
) -> Alert:
    """Bring the open ``alert`` up to date with ``finding`` and fold the ``merged`` alerts of the same pattern
    into it. Saves name their fields: a focal point's change to the owner or status meanwhile stays (the rows are
    locked by ``_open_alerts``, as ``services`` locks them before a focal point's change)."""
    before = set(alert.reports.values_list("pk", flat=True))
    severity_before = alert.severity
    evidence, first_seen, last_seen, severity = (
        alert.evidence,
        alert.first_seen_on,
        alert.last_seen_on,
        alert.severity,
    )
    added = set(finding.reports)
    for other in merged:
        evidence = _merge_evidence(evidence, other.evidence)
        first_seen, last_seen = min(first_seen, other.first_seen_on), max(last_seen, other.last_seen_on)
        severity = max(severity, other.severity, key=_severity_rank)
        added |= set(other.reports.values_list("pk", flat=True))
        _fold(actor, other, into=alert)
    evidence = _merge_evidence(evidence, finding.evidence)
    added -= before
    if added or merged:
        numbers = list(
            Report.objects.filter(pk__in=added).order_by("occurred_on", "pk").values_list("number", flat=True)
        )
        line = {"at": timezone.now().isoformat(timespec="seconds"), "added": numbers}
        if merged:
            line["merged"] = [other.number for other in merged]
        evidence["history"] = [*evidence.get("history", []), line]
    alert.evidence = evidence
    alert.first_seen_on = min(first_seen, finding.first_seen)
    alert.last_seen_on = max(last_seen, finding.last_seen)
    alert.severity = max(severity, finding.severity, key=_severity_rank)
    alert.key = finding.key
    validate_fields(alert)
    alert.save(update_fields=["key", "evidence", "first_seen_on", "last_seen_on", "severity", "modified_at"])
    if added:
        alert.reports.add(*added)
    escalated = _severity_rank(alert.severity) > _severity_rank(severity_before)
    if added or merged or escalated:
        changed = ["evidence", "reports"] + (["severity"] if escalated else [])
        audit(
            actor,
            AuditEntry.Action.UPDATE,
            alert,
            fields=changed,
            reports_added=len(added),
            merged=[str(other.uuid) for other in merged],
        )
    if escalated:
        notify(
            recipients=network_watchers(network),
            kind="monitoring.alert",
            title=_("Alert %(number)s is now %(severity)s: %(rule)s")
            % {
                "number": alert.number,
                "severity": alert.get_severity_display(),
                "rule": alert.get_rule_display(),
            },
            url=alert.get_absolute_url(),
            organisation=network,
        )
    return alert


def _fold(actor: Actor | None, other: Alert, *, into: Alert) -> None:
    """Resolve ``other`` as merged into ``into`` (its evidence and reports are taken over by the caller)."""
    other.status = Alert.Status.RESOLVED
    other.resolved_at = timezone.now()
    other.resolved_by = actor.user if actor else None
    other.resolution = _("Merged into alert %(number)s: the same pattern.") % {"number": into.number}
    validate_fields(other)
    other.save(update_fields=["status", "resolved_at", "resolved_by", "resolution", "modified_at"])
    audit(actor, AuditEntry.Action.UPDATE, other, fields=["status", "resolution"], merged_into=str(into.uuid))


def fold_cluster_alerts(actor: Actor | None, report: Report) -> None:
    """After clusters joined by hand (``services.report_link_reports``): the open alerts of each rule keyed by
    cluster about reports of ``report``'s cluster become one."""
    label = report.cluster or report.pk
    found = _open_alerts(
        report.network,
        Finding(
            rule=AlertRule.SHARED_TRACE,
            key=f"cluster:{label}",
            severity=Priority.LOW,
            evidence={},
            reports=[],
            first_seen=report.occurred_on,
            last_seen=report.occurred_on,
            cluster=label,
        ),
    )
    if len(found) > 1:
        keep = found[0]
        finding = Finding(
            rule=keep.rule,
            key=f"cluster:{label}",
            severity=keep.severity,
            evidence={},
            reports=[],
            first_seen=keep.first_seen_on,
            last_seen=keep.last_seen_on,
            cluster=label,
        )
        _update_alert(actor, report.network, keep, finding, merged=found[1:])


def _severity_rank(severity: str) -> int:
    return list(Priority.values).index(severity)


def _merge_evidence(old: dict, new: dict) -> dict:
    """The new evidence, with the reports (and traces) of the old that the new no longer lists kept (a rule looks
    only at a window around the newest report; what it saw before remains evidence), and the old's history."""
    listed = {row["uuid"] for row in new.get("reports", [])}
    kept = [row for row in old.get("reports", []) if row["uuid"] not in listed]
    merged = {**old, **new, "reports": sorted(kept + new.get("reports", []), key=lambda r: r["occurred_on"])}
    if "sites" in old or "sites" in new:
        merged["sites"] = sorted(set(old.get("sites", [])) | set(new.get("sites", [])))
    if "traces" in old or "traces" in new:
        traces = {(t["kind"], t["value"]): t for t in [*old.get("traces", []), *new.get("traces", [])]}
        merged["traces"] = list(traces.values())
    history = [
        *old.get("history", []),
        *[h for h in new.get("history", []) if h not in old.get("history", [])],
    ]
    if history:
        merged["history"] = history
    return merged


def network_watchers(network) -> list:
    """The focal points and supervisors of a network: who is told about its alerts."""
    return [
        m.user
        for m in Membership.objects.filter(
            role__in=roles_that_can("monitoring.triage"),
            organisation=network,
            is_active=True,
        ).select_related("user")
    ]
