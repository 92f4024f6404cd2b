"""The comparisons of the matching engine (``matching.engine``): how two records compare field by field, as a
level (best first) that the profiles weigh. Every profile uses the same ones: names by script and spelling,
father's or husband's name, birth dates and estimated ages, sex, household and phone, the other members of the
households, and places.

- **Names by script** (``names.token_level``): the same token, a spelling or script variant, or only the same
  consonant skeleton. Hassan and Hussain, Shahid and Saeed, Mehmood and Muhammad share a skeleton and are
  different names, so a skeleton alone is weak evidence, not agreement. Given name is compared with given name
  and family name with family name, in whichever order of the other's names agrees best ("Khan, Imran").
- **Prefixes and titles** (Muhammad, Syed; Bibi, Begum) are set aside when other names remain
  (``records.informative``): agreeing on them is not evidence, leaving them out is not a difference.
- **Ages as ranges**: an estimated age is a range (a year either way for a child, three for an adult, and a year
  more where an age is compared with a real date); two ranges that overlap agree, by how much they are apart.
- **Typing slips in a date of birth** (1971 written 1917, one digit off, day and month swapped) are a level of
  their own, not "born decades apart".
- **Siblings**: the same household, phone or father's name with another given name is what siblings are, and
  strong evidence of two people, however much else agrees.
- **Families move together**: when other members of one record's household are found in the other's household
  (the same given name, sex and about the same age), a family was registered again elsewhere; one member found
  may be chance, two are a family; when both households have other members and none is found, it counts against.
- **Places** (family tracing): areas compared by the district and province they lie in; a village by its name.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from hifazat.core.text import in_reader_language
from hifazat.matching.blocking import year_slips
from hifazat.matching.engine import MISSING
from hifazat.matching.names import CONSONANTS, EXACT, SIMILAR, VARIANT, match_tokens, skeleton, token_level
from hifazat.matching.records import UNINFORMATIVE, MatchRecord

# --- Names ------------------------------------------------------------------------------------------------------

Token = tuple[str, bool]  # (canonical token, written in Urdu script)
Tokens = tuple[Token, ...]
_LEVEL_NAME = {EXACT: "exact", VARIANT: "variant", CONSONANTS: "consonants", SIMILAR: "similar"}


def _is_urdu(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@lru_cache(maxsize=65536)
def script_tokens(text: str) -> Tokens:
    """The name's canonical tokens (``matching.names``), each with whether it was written in Urdu script."""
    urdu = _is_urdu(text)
    return tuple((token, urdu) for token in match_tokens(text))


def informative_tokens(tokens: Tokens) -> Tokens:
    """Titles and Muhammad left out, unless nothing else is left (as ``matching.records.informative``)."""
    kept = tuple(t for t in tokens if t[0] not in UNINFORMATIVE)
    return kept or tokens


def _best_of(token: Token, pool: Tokens) -> tuple[int, Token | None]:
    best, found = 0, None
    for other in pool:
        level = token_level(*token, *other)
        if level > best:
            best, found = level, other
    return best, found


@lru_cache(maxsize=262144)
def name_level(a: Tokens, a_pool: Tokens, b: Tokens, b_pool: Tokens) -> tuple[str, tuple[str, ...]]:
    """How names ``a`` and ``b`` compare, each token looked for in the other's whole name (``*_pool``), so that
    name order does not matter; and the tokens that agree (for the term frequency). "partial": one name is found
    whole in the other, which has more."""
    if len(a) != len(b) and "".join(t[0] for t in a) == "".join(t[0] for t in b):
        # One name written as two words, or two as one (Abdul Rehman, Abdulrehman).
        return "variant", tuple(t[0] for t in a)
    found_a = [_best_of(t, b_pool) for t in a]
    found_b = [_best_of(t, a_pool) for t in b]
    low = min(level for level, _ in found_a + found_b)
    agreeing = tuple(t[0] for t, (level, _) in zip(a, found_a, strict=True) if level >= VARIANT)
    if low:
        return _LEVEL_NAME[low], agreeing
    if min(level for level, _ in found_a) >= VARIANT or min(level for level, _ in found_b) >= VARIANT:
        return "partial", agreeing
    return "differs", agreeing


NAME_ORDER = ("exact", "variant", "consonants", "similar", "partial", "differs")


