"""Registration of many households and people at once (a spreadsheet import, a household from ODK Collect): the
same records as ``services.household_register`` and ``services.person_register`` called one by one, written in a
few queries.

Each person gets what registration gives them: the row (keys derived by ``services.search_keys``, numbers
encrypted by ``services._apply``), their rows in the duplicate key table, the consent to registration, one audit
entry for the person and one for the consent, the household's head when they head it, the vulnerability groups of
their household derived again, and a scan for likely duplicates in the background (``tasks``), whose pairs go to
the review queue. ``intake/tests/test_sheets_batch.py`` checks that the records equal those of the services one by
one, and that the batch refuses what they refuse.

Why it is written so (a spreadsheet import must check and write thousands of rows a second): a model's
``__init__`` and ``full_clean`` cost more than everything else a row needs, so the people and consents of a
batch are copied from one template made by ``__init__`` (``Preparation``), and each field's checks run once per
distinct value (``_full_clean``); the vulnerability rules see each person through ``_OnDay``, which reads the
clock once per batch instead of at every rule; and rows are written by one prepared INSERT per table.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, connections, models, transaction
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation

from hifazat.core.access import require
from hifazat.core.audit import Actor, object_type
from hifazat.core.jobs import enqueue_on_commit
from hifazat.core.models import AuditEntry, BaseModel
from hifazat.core.text import clean_line, clean_text
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
    "uuid",  # a new one from the field's own default
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


_CONSENT_SET_BY_SERVICE = ["uuid", "person", "shared_with", "created_by", "modified_by"]


# --- Preparing records fast -------------------------------------------------------------------------------------


class _Template:
    """New instances of a model copied from one made by its ``__init__`` (which costs more than all the checks
    of a row): the same field values and cached related objects; the unique fields with a callable default
    (``uuid``) made again for each."""

    def __init__(self, obj: models.Model) -> None:
        self.model = type(obj)
        self.values = {name: value for name, value in obj.__dict__.items() if name != "_state"}
        self.cache = dict(obj._state.fields_cache)
        self.fresh = [
            (field.attname, field.default)
            for field in self.model._meta.concrete_fields
            if field.unique and field.has_default() and callable(field.default)
        ]

    def new(self) -> Any:
        obj = self.model.__new__(self.model)
        values = obj.__dict__
        values.update(self.values)
        for name, default in self.fresh:
            values[name] = default()
        state = ModelState()
        state.fields_cache = dict(self.cache)
        obj._state = state
        return obj


class Preparation:
    """What the households, people and consents of one batch share, made once: the day and moment of
    registration, and the templates of a household, a person and a consent to registration as
    ``household_register`` and ``person_register`` make them for the actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.household = _Template(
            Household(organisation=actor.organisation, created_by=actor.user, modified_by=actor.user)
        )
        self.person = _Template(
            Person(
                organisation=actor.organisation,
                created_by=actor.user,
                modified_by=actor.user,
                registered_on=self.today,
            )
        )
        self.consent = _Template(
            Consent(
                purpose=ConsentPurpose.REGISTRATION,
                status=Consent.Status.GIVEN,
                created_by=actor.user,
                modified_by=actor.user,
                decided_at=self.now,
            )
        )


class _OnDay:
    """A person as the vulnerability rules and the consent check read them, on one day: ``age`` and
    ``is_child`` computed once (``Person.age_on``, ``Person.is_child``) instead of reading the clock at every
    rule; every other attribute is the person's own."""

    __slots__ = ("_person", "age", "is_child", "pk")

    def __init__(self, person: Person, day: datetime.date) -> None:
        self._person = person
        self.pk = person.pk  # read by the rules for every pair of members
        self.age = person.age_on(day)
        self.is_child = Person.is_child.fget(self)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._person, name)


