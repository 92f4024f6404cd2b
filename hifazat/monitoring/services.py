"""Writes of the monitoring network: reporters, reports and tips, triage and actions, attachments and alerts
(camp exits are in ``exit_services``). Each takes ``actor=`` (``None`` only for an anonymous tip), checks the permission
matrix and the network's scope, runs in one transaction, validates with ``full_clean`` (``models.validate_fields``
on the paths every report takes) and leaves one audit entry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hifazat.accounts.models import Membership, Organisation, User
from hifazat.core import sequences
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.core.permissions import role_can, roles_that_can
from hifazat.core.versioning import check_version
from hifazat.monitoring import images, linking, rules
from hifazat.monitoring.models import (
    Alert,
    InvolvedRole,
    Report,
    ReportAction,
    ReportAttachment,
    Reporter,
    ReporterKind,
    ReportLink,
    ReportPerson,
    validate_fields,
)
from hifazat.notifications.services import notify
from hifazat.people.models import Person

A = AuditEntry.Action


def host_organisation() -> Organisation | None:
    """The organisation that hosts this installation: anonymous tips go to its monitoring network."""
    return Organisation.objects.filter(hosts_system=True, is_active=True).order_by("pk").first()


def _in_network(actor: Actor, network_id: int) -> None:
    if actor.organisation is None or network_id != actor.organisation.pk:
        raise PermissionDenied("this record belongs to another organisation's monitoring network")


def _network_member(organisation: Organisation, user: User | None, roles: Iterable[str]) -> None:
    if (
        user is not None
        and not Membership.objects.filter(
            user=user, organisation=organisation, role__in=list(roles), is_active=True
        ).exists()
    ):
        raise ValidationError({"owner": _("Choose a focal point or supervisor of your organisation.")})


# --- Reporters ---------------------------------------------------------------------------------------------


@transaction.atomic
def reporter_register(
    *,
    actor: Actor,
    user: User,
    kind: str,
    sites: Iterable = (),
    reliability: str = "F",
    reliability_note: str = "",
) -> Reporter:
    """Add ``user`` to the actor's organisation's monitoring network. The user may belong to any organisation
    (a police officer, a doctor, a community leader's NGO); their role must be one that reports."""
    require(actor, "monitoring.manage_reporters")
    membership = user.active_membership()
    if membership is None or not role_can(membership.role, "monitoring.report"):
        raise ValidationError({"user": _("This user's role cannot submit reports.")})
    if Reporter.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This user is already a reporter of a monitoring network.")})
    reporter = Reporter(
        user=user,
        network=actor.organisation,
        organisation=membership.organisation,
        kind=kind,
        reliability=reliability,
        reliability_note=reliability_note,
        created_by=actor.user,
        modified_by=actor.user,
    )
    reporter.full_clean()
    reporter.save()
    reporter.sites.set(list(sites))
    audit(actor, A.CREATE, reporter, kind=kind, reliability=reliability)
    return reporter


@transaction.atomic
def reporter_update(
    *, actor: Actor, reporter: Reporter, sites: Iterable | None = None, **data: Any
) -> Reporter:
    """Change a reporter's kind, reliability grade (with why) or whether they are active, and the sites they
    cover. Only the network's own focal points and supervisors may."""
    require(actor, "monitoring.manage_reporters")
    _in_network(actor, reporter.network_id)
    unknown = set(data) - {"kind", "reliability", "reliability_note", "is_active"}
    if unknown:
        raise ValueError(f"fields that cannot be changed here: {sorted(unknown)}")
    changed = changed_fields(reporter, data)
    for name, value in data.items():
        setattr(reporter, name, value)
    reporter.modified_by = actor.user
    reporter.full_clean()
    reporter.save(update_fields=[*changed, "modified_by", "modified_at"])
    if sites is not None:
        sites = list(sites)
        if {s.pk for s in sites} != set(reporter.sites.values_list("pk", flat=True)):
            changed.append("sites")
        reporter.sites.set(sites)
    audit(actor, A.UPDATE, reporter, fields=sorted(changed))
    return reporter


def reporter_of(actor: Actor) -> Reporter:
    """The actor's reporter profile. Staff who report (focal points, supervisors, caseworkers) get one the first
    time, in their own organisation's network if they watch it, else the host's; a network reporter must have
    been registered by a focal point, who thereby chose their network."""
    profile = Reporter.objects.filter(user=actor.user).select_related("network").first()
    if profile is not None:
        if not profile.is_active:
            raise PermissionDenied("this reporter was removed from the monitoring network")
        return profile
    if not actor.can("monitoring.report_unregistered"):
        raise PermissionDenied("not registered as a reporter of a monitoring network")
    network = (
        actor.organisation if actor.can("monitoring.view") else (host_organisation() or actor.organisation)
    )
    profile = Reporter(
        user=actor.user,
        network=network,
        organisation=actor.organisation,
        kind=ReporterKind.AID_WORKER,
        created_by=actor.user,
        modified_by=actor.user,
    )
    profile.full_clean()
    profile.save()
    audit(actor, A.CREATE, profile, kind=profile.kind, reliability=profile.reliability)
    return profile


# --- Reports and tips -----------------------------------------------------------------------------------------


def next_report_number(network: Organisation, year: int) -> str:
    """``<network short name>-R-<year>-<sequence>``, from the network's locked counter of reports for the year
    (``core.sequences``)."""
    return sequences.next_number(
        organisation=network,
        kind=sequences.Kind.REPORT,
        year=year,
        prefix=f"{network.short_name or 'NET'}-R-{year}-",
        existing=Report.objects.filter(network=network),
    )


def _make_report(
    *,
    actor: Actor | None,
    network: Organisation,
    source: str,
    reporter: Reporter | None,
    kind: str,
    occurred_on: datetime.date,
    description: str,
    site=None,
    area=None,
    place: str = "",
    latitude=None,
    longitude=None,
    traces: dict | None = None,
    people: Iterable[dict] = (),
) -> Report:
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if (latitude is None) != (longitude is None):  # the database's report_coordinates_both_or_neither
        missing = "latitude" if latitude is None else "longitude"
        raise ValidationError({missing: _("Give both the latitude and the longitude, or neither.")})
    report = Report(
        network=network,
        number=next_report_number(network, occurred_on.year),
        source=source,
        reporter=reporter,
        kind=kind,
        occurred_on=occurred_on,
        site=site,
        area=area or (site.area if site is not None else None),
        place=place,
        latitude=latitude,
        longitude=longitude,
        description=description,
        traces=linking.clean_traces(traces or {}),
        created_by=actor.user if actor else None,
        modified_by=actor.user if actor else None,
    )
    validate_fields(report)
    report.save()
    for row in people:
        person = row.get("person")
        if person is not None and person.organisation_id != network.pk:
            raise PermissionDenied("a report can name only people registered by its network's organisation")
        involved = ReportPerson(
            report=report,
            role=row.get("role") or InvolvedRole.AT_RISK,
            person=person,
            name=(row.get("name") or "")[:160],
            description=(row.get("description") or "")[:300],
            created_by=report.created_by,
            modified_by=report.created_by,
        )
        if not (involved.person or involved.name or involved.description):
            continue
        validate_fields(involved)
        involved.save()
    linking.link_report(report)
    return report


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    kind: str,
    occurred_on: datetime.date,
    description: str,
    site=None,
    area=None,
    place: str = "",
    latitude=None,
    longitude=None,
    traces: dict | None = None,
    people: Iterable[dict] = (),
    photos: Iterable[bytes] = (),
) -> Report:
    """A reporter's report: into their network's triage queue, linked to the reports that share its traces, and
    checked against the alert rules at once. ``traces`` maps an entity kind (phone, plate, name, employer,
    destination) to the values as written; ``people`` are dicts of role, name, description and, where known,
    ``person`` (registered by the network's organisation); ``photos`` are image files' bytes."""
    require(actor, "monitoring.report")
    reporter = reporter_of(actor)
    report = _make_report(
        actor=actor,
        network=reporter.network,
        source=Report.Source.NETWORK,
        reporter=reporter,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
        site=site,
        area=area,
        place=place,
        latitude=latitude,
        longitude=longitude,
        traces=traces,
        people=people,
    )
    for data in photos:
        _attach(actor, report, data)
    alerts = rules.check_report(actor, report)
    audit(
        actor,
        A.CREATE,
        report,
        kind=kind,
        traces=sum(len(v) for v in report.traces.values()),
        photos=report.attachments.count(),
        alerts=len(alerts),
    )
    return report


