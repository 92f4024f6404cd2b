"""Camp exits: a registered person left their site, with whom, to where and why. A child leaving alone or with
an adult who is not a relative becomes a report in the organisation's monitoring network and an alert at once."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.monitoring import rules
from hifazat.monitoring.models import AlertRule, CampExit, InvolvedRole, Priority, Report, ReportKind
from hifazat.monitoring.services import _make_report
from hifazat.people.models import ChildStatus, Person

A = AuditEntry.Action

WORRYING_COMPANIONS = (CampExit.Companion.ALONE, CampExit.Companion.NON_RELATIVE, CampExit.Companion.UNKNOWN)


@transaction.atomic
def exit_record(
    *,
    actor: Actor,
    person: Person,
    departed_on: datetime.date,
    companion: str,
    reason: str,
    companion_name: str = "",
    companion_phone: str = "",
    companion_plate: str = "",
    destination: str = "",
    reason_detail: str = "",
) -> CampExit:
    """Record that a registered person left their site. A child who leaves alone, with an adult who is not a
    relative, or with nobody known, or an unaccompanied child leaving other than with their own family, becomes a
    report in the organisation's monitoring network and an alert at once."""
    require(actor, "monitoring.record_exit")
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this person belongs to another organisation")
    if person.household_id is None:
        raise ValidationError({"person": _("This person has no household, so no site to leave.")})
    if departed_on > timezone.localdate():
        raise ValidationError({"departed_on": _("The date cannot be in the future.")})
    exit_ = CampExit(
        organisation=actor.organisation,
        person=person,
        site=person.household.site,
        departed_on=departed_on,
        companion=companion,
        companion_name=companion_name,
        companion_phone=companion_phone,
        companion_plate=companion_plate,
        destination=destination,
        reason=reason,
        reason_detail=reason_detail,
        created_by=actor.user,
        modified_by=actor.user,
    )
    exit_.full_clean()
    exit_.save()
    worrying = person.is_child and (
        companion in WORRYING_COMPANIONS
        or (person.child_status == ChildStatus.UNACCOMPANIED and companion != CampExit.Companion.FAMILY)
    )
    if worrying:
        exit_.report = _exit_report(actor, exit_)
        exit_.save(update_fields=["report"])
    audit(actor, A.CREATE, exit_, companion=companion, reason=reason, report=bool(exit_.report_id))
    return exit_


def _exit_report(actor: Actor, exit_: CampExit) -> Report:
    person = exit_.person
    with_adult = exit_.companion == CampExit.Companion.NON_RELATIVE
    description = _("Camp exit of a registered child: %(companion)s; reason: %(reason)s.") % {
        "companion": exit_.get_companion_display(),
        "reason": exit_.get_reason_display(),
    }
    if exit_.reason_detail:
        description += f" {exit_.reason_detail}"
    people = [{"role": InvolvedRole.AT_RISK, "person": person}]
    if exit_.companion_name:
        people.append({"role": InvolvedRole.COMPANION, "name": exit_.companion_name})
    report = _make_report(
        actor=actor,
        network=actor.organisation,
        source=Report.Source.CAMP_EXIT,
        reporter=None,
        kind=ReportKind.CHILD_LEAVING if with_adult else ReportKind.MISSING_PERSON,
        occurred_on=exit_.departed_on,
        description=description,
        site=exit_.site,
        traces={
            "phone": [exit_.companion_phone],
            "plate": [exit_.companion_plate],
            "name": [exit_.companion_name],
            "destination": [exit_.destination],
        },
        people=people,
    )
    report.priority = Priority.URGENT
    report.save(update_fields=["priority"])
    rules.check_report(actor, report)
    # A child leaving alone is not a "non-family adult" report, so rule 4 did not fire: the exit raises its own.
    rules.raise_alert(
        actor,
        actor.organisation,
        rules.Finding(
            rule=AlertRule.CHILD_EXIT,
            key=f"child:{person.pk}",
            severity=Priority.URGENT,
            evidence={
                "person": str(person.uuid),
                "how": "linked",
                "role": InvolvedRole.AT_RISK,
                "companion": exit_.companion,
                "reason": exit_.reason,
                "destination": exit_.destination,
                "reports": [
                    {
                        "number": report.number,
                        "uuid": str(report.uuid),
                        "site": exit_.site.name,
                        "occurred_on": exit_.departed_on.isoformat(),
                    }
                ],
            },
            reports=[report.pk],
            first_seen=exit_.departed_on,
            last_seen=exit_.departed_on,
            site_id=exit_.site_id,
            person_id=person.pk,
        ),
    )
    audit(actor, A.CREATE, report, kind=report.kind, source="camp_exit")
    return report
