"""Duplicate candidates: who in the registry may be the person being registered, with a score and reasons.

Candidates are found through the key table (``PersonMatchKey``, one row per blocking key of a person, with the
birth year beside it), never by comparing with everyone: a lookup reads the rows under the record's keys within
the birth-year window, ranks people by how many keys they share, and scores the best of them with
``matching.score``. The key table is derived data: ``refresh_match_keys`` rewrites a person's rows, and the
registration and update services call it after every save (merges call it themselves).

Two lookups read it. The registration page's (``duplicate_candidates``) reads the broad keys (``lookup_keys``:
names alone, which find a person however little was recorded) and shows likely and possible candidates. The
review queue's scan (``candidates_in(..., queue=True)``) reads the queue's keys (``queue_lookup``: the whole name
with the father's first name, or with the day of birth, or alone where one side has no father's name, or the
phone), which stay few per person in a registry of millions, so that batch de-duplication
(``people.batch_dedup``) can find every pair of a whole registry that the scans would find, the same pairs with
the same scores.

Only the candidates returned get their reasons (``matching.score``); the others are ranked on the score alone
(``matching.batch.quick_score``), whose sentences would cost ten times the comparison.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from hifazat.core import crypto
from hifazat.core.audit import Actor
from hifazat.matching import UNLIKELY, YEAR_WINDOW, Match, MatchRecord, blocking_keys, lookup_keys, score
from hifazat.matching.batch import best_possible, household_bound, oriented, quick_score
from hifazat.matching.blocking import date_years, lookup_years, queue_lookup
from hifazat.matching.names import match_tokens, skeleton
from hifazat.matching.scoring import (
    POSSIBLE_FROM,
    Member,
    NameFrequencies,
    Weights,
    default_weights,
    member_of,
)
from hifazat.people.models import MatchWeights, Person, PersonMatchKey
from hifazat.people.normalise import birthdate_from_age, normalise_phone
from hifazat.people.selectors import persons_visible_to

# How many people sharing the most keys are scored: enough for every plausible candidate, few enough to score in
# a few milliseconds; they are the visible ones among the SHORTLIST read from the key table.
POOL = 60
SHORTLIST = 300


@dataclass(frozen=True)
class Candidate:
    """A person who may be the same as the record looked up, with the match (score, band, reasons)."""

    person: Person
    match: Match


def record_for(person: Any) -> MatchRecord:
    """The matching record of a person (a ``Person``, or the historical model in a migration)."""
    household = person.household if person.household_id else None
    return MatchRecord(
        first_name=person.first_name,
        second_name=person.second_name,
        first_name_ur=person.first_name_ur,
        second_name_ur=person.second_name_ur,
        parentage_word=person.parentage_word,
        parentage_name=person.parentage_name,
        parentage_name_ur=person.parentage_name_ur,
        gender=person.gender,
        birth_year=person.birthdate.year if person.birthdate else None,
        birthdate=person.birthdate,
        birthdate_is_estimate=person.birthdate_is_estimate,
        site=household.site_id if household else None,
        origin_area=household.origin_area_id if household else None,
        household=person.household_id,
        phone_index=person.phone_index,
        person=person.pk,
    )


# The fields ``record_for`` reads, as ``values_list`` names them (``records_of`` reads many people at once).
RECORD_FIELDS = (
    "pk",
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_word",
    "parentage_name",
    "parentage_name_ur",
    "gender",
    "birthdate",
    "birthdate_is_estimate",
    "household_id",
    "household__site_id",
    "household__origin_area_id",
    "phone_index",
)


def record_of_values(values: tuple) -> MatchRecord:
    """The record ``record_for`` makes, from a row of ``RECORD_FIELDS`` (no query)."""
    pk, first, second, first_ur, second_ur, word, parent, parent_ur = values[:8]
    gender, born, estimate, household, site, origin, phone = values[8:]
    return MatchRecord(
        first_name=first,
        second_name=second,
        first_name_ur=first_ur,
        second_name_ur=second_ur,
        parentage_word=word,
        parentage_name=parent,
        parentage_name_ur=parent_ur,
        gender=gender,
        birth_year=born.year if born else None,
        birthdate=born,
        birthdate_is_estimate=estimate,
        site=site,
        origin_area=origin,
        household=household,
        phone_index=phone,
        person=pk,
    )


def records_of(queryset: QuerySet[Person]) -> dict[int, MatchRecord]:
    """The records of every person of ``queryset`` by id, in one query."""
    return {values[0]: record_of_values(values) for values in queryset.values_list(*RECORD_FIELDS)}


def match_key_rows(records: Iterable[MatchRecord]) -> dict[str, int | None]:
    """Key → birth year for the rows of one person: their own record first, then those merged into them."""
    rows: dict[str, int | None] = {}
    for record in records:
        for key in blocking_keys(record):
            rows.setdefault(key, record.birth_year)
    return rows


def refresh_match_keys(person: Person) -> None:
    """Rewrite ``person``'s rows in the key table from their current data. An active, unmerged person is filed
    under their own keys and those of the people merged into them (so that a merged-away spelling still finds
    them); an inactive or merged-away person under none. Call after every save of a person's names, birth date,
    gender, parentage, household or phone, inside the same transaction."""
    PersonMatchKey.objects.filter(person=person).delete()
    if not person.is_active or person.merged_into_id is not None:
        return
    merged = Person.objects.filter(merged_into=person).select_related("household")
    rows = match_key_rows([record_for(person), *(record_for(other) for other in merged)])
    PersonMatchKey.objects.bulk_create(
        PersonMatchKey(person=person, key=key, birth_year=year) for key, year in rows.items()
    )


# The registry's size and the weights in force change slowly: read at most once per this many seconds.
CACHE_SECONDS = 300
_cache: dict[str, tuple[float, Any]] = {}


# A registry smaller than this is counted at every lookup (it costs nothing), so that its size is never stale.
COUNT_ALWAYS_BELOW = 10_000


def _cached(name: str, read, keep=lambda value: True):
    found = _cache.get(name)
    if found is None or time.monotonic() - found[0] > CACHE_SECONDS:
        value = read()
        if not keep(value):
            return value
        found = (time.monotonic(), value)
        _cache[name] = found
    return found[1]


def clear_cache() -> None:
    """Forget the cached registry size, name counts and weights (after re-estimating them, and between tests)."""
    _cache.clear()
    _name_counts.clear()


def weights_in_force() -> Weights:
    """The newest weights ``estimate_match_weights`` stored, or the estimated defaults."""

    def read() -> Weights:
        stored = MatchWeights.objects.order_by("-created_at").first()
        return stored.as_weights() if stored is not None else default_weights()

    return _cached("weights", read)


# How many people are filed under a name's ``t:`` key, by key, with when it was counted. In a registry of
# ``COUNT_ALWAYS_BELOW`` or more a count is kept for ``CACHE_SECONDS``: a common name is filed under thousands
# of rows, and its share of the registry barely moves in minutes.
_name_counts: dict[str, tuple[float, int]] = {}


def name_skeletons(record: MatchRecord) -> set[str]:
    """The skeletons of every name of ``record`` (own and father's or husband's), as the scorer's name counts
    read them."""
    parts = (
        record.first_name,
        record.second_name,
        record.first_name_ur,
        record.second_name_ur,
        record.parentage_name,
        record.parentage_name_ur,
    )
    return {found for part in parts for token in match_tokens(part) if (found := skeleton(token))}


def registry_frequencies(*records: MatchRecord) -> NameFrequencies:
    """How common the names of ``records`` (own and father's or husband's) are in the registry: the people filed
    under each name's ``t:`` key (one query on the key table's index), of all people (counted, or cached for
    ``CACHE_SECONDS`` in a registry of ``COUNT_ALWAYS_BELOW`` or more). A lookup counts the names of the record
    and of its candidates together, so that a pair's score does not depend on which of the two was looked up."""
    total = _cached("people", Person.objects.count, keep=lambda total: total >= COUNT_ALWAYS_BELOW)
    keys = {f"t:{found}" for record in records for found in name_skeletons(record)}
    now, keep = time.monotonic(), total >= COUNT_ALWAYS_BELOW
    counts = {}
    if keep:
        for key in keys:
            cached = _name_counts.get(key)
            if cached is not None and now - cached[0] <= CACHE_SECONDS:
                counts[key] = cached[1]
    missing = sorted(keys - counts.keys())
    if missing:
        read = dict(
            PersonMatchKey.objects.filter(key__in=missing)
            .values("key")
            .annotate(people=Count("id"))
            .values_list("key", "people")
        )
        for key in missing:
            counts[key] = read.get(key, 0)
            if keep:
                _name_counts[key] = (now, counts[key])
    return NameFrequencies({key[2:]: people for key, people in counts.items() if people}, total)


