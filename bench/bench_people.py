"""People benchmarks, at 100,000 registered people on SQLite.

1. Name search (``people.search.person_search``): the first page of 25 and the count, for names written as other
   registrars write them (spelling variants, Urdu script, swapped order, one name alone).
2. Duplicate candidates for a new registration (``people.duplicates.duplicate_candidates``): the key-table lookup
   and the scoring of the pool, for re-registrations of registered people under other spellings, an estimated age,
   another script or another site; with how often the registered person is found (recall).

Baseline, in the same run: an indexed exact lookup of 25 people by ``name_key`` (no scoping: with the
organisation's filter and no table statistics, SQLite walks the organisation's index instead; see
``people.search``). Target: each p95 under 100 ms. The database has no ``ANALYZE`` statistics, as a fresh
deployment has none: the plans must be right without them.
Names, spelling variants and name choices are those of the generated registry (``matching.synthetic``).
The registry is written with ``bulk_create`` (keys computed by the same functions the services use), not
through the services, which would take an hour at this size.
"""

from __future__ import annotations

import datetime
import random
import time
from itertools import cycle

from bench.timing import measure, report
from hifazat.demo.names import FEMALE
from hifazat.matching.synthetic import TITLES, family_name, male_name, spell

PEOPLE = 100_000
QUERIES = 200
SEED = 2005


def build(rng: random.Random):
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.core import crypto
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea, Site
    from hifazat.matching import names
    from hifazat.people.duplicates import match_key_rows, record_for
    from hifazat.people.models import Household, Person, PersonMatchKey

    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench registry", org_type="NGO", hosts_system=True)
    user = User.objects.create(username="bench-registry-supervisor")
    Membership.objects.create(user=user, organisation=org, role="supervisor")
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province = AdminArea.objects.create(pcode="PKR1", name="Bench province", level=1, parent=country)
    districts = [
        AdminArea.objects.create(pcode=f"PKR1{i:02d}", name=f"Bench district {i}", level=2, parent=province)
        for i in range(12)
    ]
    sites = [
        Site.objects.create(
            code=f"BR{i:03d}", name=f"Bench camp {i}", site_type="relief_camp", area=districts[i % 12]
        )
        for i in range(20)
    ]

    # Households of 1 to 8: a head, a spouse for most, children, sometimes a grandparent.
    plan = []  # (household index, role, gender)
    households = []
    while len(plan) < PEOPLE:
        index = len(households)
        households.append(
            Household(
                organisation=org,
                site=rng.choice(sites),
                shelter_number=f"T-{index}",
                origin_area=rng.choice(districts) if rng.random() < 0.8 else None,
            )
        )
        size = rng.choice([1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 8])
        plan.append((index, "head", rng.random() < 0.8))
        if size > 1:
            plan.append((index, "spouse", None))
        plan.extend((index, "child", rng.random() < 0.5) for _ in range(size - 2))
    plan = plan[:PEOPLE]
    Household.objects.bulk_create(households, batch_size=2000)

    today = datetime.date(2026, 1, 15)
    people = []
    phones = {}
    for index, role, male in plan:
        household = households[index]
        if index not in phones:
            phones[index] = (
                crypto.blind_index("phone", f"+92300{rng.randrange(10**7):07d}") if rng.random() < 0.4 else ""
            )
        if role == "head":
            father = male_name(rng)
            family = family_name(rng)
            household.bench = {"family": family, "head": None, "male": male}
            age = rng.randint(22, 75)
        elif role == "spouse":
            male = not household.bench["male"]
            father, family = male_name(rng), family_name(rng)
            age = rng.randint(20, 70)
        else:
            head = household.bench
            father = head["head"] if head["male"] else male_name(rng)
            family = head["family"]
            age = rng.randint(0, 25)
        given = male_name(rng) if male else rng.choice(FEMALE)
        second = family if male or rng.random() < 0.5 else rng.choice(TITLES)
        if role == "head":
            household.bench["head"] = given if male else male_name(rng)
        if rng.random() < 0.15:  # another registrar's spelling
            given = (spell(rng, given[0]), given[1])
            second = (spell(rng, second[0]), second[1])
        script = rng.random()
        latin = script < 0.9
        urdu = script >= 0.6
        estimated = rng.random() < 0.1
        birthdate = (
            datetime.date(today.year - age, 7, 1)
            if estimated
            else today - datetime.timedelta(days=age * 365 + rng.randrange(365))
        )
        person = Person(
            organisation=org,
            household=household,
            relationship_to_head=role if role != "spouse" else "spouse",
            first_name=given[0] if latin else given[1],
            second_name=second[0] if latin else second[1],
            first_name_ur=given[1] if latin and urdu else "",
            second_name_ur=second[1] if latin and urdu else "",
            parentage_word=("son_of" if male else "daughter_of") if role != "spouse" or male else "wife_of",
            parentage_name=father[0] if latin else "",
            parentage_name_ur=father[1] if urdu else "",
            birthdate=birthdate,
            birthdate_is_estimate=estimated,
            birth_year=birthdate.year,
            gender="Masculine" if male else "Feminine",
            phone_index=phones[index],
        )
        if role == "spouse" and not male:
            person.parentage_name = household.bench["head"][0] if latin else ""
            person.parentage_name_ur = household.bench["head"][1] if urdu else ""
        person.name_key = names.name_key(
            person.first_name, person.second_name, person.first_name_ur, person.second_name_ur
        )[:200]
        person.phonetic_key = names.phonetic_key(person.first_name, person.second_name)[:60]
        people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    built_people = time.perf_counter() - started

    keys = []
    for person in people:
        for key, year in match_key_rows([record_for(person)]).items():
            keys.append(PersonMatchKey(person_id=person.pk, key=key, birth_year=year))
    PersonMatchKey.objects.bulk_create(keys, batch_size=5000)
    print(
        f"registry built in {time.perf_counter() - started:.1f} s ({built_people:.1f} s people, "
        f"{len(households):,} households, {len(keys):,} match keys)",
        flush=True,
    )
    return Actor.for_user(user), people, sites


