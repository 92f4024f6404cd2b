"""What a submission becomes: for each form purpose, the registry services that store it, the same ones the
pages call (consent with every person, vulnerability groups and match keys by ``person_register``, likely
duplicates queued for review by its duplicate scan)."""

from __future__ import annotations

import datetime
import uuid as uuid_module
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from django.core.exceptions import ValidationError

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


def keep(*, actor: Actor, root: Element, confirmed: bool = False) -> dict[str, Any]:
    """A form without a mapping: the submission is kept, nothing else is made."""
    return {}


STORE: dict[str, Callable[..., dict[str, Any]]] = {
    Purpose.HOUSEHOLD_REGISTRATION: household_registration,
    Purpose.RISK_SCREENING: risk_screening,
    Purpose.KEEP: keep,
}
