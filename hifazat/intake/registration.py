"""What a submission becomes: for each form purpose, the services that store it, the same ones the pages call
(consent with every person, vulnerability groups and match keys by ``person_register``, likely duplicates queued
for review by its duplicate scan; a monitoring report by ``report_submit``, a session's attendees by
``attendee_add``, a livelihood follow-up visit by ``visit_record``). Every record a form names by its record number
is looked up through the actor's ``*_visible_to`` selector: one outside the actor's scope is refused exactly like
an unknown one, naming the field."""

from __future__ import annotations

import datetime
import decimal
import uuid as uuid_module
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from hifazat.core.audit import Actor
from hifazat.geography.selectors import sites_visible_to
from hifazat.intake.models import Purpose
from hifazat.matching import LIKELY
from hifazat.people import batch
from hifazat.people.duplicates import candidates_for_registration
from hifazat.people.models import Consent

# The fields each purpose needs in the form (paths under the instance root), checked at upload.
REQUIRED_FIELDS: dict[str, set[str]] = {
    Purpose.HOUSEHOLD_REGISTRATION: {
        "site_code",
        "members",
        "members/first_name",
        "members/gender",
        "members/consent_registration",
    },
    Purpose.RISK_SCREENING: {"person_id"},
    Purpose.MONITORING_REPORT: {"kind", "occurred_on", "description"},
    Purpose.SESSION_ATTENDANCE: {"session_id", "attendees", "attendees/person_id"},
    Purpose.LIVELIHOOD_VISIT: {"enrolment_id", "status", "visited_on"},
    Purpose.KEEP: set(),
}

MEMBER_TEXT = ("first_name", "second_name", "first_name_ur", "gender", "relationship_to_head", "child_status")


def local(tag: str) -> str:
    """A tag without its namespace (``{http://...}members`` → ``members``)."""
    return tag.rsplit("}", 1)[-1]


def child_text(node: Element, name: str) -> str:
    for child in node:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def children(node: Element, name: str) -> list[Element]:
    return [child for child in node if local(child.tag) == name]


class Invalid(ValidationError):
    """A submission that cannot be stored as it is, with where (``members[2].gender``) and what is wrong."""


class HeldForReview(Exception):
    """Members who are likely already registered: as on the registration page, nobody is registered twice
    without a person deciding. ``candidates`` maps each member (``members[1]``) to the UUIDs of the likely
    matches; a supervisor opens them and stores the submission anyway, or corrects it."""

    def __init__(self, candidates: dict[str, list[str]]) -> None:
        super().__init__(f"likely already registered: {', '.join(candidates)}")
        self.candidates = candidates


