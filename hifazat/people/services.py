"""Writes to households, people, vulnerability groups and consent."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hifazat.core import crypto
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.matching import names
from hifazat.people import vulnerability
from hifazat.people.duplicates import refresh_match_keys
from hifazat.people.models import Consent, ConsentPurpose, Household, Person, Vulnerability
from hifazat.people.normalise import normalise_identity_number, normalise_phone
from hifazat.people.tasks import duplicates_scan

A = AuditEntry.Action

PERSON_FIELDS = {
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_word",
    "parentage_name",
    "parentage_name_ur",
    "birthdate",
    "gender",
    "marital_status",
    "number_of_children",
    "primary_language",
    "education",
    "citizenship",
    "disability",
    "child_status",
    "caregiver_name",
    "caregiver",
    "deceased",
    "relationship_to_head",
    "household",
}


class ConsentRequired(PermissionDenied):
    """The person's consent in force does not allow this purpose."""

    def __init__(self, purpose: str) -> None:
        super().__init__(f"no consent in force for {purpose}")
        self.purpose = purpose


def _own(actor: Actor, record: Household | Person) -> None:
    if record.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this record belongs to another organisation")


@transaction.atomic
def household_register(
    *,
    actor: Actor,
    site,
    shelter_number: str = "",
    origin_area=None,
    origin_village: str = "",
    arrival_date: datetime.date | None = None,
) -> Household:
    require(actor, "people.register")
    household = Household(
        organisation=actor.organisation,
        site=site,
        shelter_number=shelter_number,
        origin_area=origin_area,
        origin_village=origin_village,
        arrival_date=arrival_date,
        created_by=actor.user,
        modified_by=actor.user,
    )
    household.full_clean()
    household.save()
    audit(actor, A.CREATE, household)
    return household


def _birthdate_from_age(age_years: int, on: datetime.date) -> datetime.date:
    """The middle of the year the person would have been born in: the estimate closest on average."""
    return (
        datetime.date(on.year - age_years, 7, 1)
        if (on.month, on.day) >= (7, 1)
        else datetime.date(on.year - age_years - 1, 7, 1)
    )


def _apply(
    person: Person,
    data: dict[str, Any],
    *,
    phone: str | None,
    identity_number: str | None,
    age_years: int | None,
) -> list[str]:
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    if age_years is not None:
        if data.get("birthdate"):
            raise ValidationError({"birthdate": "Give a date of birth or an age, not both."})
        if not 0 <= age_years <= 120:
            raise ValidationError({"birthdate": "An age is between 0 and 120 years."})
        data["birthdate"] = _birthdate_from_age(age_years, person.registered_on or timezone.localdate())
        person.birthdate_is_estimate = True
    elif data.get("birthdate"):
        person.birthdate_is_estimate = False
    changed = changed_fields(person, data) if person.pk else sorted(data)
    for field, value in data.items():
        setattr(person, field, value)
    if phone is not None:
        normalised = normalise_phone(phone)
        if phone and not normalised:
            raise ValidationError({"phone": f"{phone!r} is not a phone number this system can read."})
        person.phone_encrypted, person.phone_index = (
            crypto.encrypt(normalised),
            crypto.blind_index("phone", normalised),
        )
        changed.append("phone")
    if identity_number is not None:
        normalised = normalise_identity_number(identity_number)
        person.identity_number_encrypted = crypto.encrypt(normalised)
        person.identity_number_index = crypto.blind_index("identity_number", normalised)
        changed.append("identity_number")
    person.birth_year = person.birthdate.year if person.birthdate else None
    person.name_key = names.name_key(
        person.first_name, person.second_name, person.first_name_ur, person.second_name_ur
    )[:200]
    person.phonetic_key = names.phonetic_key(person.first_name, person.second_name)[:60]
    return changed


@transaction.atomic
def person_register(
    *,
    actor: Actor,
    consent_given_by: str = Consent.GivenBy.SELF,
    consent_given_by_name: str = "",
    child_view: str = "",
    phone: str = "",
    identity_number: str = "",
    age_years: int | None = None,
    **data: Any,
) -> Person:
    """Register a person, with their consent to registration recorded at the same time (no consent, no
    record). For a child, a caregiver or guardian consents and the child's own view is recorded."""
    require(actor, "people.register")
    household = data.get("household")
    if household is not None:
        _own(actor, household)
    person = Person(
        organisation=actor.organisation,
        created_by=actor.user,
        modified_by=actor.user,
        registered_on=timezone.localdate(),
    )
    _apply(person, data, phone=phone, identity_number=identity_number, age_years=age_years)
    person.full_clean(exclude=["phone_encrypted", "identity_number_encrypted"])
    person.save()
    refresh_match_keys(person)
    audit(actor, A.CREATE, person)
    consent_record(
        actor=actor,
        person=person,
        purpose=ConsentPurpose.REGISTRATION,
        status=Consent.Status.GIVEN,
        given_by=consent_given_by,
        given_by_name=consent_given_by_name,
        child_view=child_view,
    )
    if household is not None and household.head_id is None and person.relationship_to_head == "head":
        household.head = person
        household.save(update_fields=["head", "modified_at"])
    _refresh_household(person)
    _queue_duplicate_scan(person)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    phone: str | None = None,
    identity_number: str | None = None,
    age_years: int | None = None,
    **data: Any,
) -> Person:
    require(actor, "people.register")
    _own(actor, person)
    changed = _apply(person, data, phone=phone, identity_number=identity_number, age_years=age_years)
    person.modified_by = actor.user
    person.full_clean(exclude=["phone_encrypted", "identity_number_encrypted"])
    person.save()
    refresh_match_keys(person)
    audit(actor, A.UPDATE, person, fields=sorted(set(changed)))
    _refresh_household(person)
    if set(changed) & {
        "first_name",
        "second_name",
        "first_name_ur",
        "second_name_ur",
        "parentage_name",
        "parentage_name_ur",
        "birthdate",
        "gender",
    }:
        _queue_duplicate_scan(person)
    return person