def _versions(given: str, family: str, given_ur: str, family_ur: str) -> list[tuple[Tokens, Tokens]]:
    """(given, family) as written in Latin letters and as written in Urdu script, each completed from the other
    script where one part is missing; one entry when both agree."""
    latin = (script_tokens(given or given_ur), script_tokens(family or family_ur))
    urdu = (script_tokens(given_ur or given), script_tokens(family_ur or family))
    return [latin] if urdu == latin else [latin, urdu]


def _family(tokens: Tokens) -> Tokens:
    """A family name's tokens less titles (Bibi, Begum): a title alone is no family name."""
    return tuple(t for t in tokens if t[0] not in UNINFORMATIVE)


def _oriented(a_given: Tokens, a_family: Tokens, b_given: Tokens, b_family: Tokens):
    """(given level, agreeing given tokens, family level, agreeing family tokens) with ``b`` read as written.
    Where both have a family name, given name is compared with given name and family with family; where one has
    none (or only a title), its given name is looked for in the other's whole name ("Imran Khan" / "Imran",
    "Khan")."""
    a_fam, b_fam = _family(a_family), _family(b_family)
    if a_fam and b_fam:
        given, given_tokens = name_level(
            informative_tokens(a_given), a_given, informative_tokens(b_given), b_given
        )
        family, family_tokens = name_level(a_fam, a_fam, b_fam, b_fam)
        return given, given_tokens, family, family_tokens
    a_pool, b_pool = a_given + a_family, b_given + b_family
    given, given_tokens = name_level(informative_tokens(a_given), a_pool, informative_tokens(b_given), b_pool)
    return given, given_tokens, MISSING, ()


def _rank(given: str, family: str) -> tuple[int, int]:
    def rank(level: str, missing: int) -> int:
        return NAME_ORDER.index(level) if level != MISSING else missing

    return rank(given, len(NAME_ORDER)), rank(family, 3)


def _family_only(a_given: Tokens, a_family: Tokens, b_given: Tokens, b_family: Tokens):
    """Where one record has no given name: its family name against the other's family name, or against its given
    name (the names may have been written in the other order)."""
    if b_given:  # a has none
        lone, others = _family(a_family), (_family(b_family), b_given)
    else:
        lone, others = _family(b_family), (_family(a_family), a_given)
    found = [name_level(lone, lone, other, other) for other in others if lone and other]
    if not found:
        return MISSING, (), MISSING, ()
    family, tokens = min(found, key=lambda level: NAME_ORDER.index(level[0]))
    return MISSING, (), family, tokens


def name_levels(a: MatchRecord, b: MatchRecord):
    """(given level, agreeing given tokens, family level, agreeing family tokens, swapped) over the scripts and
    both orders of ``b``'s names (given and family swapped: "Khan, Imran"), the best agreement of given names
    first."""
    best = None
    a_versions = _versions(a.first_name, a.second_name, a.first_name_ur, a.second_name_ur)
    b_versions = _versions(b.first_name, b.second_name, b.first_name_ur, b.second_name_ur)
    for (a_given, a_family), (b_given, b_family) in product(a_versions, b_versions):
        if not a_given or not b_given:
            found = _family_only(a_given, a_family, b_given, b_family)
            rank = _rank(found[0], found[2])
            if best is None or rank < best[0]:
                best = (rank, *found, False)
            continue
        orders = [(b_given, b_family, False)]
        if b_family:
            orders.append((b_family, b_given, True))
        for given_b, family_b, swapped in orders:
            found = _oriented(a_given, a_family, given_b, family_b)
            if swapped and found[2] != MISSING and NAME_ORDER.index(found[2]) > NAME_ORDER.index(found[0]):
                # Names written in the other order: which part is the given name is not known, so the part that
                # disagrees counts as the given name (Jadoon Fatma and Aasia Jadoon are two sisters, not one
                # woman called Jadoon), whichever of the two records is read first.
                found = (found[2], found[3], found[0], found[1])
            rank = _rank(found[0], found[2])
            if best is None or rank < best[0]:
                best = (rank, *found, swapped)
    if best is None:
        return MISSING, (), MISSING, (), False
    return best[1:]


_FATHER = {"son_of", "daughter_of"}