@transaction.atomic
def tip_submit(
    *,
    kind: str,
    description: str,
    occurred_on: datetime.date | None = None,
    site=None,
    place: str = "",
    traces: dict | None = None,
) -> Report:
    """An anonymous tip from the public, into the host organisation's triage queue, marked as a tip. Nothing
    about the sender is taken: no user, no address (the audit entry has neither)."""
    network = host_organisation()
    if network is None:
        raise ValidationError(_("Tips cannot be taken yet: no organisation hosts this system."))
    report = _make_report(
        actor=None,
        network=network,
        source=Report.Source.TIP,
        reporter=None,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        description=description,
        site=site,
        place=place,
        traces=traces,
    )
    alerts = rules.check_report(None, report)
    audit(None, A.CREATE, report, source="tip", alerts=len(alerts))
    return report


def _attach(actor: Actor, report: Report, data: bytes) -> ReportAttachment:
    content, width, height = images.clean_image(data)
    attachment = ReportAttachment(
        report=report,
        width=width,
        height=height,
        size=len(content),
        created_by=actor.user,
        modified_by=actor.user,
    )
    attachment.image.save("photo.jpg", ContentFile(content), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, actor: Actor, report: Report, data: bytes) -> ReportAttachment:
    """Attach a photograph to a report, its metadata stripped (``images.clean_image``): the reporter who wrote
    the report, or the network's focal points."""
    if report.reporter_id and report.reporter.user_id == actor.user.pk and actor.can("monitoring.report"):
        pass
    else:
        require(actor, "monitoring.triage")
        _in_network(actor, report.network_id)
    attachment = _attach(actor, report, data)
    audit(actor, A.CREATE, attachment, report=str(report.uuid), bytes=attachment.size)
    return attachment


