"""Blocking keys: short strings under which a person is filed, so that candidates are found through an index
rather than by comparing with everyone in the registry.

Every key is built from script-independent name skeletons (``names.skeleton``), so that spelling variants,
Urdu script and Latin letters meet under the same key; keys built from two names are order-free, so that
swapped first and family names meet too. The birth year is not part of any key: it is stored beside the key and
filtered with a window (``YEAR_WINDOW``), and a person without a birth date is found by every window.

Kinds of key (the prefix):

- ``t:`` one name token. Name search uses these; the duplicate lookup uses them only for names that are not
  common (``COMMON``), whose buckets would hold a large share of the registry.
- ``n:`` two name tokens of the person's own name, in sorted order.
- ``p:`` an uncommon token of the own name with one of the father's or husband's name: finds a woman registered
  once as "Bibi" and once with a family name, or a man with and without "Muhammad", when the father is recorded.
- ``ph:`` the phone number's blind index.
"""

from __future__ import annotations

from itertools import combinations, pairwise

from hifazat.matching.names import match_tokens, skeleton
from hifazat.matching.records import UNINFORMATIVE, MatchRecord, informative

# Candidates are looked up within this many years of the record's birth year: estimated ages in the registers
# of the region are often several years off.
YEAR_WINDOW = 6
# Names so frequent that a key of that name alone would hold a large share of the registry.
COMMON = UNINFORMATIVE | {"khan", "shah", "malik", "abdul", "ullah", "din", "uddin", "ali", "noor", "gul"}
MAX_NAME_TOKENS = 6
# Titles that follow women's names in some registers and not in others: a search leaves them out.
TITLES = frozenset({"bibi", "begum", "khatoon", "sahiba"})


def _skeletons(tokens) -> list[str]:
    seen: dict[str, None] = {}
    for token in tokens:
        key = skeleton(token)
        if key:
            seen.setdefault(key, None)
    return list(seen)


def _own_tokens(record: MatchRecord) -> list[str]:
    out: dict[str, None] = {}
    for part in (record.first_name, record.second_name, record.first_name_ur, record.second_name_ur):
        for token in match_tokens(part):
            out.setdefault(token, None)
    return list(out)


def blocking_keys(record: MatchRecord) -> set[str]:
    """Every key the record is filed under (what the key table stores for a person)."""
    own = _own_tokens(record)
    skeletons = _skeletons(own)[:MAX_NAME_TOKENS]
    keys = {f"t:{s}" for s in skeletons}
    keys |= {f"n:{a}|{b}" for a, b in combinations(sorted(skeletons), 2)}
    # Every uncommon part of the own name, not only the first name: the parts may be written in the other order.
    own_uncommon = _skeletons(t for t in own if t not in COMMON)
    parents = _skeletons(
        t
        for part in (record.parentage_name, record.parentage_name_ur)
        for t in informative(match_tokens(part))
        if t not in COMMON
    )
    keys |= {f"p:{g}|{p}" for g in own_uncommon[:3] for p in parents[:2]}
    if record.phone_index:
        keys.add(f"ph:{record.phone_index[:32]}")
    return keys


def lookup_keys(record: MatchRecord) -> set[str]:
    """The keys a duplicate lookup for ``record`` searches: its blocking keys less single common names, except
    the person's own given name however common it is (Ali, Noor): without it, "Noor Bibi, daughter of Rashid"
    would never meet "Noor" registered with neither title nor father."""
    common = {f"t:{skeleton(t)}" for t in COMMON}
    keys = blocking_keys(record)
    narrowed = keys - common
    given = {
        f"t:{skeleton(t)}"
        for part in (record.first_name, record.first_name_ur)
        for t in informative(match_tokens(part))
        if t not in UNINFORMATIVE
    }
    return (narrowed | (given & keys)) or keys


def lookup_years(record: MatchRecord) -> tuple[tuple[int, int], set[int]] | None:
    """The birth years a lookup for ``record`` reads: the window around its year, and the years a slip of the pen
    gives (1971 written 1917 or 1961) when its date is a real date rather than an estimate; None when it has no
    birth year (every year is read)."""
    if record.birth_year is None:
        return None
    window = (record.birth_year - YEAR_WINDOW, record.birth_year + YEAR_WINDOW)
    if record.birthdate_is_estimate or record.birthdate is None:
        return window, set()
    slips = {year for year in year_slips(record.birth_year) if not window[0] <= year <= window[1]}
    return window, slips


def year_slips(year: int) -> set[int]:
    """The years a registrar may write for ``year`` by a slip: the last two digits transposed (1971, 1917) or
    one of the last two digits off by one (1971: 1961, 1981, 1970, 1972)."""
    tens, units = year // 10 % 10, year % 10
    out = {year - 10 * tens - units + 10 * units + tens}
    for step in (-10, 10, -1, 1):
        out.add(year + step)
    out.discard(year)
    return out


def search_keys(text: str) -> list[str]:
    """Keys that every person whose name holds all the names in ``text`` is filed under (in either script, any
    order, any spelling variant; titles such as "Bibi" are left out when other names remain). One name: its
    ``t:`` key; more: ``n:`` keys of neighbouring pairs, which together cover every name. Empty when ``text``
    holds no name."""
    words = match_tokens(text)
    skeletons = _skeletons([w for w in words if w not in TITLES] or words)[: MAX_NAME_TOKENS - 2]
    if not skeletons:
        return []
    if len(skeletons) == 1:
        return [f"t:{skeletons[0]}"]
    return [f"n:{min(a, b)}|{max(a, b)}" for a, b in pairwise(skeletons)]
