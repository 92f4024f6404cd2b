"""Human-facing record numbers (``IMPO-2006-0001``, ``IMPO-RF-2006-0002``): one counter per organisation, kind
and year, raised inside the transaction that creates the record.

Counting the rows already there (as each part did before) gave two concurrent writers the same number, and let
kinds that shared a format (reports and referrals were both ``-R-``) look alike. A ``NumberSequence`` row is
raised by an ``UPDATE ... SET last = last + 1``, which holds the row's lock until the writer's transaction ends
on PostgreSQL (SQLite lets one writer at a time anyway); a second writer waits and then draws the next number.

The first number drawn for an organisation, kind and year starts after the highest number already stored with
that prefix (and any older prefix of the same kind), so numbers given before the counter existed stay unique.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

from hifazat.core.models import NumberSequence

Kind = NumberSequence.Kind


def highest_used(existing: QuerySet, prefixes: Iterable[str], *, field: str = "number") -> int:
    """The highest sequence already stored in ``existing`` under one of ``prefixes`` (0 if none): the digits
    after the prefix, so that ``-0009`` and ``-10000`` compare as numbers, not as text."""
    prefixes = [p for p in prefixes if p]
    matching = Q()
    for prefix in prefixes:
        matching |= Q(**{f"{field}__startswith": prefix})
    highest = 0
    for number in existing.filter(matching).values_list(field, flat=True).iterator():
        for prefix in prefixes:
            tail = number[len(prefix) :] if number.startswith(prefix) else ""
            if tail.isascii() and tail.isdigit():
                highest = max(highest, int(tail))
    return highest


def _draw(organisation, kind: str, year: int, seed) -> int:
    counter = NumberSequence.objects.filter(organisation=organisation, kind=kind, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                NumberSequence.objects.create(
                    organisation=organisation, kind=kind, year=year, last=seed() + 1
                )
        except IntegrityError:
            # Another writer created the counter first (its insert held ours until it committed).
            counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def next_number(
    *,
    organisation,
    kind: str,
    year: int,
    prefix: str,
    existing: QuerySet,
    older_prefixes: Iterable[str] = (),
    field: str = "number",
    width: int = 4,
) -> str:
    """The next ``<prefix><sequence>`` for ``organisation``'s records of ``kind`` in ``year``. Call it inside
    the transaction that saves the record: the counter stays locked until then. ``existing`` holds the
    organisation's records of that kind (for the first number of a year, and to step over a number that
    something stored by hand); ``older_prefixes`` are formats the kind used before."""
    prefixes = [prefix, *older_prefixes]
    with transaction.atomic():
        while True:
            value = _draw(organisation, kind, year, lambda: highest_used(existing, prefixes, field=field))
            number = f"{prefix}{value:0{width}d}"
            if not existing.filter(**{field: number}).exists():
                return number
