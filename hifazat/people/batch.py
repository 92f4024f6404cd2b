"""Registration of many households and people at once (a spreadsheet import): the same records as
``services.household_register`` and ``services.person_register`` called one by one, written in a few queries.

Each person gets what registration gives them: the row (keys derived by ``services.search_keys``, numbers
encrypted by ``services._apply``), their rows in the duplicate key table, the consent to registration, one audit
entry for the person and one for the consent, the household's head when they head it, the vulnerability groups of
their household derived again, and a scan for likely duplicates in the background (``tasks``), whose pairs go to
the review queue. ``tests/test_batch.py`` checks that the records equal those of the services one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hifazat.core.access import require
from hifazat.core.audit import Actor, object_type
from hifazat.core.models import AuditEntry
from hifazat.people import vulnerability
from hifazat.people.duplicates import match_key_rows, record_for
from hifazat.people.models import Consent, ConsentPurpose, Household, Person, PersonMatchKey, Vulnerability
from hifazat.people.services import (
    _apply,
    check_consent_decider,
    search_keys,
    vulnerability_refresh,
)
from hifazat.people.tasks import duplicates_scan_many

A = AuditEntry.Action

# Fields a service sets itself (never from input): their validation is the service's own business.
_SET_BY_SERVICE = [
    "organisation",
    "household",
    "caregiver",
    "created_by",
    "modified_by",
    "trafficking_status_by",
    "merged_into",
    "phone_encrypted",
    "identity_number_encrypted",
]


def _entry(actor: Actor, obj, **detail: Any) -> AuditEntry:
    """The entry ``core.audit.audit(actor, CREATE, obj, **detail)`` writes, not yet saved."""
    return AuditEntry(
        user=actor.user,
        organisation=actor.organisation,
        role=actor.role or "",
        action=A.CREATE,
        object_type=object_type(obj),
        object_uuid=obj.uuid,
        ip=actor.ip,
        detail=detail,
    )


def household_prepare(*, actor: Actor, site, shelter_number: str = "", **fields: Any) -> Household:
    """A household as ``household_register`` would register it, checked, not yet saved."""
    household = Household(
        organisation=actor.organisation,
        site=site,
        shelter_number=shelter_number,
        created_by=actor.user,
        modified_by=actor.user,
        **fields,
    )
    household.full_clean(
        exclude=["organisation", "site", "head", "created_by", "modified_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return household


@transaction.atomic
def households_register_batch(*, actor: Actor, households: Sequence[Household]) -> list[Household]:
    """Save prepared households (``household_prepare``) with their audit entries."""
    require(actor, "people.register")
    Household.objects.bulk_create(households)
    AuditEntry.objects.bulk_create([_entry(actor, household) for household in households])
    return list(households)


def person_prepare(
    *,
    actor: Actor,
    consent_given_by: str = Consent.GivenBy.SELF,
    consent_given_by_name: str = "",
    child_view: str = "",
    phone: str = "",
    identity_number: str = "",
    age_years: int | None = None,
    **data: Any,
) -> tuple[Person, Consent]:
    """A person and their consent to registration as ``person_register`` would record them, checked the same
    way (``ValidationError`` by field), not yet saved. The person's ``household`` may be a household not saved
    yet."""
    person = Person(
        organisation=actor.organisation,
        created_by=actor.user,
        modified_by=actor.user,
        registered_on=timezone.localdate(),
    )
    _apply(person, data, phone=phone, identity_number=identity_number, age_years=age_years)
    # The foreign keys are the service's own; uniqueness is the new UUID's; the model's one check (a first
    # name) is the field's own ``blank=False``: no query per person.
    person.full_clean(exclude=_SET_BY_SERVICE, validate_unique=False, validate_constraints=False)
    for field, value in search_keys(person).items():
        setattr(person, field, value)
    check_consent_decider(
        person, given_by=consent_given_by, given_by_name=consent_given_by_name, child_view=child_view
    )
    consent = Consent(
        purpose=ConsentPurpose.REGISTRATION,
        status=Consent.Status.GIVEN,
        given_by=consent_given_by,
        given_by_name=consent_given_by_name,
        child_view=child_view,
        created_by=actor.user,
        modified_by=actor.user,
    )
    # Its one check (only a sharing consent names an organisation) holds by construction: no query per person.
    consent.full_clean(
        exclude=["person", "shared_with", "created_by", "modified_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return person, consent


@transaction.atomic
def persons_register_batch(*, actor: Actor, prepared: Sequence[tuple[Person, Consent]]) -> list[Person]:
    """Register prepared people (``person_prepare``) whose households are saved and belong to the actor's
    organisation: the records ``person_register`` writes for each, in a few queries for the whole batch."""
    require(actor, "people.register")
    people = [person for person, _ in prepared]
    for person in people:
        if person.household is not None:
            person.household_id = person.household.pk  # saved after the person was prepared
            if person.household.organisation_id != actor.organisation.pk:
                raise ValidationError({"household": "This household belongs to another organisation."})
    Person.objects.bulk_create(people)
    PersonMatchKey.objects.bulk_create(
        PersonMatchKey(person_id=person.pk, key=key, birth_year=year)
        for person in people
        for key, year in match_key_rows([record_for(person)]).items()
    )
    consents = []
    entries = []
    for person, consent in prepared:
        consent.person = person
        consents.append(consent)
        entries.append(_entry(actor, person))
        entries.append(
            _entry(actor, consent, person=str(person.uuid), purpose=consent.purpose, status=consent.status)
        )
    Consent.objects.bulk_create(consents)
    AuditEntry.objects.bulk_create(entries)
    _heads(actor, people)
    _vulnerabilities(people)
    uuids = [str(person.uuid) for person in people]
    transaction.on_commit(lambda: duplicates_scan_many.enqueue(uuids))
    return people


def _heads(actor: Actor, people: list[Person]) -> None:
    """A household without a head gets the first person registered as its head (``person_register``)."""
    taken: set[int] = set()
    for person in people:
        household = person.household
        if household is None or person.relationship_to_head != "head" or household.pk in taken:
            continue
        taken.add(household.pk)
        if Household.objects.filter(pk=household.pk, head__isnull=True).update(
            head=person, version=F("version") + 1, modified_at=timezone.now()
        ):
            household.head, household.version = person, household.version + 1


def _vulnerabilities(people: list[Person]) -> None:
    """Every member's groups derived from the household as it now is: what registering them one by one leaves
    (each registration refreshes the new person, the head and older members). One query reads the members of
    every household concerned."""
    new_ids = {person.pk for person in people}
    household_ids = {person.household_id for person in people if person.household_id is not None}
    members: dict[int, list[Person]] = defaultdict(list)
    for member in Person.objects.filter(
        household_id__in=household_ids, is_active=True, merged_into__isnull=True
    ).order_by("pk"):
        members[member.household_id].append(member)
    rows = [row for person in people if person.household_id is None for row in _groups(person, [person])]
    for household_members in members.values():
        for member in household_members:
            if member.pk in new_ids:
                rows.extend(_groups(member, household_members))
            elif member.relationship_to_head == "head" or (member.age or 0) >= vulnerability.OLDER_AGE:
                vulnerability_refresh(member, household_members)
    Vulnerability.objects.bulk_create(rows)


def _groups(person: Person, members: list[Person]) -> list[Vulnerability]:
    return [
        Vulnerability(person=person, group=group, source=Vulnerability.Source.RULE, reason=reason)
        for group, reason in vulnerability.derive(person, members).items()
    ]