def household_members(queryset: QuerySet[Person], households: Iterable[int]) -> dict[int, tuple[Member, ...]]:
    """The members of ``households`` among ``queryset`` as the household comparison needs them (one query)."""
    out: dict[int, list[Member]] = {}
    rows = queryset.filter(household_id__in=sorted(set(households))).values_list(
        "pk", "household_id", "first_name", "first_name_ur", "gender", "birthdate"
    )
    for pk, household, first_name, first_name_ur, gender, birthdate in rows:
        record = MatchRecord(
            first_name=first_name, first_name_ur=first_name_ur, gender=gender, birthdate=birthdate, person=pk
        )
        out.setdefault(household, []).append(member_of(record))
    return {household: tuple(members) for household, members in out.items()}


def candidates_in(
    queryset: QuerySet[Person],
    record: MatchRecord,
    *,
    exclude_pk: int | None = None,
    limit: int = 10,
    queue: bool = False,
    threshold: float | None = None,
) -> list[Candidate]:
    """Scored candidates for ``record`` among ``queryset``, best first: the people who share most keys with it
    within the birth-year window or at a year a slip of the pen gives (or have no birth year), scored; with
    ``queue``, the review queue's keys (``queue_lookup``: a ``d:`` key only at the same year or a slip's) instead
    of the registration page's (``lookup_keys``); with ``threshold``, only those scoring at least that (a pair
    that cannot reach it is not compared member by member: ``matching.batch.best_possible``). Five queries,
    whatever the registry's size (and the size of the
    registry and the weights in force, cached).

    The first reads only the key table (its index on key and birth year), so SQLite plans it the same with or
    without table statistics; the second reads the matching records of those within ``queryset`` (the fields
    ``record_for`` reads, no model instances), the third counts how common the names of the record and of the
    ``POOL`` sharing most keys are (``registry_frequencies``), the fourth reads the other members of the
    households concerned (``household_members``), the fifth the people returned. The first is not scoped: where several
    organisations register in the same camps, their people share the ``SHORTLIST`` of the name keys (the queue's
    keys have no shortlist: they hold few people). The pool is ranked on its scores alone; the ``limit``
    returned get their reasons. ``matching.batch.ranked_candidates`` is the queue's lookup for many people at
    once: a change here is a change there."""
    if queue:
        window_keys, date_keys = queue_lookup(record)
    else:
        window_keys, date_keys = lookup_keys(record), set()
    if not window_keys and not date_keys:
        return []
    within = Q(key__in=sorted(window_keys))
    years = lookup_years(record)
    if years is not None:
        window, slips = years
        near = Q(birth_year__range=window) | Q(birth_year__isnull=True)
        within &= near | Q(birth_year__in=sorted(slips)) if slips else near
    if date_keys:
        within |= Q(key__in=sorted(date_keys), birth_year__in=sorted(date_years(record)))
    rows = PersonMatchKey.objects.filter(within)
    if exclude_pk is not None:
        rows = rows.exclude(person_id=exclude_pk)
    # Most keys shared first; among equals, the nearest birth year (unknown counts as the window's edge).
    gap = (
        Coalesce(Abs(F("birth_year") - record.birth_year), YEAR_WINDOW)
        if record.birth_year is not None
        else Value(0)
    )
    ranked = (
        rows.values("person_id")
        .annotate(shared=Count("id"), gap=Min(gap))
        .order_by("-shared", "gap", "-person_id")
        .values_list("person_id", flat=True)
    )
    if not queue:
        # The name keys of a common name hold thousands of people; the queue's keys a handful, all of whom are
        # read, so that the pool is the same whoever else (another organisation's people) shares the keys.
        ranked = ranked[:SHORTLIST]
    rank = {pk: position for position, pk in enumerate(ranked)}
    visible = {
        values[0]: record_of_values(values)
        for values in queryset.filter(pk__in=list(rank)).values_list(*RECORD_FIELDS)
    }
    records = {pk: visible[pk] for pk in sorted(visible, key=rank.__getitem__)[:POOL]}
    if not records:
        return []
    weights = weights_in_force()
    # A registration not yet saved is scored first in every pair, and the name counts read are those of its
    # agreeing names; two registered people are scored in the order of their ids, so the candidates' names are
    # counted too, and a pair scores the same whichever of the two is looked up.
    frequencies = registry_frequencies(record, *(records.values() if record.person is not None else ()))
    if threshold is not None:
        # Only those who can reach the threshold are compared household by household (most registrations have
        # no such candidate: then the households are not even read).
        bound = household_bound(weights)
        records = {
            pk: found
            for pk, found in records.items()
            if best_possible(*oriented(record, found), weights=weights, frequencies=frequencies, bound=bound)
            >= threshold
        }
        if not records:
            return []
    households = household_members(
        queryset, [r.household for r in records.values() if r.household] + [record.household or 0]
    )
    context = {"weights": weights, "frequencies": frequencies, "households": households}
    scores = {pk: quick_score(*oriented(record, found), **context) for pk, found in records.items()}
    if threshold is not None:
        scores = {pk: value for pk, value in scores.items() if value >= threshold}
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    if not best:
        return []
    people = queryset.select_related("household__site").in_bulk(best)
    return [Candidate(people[pk], score(*oriented(record, records[pk]), **context)) for pk in best]