def _queue_duplicate_scan(person: Person) -> None:
    """Suspected duplicates go to the review queue in the background (``people.tasks.duplicates_scan``)."""
    duplicates_scan.enqueue(str(person.uuid))


def _refresh_household(person: Person) -> None:
    """Refresh the person's groups, and those of the members whose groups depend on the others: the head (a
    widowed parent with children) and older people (alone or not)."""
    if person.household_id is None:
        vulnerability_refresh(person, [person])
        return
    members = list(
        Person.objects.filter(household_id=person.household_id, is_active=True, merged_into__isnull=True)
    )
    for member in members:
        if (
            member.pk == person.pk
            or member.relationship_to_head == "head"
            or (member.age or 0) >= vulnerability.OLDER_AGE
        ):
            vulnerability_refresh(member, members)


def vulnerability_refresh(person: Person, members: list[Person] | None = None) -> None:
    """Bring the rule-derived groups of ``person`` in line with the data; groups recorded by hand stay."""
    if members is None:
        members = (
            list(
                Person.objects.filter(
                    household_id=person.household_id, is_active=True, merged_into__isnull=True
                )
            )
            if person.household_id
            else [person]
        )
    derived = vulnerability.derive(person, members)
    current = {v.group: v for v in person.vulnerabilities.filter(source=Vulnerability.Source.RULE)}
    for group, row in current.items():
        if group not in derived:
            row.delete()
        elif row.reason != derived[group]:
            row.reason = derived[group]
            row.save(update_fields=["reason", "modified_at"])
    Vulnerability.objects.bulk_create(
        [
            Vulnerability(person=person, group=group, source=Vulnerability.Source.RULE, reason=reason)
            for group, reason in derived.items()
            if group not in current
        ]
    )


@transaction.atomic
def vulnerability_record(*, actor: Actor, person: Person, group: str, reason: str) -> Vulnerability:
    """Record by hand that a person belongs to a group, with the reason (what the rules cannot see)."""
    require(actor, "people.register")
    _own(actor, person)
    row, _ = Vulnerability.objects.update_or_create(
        person=person,
        group=group,
        source=Vulnerability.Source.MANUAL,
        defaults={"reason": reason, "modified_by": actor.user, "created_by": actor.user},
    )
    row.full_clean()
    audit(actor, A.CREATE, person, vulnerability=group)
    return row


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    person: Person,
    purpose: str,
    status: str,
    given_by: str = Consent.GivenBy.SELF,
    given_by_name: str = "",
    child_view: str = "",
    shared_with=None,
) -> Consent:
    """Record a consent decision. The newest decision is the one in force: a withdrawal counts at once."""
    require(actor, "people.register")
    _own(actor, person)
    if person.is_child:
        if given_by == Consent.GivenBy.SELF:
            raise ValidationError({"given_by": "For a child, a caregiver or guardian decides."})
        if not child_view:
            raise ValidationError({"child_view": "Record the child's own view."})
    if given_by != Consent.GivenBy.SELF and not given_by_name:
        raise ValidationError({"given_by_name": "Name the caregiver or guardian who decided."})
    consent = Consent(
        person=person,
        purpose=purpose,
        status=status,
        given_by=given_by,
        given_by_name=given_by_name,
        child_view=child_view,
        shared_with=shared_with,
        created_by=actor.user,
        modified_by=actor.user,
    )
    consent.full_clean()
    consent.save()
    audit(actor, A.CREATE, consent, person=str(person.uuid), purpose=purpose, status=status)
    return consent


def consent_in_force(person: Person, purpose: str, shared_with=None) -> Consent | None:
    consents = person.consents.filter(purpose=purpose)
    if shared_with is not None:
        consents = consents.filter(shared_with=shared_with)
    return consents.order_by("-decided_at", "-id").first()


def consent_allows(person: Person, purpose: str, shared_with=None) -> bool:
    consent = consent_in_force(person, purpose, shared_with)
    return consent is not None and consent.status == Consent.Status.GIVEN


def consent_require(person: Person, purpose: str, shared_with=None) -> None:
    """Raise ``ConsentRequired`` unless the consent in force allows ``purpose``. Services call it first."""
    if not consent_allows(person, purpose, shared_with):
        raise ConsentRequired(purpose)