def parentage_kind(a: MatchRecord, b: MatchRecord) -> str:
    words = {w for w in (a.parentage_word, b.parentage_word) if w}
    if words and words <= _FATHER:
        return "father"
    if words == {"wife_of"}:
        return "husband"
    return "either"


def _family_tokens(*records: MatchRecord) -> Tokens:
    return tuple(
        t
        for record in records
        for text in (record.second_name, record.second_name_ur)
        for t in script_tokens(text)
        if t[0] not in UNINFORMATIVE
    )


def _parent_versions(record: MatchRecord, families: Tokens) -> list[Tokens]:
    """The father's or husband's name in each script, less the family names of the two records compared ("Akbar
    Tanoli", father of Bilal Tanoli, is compared as Akbar: agreeing on Tanoli is the family name's evidence,
    counted already), unless nothing else is left."""
    out = []
    for text in (record.parentage_name, record.parentage_name_ur):
        tokens = script_tokens(text)
        kept = tuple(t for t in tokens if not families or _best_of(t, families)[0] < VARIANT)
        if tokens:
            out.append(kept or tokens)
    return out


def parentage_level(a: MatchRecord, b: MatchRecord) -> tuple[str, tuple[str, ...]]:
    words = {a.parentage_word, b.parentage_word}
    if "wife_of" in words and words & _FATHER:
        return "not_comparable", ()
    families = _family_tokens(a, b)
    a_versions, b_versions = _parent_versions(a, families), _parent_versions(b, families)
    if not a_versions or not b_versions:
        return MISSING, ()
    found = [
        name_level(informative_tokens(x), x, informative_tokens(y), y)
        for x, y in product(a_versions, b_versions)
    ]
    return min(found, key=lambda level: NAME_ORDER.index(level[0]))


# --- Birth ------------------------------------------------------------------------------------------------------


def _tolerance(record: MatchRecord, this_year: int) -> int:
    """How many years either way an age someone estimated may be off: one for a child, three for an adult."""
    if not record.birthdate_is_estimate or record.birth_year is None:
        return 0
    return 1 if this_year - record.birth_year < 15 else 3


def _slip_of_the_pen(x: datetime.date, y: datetime.date) -> bool:
    """Whether two dates differ as a slip of the pen would make them: one digit of YYYYMMDD off, two
    neighbouring digits transposed (1971, 1917), day and month swapped, or the year's slip of ``year_slips``."""
    a, b = x.strftime("%Y%m%d"), y.strftime("%Y%m%d")
    differ = [i for i in range(8) if a[i] != b[i]]
    if len(differ) == 1:
        return True
    if (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and (a[differ[0]], a[differ[1]]) == (b[differ[1]], b[differ[0]])
    ):
        return True
    if x.year == y.year and (x.month, x.day) == (y.day, y.month):
        return True
    return (x.month, x.day) == (y.month, y.day) and y.year in year_slips(x.year)


def birth_level(a: MatchRecord, b: MatchRecord) -> str:
    if a.birth_year is None or b.birth_year is None:
        return MISSING
    apart = abs(a.birth_year - b.birth_year)
    if a.birthdate_is_estimate or b.birthdate_is_estimate or a.birthdate is None or b.birthdate is None:
        if apart <= 1:
            return ("estimate_same", "estimate_1")[apart]
        this_year = datetime.datetime.now(tz=datetime.UTC).year
        # An age turned into a year of birth (``people.services``: the middle of the likely year) may be a year
        # off a real date of birth besides the estimate's own error.
        converted = 1 if a.birthdate_is_estimate != b.birthdate_is_estimate else 0
        if apart <= _tolerance(a, this_year) + _tolerance(b, this_year) + converted:
            return "estimate_range"
        return "estimate_out" if apart <= 6 else "estimate_far"
    x, y = a.birthdate, b.birthdate
    if x == y:
        return "same_date"
    if _slip_of_the_pen(x, y):
        return "date_slip"
    if apart == 0:
        return "same_year"
    return "near" if apart <= 2 else "far"


# --- Household, phone and place ---------------------------------------------------------------------------------