def duplicate_candidates(
    actor: Actor,
    record_or_person: MatchRecord | Person,
    limit: int = 10,
    threshold: float | None = None,
) -> list[Candidate]:
    """The people the actor may see who may be the same as ``record_or_person`` (a registration not yet saved,
    or a registered person, who is left out), scored and ranked, each with the reasons; with ``threshold``, only
    those scoring at least that."""
    if isinstance(record_or_person, Person):
        return candidates_in(
            persons_visible_to(actor),
            record_for(record_or_person),
            exclude_pk=record_or_person.pk,
            limit=limit,
            threshold=threshold,
        )
    return candidates_in(persons_visible_to(actor), record_or_person, limit=limit, threshold=threshold)


def record_from_registration(data: dict[str, Any], household=None) -> MatchRecord:
    """The matching record of a registration form's data (the arguments of ``services.person_register``)."""
    birthdate, estimated = data.get("birthdate"), False
    if not birthdate and data.get("age_years") is not None:
        birthdate, estimated = birthdate_from_age(data["age_years"], timezone.localdate()), True
    phone = normalise_phone(data.get("phone") or "")
    return MatchRecord(
        first_name=data.get("first_name") or "",
        second_name=data.get("second_name") or "",
        first_name_ur=data.get("first_name_ur") or "",
        second_name_ur=data.get("second_name_ur") or "",
        parentage_word=data.get("parentage_word") or "",
        parentage_name=data.get("parentage_name") or "",
        parentage_name_ur=data.get("parentage_name_ur") or "",
        gender=data.get("gender") or "",
        birthdate=birthdate or None,
        birthdate_is_estimate=estimated,
        site=household.site_id if household is not None else None,
        origin_area=household.origin_area_id if household is not None else None,
        household=household.pk if household is not None else None,
        phone_index=crypto.blind_index("phone", phone) if phone else "",
    )


def candidates_for_registration(*, actor: Actor, data: dict[str, Any], household=None, limit: int = 5):
    """What the registration page shows before saving: the likely and possible duplicates of the person being
    registered (``people.views.person_create`` calls this)."""
    record = record_from_registration(data, household)
    found = duplicate_candidates(actor, record, limit=limit, threshold=POSSIBLE_FROM)
    return [c for c in found if c.match.band != UNLIKELY]  # a score rounded up to the cut is still unlikely
