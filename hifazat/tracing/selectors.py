"""Reads of tracing: requests the actor may see, the separated children who may be searched, and candidates
both ways (a request's possible children, a child's possible requests), found through key tables, never by a
scan.

Only children whose family-tracing consent is in force are ever searched or shown: the rules are in ``_traceable``,
applied to what the actor may see (``tracing_children_visible_to``) for pages, lists and what a ranking shows, and
to the ids the key table found (``_eligible_genders``) before a shortlist is drawn, so a child without consent
never enters a candidate list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from hifazat.core.audit import Actor
from hifazat.geography.models import AdminArea
from hifazat.matching import YEAR_WINDOW, MatchRecord
from hifazat.matching.blocking import KEY_WEIGHTS, tracing_keys
from hifazat.people.models import (
    ChildStatus,
    Consent,
    ConsentPurpose,
    Person,
    PersonMatchKey,
    Vulnerability,
    VulnerabilityGroup,
)
from hifazat.people.selectors import persons_visible_to
from hifazat.tracing.models import (
    ACTIVE_STATUSES,
    CandidateStatus,
    ChecklistEntry,
    ChecklistItem,
    TracingCandidate,
    TracingRequest,
    TracingRequestKey,
    TracingStatus,
)
from hifazat.tracing.scoring import Area, Areas, Found, Sought, TracingMatch, odds, score, weigh

# How many of those sharing the most keys are scored: every plausible candidate, few enough to score in a few
# milliseconds (the benchmark checks that the true child is among them). The keys and how much each kind counts
# (``KEY_WEIGHTS``) are the matching part's (``matching.blocking.tracing_keys``), one key builder for the registry
# and tracing.
SHORTLIST = 300
# Child care situations that make a registered child a tracing case, beside the vulnerability group.
SEPARATED = (ChildStatus.SEPARATED, ChildStatus.UNACCOMPANIED)


def requests_visible_to(actor: Actor | None) -> QuerySet[TracingRequest]:
    """The organisation's tracing requests, for everyone in it who works on tracing (a team's work: any of them
    may take a call from a parent)."""
    if actor is None or not actor.can("tracing.view"):
        return TracingRequest.objects.none()
    return TracingRequest.objects.filter(organisation=actor.organisation).select_related(
        "caseworker", "case", "matched_person", "origin_area", "separation_area"
    )


def _consent_in_force(person_ref: str) -> Subquery:
    """The status of the newest family-tracing decision of the person at ``person_ref`` (as
    ``people.services.consent_in_force`` reads it)."""
    return Subquery(
        Consent.objects.filter(person_id=OuterRef(person_ref), purpose=ConsentPurpose.FAMILY_TRACING)
        .order_by("-decided_at", "-id")
        .values("status")[:1]
    )


def _separated(person_ref: str, prefix: str) -> Q:
    """Registered as a separated or unaccompanied child, or in the group of at-risk children (which also holds
    orphans, who may have relatives looking for them)."""
    in_group = Exists(
        Vulnerability.objects.filter(person_id=OuterRef(person_ref), group=VulnerabilityGroup.AT_RISK_CHILD)
    )
    return Q(**{f"{prefix}child_status__in": SEPARATED}) | Q(in_group)


def _traceable(people: QuerySet[Person]) -> QuerySet[Person]:
    """Those of ``people`` registered as separated (``_separated``) whose family-tracing consent is in force."""
    return (
        people.annotate(tracing_consent=_consent_in_force("pk"))
        .filter(_separated("pk", ""))
        .filter(tracing_consent=Consent.Status.GIVEN)
    )


def tracing_children_visible_to(actor: Actor | None) -> QuerySet[Person]:
    """The separated children the actor may search and see in tracing: among the people they may see, those
    registered as separated whose family-tracing consent is in force."""
    if actor is None or not actor.can("tracing.view"):
        return Person.objects.none()
    return _traceable(persons_visible_to(actor))


def tracing_children_of(organisation_id: int) -> QuerySet[Person]:
    """The same children of one organisation, for work done without a user (``tracing_refresh``)."""
    return _traceable(
        Person.objects.filter(organisation_id=organisation_id, is_active=True, merged_into__isnull=True)
    )


def is_tracing_child(actor: Actor, person: Person) -> bool:
    return tracing_children_visible_to(actor).filter(pk=person.pk).exists()


# --- Records ------------------------------------------------------------------------------------------------------


def load_areas() -> Areas:
    """The area tree (a few hundred rows at most), read once per ranking."""
    return Areas(
        [Area(*row) for row in AdminArea.objects.values_list("pk", "parent_id", "level", "name", "name_ur")]
    )


SOUGHT_FIELDS = (
    "pk",
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_name",
    "parentage_name_ur",
    "gender",
    "birthdate",
    "birthdate_is_estimate",
    "birth_year",
    "origin_area_id",
    "origin_village",
    "separation_area_id",
    "separation_date",
)


def _match_record(row) -> MatchRecord:
    word = {"Masculine": "son_of", "Feminine": "daughter_of"}.get(row["gender"], "")
    exact = row["birthdate"] if row["birthdate"] and not row["birthdate_is_estimate"] else None
    return MatchRecord(
        first_name=row["first_name"],
        second_name=row["second_name"],
        first_name_ur=row["first_name_ur"],
        second_name_ur=row["second_name_ur"],
        parentage_word=word,
        parentage_name=row["parentage_name"],
        parentage_name_ur=row["parentage_name_ur"],
        gender=row["gender"],
        birth_year=row["birth_year"],
        birthdate=exact,
        birthdate_is_estimate=row["birthdate_is_estimate"],
    )


def _request_row(request: TracingRequest) -> dict:
    return {name: getattr(request, name) for name in SOUGHT_FIELDS}


def match_record(request: TracingRequest) -> MatchRecord:
    """The request's sought person as the matching part compares people."""
    return _match_record(_request_row(request))