def context_level(a: MatchRecord, b: MatchRecord, given: str, parentage: str, birth: str) -> tuple[str, str]:
    """Household, phone, site and origin as one piece of evidence. Another given name with the same household,
    phone or father is what siblings are (``siblings``; a name a letter or two apart, or found within a longer
    one, only with another age too). The same household otherwise is two members of one household; the same
    phone in another household is a family registered again elsewhere (or relatives)."""
    same_household = a.household is not None and a.household == b.household
    same_phone = bool(a.phone_index) and a.phone_index == b.phone_index
    shared = " and ".join(
        what for what, found in (("household", same_household), ("phone", same_phone)) if found
    )
    father_agrees = parentage in {"exact", "variant"} and parentage_kind(a, b) == "father"
    other_age = birth in {"same_year", "near", "far", "estimate_range", "estimate_out", "estimate_far"}
    other_given = given in {"differs", "consonants"} or (given in {"similar", "partial"} and other_age)
    if (same_household or same_phone or father_agrees) and other_given:
        return "siblings", shared
    if same_household:
        return "same_household", shared
    if same_phone:
        return "same_phone", shared
    if a.origin_area and b.origin_area:
        return ("same_origin" if a.origin_area == b.origin_area else "different_origin"), ""
    if a.site and b.site:
        return ("same_site" if a.site == b.site else "different_site"), ""
    return MISSING, ""