# Each field's checks remembered by value, per model and field: (True, the cleaned value) or (False, the errors).
# A field's checks (``Field.clean``: type, length, choices, validators) read only its value, so a batch checks each
# distinct value once (a few genders, relationships, consents and dates, common names). Bounded: a field's memo
# starts again past ``_MEMO_SIZE`` values.
_MEMO: dict[tuple[type, str], dict[Any, tuple[bool, Any]]] = defaultdict(dict)
_MEMO_SIZE = 4096
_PLANS: dict[tuple[type, tuple[str, ...]], list[tuple]] = {}


def _clean_plan(model: type[models.Model], exclude: tuple[str, ...]) -> list[tuple]:
    """For ``_full_clean``, each field's (attribute name, text cleaning of ``BaseModel.clean_fields`` or None,
    the field if ``Model.clean_fields`` checks it or None, its memo or None if not remembered)."""
    plan = _PLANS.get((model, exclude))
    if plan is None:
        concrete = set(model._meta.concrete_fields)
        plan = []
        for field in model._meta.fields:
            cleaning = None
            if (
                field in concrete
                and isinstance(field, models.CharField | models.TextField)
                and not field.choices
            ):
                cleaning = clean_text if isinstance(field, models.TextField) else clean_line
            checked = field.name not in exclude and not field.generated
            if not checked and cleaning is None:
                continue
            # A related row's existence is read from the database: never remembered.
            memo = _MEMO[model, field.name] if checked and not field.is_relation else None
            plan.append((field.attname, cleaning, field if checked else None, memo))
        _PLANS[model, exclude] = plan
    return plan


def _full_clean(obj: models.Model, *, exclude: list[str]) -> None:
    """``obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)`` for a model whose
    checks are its fields' (``BaseModel.clean_fields``, no ``clean`` of its own): every text field cleaned
    (``core.text``), then every field not excluded checked, and the same ``ValidationError`` by field. A field's
    cleaning and checks read only its value: what they make of a value is remembered, so each distinct value is
    cleaned and checked once (a value of another type than text is remembered with its type: ``1`` is not
    ``True``). Any other model is checked by its own ``full_clean``."""
    model = type(obj)
    if model.clean is not models.Model.clean or model.clean_fields is not BaseModel.clean_fields:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        return
    values = obj.__dict__
    errors: dict[str, list[ValidationError]] = {}
    for name, cleaning, field, memo in _clean_plan(model, tuple(exclude)):
        raw = values[name]
        if memo is None:
            if cleaning is not None and raw and isinstance(raw, str):
                raw = values[name] = cleaning(raw)
            if field is not None and not (field.blank and raw in field.empty_values):
                try:
                    values[name] = field.clean(raw, obj)
                except ValidationError as error:
                    errors[field.name] = error.error_list
            continue
        key = raw if type(raw) is str else (type(raw), raw)
        try:
            found, hashable = memo.get(key), True
        except TypeError:  # an unhashable value: cleaned and checked without the memo
            found, hashable = None, False
        if found is None:
            value = cleaning(raw) if cleaning is not None and raw and isinstance(raw, str) else raw
            if field.blank and value in field.empty_values:
                found = (True, value)
            else:
                try:
                    found = (True, field.clean(value, obj))
                except ValidationError as error:
                    found = (False, error.error_list)
            if hashable:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = found
        if found[0]:
            values[name] = found[1]
        else:
            errors[field.name] = found[1]
    if errors:
        raise ValidationError(errors)


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


_HOUSEHOLD_SET_BY_SERVICE = ["uuid", "organisation", "site", "head", "created_by", "modified_by"]
_HOUSEHOLD_FIELDS = {
    "origin_area",
    "origin_village",
    "arrival_date",
}  # ``household_register``'s other arguments


