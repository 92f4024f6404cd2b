"""The duplicate review page (``/people/duplicates/``), at 1,000,000 registered people on SQLite.

A supervisor's review queue: 60,000 open pairs of their organisation (scores in hundredths, so that many pairs tie),
10,000 already decided, one person in a hundred merged away (their open pairs are hidden), and a second
organisation with its own people and pairs. Rendered through the test client as the signed-in supervisor:

1. the first page of the queue;
2. a deep page: the page after the 40,000th pair (followed as the page's "Next" link gives it).

Baseline, in the same run: the same 25 pairs with both people by a plain query on the queue's index. Target: each
p95 under 300 ms. The database has no ``ANALYZE`` statistics, as a fresh deployment has none: the plans must be
right without them.

The registry is written by ``executemany`` of raw rows (minimal valid people: a name, a gender, the
organisation), with PRAGMAs that trade durability for speed on this throw-away database only; the services would
take hours at this size.
"""

from __future__ import annotations

import datetime
import random
import re
import time
import uuid

from django.db import connection, transaction
from django.test import Client

from bench.timing import measure, report

PEOPLE = 1_000_000
OTHER_PEOPLE = 50_000  # of the second organisation, among PEOPLE
OPEN_PAIRS = 60_000
DECIDED_PAIRS = 10_000
OTHER_PAIRS = 5_000
MERGED_EVERY = 100  # one person in a hundred is merged into another
DEEP = 40_000
REPEAT = 40
SEED = 2011
CHUNK = 50_000


def _row_template(model, **values) -> dict[str, object]:
    """Each column's database value (by attribute name) for an instance of ``model`` built from ``values``, with
    defaults for the rest, prepared as Django would save it."""
    instance = model(**values)
    return {
        field.attname: field.get_db_prep_save(getattr(instance, field.attname), connection)
        for field in model._meta.concrete_fields
    }


