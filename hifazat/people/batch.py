"""Registration of many households and people at once (a spreadsheet import): the same records as
``services.household_register`` and ``services.person_register`` called one by one, written in a few queries.

Each person gets what registration gives them: the row (keys derived by ``services.search_keys``, numbers
encrypted by ``services._apply``), their rows in the duplicate key table, the consent to registration, one audit
entry for the person and one for the consent, the household's head when they head it, the vulnerability groups of
their household derived again, and a scan for likely duplicates in the background (``tasks``), whose pairs go to
the review queue. ``tests/test_batch.py`` checks that the records equal those of the services one by one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, models, transaction
from django.db.models import Case, F, Value, When
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


_CONSENT_SET_BY_SERVICE = ["person", "shared_with", "created_by", "modified_by"]

# Values of a field known to pass its checks (``Field.clean``: type, length, choices, validators), per model and
# field, so that the checks of a batch run once per distinct value (a few genders, relationships, consents and
# dates, common names) instead of once per row. Bounded: a field's set starts again past ``_VALID_SIZE``.
_VALID: dict[tuple[type, str], set[Any]] = defaultdict(set)
_VALID_SIZE = 4096
_REMEMBERED = (str, int, bool, datetime.date)


def _full_clean(obj: models.Model, *, exclude: list[str]) -> None:
    """``obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)``, leaving out the
    fields whose value already passed the same field's checks unchanged (a field's checks read only its value;
    the model's ``clean`` and the text cleaning of ``core.models.BaseModel`` still run for every row)."""
    model = type(obj)
    values = obj.__dict__
    known, fresh = [], {}
    for field in model._meta.concrete_fields:
        if field.name in exclude or field.is_relation:
            continue
        value = values[field.attname]
        if type(value) in _REMEMBERED and (type(value), value) in _VALID[model, field.name]:
            known.append(field.name)
        else:
            fresh[field] = value
    obj.full_clean(exclude=[*exclude, *known], validate_unique=False, validate_constraints=False)
    for field, value in fresh.items():
        if type(value) in _REMEMBERED and values[field.attname] == value:
            valid = _VALID[model, field.name]
            if len(valid) >= _VALID_SIZE:
                valid.clear()
            valid.add((type(value), value))