def household_prepare(
    *, actor: Actor, site, shelter_number: str = "", preparation: Preparation | None = None, **fields: Any
) -> Household:
    """A household as ``household_register`` would register it, checked, not yet saved. ``preparation``: the
    batch's, made once for many households."""
    household = (preparation or Preparation(actor)).household.new()
    household.site = site
    household.shelter_number = shelter_number
    for name, value in fields.items():
        if name not in _HOUSEHOLD_FIELDS:
            raise TypeError(f"household_register() takes no argument {name!r}")
        setattr(household, name, value)
    _full_clean(household, exclude=_HOUSEHOLD_SET_BY_SERVICE)
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
    preparation: Preparation | None = None,
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
    yet. ``preparation``: the batch's (``Preparation(actor)``), made once for many people."""
    prepared = preparation or Preparation(actor)
    person = prepared.person.new()
    _apply(person, data, phone=phone, identity_number=identity_number, age_years=age_years)
    # The foreign keys are the service's own; uniqueness is the new UUID's; the model's one check (a first
    # name) is the field's own ``blank=False``: no query per person.
    _full_clean(person, exclude=_SET_BY_SERVICE)
    for field, value in search_keys(person).items():
        setattr(person, field, value)
    check_consent_decider(
        cast(Person, _OnDay(person, prepared.today)),
        given_by=consent_given_by,
        given_by_name=consent_given_by_name,
        child_view=child_view,
    )
    consent = prepared.consent.new()
    consent.given_by, consent.given_by_name, consent.child_view = (
        consent_given_by,
        consent_given_by_name,
        child_view,
    )
    # Its one check (only a sharing consent names an organisation) holds by construction: no query per person.
    _full_clean(consent, exclude=_CONSENT_SET_BY_SERVICE)
    return person, consent


@transaction.atomic
def persons_register_batch(
    *, actor: Actor, prepared: Sequence[tuple[Person, Consent]], new_households: Collection[int] = ()
) -> list[Person]:
    """Register prepared people (``person_prepare``) whose households are saved and belong to the actor's
    organisation: the records ``person_register`` writes for each, in a few queries for the whole batch.
    ``new_households``: the ids of households registered in the same batch, which have no other members."""
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
            {"person_id": pk, "key": key, "birth_year": year}
            for person, pk in ((person, person.pk) for person in people)
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
    _heads(people)
    _vulnerabilities(people, set(new_households))
    # Kept as 16 bytes a person until the commit (an import of many batches holds every batch's until then).
    scanned = b"".join(person.uuid.bytes for person in people)
    enqueue_on_commit(duplicates_scan_many, arguments=lambda: [_uuids(scanned)])
    return people


def _uuids(packed: bytes) -> list[str]:
    return [str(uuid.UUID(bytes=packed[start : start + 16])) for start in range(0, len(packed), 16)]


def _heads(people: list[Person]) -> None:
    """A household without a head gets the first person registered as its head (``person_register``): one
    prepared UPDATE executed for each household, which sets only a household that still has no head and raises
    its version (as one registration's versioned save does), then the heads and versions read back onto the
    households in memory."""
    first: dict[int, Person] = {}
    for person in people:
        if person.household is not None and person.relationship_to_head == "head":
            first.setdefault(person.household.pk, person)
    if not first:
        return
    db = connections[connection.alias]
    quote = db.ops.quote_name
    meta = Household._meta
    modified_at = meta.get_field("modified_at").get_db_prep_save(timezone.now(), connection=db)
    head, version = quote(meta.get_field("head").column), quote(meta.get_field("version").column)
    # Only the model's own table and column names, quoted by the backend, go into the SQL; values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {head} = %s, {version} = {version} + 1, "  # noqa: S608
        f"{quote(meta.get_field('modified_at').column)} = %s WHERE {quote(meta.pk.column)} = %s AND {head} IS NULL"
    )
    with db.cursor() as cursor:
        cursor.executemany(sql, [(person.pk, modified_at, pk) for pk, person in first.items()])
    saved = {
        pk: (head_id, version)
        for pk, head_id, version in Household.objects.filter(pk__in=one_of(first, Household._meta.pk))
        .order_by()
        .values_list("pk", "head_id", "version")
    }
    for person in people:
        household = person.household
        if household is None or household.pk not in first:
            continue
        head_id, version = saved[household.pk]
        if head_id == first[household.pk].pk:
            household.head, household.version = first[household.pk], version