def _sought(row: dict) -> Sought:
    return Sought(
        person=_match_record(row),
        origin_area=row["origin_area_id"],
        origin_village=row["origin_village"],
        separation_area=row["separation_area_id"],
        separation_date=row["separation_date"],
    )


def sought_of(request: TracingRequest) -> Sought:
    return _sought(_request_row(request))


# The fields of a person, their household and its site that the tracing score reads: what the ranking reads
# for each shortlisted child without building model instances.
FOUND_FIELDS = (
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
    "household__origin_area_id",
    "household__origin_village",
    "household__site__area_id",
    "household__arrival_date",
)


def _found(row: dict) -> Found:
    """A registered child as the tracing score compares them (``row`` holds ``FOUND_FIELDS``): their names,
    parentage, sex and birth, their household's place of origin, and where and when they arrived (their
    household's site and arrival date). Not household, phone or site as such, which the registry's duplicate
    score uses and a parent cannot know."""
    birthdate = row["birthdate"]
    record = MatchRecord(
        first_name=row["first_name"],
        second_name=row["second_name"],
        first_name_ur=row["first_name_ur"],
        second_name_ur=row["second_name_ur"],
        parentage_word=row["parentage_word"],
        parentage_name=row["parentage_name"],
        parentage_name_ur=row["parentage_name_ur"],
        gender=row["gender"],
        birth_year=birthdate.year if birthdate else None,
        birthdate=birthdate,
        birthdate_is_estimate=row["birthdate_is_estimate"],
    )
    return Found(
        person=record,
        origin_area=row["household__origin_area_id"],
        origin_village=row["household__origin_village"] or "",
        site_area=row["household__site__area_id"],
        arrived_on=row["household__arrival_date"],
    )