def _insert(model, rows: list[dict[str, object]], template: dict[str, object]) -> None:
    """Insert ``rows`` (attname → database value, over ``template``) with one ``executemany`` per chunk."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(
                sql,
                [
                    tuple(row.get(name, template[name]) for name in names)
                    for row in rows[start : start + CHUNK]
                ],
            )


def _insert_people(org: int, other: int, people: int, now: datetime.datetime, *, names, families) -> None:
    """``people`` minimal valid people with ids 1 to ``people``, written by one ``INSERT … SELECT`` over a counter
    (in SQLite, binding 42 parameters a row from Python takes longer than writing the rows): the last
    ``OTHER_PEOPLE`` of the other organisation, one in ``MERGED_EVERY`` of the others merged into the one before."""
    from hifazat.people.models import Person

    template = _row_template(
        Person, organisation_id=org, first_name="x", gender="Feminine", created_at=now, modified_at=now
    )
    own = people - OTHER_PEOPLE
    computed = {
        "id": "i",
        "uuid": "lower(hex(randomblob(16)))" if connection.vendor == "sqlite" else "gen_random_uuid()",
        "organisation_id": f"CASE WHEN i > {own} THEN {other:d} ELSE {org:d} END",
        "first_name": "CASE i %% {} {} END".format(
            len(names), " ".join(f"WHEN {k} THEN %s" for k in range(len(names)))
        ),
        "second_name": "CASE i %% {} {} END".format(
            len(families), " ".join(f"WHEN {k} THEN %s" for k in range(len(families)))
        ),
        "gender": "CASE i %% 2 WHEN 0 THEN 'Masculine' ELSE 'Feminine' END",
        "birth_year": "1950 + i %% 70",
        "merged_into_id": f"CASE WHEN i <= {own} AND i %% {MERGED_EVERY} = 0 THEN i - 1 END",
        "is_active": f"NOT (i <= {own} AND i %% {MERGED_EVERY} = 0)",
    }
    fields = Person._meta.concrete_fields
    select, params = [], []
    for field in fields:
        if field.attname in computed:
            select.append(computed[field.attname])
            if field.attname == "first_name":
                params.extend(names)
            elif field.attname == "second_name":
                params.extend(families)
        else:
            select.append("%s")
            params.append(template[field.attname])
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Person._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(field.column) for field in fields)}) "
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people:d}) "
        f"SELECT {', '.join(select)} FROM n"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _uuid(rng: random.Random) -> object:
    value = uuid.UUID(int=rng.getrandbits(128), version=4)
    return value.hex if connection.vendor == "sqlite" else value


def build(rng: random.Random, *, people: int = PEOPLE, open_pairs: int = OPEN_PAIRS):
    from django_otp.plugins.otp_static.models import StaticDevice

    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.demo.names import FAMILY, FEMALE, MALE
    from hifazat.people.models import DuplicateSuspicion

    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # This benchmark's throw-away database only: no fsync, a large page cache, temporary sorts in memory.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
            cursor.execute("PRAGMA temp_store=MEMORY")
    org = Organisation.objects.create(
        name="Bench review", short_name="REVIEW", org_type="NGO", hosts_system=True
    )
    other = Organisation.objects.create(name="Bench other", short_name="OTHER", org_type="NGO")
    user = User.objects.create(username="bench-review-supervisor")
    Membership.objects.create(user=user, organisation=org, role="supervisor")
    device = StaticDevice.objects.create(user=user, name="bench")

    now = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)
    _insert_people(
        org.pk, other.pk, people, now, names=[n for n, _ in FEMALE + MALE], families=[n for n, _ in FAMILY]
    )
    built_people = time.perf_counter() - started
    own = people - OTHER_PEOPLE

    pair_template = _row_template(
        DuplicateSuspicion,
        organisation_id=org.pk,
        person_a_id=1,
        person_b_id=2,
        score=0.5,
        band="possible",
        reasons=[{"field": "name", "level": "close"}],
        created_at=now,
        modified_at=now,
    )

    def pairs(count: int, low: int, high: int, organisation_id: int, status: str, seen: set) -> list[dict]:
        out = []
        while len(out) < count:
            a = rng.randrange(low, high - 50)
            b = a + rng.randrange(1, 50)
            if (a, b) in seen:
                continue
            seen.add((a, b))
            score = round(rng.uniform(0.35, 1.0), 2)
            out.append(
                {
                    "uuid": _uuid(rng),
                    "organisation_id": organisation_id,
                    "person_a_id": a,
                    "person_b_id": b,
                    "score": score,
                    "band": "likely" if score >= 0.8 else "possible",
                    "status": status,
                }
            )
        return out

    seen: set = set()
    suspicions = (
        pairs(open_pairs, 1, own, org.pk, "open", seen)
        + pairs(DECIDED_PAIRS, 1, own, org.pk, "dismissed", seen)
        + pairs(OTHER_PAIRS, own + 1, people, other.pk, "open", seen)
    )
    for pk, row in enumerate(suspicions, start=1):
        row["id"] = pk
    with transaction.atomic():
        _insert(DuplicateSuspicion, suspicions, pair_template)
    print(
        f"registry built in {time.perf_counter() - started:.1f} s ({built_people:.1f} s for {people:,} people, "
        f"{len(suspicions):,} pairs)",
        flush=True,
    )
    return org, user, device


def signed_in(user, device) -> Client:
    """A client signed in as the supervisor, with their second factor given."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def run(*, people: int = PEOPLE, open_pairs: int = OPEN_PAIRS) -> None:
    from hifazat.people.models import DuplicateSuspicion

    rng = random.Random(SEED)
    org, user, device = build(rng, people=people, open_pairs=open_pairs)
    client = signed_in(user, device)
    size = f"{people:,} people, {open_pairs:,} open pairs"

    first = client.get("/people/duplicates/")
    assert first.status_code == 200, first.status_code
    assert _pairs_on(first) == 25 and "?after=" in first.text, "the first page is not a full page"

    queue = DuplicateSuspicion.objects.filter(organisation=org, status="open").select_related(
        "person_a", "person_b"
    )
    baseline = measure(lambda: list(queue.order_by("-score", "-id")[:25]), repeat=REPEAT)
    page = measure(lambda: client.get("/people/duplicates/"), repeat=REPEAT)
    report("duplicate review page, first page (rendered)", page, baseline, size=size)

    deep_url = deep_page_url(user)
    deep_page = client.get(deep_url)
    assert _pairs_on(deep_page) == 25 and "?before=" in deep_page.text, "the deep page is not a full page"
    deep = measure(lambda: client.get(deep_url), repeat=REPEAT)
    report(f"  a deep page (after the {DEEP:,}th pair)", deep, baseline, size=size)
    report("  baseline: 25 open pairs with both people, plain query", baseline)


def _pairs_on(response) -> int:
    """How many pairs a rendered page lists (their "Review" links)."""
    return len(re.findall(r'href="/people/duplicates/[0-9a-f-]{36}/"', response.text))


def deep_page_url(user) -> str:
    """The address of the page after the ``DEEP``th pair of the queue, as the page's "Next" link gives it."""
    from hifazat.core.audit import Actor
    from hifazat.people.review_queue import open_suspicions

    after = open_suspicions(Actor.for_user(user)).values_list("uuid", flat=True)[DEEP - 1 : DEEP].get()
    return f"/people/duplicates/?after={after}"