# --- The other members of the two households -------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of a household as the household comparison needs them: who (to leave the pair itself out), the
    informative given name tokens with their script, sex and birth year."""

    person: int | None
    given: Tokens
    sex: str
    birth_year: int | None


def member_of(record: MatchRecord) -> Member:
    given = informative_tokens(script_tokens(record.first_name or record.first_name_ur))
    return Member(record.person, given, record.sex, record.birth_year)


def _same_member(x: Member, y: Member, this_year: int) -> bool:
    """Whether two household members may be one person: the same sex, the given name found whole in the other's,
    and birth years no further apart than two estimated ages may be (two years for children, five for adults)."""
    if x.sex and y.sex and x.sex != y.sex:
        return False
    if x.birth_year is not None and y.birth_year is not None:
        child = this_year - min(x.birth_year, y.birth_year) < 15
        if abs(x.birth_year - y.birth_year) > (2 if child else 5):
            return False
    if not x.given or not y.given:
        return False
    return all(_best_of(t, y.given)[0] >= VARIANT for t in x.given) or all(
        _best_of(t, x.given)[0] >= VARIANT for t in y.given
    )


def _parents(record: MatchRecord) -> Tokens:
    return tuple(
        t
        for text in (record.parentage_name, record.parentage_name_ur)
        for t in informative_tokens(script_tokens(text))
    )


def household_members_level(
    a: MatchRecord, b: MatchRecord, households: Mapping[int, tuple[Member, ...]] | None
) -> tuple[str, int]:
    """Whether other members of ``a``'s household are found in ``b``'s (and how many): "agree" (two or more),
    "one_agrees", "differ" (both have other members, none found), or missing (no households given, one has no
    other member, or the same household, where it says nothing). A member named as the father or husband of
    either record is left out: the father's name is compared already, and counting him again as a member found
    would count one piece of evidence twice."""
    if not households or a.household is None or b.household is None or a.household == b.household:
        return MISSING, 0
    own = {a.person, b.person} - {None}
    parents = _parents(a) + _parents(b)

    def others(household: int) -> list[Member]:
        return [
            m
            for m in households.get(household, ())
            if m.person not in own
            and not (m.given and all(_best_of(t, parents)[0] >= VARIANT for t in m.given))
        ]

    a_others, b_others = others(a.household), others(b.household)
    if not a_others or not b_others:
        return MISSING, 0
    this_year = datetime.datetime.now(tz=datetime.UTC).year
    found = sum(1 for x in a_others if any(_same_member(x, y, this_year) for y in b_others))
    # One member found may be chance (common names, ages a few years apart); two are a family.
    return ("agree" if found > 1 else "one_agrees" if found else "differ"), found


def sex_level(a: MatchRecord, b: MatchRecord) -> str:
    if not a.sex or not b.sex:
        return MISSING
    return "agrees" if a.sex == b.sex else "differs"


def age_level(a: MatchRecord, b: MatchRecord) -> str:
    """Ages as a parent and a registrar give them (family tracing): birth years with tolerance, a year either way
    for an age someone estimated being nearly as good as the same year, and up to three years still within what
    guesses differ by."""
    if a.birth_year is None or b.birth_year is None:
        return MISSING
    apart = abs(a.birth_year - b.birth_year)
    if a.birthdate_is_estimate or b.birthdate_is_estimate or a.birthdate is None or b.birthdate is None:
        if apart <= 1:
            return ("estimate_0", "estimate_1")[apart]
        return "estimate_3" if apart <= 3 else "estimate_window" if apart <= 6 else "estimate_far"
    if a.birthdate == b.birthdate:
        return "same_date"
    return "same_year" if apart == 0 else "near" if apart <= 2 else "far"


# --- Places -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    pk: int
    parent: int | None
    level: int
    name: str
    name_ur: str = ""


class Areas:
    """The administrative areas as a tree, read once per ranking: places are compared by the district and
    province an area lies in."""

    def __init__(self, areas: list[Area]) -> None:
        self.by_pk = {area.pk: area for area in areas}
        self._chains = {pk: self._chain(pk) for pk in self.by_pk}
        self._relations: dict[tuple[int | None, int | None], str] = {}

    def _chain(self, pk: int | None) -> tuple[int, ...]:
        out: list[int] = []
        while pk is not None and pk in self.by_pk and len(out) < 6:
            out.append(pk)
            pk = self.by_pk[pk].parent
        return tuple(out)

    def _at_level(self, pk: int, level: int) -> int | None:
        return next((a for a in self._chains[pk] if self.by_pk[a].level == level), None)

    def relation(self, a: int | None, b: int | None) -> str:
        """How two areas compare: ``same_tehsil`` (the same area below a district), ``within_district`` (one lies
        within the other, at district precision), ``other_tehsil`` (different areas of one district),
        ``same_province``, ``different``, or ``missing``."""
        key = (a, b)
        if key not in self._relations:
            self._relations[key] = self._relation(a, b)
        return self._relations[key]

    def _relation(self, a: int | None, b: int | None) -> str:
        if a is None or b is None or a not in self.by_pk or b not in self.by_pk:
            return MISSING
        if a in self._chains[b] or b in self._chains[a]:
            precision = min(self.by_pk[a].level, self.by_pk[b].level)
            if a == b and precision >= 3:
                return "same_tehsil"
            return "within_district" if precision >= 2 else "same_province"
        district = self._at_level(a, 2)
        if district is not None and district == self._at_level(b, 2):
            return "other_tehsil"
        province = self._at_level(a, 1)
        if province is not None and province == self._at_level(b, 1):
            return "same_province"
        return "different"

    def name(self, pk: int | None) -> str:
        area = self.by_pk.get(pk) if pk is not None else None
        return in_reader_language(area.name, area.name_ur) if area else ""  # the Urdu name on Urdu pages


@lru_cache(maxsize=4096)
def village_agrees(a: str, b: str) -> bool | None:
    """Whether two villages are one by the skeletons of their names; None when either is not given."""
    ka = "".join(skeleton(t) for t in match_tokens(a))
    kb = "".join(skeleton(t) for t in match_tokens(b))
    if not ka or not kb:
        return None
    return ka == kb


def origin_level(areas: Areas, a_area: int | None, a_village: str, b_area: int | None, b_village: str) -> str:
    """Two places of origin: the same village (within one district, or where no area is given), otherwise how
    their areas relate (``Areas.relation``)."""
    relation = areas.relation(a_area, b_area)
    village = village_agrees(a_village, b_village)
    if village and relation in {"same_tehsil", "within_district", MISSING}:
        return "same_village"
    if relation == MISSING and village is False:
        return "different"
    return relation


_SEPARATION_PLACE = {
    "same_tehsil": "same_district",
    "within_district": "same_district",
    "other_tehsil": "same_district",
}


def separation_place_level(areas: Areas, lost_in: int | None, registered_in: int | None) -> str:
    """Where a child was lost against where they are registered, by district and province."""
    relation = areas.relation(lost_in, registered_in)
    return _SEPARATION_PLACE.get(relation, relation)


# Days between the separation and the child's arrival at the site where they are registered.
SOON_AFTER = range(-3, 46)


def separation_date_level(lost_on: datetime.date | None, arrived_on: datetime.date | None) -> str:
    if lost_on is None or arrived_on is None:
        return MISSING
    days = (arrived_on - lost_on).days
    return "soon_after" if days in SOON_AFTER else ("later" if days > 0 else "before")
