"""Writes to households, people, vulnerability groups and consent."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.core import crypto
from hifazat.core.access import ExplainedRefusal, require
from hifazat.core.audit import Actor, audit
from hifazat.core.jobs import enqueue_on_commit
from hifazat.core.models import AuditEntry
from hifazat.core.versioning import changed_fields as set_changed
from hifazat.core.versioning import check_version
from hifazat.matching import names
from hifazat.people import vulnerability
from hifazat.people.duplicates import refresh_match_keys
from hifazat.people.models import Consent, ConsentPurpose, Household, Person, Relationship, Vulnerability
from hifazat.people.normalise import birthdate_from_age, normalise_identity_number, normalise_phone
from hifazat.people.selectors import households_visible_to, persons_visible_to
from hifazat.people.tasks import duplicates_scan

A = AuditEntry.Action

SEARCH_KEYS = ("birth_year", "name_key", "phonetic_key")

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


class ConsentRequired(ExplainedRefusal):
    """The person's consent in force does not allow this purpose."""

    def __init__(self, purpose: str) -> None:
        super().__init__(f"no consent in force for {purpose}")
        self.purpose = purpose
        self.reason = f"The person's consent for {purpose.replace('_', ' ')} is not in force."


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


def _apply(
    person: Person,
    data: dict[str, Any],
    *,
    phone: str | None,
    identity_number: str | None,
    age_years: int | None,
    today: datetime.date | None = None,
) -> list[str]:
    """Set ``data`` on ``person`` with what follows from it: a birth date estimated from an age (counted from
    ``today``: the registration day, or the day of a correction), the numbers encrypted with their blind index.
    Returns the names of the model fields whose value changed (for a registered person only those, so that a
    correction writes nothing else; for a new person all of them)."""
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    values = dict(data)
    if age_years is not None:
        if data.get("birthdate"):
            raise ValidationError({"birthdate": "Give a date of birth or an age, not both."})
        if not 0 <= age_years <= 120:
            raise ValidationError({"birthdate": "An age is between 0 and 120 years."})
        values["birthdate"] = birthdate_from_age(
            age_years, today or person.registered_on or timezone.localdate()
        )
        values["birthdate_is_estimate"] = True
    elif "birthdate" in data:
        values["birthdate_is_estimate"] = False
    if phone is not None:
        normalised = normalise_phone(phone)
        if phone and not normalised:
            raise ValidationError({"phone": f"{phone!r} is not a phone number this system can read."})
        index = crypto.blind_index("phone", normalised)
        if person.pk is None or index != person.phone_index:  # a new ciphertext at every encryption
            values["phone_encrypted"], values["phone_index"] = crypto.encrypt(normalised), index
    if identity_number is not None:
        normalised = normalise_identity_number(identity_number)
        index = crypto.blind_index("identity_number", normalised)
        if person.pk is None or index != person.identity_number_index:
            values["identity_number_encrypted"] = crypto.encrypt(normalised)
            values["identity_number_index"] = index
    if person.pk is None:
        for field, value in values.items():
            setattr(person, field, value)
        return sorted(values)
    return set_changed(person, values)


def search_keys(person: Person) -> dict[str, Any]:
    """The keys that search (``name_key``) and duplicate candidates (``phonetic_key``, ``birth_year``) read,
    derived from the person's names and birth date. Registration and correction both set them from here."""
    return {
        "birth_year": person.birthdate.year if person.birthdate else None,
        "name_key": names.name_key(
            person.first_name, person.second_name, person.first_name_ur, person.second_name_ur
        )[:200],
        "phonetic_key": names.phonetic_key(person.first_name, person.second_name)[:60],
    }


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
    for field, value in search_keys(person).items():
        setattr(person, field, value)
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
        # Read again: the caller's copy may be older than the row, and a versioned save compares versions.
        current = Household.objects.get(pk=household.pk)
        if current.head_id is None:
            current.head = person
            current.save(update_fields=["head"])
        household.head, household.version = current.head, current.version
    _refresh_household(person)
    _queue_duplicate_scan(person)
    return person