def variant_of(rng: random.Random, person, sites):
    """A re-registration of ``person`` as another registrar would write it."""
    from hifazat.matching import MatchRecord

    first, second = spell(rng, person.first_name), spell(rng, person.second_name)
    kind = rng.random()
    if kind < 0.25 and person.second_name:
        first, second = second, first  # the other order
    elif kind < 0.4 and person.first_name_ur:
        first, second = person.first_name_ur, person.second_name_ur  # Urdu script only
    estimated = rng.random() < 0.5
    year = person.birth_year + (rng.choice([-2, -1, 0, 1, 2]) if estimated else 0)
    return MatchRecord(
        first_name=first,
        second_name=second,
        parentage_word=person.parentage_word,
        parentage_name=spell(rng, person.parentage_name) if rng.random() < 0.7 else "",
        parentage_name_ur=person.parentage_name_ur,
        gender=person.gender,
        birth_year=year if rng.random() < 0.9 else None,
        birthdate=None if estimated else person.birthdate,
        birthdate_is_estimate=estimated,
        site=rng.choice(sites).pk,
    )


def search_text(rng: random.Random, person) -> str:
    kind = rng.random()
    if kind < 0.2:
        return spell(rng, person.first_name).split()[-1]  # one name alone
    if kind < 0.4 and person.first_name_ur:
        return f"{person.first_name_ur} {person.second_name_ur}"
    if kind < 0.6:
        return f"{spell(rng, person.second_name)} {spell(rng, person.first_name)}"
    return f"{spell(rng, person.first_name)} {spell(rng, person.second_name)}"


def run() -> None:
    from django.core.paginator import Paginator

    from hifazat.people.duplicates import duplicate_candidates
    from hifazat.people.models import Person
    from hifazat.people.search import person_search
    from hifazat.people.selectors import persons_visible_to

    rng = random.Random(SEED)
    actor, people, sites = build(rng)
    sample = rng.sample(people, QUERIES)
    visible = persons_visible_to(actor)
    size = f"{PEOPLE:,} people"

    name_keys = cycle([p.name_key for p in sample])
    baseline = measure(
        lambda: list(Person.objects.filter(name_key=next(name_keys))[:25]),
        repeat=QUERIES,
    )

    texts = [search_text(rng, p) for p in sample]
    found_counts = []

    next_text = cycle(texts).__next__

    def search_page():
        page = Paginator(person_search(visible, next_text()), 25).page(1)
        found_counts.append(page.paginator.count)
        return list(page.object_list)

    search = measure(search_page, repeat=QUERIES)
    found_counts.sort()
    report(
        "name search (first page of 25 and the count)",
        search,
        baseline,
        size=f"{size}; {QUERIES} names, median {found_counts[len(found_counts) // 2]} found",
    )

    def broad_page():
        page = Paginator(person_search(visible, "Khan"), 25).page(1)
        return page.paginator.count, list(page.object_list)

    broad = measure(broad_page, repeat=20)
    report(
        "  worst case: the commonest name alone (Khan)",
        broad,
        baseline,
        size=f"{size}; {broad_page()[0]:,} found",
    )

    records = [(variant_of(rng, p, sites), p.pk) for p in sample]
    found, top = [], []

    next_record = cycle(records).__next__

    def lookup():
        record, original = next_record()
        candidates = duplicate_candidates(actor, record)
        found.append(any(c.person.pk == original for c in candidates))
        top.append(
            bool(candidates)
            and candidates[0].person.pk == original
            and candidates[0].match.band != "unlikely"
        )

    candidates = measure(lookup, repeat=QUERIES)
    report(
        "duplicate candidates for a new registration",
        candidates,
        baseline,
        size=f"{size}; {QUERIES} re-registrations, original found {100 * sum(found) / len(found):.0f}%, "
        f"ranked first {100 * sum(top) / len(top):.0f}%",
    )
    report("  baseline: 25 people by exact name_key (indexed)", baseline)
