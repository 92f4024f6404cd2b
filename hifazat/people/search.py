"""Tolerant name search through the key table: spelling variants (Muhammad, Mohammad, Mohd, Muhammed; Bibi,
Bi), name order, and Urdu script against Latin letters, without reading the whole registry."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from hifazat.matching import names, search_keys
from hifazat.people.models import Person, PersonMatchKey


def person_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """The people of ``queryset`` whose name holds every name in ``text``, in any order, spelling or script.

    Each search key (``matching.search_keys``: one name, or neighbouring pairs of names) is one lookup in the key
    table through its index, so the cost follows the number of people found, not the registry's size. Ranked:
    the same canonical name first, then the same phonetic name, then by name."""
    keys = search_keys(text)
    if not keys:
        return queryset.none()
    for key in keys:
        # A subquery rather than a join: SQLite then reads the key's rows first and looks each person up by id,
        # even without table statistics (with a join and no ANALYZE it walks the organisation's whole registry).
        queryset = queryset.filter(pk__in=PersonMatchKey.objects.filter(key=key).values("person_id"))
    return queryset.annotate(
        search_rank=Case(
            When(name_key=names.name_key(text)[:200], then=Value(2)),
            When(phonetic_key=names.phonetic_key(text)[:60], then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-search_rank", "first_name", "second_name", "pk")