# The names a correction of a person's stored fields is audited and shown under: the numbers by what they are,
# not by their encrypted column and blind index; the estimate mark with the birth date it qualifies.
FIELD_NAMES = {
    "phone_encrypted": "phone",
    "phone_index": "phone",
    "identity_number_encrypted": "identity_number",
    "identity_number_index": "identity_number",
    "birthdate_is_estimate": "birthdate",
}
# What duplicate candidates read of a person (``duplicates.record_for``): a correction of one of these queues a
# new scan for duplicates.
MATCH_FIELDS = {
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_word",
    "parentage_name",
    "parentage_name_ur",
    "birthdate",
    "gender",
    "household",
    "phone",
}


def _visible_or_404(queryset, record) -> None:
    """Refuse a record outside the actor's registry as the pages do: the same 404 as for one that does not
    exist (``core.access``)."""
    if not queryset.filter(pk=record.pk).exists():
        raise Http404


def _stored(record, name: str) -> Any:
    return getattr(record, type(record)._meta.get_field(name).attname)


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    version: int | None = None,
    phone: str | None = None,
    identity_number: str | None = None,
    age_years: int | None = None,
    **data: Any,
) -> Person:
    """Correct a registered person: names in both scripts, parentage, gender, date of birth or an age (counted
    from today), marital status, the child's situation, phone and identity numbers, household and relationship
    to its head, and the other fields of ``PERSON_FIELDS``. Only the fields whose value really changes are
    written, so a correction never writes back another field someone changed meanwhile; ``version`` is the
    version the editor saw, and a person changed since is refused (``EditConflict``). Then everything derived
    is derived again as at registration: the search keys, the duplicate key table, the vulnerability groups of
    the person and of the household members whose groups depend on them (in the old household too when the
    person moves). One audit entry names the corrected fields, never their values."""
    require(actor, "people.register")
    _visible_or_404(persons_visible_to(actor), person)
    check_version(person, version)
    if data.get("household") is not None:
        _own(actor, data["household"])
    old_household_id = person.household_id
    names_ = {*data, *FIELD_NAMES, "birthdate", *SEARCH_KEYS}
    before = {name: _stored(person, name) for name in names_}
    changed = _apply(
        person,
        data,
        phone=phone,
        identity_number=identity_number,
        age_years=age_years,
        today=timezone.localdate(),
    )
    person.full_clean(exclude=["phone_encrypted", "identity_number_encrypted"])
    changed += set_changed(person, search_keys(person))
    # Only what differs from the stored row after cleaning (a value typed with an invisible character that
    # cleaning removes is no change).
    written = [name for name in dict.fromkeys(changed) if _stored(person, name) != before[name]]
    corrected = sorted({FIELD_NAMES.get(name, name) for name in written} - set(SEARCH_KEYS))
    if written:
        person.modified_by = actor.user
        person.save(update_fields=[*written, "modified_by"])
        if {"household", "relationship_to_head"} & set(written):
            _household_head_follows(actor, person, old_household_id)
        refresh_match_keys(person)
        _refresh_household(person)
        if "household" in written and old_household_id is not None:
            _refresh_members(old_household_id)
    audit(actor, A.UPDATE, person, fields=corrected)
    if MATCH_FIELDS & set(corrected):
        _queue_duplicate_scan(person)
    return person


def _household_head_follows(actor: Actor, person: Person, old_household_id: int | None) -> None:
    """Keep ``Household.head`` in line with the relationships recorded: a person corrected to be the head of a
    household that has none becomes its head; a head who moves out or is recorded in another relationship
    leaves their household without one, until its head is corrected on the household's page."""
    if old_household_id is not None:
        old = Household.objects.get(pk=old_household_id)
        if old.head_id == person.pk and (
            person.household_id != old_household_id or person.relationship_to_head != Relationship.HEAD
        ):
            old.head, old.modified_by = None, actor.user
            old.save(update_fields=["head", "modified_by"])
    if person.household_id is not None and person.relationship_to_head == Relationship.HEAD:
        household = Household.objects.get(pk=person.household_id)
        if household.head_id is None:
            household.head, household.modified_by = person, actor.user
            household.save(update_fields=["head", "modified_by"])
        elif household.head_id != person.pk:
            raise ValidationError(
                {
                    "relationship_to_head": _(
                        "This household already has a head. Change the head on the household's page first."
                    )
                }
            )