def found_of(person: Person) -> Found:
    household = person.household if person.household_id else None
    row = {name: getattr(person, name) for name in FOUND_FIELDS if not name.startswith("household")}
    row |= {
        "household__origin_area_id": household.origin_area_id if household else None,
        "household__origin_village": household.origin_village if household else "",
        "household__site__area_id": household.site.area_id if household else None,
        "household__arrival_date": household.arrival_date if household else None,
    }
    return _found(row)


# --- Candidates ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildCandidate:
    """A registered child who may be the person a request seeks."""

    person: Person
    match: TracingMatch
    status: str = ""  # the team's decision, if any (CandidateStatus)


@dataclass(frozen=True)
class RequestCandidate:
    """A tracing request that may be seeking a registered child."""

    request: TracingRequest
    match: TracingMatch
    status: str = ""


def _key_rows(model, group: str, keys: set[str], record: MatchRecord, **scope) -> dict[int, tuple[int, int]]:
    """Read the key table (``model``) under ``keys`` within the birth-year window, through its index on key and
    birth year alone (no join: without table statistics SQLite would start a join from the other table), and add
    up per id (``group``) the weight of the keys shared and the nearest birth-year gap."""
    rows = model.objects.filter(key__in=sorted(keys), **scope)
    year = record.birth_year
    if year is not None:
        rows = rows.filter(
            Q(birth_year__range=(year - YEAR_WINDOW, year + YEAR_WINDOW)) | Q(birth_year__isnull=True)
        )
    found: dict[int, tuple[int, int]] = {}
    for pk, key, birth_year in rows.values_list(group, "key", "birth_year"):
        weight, gap = found.get(pk, (0, YEAR_WINDOW))
        distance = 0 if year is None else YEAR_WINDOW if birth_year is None else abs(birth_year - year)
        found[pk] = (weight + KEY_WEIGHTS[key.split(":", 1)[0]], min(gap, distance))
    return found


def _shortlist(found: dict[int, tuple[int, int]], genders: dict[int, str], gender: str) -> list[int]:
    """The ``SHORTLIST`` ids of ``genders`` (the eligible among ``found``) sharing the most weighted keys, then of
    the same sex, then nearest in birth year."""

    def order(pk: int) -> tuple:
        weight, gap = found[pk]
        return (-weight, -(bool(gender) and genders[pk] == gender), gap, -pk)

    return sorted(genders, key=order)[:SHORTLIST]


def _eligible_genders(organisation_id: int, ids: list[int]) -> dict[int, str]:
    """Which of ``ids`` are the organisation's active separated children whose family-tracing consent is in
    force, with their gender: the rules of ``tracing_children_visible_to``, checked on the few hundred ids the
    keys found. Only the shortlist is built from this; what is shown always comes through the scoped queryset."""
    return dict(
        tracing_children_of(organisation_id).filter(pk__in=ids).order_by().values_list("pk", "gender")
    )


def _child_lookup(request: TracingRequest) -> tuple[Sought, dict[int, tuple[int, int]], dict[int, str]]:
    """The request's sought person, what its keys found in the key table, and the eligible children among them
    with their gender."""
    sought = sought_of(request)
    keys = tracing_keys(sought.person)
    if not keys:
        return sought, {}, {}
    found = _key_rows(PersonMatchKey, "person_id", keys, sought.person)
    return sought, found, _eligible_genders(request.organisation_id, list(found))


def _weighed_children(
    request: TracingRequest, areas: Areas
) -> tuple[Sought, dict[int, dict], dict[int, float]]:
    """The request's sought person, the shortlisted children's fields, and each one's summed weight."""
    sought, found, genders = _child_lookup(request)
    shortlist = _shortlist(found, genders, sought.person.gender)
    rows = {
        row["pk"]: row for row in Person.objects.filter(pk__in=shortlist).order_by().values(*FOUND_FIELDS)
    }
    return sought, rows, {pk: weigh(sought, _found(row), areas) for pk, row in rows.items()}