def _vulnerabilities(people: list[Person], new_households: set[int]) -> None:
    """Every member's groups derived from the household as it now is: what registering them one by one leaves
    (each registration refreshes the new person, the head and older members). The new people are at hand; one
    query reads the members registered before them in the households that had members already (few: a
    household's members are mostly registered together, and a household registered in the same batch has no
    others). The rules read each person on today's date (``_OnDay``), their reasons in English as ``derive``
    stores them."""
    today = timezone.localdate()
    new_ids = {person.pk for person in people}
    members: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        if person.household_id is not None and person.is_active and person.merged_into_id is None:
            members[person.household_id].append(person)
    older = {person.household_id for person in people if person.household_id is not None} - new_households
    if older:
        # By household alone (SQLite would otherwise walk the index of the unmerged: nearly everyone).
        household = Person._meta.get_field("household")
        for member in Person.objects.filter(household_id__in=one_of(older, household)).order_by():
            if member.pk not in new_ids and member.is_active and member.merged_into_id is None:
                members[member.household_id].append(member)
    rows: list[dict[str, Any]] = []
    with translation.override("en"):
        for person in people:
            if person.household_id is None:
                seen = _OnDay(person, today)
                rows.extend(_groups(seen, [seen]))
        for household_members in members.values():
            household_members.sort(key=lambda member: member.pk)
            seen_members = [_OnDay(member, today) for member in household_members]
            for member, seen in zip(household_members, seen_members, strict=True):
                if member.pk in new_ids:
                    rows.extend(_groups(seen, seen_members))
                elif member.relationship_to_head == "head" or (seen.age or 0) >= vulnerability.OLDER_AGE:
                    vulnerability_refresh(member, household_members)
    insert_values(Vulnerability, rows)


def _groups(seen: _OnDay, members: list[_OnDay]) -> list[dict[str, Any]]:
    """The group rows of one new person (``vulnerability.derive``: the rules' reasons in English, the caller
    holding the English translation active)."""
    found = vulnerability.explain(cast(Person, seen), cast(list[Person], members))
    return [
        {"person_id": seen.pk, "group": group, "source": Vulnerability.Source.RULE, "reason": reason}
        for group, reason in found.items()
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
_AS_IS_VALUES = {str, int, bool, type(None)}
# Field types whose values repeat across a batch (dates, stamps, the actor's address): prepared once per value.
_REPEATED_FIELDS = (models.DateField, models.GenericIPAddressField)  # DateTimeField is a DateField


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
    _related_saved(model, objects)
    for obj in objects:
        values = obj.__dict__
        for field in stamps:
            values[field.attname] = now
    _insert(
        model, fields, {field.attname: [obj.__dict__[field.attname] for obj in objects] for field in fields}
    )
    alias = connection.alias
    for obj in objects:
        obj._state.adding, obj._state.db = False, alias
    if ids:
        by_uuid = {obj.uuid: obj for obj in objects}
        found = model._default_manager.filter(uuid__in=one_of(by_uuid, model._meta.get_field("uuid")))
        for public, pk in found.order_by().values_list("uuid", "pk"):
            by_uuid[public].pk = pk


def one_of(values: Iterable[Any], field: models.Field) -> RawSQL:
    """``values`` of ``field`` as an SQL set for ``<field>__in=``, given in one parameter (a JSON array on SQLite,
    an array on PostgreSQL), so that the statement is the same whatever their number. An ``IN`` list has a
    placeholder per value: a new statement for every batch, and SQLite keeps the last hundred or so it prepared,
    which held tens of megabytes in an import of many batches of thousands (its memory was not flat)."""
    db = connections[connection.alias]
    prepared = [field.get_db_prep_value(value, connection=db) for value in values]
    if db.vendor == "postgresql":
        # Only the field's column type, from the model, goes into the SQL; the values are the parameter.
        return RawSQL(f"SELECT unnest(%s::{field.db_type(db)}[])", [prepared])  # noqa: S611
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(prepared)])