# --- Triage and actions ---------------------------------------------------------------------------------------


def _triager(actor: Actor, report: Report) -> None:
    require(actor, "monitoring.triage")
    _in_network(actor, report.network_id)
    if report.status == Report.Status.CLOSED:
        raise ValidationError(_("This report is closed."))


@transaction.atomic
def report_triage(
    *,
    actor: Actor,
    report: Report,
    priority: str,
    credibility: int,
    assignee: User | None = None,
    version: int | None = None,
) -> Report:
    """Grade a report's credibility (1-6), set its priority and who follows it up. A new report becomes
    triaged; one already actioned keeps its status. ``version`` is the report's version the focal point saw
    (``core.versioning``): a triage of an older one is refused, as is one that races another's."""
    _triager(actor, report)
    check_version(report, version)
    _network_member(actor.organisation, assignee, roles_that_can("monitoring.triage"))
    data = {"priority": priority, "credibility": credibility, "assignee": assignee}
    changed = changed_fields(report, data)
    previous_assignee = report.assignee_id
    for name, value in data.items():
        setattr(report, name, value)
    if report.status == Report.Status.NEW:
        report.status = Report.Status.TRIAGED
        changed.append("status")
    report.modified_by = actor.user
    validate_fields(report)
    report.save(update_fields=[*changed, "modified_by"])
    audit(actor, A.UPDATE, report, fields=sorted(changed))
    if assignee is not None and assignee.pk != previous_assignee and assignee != actor.user:
        notify(
            recipients=[assignee],
            kind="monitoring.report_assigned",
            title=_("Report %(number)s is assigned to you") % {"number": report.number},
            url=report.get_absolute_url(),
            organisation=actor.organisation,
        )
    return report


def _action(actor: Actor, report: Report, kind: str, **fields: Any) -> ReportAction:
    action = ReportAction(report=report, kind=kind, created_by=actor.user, modified_by=actor.user, **fields)
    validate_fields(action)
    action.save()
    if report.status in (Report.Status.NEW, Report.Status.TRIAGED):
        report.status = Report.Status.ACTIONED
        report.modified_by = actor.user
        report.save(update_fields=["status", "modified_by", "modified_at"])
    audit(actor, A.CREATE, action, kind=kind, report=str(report.uuid))
    return action