def _odds(weights: dict[int, float]) -> float:
    """The summed odds of all the candidates scored (the denominator of each one's probability)."""
    return sum(odds(weight, len(weights)) for weight in weights.values())


def _rank_children(
    request: TracingRequest, children: QuerySet[Person], *, limit: int, areas: Areas | None = None
) -> tuple[list[ChildCandidate], int, float]:
    """The ranked candidates, how many were scored and their summed odds (for scoring others the same way)."""
    areas = areas or load_areas()
    sought, rows, weights = _weighed_children(request, areas)
    best = sorted(weights, key=lambda pk: (-weights[pk], pk))[:limit]
    people = children.filter(pk__in=best).select_related("household__site").in_bulk()
    block, total = len(weights), _odds(weights)
    return (
        [
            ChildCandidate(people[pk], score(sought, _found(rows[pk]), areas, block=block, total_odds=total))
            for pk in best
            if pk in people
        ],
        block,
        total,
    )


def rank_children(
    request: TracingRequest, children: QuerySet[Person], *, limit: int = 10, areas: Areas | None = None
) -> list[ChildCandidate]:
    """The children of ``children`` (already scoped and consent-gated) who may be the person ``request`` seeks,
    best first. A handful of queries whatever the registry's size: the key table under the request's keys; which
    of those people are eligible children (``_eligible_genders``); the shortlisted children's fields, to weigh
    them all; the area tree; and the best ``limit``, through ``children``, as records to show (a child who is
    not in ``children`` is never shown)."""
    return _rank_children(request, children, limit=limit, areas=areas)[0]


def rank_requests(
    person: Person, requests: QuerySet[TracingRequest], *, limit: int = 10, areas: Areas | None = None
) -> list[RequestCandidate]:
    """The active requests of ``requests`` that may be seeking ``person``, best first, found the same way
    through the requests' key table (``TracingRequestKey``, which holds active requests only)."""
    found_child = found_of(person)
    keys = tracing_keys(found_child.person)
    if not keys:
        return []
    found = _key_rows(
        TracingRequestKey, "request_id", keys, found_child.person, organisation_id=person.organisation_id
    )
    active = requests.filter(status__in=ACTIVE_STATUSES)
    shortlist = sorted(found, key=lambda pk: (-found[pk][0], found[pk][1], -pk))[:SHORTLIST]
    areas = areas or load_areas()
    rows = {row["pk"]: row for row in active.filter(pk__in=shortlist).values(*SOUGHT_FIELDS)}
    weights = {pk: weigh(_sought(row), found_child, areas) for pk, row in rows.items()}
    best = sorted(weights, key=lambda pk: (-weights[pk], pk))[:limit]
    shown = active.filter(pk__in=best).in_bulk()
    block, total = len(weights), _odds(weights)
    return [
        RequestCandidate(
            shown[pk], score(_sought(rows[pk]), found_child, areas, block=block, total_odds=total)
        )
        for pk in best
        if pk in shown
    ]


def pair_score(request: TracingRequest, person: Person) -> TracingMatch:
    """The score of one pair, as the request's ranking gives it (among the candidates its lookup scores)."""
    areas = load_areas()
    sought, _rows, weights = _weighed_children(request, areas)
    found = found_of(person)
    if person.pk not in weights:
        weights[person.pk] = weigh(sought, found, areas)
    return score(sought, found, areas, block=len(weights), total_odds=_odds(weights))


