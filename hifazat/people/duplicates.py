"""Duplicate candidates: who in the registry may be the person being registered, with a score and reasons.

Candidates are found through the key table (``PersonMatchKey``, one row per blocking key of a person, with the
birth year beside it), never by comparing with everyone: a lookup reads the rows under the record's keys within
the birth-year window, ranks people by how many keys they share, and scores the best of them with
``matching.score``. The key table is derived data: ``refresh_match_keys`` rewrites a person's rows, and the
registration and update services call it after every save (merges call it themselves).
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
from hifazat.matching.blocking import lookup_years
from hifazat.matching.names import match_tokens, skeleton
from hifazat.matching.scoring import Member, NameFrequencies, Weights, default_weights, member_of
from hifazat.people.models import MatchWeights, Person, PersonMatchKey
from hifazat.people.normalise import normalise_phone
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
    """Forget the cached registry size and weights (after re-estimating them, and between tests)."""
    _cache.clear()


def weights_in_force() -> Weights:
    """The newest weights ``estimate_match_weights`` stored, or the estimated defaults."""

    def read() -> Weights:
        stored = MatchWeights.objects.order_by("-created_at").first()
        return stored.as_weights() if stored is not None else default_weights()

    return _cached("weights", read)


def registry_frequencies(record: MatchRecord) -> NameFrequencies:
    """How common the names of ``record`` (own and father's or husband's) are in the registry: the people filed
    under each name's ``t:`` key (one query on the key table's index), of all people (counted, or cached for
    ``CACHE_SECONDS`` in a registry of ``COUNT_ALWAYS_BELOW`` or more)."""
    total = _cached("people", Person.objects.count, keep=lambda total: total >= COUNT_ALWAYS_BELOW)
    skeletons = {
        skeleton(token)
        for part in (
            record.first_name,
            record.second_name,
            record.first_name_ur,
            record.second_name_ur,
            record.parentage_name,
            record.parentage_name_ur,
        )
        for token in match_tokens(part)
    }
    counts = (
        PersonMatchKey.objects.filter(key__in=sorted(f"t:{s}" for s in skeletons if s))
        .values("key")
        .annotate(people=Count("id"))
        .values_list("key", "people")
    )
    return NameFrequencies({key[2:]: people for key, people in counts}, total)


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
    queryset: QuerySet[Person], record: MatchRecord, *, exclude_pk: int | None = None, limit: int = 10
) -> list[Candidate]:
    """Scored candidates for ``record`` among ``queryset``, best first: the people who share most keys with it
    within the birth-year window or at a year a slip of the pen gives (or have no birth year), scored. Five
    queries, whatever the registry's size (and the size of the registry and the weights in force, cached).

    The first reads only the key table (its index on key and birth year), so SQLite plans it the same with or
    without table statistics; the second keeps the ids within ``queryset``, the third reads the ``POOL`` sharing
    most keys (reading whole rows for the shortlist would cost more than scoring them), the fourth counts how
    common the record's names are (``registry_frequencies``), the fifth reads the other members of the households
    concerned (``household_members``). The first is not scoped: where several organisations
    register in the same camps, their people share the ``SHORTLIST``."""
    keys = lookup_keys(record)
    if not keys:
        return []
    rows = PersonMatchKey.objects.filter(key__in=sorted(keys))
    years = lookup_years(record)
    if years is not None:
        window, slips = years
        within = Q(birth_year__range=window) | Q(birth_year__isnull=True)
        rows = rows.filter(within | Q(birth_year__in=sorted(slips)) if slips else within)
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
        .values_list("person_id", flat=True)[:SHORTLIST]
    )
    rank = {pk: position for position, pk in enumerate(ranked)}
    visible = queryset.filter(pk__in=list(rank)).values_list("pk", flat=True)
    pool = sorted(visible, key=rank.__getitem__)[:POOL]
    people = queryset.filter(pk__in=pool).select_related("household__site")
    people = list(people)
    weights, frequencies = weights_in_force(), registry_frequencies(record)
    households = household_members(
        queryset, [p.household_id for p in people if p.household_id] + [record.household or 0]
    )
    scored = [
        Candidate(
            person,
            score(
                record, record_for(person), weights=weights, frequencies=frequencies, households=households
            ),
        )
        for person in people
    ]
    scored.sort(key=lambda candidate: (-candidate.match.score, candidate.person.pk))
    return scored[:limit]


def duplicate_candidates(
    actor: Actor, record_or_person: MatchRecord | Person, limit: int = 10
) -> list[Candidate]:
    """The people the actor may see who may be the same as ``record_or_person`` (a registration not yet saved,
    or a registered person, who is left out), scored and ranked, each with the reasons."""
    if isinstance(record_or_person, Person):
        return candidates_in(
            persons_visible_to(actor),
            record_for(record_or_person),
            exclude_pk=record_or_person.pk,
            limit=limit,
        )
    return candidates_in(persons_visible_to(actor), record_or_person, limit=limit)


def record_from_registration(data: dict[str, Any], household=None) -> MatchRecord:
    """The matching record of a registration form's data (the arguments of ``services.person_register``)."""
    from hifazat.people.services import _birthdate_from_age

    birthdate, estimated = data.get("birthdate"), False
    if not birthdate and data.get("age_years") is not None:
        birthdate, estimated = _birthdate_from_age(data["age_years"], timezone.localdate()), True
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
    return [c for c in duplicate_candidates(actor, record, limit=limit) if c.match.band != UNLIKELY]