@transaction.atomic
def report_link_person(
    *, actor: Actor, report: Report, person: Person, role: str = InvolvedRole.AT_RISK, involved=None
) -> ReportPerson:
    """Link a registered person (of the network's organisation) to a report: to someone it describes
    (``involved``) or as a new person involved. The alert rules run again, since a named high-risk person or
    child may now be known."""
    _triager(actor, report)
    if person.organisation_id != report.network_id or not person.is_active or person.merged_into_id:
        raise PermissionDenied(
            "a report can name only current people registered by its network's organisation"
        )
    if involved is None:
        involved = report.people.filter(person=person).first() or ReportPerson(
            report=report, role=role, created_by=actor.user
        )
    elif involved.report_id != report.pk:
        raise PermissionDenied("that person involved belongs to another report")
    involved.person = person
    involved.modified_by = actor.user
    involved.full_clean()
    if involved.pk is None:
        involved.save()
    else:
        involved.save(update_fields=["person", "modified_by", "modified_at"])
    rules.check_report(actor, report)
    audit(actor, A.UPDATE, report, fields=["people"])
    return involved


@transaction.atomic
def report_open_case(*, actor: Actor, report: Report, person: Person, summary: str = "", caseworker=None):
    """Open a case (``cases.services.case_open``, origin "monitoring report") for a registered person the report
    names, assigned to ``caseworker`` (a caseworker or supervisor of the organisation; the actor if none), and
    record it as the report's action."""
    from hifazat.cases.services import case_open

    _triager(actor, report)
    if not report.people.filter(person=person).exists():
        raise ValidationError({"person": _("Link the person to the report first.")})
    _network_member(actor.organisation, caseworker, roles_that_can("cases.edit"))
    case = case_open(
        actor=actor,
        person=person,
        caseworker=caseworker,
        origin="monitoring_report",
        origin_uuid=report.uuid,
        summary=summary or _("Opened from monitoring report %(number)s.") % {"number": report.number},
    )
    _action(actor, report, ReportAction.Kind.CASE_OPENED, case_uuid=case.uuid, case_number=case.number)
    return case


@transaction.atomic
def report_alert_police(
    *, actor: Actor, report: Report, note: str = "", police_reference: str = ""
) -> ReportAction:
    """Record that the anti-trafficking police unit was alerted, and tell the network's focal points."""
    _triager(actor, report)
    action = _action(
        actor, report, ReportAction.Kind.POLICE_ALERTED, note=note, police_reference=police_reference
    )
    notify(
        recipients=[u for u in rules.network_watchers(actor.organisation) if u != actor.user],
        kind="monitoring.police_alerted",
        title=_("Report %(number)s: the police unit was alerted") % {"number": report.number},
        url=report.get_absolute_url(),
        organisation=actor.organisation,
    )
    return action


@transaction.atomic
def report_campaign_focus(*, actor: Actor, report: Report, site, note: str = "") -> ReportAction:
    """Ask the organisation's campaign coordinators to focus awareness work on ``site``."""
    _triager(actor, report)
    action = _action(actor, report, ReportAction.Kind.CAMPAIGN_FOCUS, site=site, note=note)
    coordinators = [
        m.user
        for m in Membership.objects.filter(
            organisation=actor.organisation, role__in=roles_that_can("campaigns.manage"), is_active=True
        ).select_related("user")
    ]
    notify(
        recipients=coordinators,
        kind="monitoring.campaign_focus",
        title=_("Monitoring asks for awareness work at site %(code)s (report %(number)s)")
        % {"code": site.code, "number": report.number},
        url=reverse("geography:site_detail", args=[site.uuid]),
        organisation=actor.organisation,
    )
    return action