def candidates_for_request(actor: Actor, request: TracingRequest, *, limit: int = 10) -> list[ChildCandidate]:
    """The ranked candidate children of a request the actor may see, each with the team's decision on them. A
    child with a decision but no longer ranked (their data changed) is listed after the ranked ones."""
    children = tracing_children_visible_to(actor)
    ranked, block, total = _rank_children(request, children, limit=limit)
    decided = {c.person_id: c for c in request.candidates.all()}
    out = [ChildCandidate(c.person, c.match, getattr(decided.get(c.person.pk), "status", "")) for c in ranked]
    shown = {c.person.pk for c in ranked}
    missing = [pk for pk in decided if pk not in shown]
    if missing:
        areas = load_areas()
        sought = sought_of(request)
        for person in children.filter(pk__in=missing).select_related("household__site"):
            match = score(sought, found_of(person), areas, block=max(block, 1), total_odds=total)
            out.append(ChildCandidate(person, match, decided[person.pk].status))
    return out


def candidates_for_child(actor: Actor, person: Person, *, limit: int = 10) -> list[RequestCandidate]:
    """The ranked active requests that may be seeking a child, each with the team's decision on the pair. Empty
    unless the child may be searched (``tracing_children_visible_to``: family-tracing consent in force)."""
    if not is_tracing_child(actor, person):
        return []
    ranked = rank_requests(person, requests_visible_to(actor), limit=limit)
    decided = dict(
        TracingCandidate.objects.filter(person=person, request__in=[c.request for c in ranked]).values_list(
            "request_id", "status"
        )
    )
    return [RequestCandidate(c.request, c.match, decided.get(c.request.pk, "")) for c in ranked]


def matched_child(actor: Actor, request: TracingRequest) -> Person | None:
    """The request's matched child, if the actor may see them in tracing (family-tracing consent still in
    force); a withdrawn consent hides the child from the request."""
    if request.matched_person_id is None:
        return None
    return tracing_children_visible_to(actor).filter(pk=request.matched_person_id).first()


def requests_for_person(actor: Actor, person: Person) -> QuerySet[TracingRequest]:
    """The requests matched to ``person`` (the person's timeline, their case's panel)."""
    return requests_visible_to(actor).filter(matched_person=person)


# --- Checklist ----------------------------------------------------------------------------------------------------


def checklist_of(request: TracingRequest) -> dict[str, ChecklistEntry | None]:
    """Each checklist item with its entry, or None where it is still to do."""
    entries = {e.item: e for e in request.checklist.select_related("recorded_by")}
    return {item: entries.get(item) for item in ChecklistItem.values}


def checklist_missing(request: TracingRequest) -> list[str]:
    """The checklist items not yet done (their values), in order."""
    done = set(request.checklist.values_list("item", flat=True))
    return [item for item in ChecklistItem.values if item not in done]


def requests_to_review(actor: Actor) -> list[tuple[TracingRequest, int]]:
    """Active requests with candidates still to review, each with how many (the work list). Only candidates
    who may still be shown count: a child whose consent was withdrawn leaves the list."""
    counts = dict(
        TracingCandidate.objects.filter(
            status=CandidateStatus.OPEN,
            request__in=requests_visible_to(actor).filter(status__in=ACTIVE_STATUSES).values("pk"),
            person__in=tracing_children_visible_to(actor).values("pk"),
        )
        .order_by()
        .values("request_id")
        .annotate(n=Count("id"))
        .values_list("request_id", "n")
    )
    requests = requests_visible_to(actor).filter(pk__in=list(counts)).order_by("received_on", "id")
    return sorted(((r, counts[r.pk]) for r in requests), key=lambda item: (-item[1], item[0].received_on))


def awaiting_best_interests(actor: Actor) -> QuerySet[TracingRequest]:
    """Matched requests whose checklist waits only for the best-interests decision (a supervisor's work list)."""
    done = ChecklistEntry.objects.filter(request=OuterRef("pk"))
    return (
        requests_visible_to(actor)
        .filter(status=TracingStatus.MATCHED)
        .annotate(items=Subquery(done.order_by().values("request").annotate(n=Count("id")).values("n")[:1]))
        .filter(items=len(ChecklistItem.values) - 1)
        .exclude(checklist__item=ChecklistItem.BEST_INTERESTS)
        .order_by("matched_at")
    )
