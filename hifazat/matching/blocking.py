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

Kinds the review queue reads (``queue_keys``; the registration page's lookup and the name search do not):

- ``q:`` the person's whole name (the skeletons of its parts that tell people apart, in sorted order) with the
  first name of the father or husband: found within the birth-year window.
- ``d:`` the whole name with the day and month of a real date of birth (either order): found at the same year
  or a year a slip of the pen gives, so that 1971 meets 1917 without the window.
- ``w:`` and ``x:`` the whole name alone, when it has two names or more (``WHOLE_NAME_FROM``): a person without a
  father's or husband's name is filed under ``w:``, one with it under ``x:``. These are read asymmetrically
  (``queue_lookup``): a person without that name reads both, a person with it reads ``w:`` only, so that a pair
  meets when at least one side lacks the father's name (which no ``q:`` key can join), while two people of the
  same name whose fathers are both recorded meet only through ``q:``, as before. Found within the birth-year
  window. ``x:`` is the broad one: in ``matching.synthetic``'s registry of a million people (seed 3), the 1.2%
  without a father's name whose whole name has two names read at most 1,304 people under it within the window
  (99th percentile 667, median 70; ``w:`` at most 61); a person without a birth year, whom every window finds,
  would read the whole bucket (up to 3,730, "Abdul Khan"), so reads ``w:`` only and is found by the other side's
  scan instead. A single name ("Nasim Begum") gets neither key: under ``x:`` it would read thousands within a
  window (99th percentile 10,437), and in 20,000 generated people it finds 3 more true pairs than two names do
  (47 against 44) for four times the comparisons.

The queue is filled by the scan of each new person (``people.review_queue``) and by batch de-duplication of a whole
registry (``matching.batch``); both read these keys (``queue_lookup``: what is read is not always what is filed),
so that they find the same pairs. Built from the whole name and a second fact, or from a whole name of two names
or more, they stay small in a registry of a million people, where a single name (``t:``, ``n:``) is shared by
thousands: in the generated registries of ``matching.synthetic`` every true pair that the broad lookup scores at
the queue's threshold shares one of them (``bench/bench_batch_dedup.py`` reports it). The key table holds the
keys of the code that filed them: a new kind comes with a data migration that files the people registered before
it (``people`` 0008 for ``q:`` and ``d:``, 0009 for ``w:`` and ``x:``); a person's keys are rewritten at every save
besides (``people.duplicates.refresh_match_keys``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, pairwise

from hifazat.matching.names import VARIANT, match_tokens, skeleton, token_level
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
    return _name_keys(record) | queue_keys(record)


def _name_keys(record: MatchRecord) -> set[str]:
    """The keys of the registration page's lookup and of the name search (``t:``, ``n:``, ``p:``, ``ph:``)."""
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
    keys = _name_keys(record)
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


# --- The review queue's keys ------------------------------------------------------------------------------------

# The longest key the key table holds (``people.PersonMatchKey.key``); a longer one is cut, which can only put
# more people under it.
KEY_LENGTH = 80
_URDU = re.compile("[\u0600-\u06ff]")


@lru_cache(maxsize=65536)
def _is_title(token: str, urdu: bool) -> bool:
    """Whether ``token`` is a title or particle (``records.UNINFORMATIVE``), also as Urdu script writes one that
    ``names`` does not bring to its Latin form (بیگم, read "bigm", is Begum)."""
    if token in UNINFORMATIVE:
        return True
    return urdu and any(token_level(token, True, word, False) >= VARIANT for word in UNINFORMATIVE)


@lru_cache(maxsize=65536)
def _plain_tokens(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens of ``parts`` less titles and particles, or all of them when nothing else is left."""
    tokens = [(token, bool(_URDU.search(part))) for part in parts if part for token in match_tokens(part)]
    return tuple(t for t, urdu in tokens if not _is_title(t, urdu)) or tuple(t for t, _ in tokens)


def whole_name(record: MatchRecord) -> str:
    """The person's whole name as the queue's keys hold it: the distinct skeletons of every part in either
    script, titles and particles left out, in sorted order (so that the order the names were written in, their
    spelling and their script do not matter); "" for a record without a name."""
    parts = (record.first_name, record.second_name, record.first_name_ur, record.second_name_ur)
    return "|".join(sorted({s for s in map(skeleton, _plain_tokens(parts)) if s})[:MAX_NAME_TOKENS])


def parent_first_names(record: MatchRecord) -> set[str]:
    """The skeleton of the first name of the father or husband as written in each script ("Muhammad Tariq
    Khan": Tariq; "Tariq" written without the family name gives the same)."""
    out = set()
    for part in (record.parentage_name, record.parentage_name_ur):
        tokens = _plain_tokens((part,))
        if tokens and skeleton(tokens[0]):
            out.add(skeleton(tokens[0]))
    return out


# The fewest names (skeletons) a whole name must have to be filed under ``w:`` or ``x:`` alone.
WHOLE_NAME_FROM = 2
# The kinds (prefixes) of the keys ``queue_keys`` files and ``queue_lookup`` reads.
QUEUE_KINDS = ("q", "d", "w", "x", "ph")


def _alone(name: str) -> str | None:
    """``name`` as the ``w:`` and ``x:`` keys hold it, or None when it has too few names to stand alone."""
    return name if name and name.count("|") + 1 >= WHOLE_NAME_FROM else None


def queue_keys(record: MatchRecord) -> set[str]:
    """The keys ``record`` is filed under for the review queue: ``q:`` (whole name and the father's or husband's
    first name), ``d:`` (whole name and the day and month of a real date of birth), ``w:`` or ``x:`` (a whole name
    of two names or more, without or with the father's or husband's name) and ``ph:`` (the phone). Each holds a
    handful of people even in a registry of a million. A scan reads ``queue_lookup``, not these."""
    name = whole_name(record)
    keys = set()
    if name:
        parents = parent_first_names(record)
        keys |= {f"q:{name}/{parent}"[:KEY_LENGTH] for parent in parents}
        if alone := _alone(name):
            keys.add(f"{'x' if parents else 'w'}:{alone}"[:KEY_LENGTH])
        if record.birthdate is not None and not record.birthdate_is_estimate:
            low, high = sorted((record.birthdate.day, record.birthdate.month))  # 5 March and 3 May alike
            keys.add(f"d:{name}/{low:02d}{high:02d}"[:KEY_LENGTH])
    if record.phone_index:
        keys.add(f"ph:{record.phone_index[:32]}")
    return keys


def queue_lookup(record: MatchRecord) -> tuple[set[str], set[str]]:
    """The keys a scan for the review queue reads, in two sets: those read within the birth-year window and at
    the years a slip gives (``lookup_years``), and the ``d:`` key, read only at the record's own year and the
    years a slip gives (``date_years``). The keys filed (``queue_keys``) but ``w:`` and ``x:``, which are read
    across: a record without a father's or husband's name reads ``w:`` and ``x:`` of its whole name (``w:`` only
    when it has no birth year either: every year of ``x:`` would be read), one with it ``w:`` only."""
    keys = {key for key in queue_keys(record) if not key.startswith(("w:", "x:"))}
    dated = {key for key in keys if key.startswith("d:")}
    if alone := _alone(whole_name(record)):
        broad = record.birth_year is not None and not parent_first_names(record)
        kinds = ("w", "x") if broad else ("w",)
        keys |= {f"{kind}:{alone}"[:KEY_LENGTH] for kind in kinds}
    return keys - dated, dated


def date_years(record: MatchRecord) -> set[int]:
    """The birth years under which a ``d:`` key of ``record`` finds the same date of birth: its own year and the
    years a slip gives (1971 written 1917); empty without a real date."""
    if record.birthdate is None or record.birthdate_is_estimate or record.birth_year is None:
        return set()
    return {record.birth_year} | year_slips(record.birth_year)


# --- Family tracing's lookup ------------------------------------------------------------------------------------
# Tracing files a request's sought person under the same name keys as a registered person (``name_keys``) and
# reads both key tables (``people.PersonMatchKey``, ``tracing.TracingRequestKey``: a key and the birth year beside
# it) with the keys below, ranked by the kinds of key shared (``KEY_WEIGHTS``).

# How much sharing a key of each kind counts when a tracing shortlist is ordered: a name with the father's name or
# a phone says more than two names, which say more than one.
KEY_WEIGHTS = {"p": 3, "ph": 3, "n": 2, "t": 1}
# Single names not looked up alone by tracing: the registry's common names less given names that are common among
# adults but not so among the separated children of one organisation; a child registered only as "Gul" or "Ali"
# must be found by a parent who also gives the family name.
TRACING_COMMON = COMMON - {"ali", "gul", "noor"}
# The letters a name's skeleton is made of (``names.skeleton``): consonants, and "a" or "y" first.
SKELETON_LETTERS = "bcdfgjklmnprstz"
_REPEATS = re.compile(r"(.)\1+")
# Skeletons shorter than this are not varied: their neighbours are most of the short names there are.
SLIP_FROM = 3


def name_keys(record: MatchRecord) -> set[str]:
    """The name keys of ``record`` (``t:``, ``n:``, ``p:``, ``ph:``): what a tracing request is filed under, and
    what every lookup but the review queue's reads."""
    return _name_keys(record)


def tracing_keys(record: MatchRecord) -> set[str]:
    """The keys a tracing lookup searches: the record's name keys, less single names so common that their
    buckets hold a large share of the registry (``TRACING_COMMON``), and single-name keys one slip away from its
    given names. Unlike the registry's duplicate lookup (``lookup_keys``), a name is left out for what it is, not
    for its skeleton: Saba, Shahid and Mehmood share the skeletons of Sahib, Syed and Muhammad, and a parent who
    gives only the child's first name must still find them."""
    keys = _name_keys(record)
    parts = (record.first_name, record.second_name, record.first_name_ur, record.second_name_ur)
    own = {token for part in parts for token in match_tokens(part)}
    uncommon = {f"t:{skeleton(t)}" for t in own if t not in TRACING_COMMON}
    narrowed = {k for k in keys if not k.startswith("t:") or k in uncommon}
    given = [t for part in (record.first_name, record.first_name_ur) for t in match_tokens(part)]
    return (narrowed or keys) | slip_keys([t for t in given if t not in TRACING_COMMON][:2])


def slip_keys(tokens: list[str]) -> set[str]:
    """Single-name keys one slip away from each token's skeleton (a consonant left out, added or replaced):
    a child registered as "Kamran" is found by a request written "Kakran", whose keys share nothing else. Long
    skeletons only; the few names one slip apart are scored like any candidate."""
    out: set[str] = set()
    for token in tokens:
        word = skeleton(token)
        if len(word) < SLIP_FROM:
            continue
        variants = {word[:i] + word[i + 1 :] for i in range(len(word))}
        for i in range(len(word) + 1):
            letters = SKELETON_LETTERS + ("ay" if i == 0 else "")
            variants |= {word[:i] + c + word[i:] for c in letters}
            if i < len(word):
                variants |= {word[:i] + c + word[i + 1 :] for c in letters}
        out |= {"t:" + _REPEATS.sub(r"\1", v) for v in variants}
    return out - {f"t:{skeleton(t)}" for t in tokens}