@transaction.atomic
def report_link_reports(
    *, actor: Actor, report: Report, others: Iterable[Report], note: str = ""
) -> ReportAction:
    """Link reports about the same thing that share no trace: their clusters become one."""
    _triager(actor, report)
    others = [o for o in others if o.pk != report.pk]
    if not others:
        raise ValidationError({"others": _("Choose at least one other report.")})
    for other in others:
        _in_network(actor, other.network_id)
        ReportLink.objects.get_or_create(
            report=report, other=other, defaults={"created_by": actor.user, "modified_by": actor.user}
        )
    report.refresh_from_db(fields=["cluster"])
    linking.merge_clusters(report, {o.cluster for o in Report.objects.filter(pk__in=[o.pk for o in others])})
    rules.fold_cluster_alerts(actor, report)
    return _action(actor, report, ReportAction.Kind.LINKED, note=note, linked=[o.number for o in others])


@transaction.atomic
def report_close(
    *, actor: Actor, report: Report, outcome: str, note: str = "", version: int | None = None
) -> Report:
    """Close a report with an outcome. Closing as a duplicate or unfounded takes it out of the alert rules.
    ``version``: as for ``report_triage``."""
    _triager(actor, report)
    check_version(report, version)
    if outcome not in Report.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if (
        outcome in (Report.Outcome.UNFOUNDED, Report.Outcome.DUPLICATE, Report.Outcome.INSUFFICIENT)
        and not note
    ):
        raise ValidationError({"outcome_note": _("Say why.")})
    report.status = Report.Status.CLOSED
    report.outcome = outcome
    report.outcome_note = note
    report.closed_at = timezone.now()
    report.modified_by = actor.user
    validate_fields(report)
    report.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "modified_by"])
    audit(actor, A.UPDATE, report, fields=["status", "outcome"], outcome=outcome)
    return report


# --- Alerts -----------------------------------------------------------------------------------------------------


def _alert_scope(actor: Actor, alert: Alert) -> None:
    """Checks before a change to an alert. The alert's row is locked and its status and owner read again
    first, so that two focal points acting on it at once (or the alert rules bringing it up to date) see each
    other's change: a resolved alert is not acknowledged again, an owner given meanwhile is kept."""
    require(actor, "alerts.manage")
    _in_network(actor, alert.network_id)
    current = Alert.objects.select_for_update().values("status", "owner_id").get(pk=alert.pk)
    alert.status, alert.owner_id = current["status"], current["owner_id"]
    if alert.status == Alert.Status.RESOLVED:
        raise ValidationError(_("This alert is resolved."))


@transaction.atomic
def alert_assign(*, actor: Actor, alert: Alert, owner: User) -> Alert:
    """Give an alert an owner: a focal point or supervisor of the network."""
    _alert_scope(actor, alert)
    _network_member(actor.organisation, owner, roles_that_can("alerts.manage"))
    alert.owner = owner
    alert.modified_by = actor.user
    alert.save(update_fields=["owner", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, alert, fields=["owner"])
    if owner != actor.user:
        notify(
            recipients=[owner],
            kind="monitoring.alert_assigned",
            title=_("Alert %(number)s is yours to follow") % {"number": alert.number},
            url=alert.get_absolute_url(),
            organisation=actor.organisation,
        )
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert: Alert) -> Alert:
    """Someone has seen the alert and is on it; with no owner yet, they become it."""
    _alert_scope(actor, alert)
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor.user
    alert.owner = alert.owner or actor.user
    alert.modified_by = actor.user
    alert.full_clean()
    alert.save(
        update_fields=["status", "acknowledged_at", "acknowledged_by", "owner", "modified_by", "modified_at"]
    )
    audit(actor, A.UPDATE, alert, fields=["status", "owner"])
    return alert


@transaction.atomic
def alert_resolve(*, actor: Actor, alert: Alert, resolution: str) -> Alert:
    """Close an alert, saying what was done or why nothing needed doing. A later report that fits the same
    pattern opens a new alert."""
    _alert_scope(actor, alert)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say what was done.")})
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor.user
    alert.resolution = resolution
    alert.owner = alert.owner or actor.user
    alert.modified_by = actor.user
    alert.full_clean()
    alert.save(
        update_fields=[
            "status",
            "resolved_at",
            "resolved_by",
            "resolution",
            "owner",
            "modified_by",
            "modified_at",
        ]
    )
    audit(actor, A.UPDATE, alert, fields=["status", "resolution"])
    return alert