HOUSEHOLD_FIELDS = {"site", "shelter_number", "origin_area", "origin_village", "arrival_date", "head"}


@transaction.atomic
def household_update(
    *, actor: Actor, household: Household, version: int | None = None, **fields: Any
) -> Household:
    """Correct a household: its site, shelter, place of origin, arrival date or head (one of its members).
    Only the fields whose value changes are written; ``version`` is the version the editor saw, and a
    household changed since is refused (``EditConflict``). A new head is recorded as the head on their own
    record too, and the former head's relationship is left blank to be corrected; the members' vulnerability
    groups are derived again. A new site or place of origin rewrites the members' duplicate keys. One audit
    entry names the corrected fields."""
    require(actor, "people.register")
    _visible_or_404(households_visible_to(actor), household)
    check_version(household, version)
    unknown = set(fields) - HOUSEHOLD_FIELDS
    if unknown:
        raise ValueError(f"unknown household fields: {sorted(unknown)}")
    head = fields.get("head")
    if head is not None and (
        head.household_id != household.pk or not head.is_active or head.merged_into_id is not None
    ):
        raise ValidationError({"head": _("The head must be a member of this household.")})
    old_head_id = household.head_id
    changed = set_changed(household, fields)
    household.full_clean()
    if changed:
        household.modified_by = actor.user
        household.save(update_fields=[*changed, "modified_by"])
    if "head" in changed:
        _relationships_follow_head(actor, household, old_head_id)
        _refresh_members(household.pk)
    if {"site", "origin_area"} & set(changed):
        for member in _members(household.pk):
            refresh_match_keys(member)
    audit(actor, A.UPDATE, household, fields=sorted(changed))
    return household


def _relationships_follow_head(actor: Actor, household: Household, old_head_id: int | None) -> None:
    """The new head is recorded as the head on their own record; the former head, if still recorded as the
    head, gets no relationship (the caseworker records the right one)."""
    for pk, relationship in ((old_head_id, ""), (household.head_id, Relationship.HEAD)):
        if pk is None:
            continue
        member = Person.objects.get(pk=pk)
        if member.household_id != household.pk:
            continue
        if relationship == "" and member.relationship_to_head != Relationship.HEAD:
            continue
        if member.relationship_to_head != relationship:
            member.relationship_to_head, member.modified_by = relationship, actor.user
            member.save(update_fields=["relationship_to_head", "modified_by"])


def _queue_duplicate_scan(person: Person) -> None:
    """Suspected duplicates go to the review queue in the background (``people.tasks.duplicates_scan``), once
    the registration or correction is committed: the scan reads it on the worker's connection."""
    enqueue_on_commit(duplicates_scan, str(person.uuid))


def _members(household_id: int) -> list[Person]:
    return list(Person.objects.filter(household_id=household_id, is_active=True, merged_into__isnull=True))


def _refresh_household(person: Person) -> None:
    """Refresh the person's groups, and those of the members whose groups depend on the others: the head (a
    widowed parent with children) and older people (alone or not)."""
    if person.household_id is None:
        vulnerability_refresh(person, [person])
        return
    members = _members(person.household_id)
    for member in members:
        if (
            member.pk == person.pk
            or member.relationship_to_head == "head"
            or (member.age or 0) >= vulnerability.OLDER_AGE
        ):
            vulnerability_refresh(member, members)


def _refresh_members(household_id: int) -> None:
    """Refresh the groups of every member of a household (after its head changed, or someone moved out)."""
    members = _members(household_id)
    for member in members:
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
    check_consent_decider(person, given_by=given_by, given_by_name=given_by_name, child_view=child_view)
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


def check_consent_decider(person: Person, *, given_by: str, given_by_name: str, child_view: str) -> None:
    """Who may decide for ``person``: for a child a named caregiver or guardian, with the child's own view."""
    if person.is_child:
        if given_by == Consent.GivenBy.SELF:
            raise ValidationError({"given_by": "For a child, a caregiver or guardian decides."})
        if not child_view:
            raise ValidationError({"child_view": "Record the child's own view."})
    if given_by != Consent.GivenBy.SELF and not given_by_name:
        raise ValidationError({"given_by_name": "Name the caregiver or guardian who decided."})


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