def _date(value: str, where: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise Invalid(f"{where}: not a date (YYYY-MM-DD)") from None


def _int(value: str, where: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Invalid(f"{where}: not a whole number") from None


def _located(error: ValidationError, where: str) -> Invalid:
    """The service's error with the place in the form it came from, field by field."""
    if hasattr(error, "error_dict"):
        parts = [
            f"{where}.{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        ]
        return Invalid("; ".join(parts))
    return Invalid(f"{where}: {' '.join(str(m) for m in error.messages)}")


def _likely_duplicates(actor: Actor, members: list[Element]) -> dict[str, list[str]]:
    """For each consenting member, the people already registered who are likely the same person (the
    registration page's check, ``people.duplicates.candidates_for_registration``)."""
    held = {}
    for number, member in enumerate(members, 1):
        if child_text(member, "consent_registration") != Consent.Status.GIVEN:
            continue
        data: dict[str, Any] = {name: child_text(member, name) for name in MEMBER_TEXT}
        data["age_years"] = _int(child_text(member, "age_years"), f"members[{number}].age_years")
        data["phone"] = child_text(member, "phone")
        likely = [
            str(candidate.person.uuid)
            for candidate in candidates_for_registration(actor=actor, data=data)
            if candidate.match.band == LIKELY
        ]
        if likely:
            held[f"members[{number}]"] = likely
    return held


def household_registration(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """A household and its members who consented, through the registration services (``people.batch``).
    Members who declined are not recorded at all (no consent, no record); only their number is kept. Raises ``Invalid`` (nothing stored:
    the caller's transaction rolls back) when a value cannot be stored, saying where, and ``HeldForReview``
    when a member is likely registered already, unless a supervisor ``confirmed`` they are different people
    (likely pairs stored anyway still reach the review queue through the registration's duplicate scan)."""
    code = child_text(root, "site_code")
    site = sites_visible_to(actor).filter(code=code).first() if code else None
    if site is None:
        raise Invalid(f"site_code: no site has the code {code!r}" if code else "site_code: missing")
    members = children(root, "members")
    if not members:
        raise Invalid("members: the household has no members")
    if not confirmed and (held := _likely_duplicates(actor, members)):
        raise HeldForReview(held)
    # Written through the registration's batch path (``people.batch``): the records ``household_register`` and
    # ``person_register`` write one by one (consent, vulnerability groups, match keys, audit, the duplicate
    # scan), checked the same way, in a few queries for the whole household.
    household = batch.household_prepare(
        actor=actor,
        site=site,
        shelter_number=child_text(root, "shelter_number"),
        origin_village=child_text(root, "origin_village"),
        arrival_date=_date(child_text(root, "arrival_date"), "arrival_date"),
    )
    prepared, declined, preparation = [], 0, batch.Preparation(actor)
    # The head first, so that the household's head is the head registered first.
    ordered = sorted(
        enumerate(members, 1), key=lambda item: child_text(item[1], "relationship_to_head") != "head"
    )
    for number, member in ordered:
        where = f"members[{number}]"
        consent = child_text(member, "consent_registration")
        if consent != Consent.Status.GIVEN:
            if consent != Consent.Status.DECLINED:
                raise Invalid(f"{where}.consent_registration: missing")
            declined += 1
            continue
        data: dict[str, Any] = {name: child_text(member, name) for name in MEMBER_TEXT}
        try:
            person, person_consent = batch.person_prepare(
                actor=actor,
                preparation=preparation,
                age_years=_int(child_text(member, "age_years"), f"{where}.age_years"),
                phone=child_text(member, "phone"),
                consent_given_by=child_text(member, "consent_given_by") or Consent.GivenBy.SELF,
                consent_given_by_name=child_text(member, "consent_given_by_name"),
                child_view=child_text(member, "child_view"),
                **data,
            )
        except Invalid:
            raise
        except ValidationError as error:
            raise _located(error, where) from None
        person.household = household
        prepared.append((person, person_consent))
    batch.households_register_batch(actor=actor, households=[household])
    batch.persons_register_batch(actor=actor, prepared=prepared, new_households=[household.pk])
    registered = [str(person.uuid) for person, _consent in prepared]
    return {"household": str(household.uuid), "people": registered, "declined": declined}


def risk_screening(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """A screening of a registered person through ``screening.services.screening_record``, which scores it
    with the catalogue in use and refuses it, as the page does, without the person's consent to screening. The
    child section's answers count only for a child (by the record's birth date, as on the page)."""
    from hifazat.people.selectors import persons_visible_to
    from hifazat.people.services import ConsentRequired
    from hifazat.screening.indicators import current_catalogue
    from hifazat.screening.services import screening_record

    record = child_text(root, "person_id")
    try:
        person = persons_visible_to(actor).filter(uuid=uuid_module.UUID(record)).first() if record else None
    except ValueError:
        person = None
    if person is None:
        raise Invalid("person_id: no person with this record number in your organisation's registry")
    questions = {q.id for q in current_catalogue().questions_for(subject_is_child=person.is_child)}
    answers = {
        local(node.tag): (node.text or "").strip()
        for node in root.iter()
        if local(node.tag) in questions and (node.text or "").strip()
    }
    try:
        screening = screening_record(actor=actor, person=person, answers=answers)
    except ConsentRequired:
        raise Invalid(
            "person_id: the person's consent to screening is not recorded: record it on their page"
        ) from None
    except ValidationError as error:
        raise Invalid(f"answers: {' '.join(error.messages)}") from None
    return {"screening": str(screening.uuid), "person": str(person.uuid), "band": screening.band}


# --- Activity forms: monitoring, campaigns, livelihoods ----------------------------------------------------------


def _visible(queryset: QuerySet, value: str, where: str, what: str) -> Any:
    """The record with record number ``value`` among those the actor may see (``queryset``, a ``*_visible_to``
    selector), or ``Invalid`` naming ``where``: a record of another organisation reads as an unknown one."""
    if not value:
        raise Invalid(f"{where}: missing")
    try:
        record = queryset.filter(uuid=uuid_module.UUID(value)).first()
    except ValueError:
        record = None
    if record is None:
        raise Invalid(f"{where}: no {what} with this record number in your organisation's records")
    return record


def _named(error: ValidationError, fields: dict[str, str], default: str) -> Invalid:
    """The service's refusal with the form's field names: ``fields`` maps the service's field names to the
    form's; what it does not name (or names no form field for) goes to ``default``."""
    if hasattr(error, "error_dict"):
        return Invalid(
            "; ".join(
                f"{fields.get(field, default)}: {' '.join(str(m) for m in messages)}"
                for field, messages in error.message_dict.items()
            )
        )
    return Invalid(f"{default}: {' '.join(str(m) for m in error.messages)}")


def _choice(value: str, where: str, choices: list[str], *, required: bool = False) -> str:
    if not value:
        if required:
            raise Invalid(f"{where}: missing")
        return ""
    if value not in choices:
        raise Invalid(f"{where}: {value!r} is not one of the form's choices")
    return value


def _geopoint(value: str) -> tuple[decimal.Decimal | None, decimal.Decimal | None]:
    """An ODK geopoint (``latitude longitude altitude accuracy``) as the report's latitude and longitude, to the
    model's six decimal places (about 10 cm)."""
    if not value:
        return None, None
    try:
        latitude, longitude = (
            decimal.Decimal(part).quantize(decimal.Decimal("0.000001")) for part in value.split()[:2]
        )
    except (ValueError, decimal.InvalidOperation):  # fewer than two numbers, or not numbers
        latitude = longitude = decimal.Decimal("NaN")
    if not (latitude.is_finite() and longitude.is_finite()):
        raise Invalid("location: not a location (latitude longitude)")
    return latitude, longitude


def monitoring_report(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """A network member's report through ``monitoring.services.report_submit``, as the report page files it:
    into the sender's network's triage queue, linked by its traces and checked against the alert rules. A
    registered person at risk is named by their record number (``monitoring.selectors.persons_linkable_by``)."""
    from hifazat.monitoring.models import InvolvedRole, ReportKind
    from hifazat.monitoring.selectors import persons_linkable_by
    from hifazat.monitoring.services import report_submit

    kind = _choice(child_text(root, "kind"), "kind", ReportKind.values, required=True)
    occurred_on = _date(child_text(root, "occurred_on"), "occurred_on")
    if occurred_on is None:
        raise Invalid("occurred_on: missing")
    description = child_text(root, "description")
    if not description:
        raise Invalid("description: missing")
    code = child_text(root, "site_code")
    site = None
    if code:
        site = sites_visible_to(actor).filter(code=code, is_open=True).first()
        if site is None:
            raise Invalid(f"site_code: no open site has the code {code!r}")
    latitude, longitude = _geopoint(child_text(root, "location"))
    record = child_text(root, "person_id")
    person = _visible(persons_linkable_by(actor), record, "person_id", "person") if record else None
    role = _choice(
        child_text(root, "involved_role"), "involved_role", [InvolvedRole.AT_RISK, InvolvedRole.MISSING]
    )
    people = [
        {
            "role": role or InvolvedRole.AT_RISK,
            "person": person,
            "name": child_text(root, "involved_name"),
            "description": child_text(root, "involved_description"),
        }
    ]
    if companion := child_text(root, "companion_description"):
        people.append({"role": InvolvedRole.COMPANION, "description": companion})
    try:
        report = report_submit(
            actor=actor,
            kind=kind,
            occurred_on=occurred_on,
            description=description,
            site=site,
            place=child_text(root, "place"),
            latitude=latitude,
            longitude=longitude,
            traces={
                entity: child_text(root, name)
                for name, entity in (
                    ("names", "name"),
                    ("phones", "phone"),
                    ("plates", "plate"),
                    ("employers", "employer"),
                    ("destinations", "destination"),
                )
            },
            people=people,
        )
    except PermissionDenied as error:
        # The service names only people its network's organisation registered; anything else is about who sent it.
        field = "person_id" if person is not None and "people registered" in str(error) else "sender"
        raise Invalid(f"{field}: {error}") from None
    except ValidationError as error:
        raise _named(
            error,
            {
                "kind": "kind",
                "occurred_on": "occurred_on",
                "description": "description",
                "place": "place",
                "latitude": "location",
                "longitude": "location",
                "name": "involved_name",
            },
            "description",
        ) from None
    return {"report": str(report.uuid), "people": [str(person.uuid)] if person else []}


def session_attendance(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """The registered people who attended an awareness session, each linked through
    ``campaigns.services.attendee_add`` (which records them as reached by the campaign), with their knowledge
    check scores. The session is one of a campaign the actor's organisation runs or is a partner in
    (``sessions_visible_to``); the people are the actor's registry's (``persons_visible_to``)."""
    from hifazat.campaigns.selectors import sessions_visible_to
    from hifazat.campaigns.services import attendee_add
    from hifazat.people.selectors import persons_visible_to

    session = _visible(sessions_visible_to(actor), child_text(root, "session_id"), "session_id", "session")
    attendees = children(root, "attendees")
    if not attendees:
        raise Invalid("attendees: nobody is named")
    attendances, people = [], []
    for number, row in enumerate(attendees, 1):
        where = f"attendees[{number}]"
        person = _visible(
            persons_visible_to(actor), child_text(row, "person_id"), f"{where}.person_id", "person"
        )
        try:
            attendance = attendee_add(
                actor=actor,
                session=session,
                person=person,
                pre_score=_int(child_text(row, "pre_score"), f"{where}.pre_score"),
                post_score=_int(child_text(row, "post_score"), f"{where}.post_score"),
            )
        except PermissionDenied as error:
            raise Invalid(f"sender: {error}") from None
        except ValidationError as error:
            raise _named(
                error,
                {
                    "person": f"{where}.person_id",
                    "pre_score": f"{where}.pre_score",
                    "post_score": f"{where}.post_score",
                },
                f"{where}.person_id",
            ) from None
        attendances.append(str(attendance.uuid))
        people.append(str(person.uuid))
    return {"session": str(session.uuid), "attendances": attendances, "people": people}


def livelihood_visit(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """A follow-up visit of a participant through ``livelihoods.services.visit_record``: the enrolment by its
    record number (``enrolments_visible_to``), the visit by its interval (``months_after``) or, left empty, the
    earliest one still due."""
    from hifazat.livelihoods.models import OutcomeVisit
    from hifazat.livelihoods.selectors import enrolments_visible_to
    from hifazat.livelihoods.services import visit_record

    enrolment = _visible(
        enrolments_visible_to(actor), child_text(root, "enrolment_id"), "enrolment_id", "enrolment"
    )
    months = _int(child_text(root, "months_after"), "months_after")
    visits = enrolment.visits.select_related("enrolment__programme")
    if months is not None:
        visit = visits.filter(months_after=months).first()
        if visit is None:
            raise Invalid(
                f"months_after: the enrolment has no follow-up visit {months} months after enrolment"
            )
    else:
        visit = visits.filter(status=OutcomeVisit.Status.DUE).order_by("due_on").first()
        if visit is None:
            raise Invalid("months_after: no follow-up visit of this enrolment is still due: say which one")
    status = _choice(
        child_text(root, "status"),
        "status",
        [OutcomeVisit.Status.DONE, OutcomeVisit.Status.MISSED],
        required=True,
    )
    visited_on = _date(child_text(root, "visited_on"), "visited_on")
    if visited_on is None:
        raise Invalid("visited_on: missing")
    income = child_text(root, "income")
    try:
        amount = decimal.Decimal(income) if income else None
    except decimal.InvalidOperation:
        raise Invalid("income: not an amount") from None
    running = _choice(child_text(root, "activity_running"), "activity_running", ["true", "false"])
    try:
        visit = visit_record(
            actor=actor,
            visit=visit,
            visited_on=visited_on,
            status=status,
            income=amount,
            activity_running={"true": True, "false": False}.get(running),
            employment=_choice(child_text(root, "employment"), "employment", OutcomeVisit.Employment.values),
            note=child_text(root, "note"),
        )
    except PermissionDenied as error:
        raise Invalid(f"sender: {error}") from None
    except ValidationError as error:
        raise _named(
            error,
            {
                name: name
                for name in ("status", "visited_on", "income", "activity_running", "employment", "note")
            },
            "income, activity_running, employment",
        ) from None
    return {"visit": str(visit.uuid), "enrolment": str(enrolment.uuid), "person": str(enrolment.person.uuid)}


def keep(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """A form without a mapping: the submission is kept, nothing else is made."""
    return {}


# What a role must be allowed to do to use a form of each purpose from Collect (the form list shows it, the
# endpoint takes its submissions): the action of the service its submissions go through.
PURPOSE_ACTIONS: dict[str, str] = {
    Purpose.HOUSEHOLD_REGISTRATION: "people.register",
    Purpose.RISK_SCREENING: "screening.run",
    Purpose.MONITORING_REPORT: "monitoring.report",
    Purpose.SESSION_ATTENDANCE: "campaigns.record_activity",
    Purpose.LIVELIHOOD_VISIT: "livelihoods.enrol",
    # A form without a mapping keeps what it is sent: for the staff who register people, as before.
    Purpose.KEEP: "people.register",
}


def purposes_for(actor: Actor) -> list[str]:
    """The purposes of the forms ``actor`` may use from Collect."""
    if not actor.can("intake.submit"):
        return []
    return [purpose for purpose, action in PURPOSE_ACTIONS.items() if actor.can(action)]


STORE: dict[str, Callable[..., dict[str, Any]]] = {
    Purpose.HOUSEHOLD_REGISTRATION: household_registration,
    Purpose.RISK_SCREENING: risk_screening,
    Purpose.MONITORING_REPORT: monitoring_report,
    Purpose.SESSION_ATTENDANCE: session_attendance,
    Purpose.LIVELIHOOD_VISIT: livelihood_visit,
    Purpose.KEEP: keep,
}