def _entry(actor: Actor, obj, **detail: Any) -> dict[str, Any]:
    """The entry ``core.audit.audit(actor, CREATE, obj, **detail)`` writes, as values for ``insert_values``."""
    return {
        "user_id": actor.user.pk if actor.user else None,
        "organisation_id": actor.organisation.pk if actor.organisation else None,
        "role": actor.role or "",
        "action": A.CREATE,
        "object_type": object_type(obj),
        "object_uuid": obj.uuid,
        "ip": actor.ip,
        "detail": detail,
    }


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
    insert_many(Household, households, ids=True)
    insert_values(AuditEntry, [_entry(actor, household) for household in households])
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
    _full_clean(person, exclude=_SET_BY_SERVICE)
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
    _full_clean(consent, exclude=_CONSENT_SET_BY_SERVICE)
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
    insert_many(Person, people, ids=True)
    insert_values(
        PersonMatchKey,
        [
            {"person_id": person.pk, "key": key, "birth_year": year}
            for person in people
            for key, year in match_key_rows([record_for(person)]).items()
        ],
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
    insert_many(Consent, consents)
    insert_values(AuditEntry, entries)
    _heads(actor, people)
    _vulnerabilities(people)
    uuids = [str(person.uuid) for person in people]
    transaction.on_commit(lambda: duplicates_scan_many.enqueue(uuids))
    return people


def _heads(actor: Actor, people: list[Person]) -> None:
    """A household without a head gets the first person registered as its head (``person_register``): one
    UPDATE for the batch, which sets only households that still have no head (as one registration's UPDATE
    does), then the heads and versions read back onto the households in memory."""
    first: dict[int, Person] = {}
    for person in people:
        if person.household is not None and person.relationship_to_head == "head":
            first.setdefault(person.household.pk, person)
    if not first:
        return
    Household.objects.filter(pk__in=list(first), head__isnull=True).update(
        head=Case(
            *(When(pk=pk, then=Value(person.pk)) for pk, person in first.items()),
            output_field=models.BigIntegerField(),
        ),
        version=F("version") + 1,
        modified_at=timezone.now(),
    )
    saved = dict(
        (pk, (head_id, version))
        for pk, head_id, version in Household.objects.filter(pk__in=list(first)).values_list(
            "pk", "head_id", "version"
        )
    )
    for person in people:
        household = person.household
        if household is None or household.pk not in first:
            continue
        head_id, version = saved[household.pk]
        if head_id == first[household.pk].pk:
            household.head, household.version = first[household.pk], version


def _vulnerabilities(people: list[Person]) -> None:
    """Every member's groups derived from the household as it now is: what registering them one by one leaves
    (each registration refreshes the new person, the head and older members). The new people are at hand; one
    query reads the members registered before them in the same households (few: a household's members are
    mostly registered together)."""
    new_ids = {person.pk for person in people}
    household_ids = {person.household_id for person in people if person.household_id is not None}
    members: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        if person.household_id is not None and person.is_active and person.merged_into_id is None:
            members[person.household_id].append(person)
    for member in Person.objects.filter(
        household_id__in=household_ids, is_active=True, merged_into__isnull=True
    ).exclude(pk__in=new_ids):
        members[member.household_id].append(member)
    rows = [row for person in people if person.household_id is None for row in _groups(person, [person])]
    for household_members in members.values():
        household_members.sort(key=lambda member: member.pk)
        for member in household_members:
            if member.pk in new_ids:
                rows.extend(_groups(member, household_members))
            elif member.relationship_to_head == "head" or (member.age or 0) >= vulnerability.OLDER_AGE:
                vulnerability_refresh(member, household_members)
    insert_many(Vulnerability, rows)


def _groups(person: Person, members: list[Person]) -> list[Vulnerability]:
    return [
        Vulnerability(person=person, group=group, source=Vulnerability.Source.RULE, reason=reason)
        for group, reason in vulnerability.derive(person, members).items()
    ]


# --- Writing many rows ------------------------------------------------------------------------------------------

# Field types whose Python values of these types the database drivers take as they are (what their
# ``get_db_prep_save`` returns for them); every other value goes through the field's ``get_db_prep_save``.
_AS_IS_FIELDS = {
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.BooleanField,
    models.ForeignKey,
}
_AS_IS_VALUES = (str, int, bool, type(None))
_ID_CHUNK = 900  # UUIDs per lookup of the new rows' keys (under SQLite's oldest limit on parameters)


def insert_many(model: type[models.Model], objects: Sequence[models.Model], *, ids: bool = False) -> None:
    """``model.objects.bulk_create(objects)`` for rows a service has checked, in one prepared INSERT executed
    for every row. ``bulk_create`` compiles each value of each row through several layers of the ORM, which
    made writing a large import cost more than checking it. ``auto_now``/``auto_now_add`` stamps are set as
    ``bulk_create`` sets them. ``ids``: read the new primary keys back by UUID (the model's ``uuid``) and set
    them on the objects, as ``bulk_create`` does."""
    if not objects:
        return
    now = timezone.now()
    fields, stamps = _insert_fields(model)
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        for field in stamps:
            setattr(obj, field.attname, now)
    _insert(model, fields, [obj.__dict__ for obj in objects])
    alias = connection.alias
    for obj in objects:
        obj._state.adding, obj._state.db = False, alias
    if ids:
        by_uuid = {obj.uuid: obj for obj in objects}
        uuids = list(by_uuid)
        for start in range(0, len(uuids), _ID_CHUNK):
            chunk = uuids[start : start + _ID_CHUNK]
            for uuid, pk in model._default_manager.filter(uuid__in=chunk).values_list("uuid", "pk"):
                by_uuid[uuid].pk = pk


def insert_values(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """``insert_many`` for rows given as values by attribute name (``person_id``), without a model instance
    for each (an import writes several key-table rows and audit entries per person). A field a row leaves out
    takes its default (a callable default called for each row); stamps are set."""
    if not rows:
        return
    now = timezone.now()
    fields, stamps = _insert_fields(model)
    given = set(rows[0])
    constant, called = {}, []
    for field in fields:
        if field.attname in given:
            continue
        if field in stamps:
            constant[field.attname] = now
        elif field.has_default() and callable(field.default):
            called.append((field.attname, field.default))
        else:
            constant[field.attname] = field.get_default()
    if called:
        full = [{**constant, **{name: default() for name, default in called}, **row} for row in rows]
    else:
        full = [{**constant, **row} for row in rows]
    _insert(model, fields, full)


def _insert_fields(model: type[models.Model]) -> tuple[list[models.Field], list[models.Field]]:
    """The columns an INSERT writes (all but the primary key) and the stamps among them."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamps = [
        field
        for field in fields
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
    ]
    return fields, stamps


def _insert(model: type[models.Model], fields: list[models.Field], rows: list[dict[str, Any]]) -> None:
    """One INSERT executed for every row. Values go to the driver as parameters, never into the SQL: as they are
    for plain text, numbers and booleans of a plain field (what their ``get_db_prep_save`` returns), through
    the field's ``get_db_prep_save`` otherwise, once per distinct date or time (a batch repeats them)."""
    db = connections[connection.alias]  # the connection itself: the proxy costs a lookup per attribute
    plain = [
        type(field) in _AS_IS_FIELDS
        and (not field.is_relation or type(field.target_field) in {models.AutoField, models.BigAutoField})
        for field in fields
    ]
    remembered = [isinstance(field, models.DateField) for field in fields]  # DateTimeField is a DateField
    columns = [
        (field.attname, as_is, field.get_db_prep_save, {} if remember else None)
        for field, as_is, remember in zip(fields, plain, remembered, strict=True)
    ]
    params = []
    for values in rows:
        row = []
        for attname, as_is, prepare, memo in columns:
            value = values[attname]
            if as_is and type(value) in _AS_IS_VALUES:
                row.append(value)
            elif memo is not None and value is not None:
                if value not in memo:
                    memo[value] = prepare(value, connection=db)
                row.append(memo[value])
            else:
                row.append(prepare(value, connection=db))
        params.append(row)
    quote = db.ops.quote_name
    # Only the model's own table and column names, quoted by the backend, go into the SQL; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