def _related_saved(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """What ``Model._prepare_related_fields_for_save`` does before ``bulk_create``, for the related objects an
    object holds (its cache): an unsaved one is refused, and a key set since the object was given is taken."""
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        name, attname = field.cache_name, field.attname
        target, by_pk = field.target_field.attname, field.target_field.primary_key
        for obj in objects:
            related = obj._state.fields_cache.get(name)
            if related is None:
                continue
            key = getattr(related, target)  # not ``__dict__``: the actor's user may be a lazy object
            if (key if by_pk else related.pk) is None:
                raise ValueError(
                    f"bulk_create() prohibited to prevent data loss due to unsaved related object '{field.name}'."
                )
            if obj.__dict__[attname] in field.empty_values:
                obj.__dict__[attname] = key
            elif obj.__dict__[attname] != key:
                del obj._state.fields_cache[name]


def insert_values(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """``insert_many`` for rows given as values by attribute name (``person_id``), without a model instance
    for each (an import writes several key-table rows and audit entries per person). A field a row leaves out
    takes its default (a callable default called for each row); stamps are set. Every row names the same
    fields."""
    if not rows:
        return
    now = timezone.now()
    fields, stamps = _insert_fields(model)
    given = set(rows[0])
    columns: dict[str, list[Any]] = {}
    for field in fields:
        name = field.attname
        if name in given:
            columns[name] = [row[name] for row in rows]
        elif field in stamps:
            columns[name] = [now] * len(rows)
        elif field.has_default() and callable(field.default):
            default = field.default
            columns[name] = [default() for _ in rows]
        else:
            columns[name] = [field.get_default()] * len(rows)
    _insert(model, fields, columns)


def _insert_fields(model: type[models.Model]) -> tuple[list[models.Field], list[models.Field]]:
    """The columns an INSERT writes (all but the primary key) and the stamps among them."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamps = [
        field
        for field in fields
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
    ]
    return fields, stamps


def _insert(model: type[models.Model], fields: list[models.Field], columns: dict[str, list[Any]]) -> None:
    """One INSERT executed for every row (a COPY on PostgreSQL), given column by column. Values go to the driver
    as parameters, never into the SQL: as they are for plain text, numbers and booleans of a plain field (what their
    ``get_db_prep_save`` returns), through the field's ``get_db_prep_save`` otherwise, once per distinct date,
    time or address (a batch repeats them)."""
    db = connections[connection.alias]  # the connection itself: the proxy costs a lookup per attribute
    prepared = []
    for field in fields:
        values = columns[field.attname]
        plain = type(field) in _AS_IS_FIELDS and (
            not field.is_relation or type(field.target_field) in {models.AutoField, models.BigAutoField}
        )
        prepare = field.get_db_prep_save
        if plain and set(map(type, values)) <= _AS_IS_VALUES:
            prepared.append(values)
        elif plain:
            prepared.append(
                [value if type(value) in _AS_IS_VALUES else prepare(value, connection=db) for value in values]
            )
        elif isinstance(field, _REPEATED_FIELDS):
            memo = {value: prepare(value, connection=db) for value in set(values)}
            prepared.append([memo[value] for value in values])
        elif isinstance(field, models.UUIDField) and set(map(type, values)) == {uuid.UUID}:
            # What ``UUIDField.get_db_prep_value`` gives for a UUID: itself, or its hex without a native type.
            prepared.append(values if db.features.has_native_uuid_field else [value.hex for value in values])
        else:
            prepared.append([prepare(value, connection=db) for value in values])
    quote = db.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    rows = zip(*prepared, strict=True)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # COPY: psycopg's executemany adapts every value in Python and sends a statement per row, which cost
            # more than all the rest of an import; COPY streams the rows, adapted by psycopg's C code.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Only the model's own table and column names, quoted by the backend, go into the SQL; values are
        # parameters.
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        cursor.executemany(sql, list(rows))
