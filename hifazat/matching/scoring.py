"""Scoring a pair of records: the probability that they are the same person, and why.

The model is Fellegi–Sunter, the one Splink estimates at scale: each comparison (given name, family name, father's
or husband's name, birth, sex, where the person lives) falls into a level; each level has a weight log2(m/u), where
m is how often the level occurs when the two records are one person and u how often among the other candidates a
lookup returns. A comparison that cannot be made (a field recorded on one side only) weighs nothing. The weights
add up to W, and a calibration turns W into the probability shown: ``1 / (1 + exp(-(SLOPE * W + INTERCEPT)))``,
so that of the pairs shown at 0.9 about nine in ten are one person (the benchmark checks it band by band).

What the weights know:

- **Names by script** (``names.token_level``): the same token, a spelling or script variant, or only the same
  consonant skeleton. Hassan and Hussain, Shahid and Saeed, Mehmood and Muhammad share a skeleton and are
  different names, so a skeleton alone is weak evidence, not agreement.
- **How common a name is** (term frequency): agreeing on a name that one person in five carries says less than
  agreeing on a rare one. The share of each name comes from the registry itself (:class:`NameFrequencies`, the
  key table's counts); the weight of an agreeing name moves by log2(c / share), c being the chance that two
  people picked at random share a name.
- **Prefixes and titles** (Muhammad, Syed; Bibi, Begum) are set aside when other names remain
  (``records.informative``): agreeing on them is not evidence, leaving them out is not a difference.
- **Ages as ranges**: an estimated age is a range (a year either way for a child, three for an adult); two
  ranges that overlap agree, by how much they are apart.
- **Typing slips in a date of birth** (1971 written 1917, one digit off, day and month swapped) are a level of
  their own, not "born decades apart".
- **Siblings**: the same household or the same father's name, with another given name and another age, is what
  siblings are, and strong evidence of two people (``siblings``), however much else agrees.
- **Families move together**: when other members of one record's household are found in the other's household
  (the same given name, sex and about the same age), a family was registered again elsewhere
  (``household_members``); when both households have other members and none is found, it counts against.

The m and u values are estimated (``ESTIMATED_M_U``); ``hifazat estimate_match_weights`` re-estimates them from the
registry (EM) and the review queue's decisions and stores them (``people.MatchWeights``); :class:`Weights` holds
either set.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import product

from hifazat.matching.blocking import year_slips
from hifazat.matching.explanations import explain
from hifazat.matching.names import CONSONANTS, EXACT, SIMILAR, VARIANT, match_tokens, skeleton, token_level
from hifazat.matching.records import UNINFORMATIVE, MatchRecord

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"
# Probability cuts of the bands: "likely" is shown as a probable duplicate, "possible" asks for a look.
LIKELY_FROM = 0.80
POSSIBLE_FROM = 0.35

AGREES, PARTLY, DIFFERS, MISSING = "agrees", "partly", "differs", "missing"

FIELDS = ("given_name", "family_name", "parentage", "birth", "gender", "context", "household_members")
# Levels of each comparison, best first ("missing" is not a level: it weighs nothing).
LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": ("exact", "variant", "consonants", "similar", "partial", "differs"),
    "family_name": ("exact", "variant", "consonants", "partial", "differs"),
    "parentage": ("exact", "variant", "consonants", "similar", "partial", "differs"),
    "birth": (
        "same_date",
        "date_slip",
        "same_year",
        "near",
        "far",
        "estimate_same",
        "estimate_1",
        "estimate_range",
        "estimate_out",
        "estimate_far",
    ),
    "gender": ("agrees", "differs"),
    "context": (
        "same_household",
        "with_relatives",
        "siblings",
        "same_origin",
        "different_origin",
        "same_site",
        "different_site",
    ),
    "household_members": ("agree", "differ"),
}
# Levels whose weight term frequency adjusts (an agreeing name).
TF_LEVELS = {"exact", "variant"}
TF_FIELDS = ("given_name", "family_name", "parentage")
# The adjustment is bounded: a name seen once in a small registry is not proof.
TF_BOUNDS = (-4.0, 4.0)
# Bounds on any estimated weight, in bits. Where someone lives is soft evidence (people move, registrars write
# the place of origin differently), whatever an estimate on one registry says.
WEIGHT_BOUNDS = {"context": (-3.0, 3.0)}
ANY_WEIGHT = (-10.0, 12.0)

# (m, u) per comparison and level, counted (``estimate.count``) on labelled synthetic registries
# (``matching.synthetic``; ``python -m bench.bench_matching_quality estimate`` prints them): every candidate the key lookup returns for 5,000 people's registrations, with the
# registry's own name frequencies and households; seed 1 for m and u, seed 2 for the calibration
# (``estimate.fit_calibration`` on the pairs of positive weight, where the bands are cut), the benchmark's seed
# 12 left for checking.
ESTIMATED_M_U: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        "exact": (0.795, 0.3468),
        "variant": (0.1873, 0.07846),
        "consonants": (0.007375, 0.04734),
        "similar": (0.001475, 0.000535),
        "partial": (0.007375, 0.02324),
        "differs": (0.001475, 0.5036),
    },
    "family_name": {
        "exact": (0.8579, 0.5777),
        "variant": (0.1215, 0.09176),
        "consonants": (0.01682, 0.02788),
        "partial": (0.001869, 0.0274),
        "differs": (0.001869, 0.2753),
    },
    "parentage": {
        "exact": (0.7852, 0.03816),
        "variant": (0.1768, 0.006636),
        "consonants": (0.02852, 0.001778),
        "similar": (0.001901, 0.000778),
        "partial": (0.005703, 0.02582),
        "differs": (0.001901, 0.9268),
    },
    "birth": {
        "same_date": (0.2294, 0.000113),
        "date_slip": (0.05115, 0.002317),
        "same_year": (0.00165, 0.03594),
        "near": (0.00165, 0.1113),
        "far": (0.00165, 0.09759),
        "estimate_same": (0.2228, 0.1336),
        "estimate_1": (0.2426, 0.1938),
        "estimate_range": (0.2426, 0.2455),
        "estimate_out": (0.00165, 0.167),
        "estimate_far": (0.00495, 0.01285),
    },
    "gender": {
        "agrees": (0.9985, 0.7632),
        "differs": (0.001484, 0.2368),
    },
    "context": {
        "same_household": (0.05164, 0.001686),
        "with_relatives": (0.1674, 0.004025),
        "siblings": (0.004695, 0.02031),
        "same_origin": (0.3177, 0.0471),
        "different_origin": (0.001565, 0.4625),
        "same_site": (0.001565, 0.02366),
        "different_site": (0.4554, 0.4407),
    },
    "household_members": {
        "agree": (0.9561, 0.04485),
        "differ": (0.04393, 0.9552),
    },
}
ESTIMATED_CALIBRATION = (0.6256, -6.4891)
# The chance that two people picked at random share a given name (the term-frequency reference).
ESTIMATED_COLLISION = 0.01762
ESTIMATED_ON = (
    "m and u: 266,737 candidate pairs of 5,000 people's lookups in a generated registry of 20,000 (seed 1), 336 "
    "of them one person; calibration: 264,994 pairs of seed 2, 301 of them one person"
)
# How many people the calibration registry held. The chance that a candidate is a namesake and not the person
# grows with the registry: the odds are scaled by CALIBRATION_PEOPLE / people (a registry smaller than
# SMALLEST_REGISTRY counts as that size, so that a handful of people is not taken as proof).
CALIBRATION_PEOPLE = 21_184
SMALLEST_REGISTRY = 100


@dataclass(frozen=True)
class Weights:
    """A set of m and u values with the calibration of their sum: the estimated defaults, or a set the
    re-estimation stored."""

    m_u: Mapping[str, Mapping[str, tuple[float, float]]]
    slope: float
    intercept: float
    collision: float = ESTIMATED_COLLISION
    source: str = "estimated"

    def weight(self, comparison: str, level: str) -> float:
        found = self.m_u.get(comparison, {}).get(level)
        if found is None:
            return 0.0
        m, u = found
        low, high = WEIGHT_BOUNDS.get(comparison, ANY_WEIGHT)
        return min(high, max(low, math.log2(max(m, 1e-6) / max(u, 1e-6))))


def default_weights() -> Weights:
    return Weights(ESTIMATED_M_U, *ESTIMATED_CALIBRATION, collision=ESTIMATED_COLLISION)


class NameFrequencies:
    """How common each name is in the registry: the number of people filed under a name's skeleton, of
    ``total`` people. An unknown name counts as seen once. With fewer than ``MIN_TOTAL`` people the shares
    say too little and no adjustment is made."""

    MIN_TOTAL = 500

    def __init__(self, counts: Mapping[str, int], total: int) -> None:
        self.counts = counts
        self.total = total

    def share(self, token: str) -> float | None:
        if self.total < self.MIN_TOTAL:
            return None
        return max(self.counts.get(skeleton(token), 0), 1) / self.total

    def collision(self) -> float:
        """The chance that two people picked at random share a name (the sum of the squared shares)."""
        total = sum(self.counts.values()) or 1
        return sum((count / total) ** 2 for count in self.counts.values())


@dataclass(frozen=True)
class Reason:
    """One comparison: which field, whether it agrees, differs or is missing on one side, its level, its
    weight in bits (positive for the same person), the two values compared, and a sentence for the reviewer
    in the language in force when it was made (``text()`` gives it in the current one)."""

    field: str
    outcome: str
    level: str
    weight: float
    explanation: str
    values: tuple[str, str] = ("", "")
    detail: str = ""

    def text(self) -> str:
        return explain(self.field, self.level, *self.values, detail=self.detail)


@dataclass(frozen=True)
class Match:
    """The result of :func:`score`: a calibrated probability (0..1), its band, the reasons (strongest first) and
    the summed weight in bits."""

    score: float
    band: str
    reasons: tuple[Reason, ...]
    weight: float
    levels: dict[str, str] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict:
        return {
            "score": self.score,
            "band": self.band,
            "reasons": [
                {**asdict(r), "values": list(r.values), "weight": round(r.weight, 2)} for r in self.reasons
            ],
        }


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
def _name_level(a: Tokens, a_pool: Tokens, b: Tokens, b_pool: Tokens) -> tuple[str, tuple[str, ...]]:
    """How names ``a`` and ``b`` compare, each token looked for in the other's whole name (``*_pool``), so that
    name order does not matter; and the tokens that agree (for the term frequency). "partial": one name is found
    whole in the other, which has more."""
    found_a = [_best_of(t, b_pool) for t in a]
    found_b = [_best_of(t, a_pool) for t in b]
    low = min(level for level, _ in found_a + found_b)
    agreeing = tuple(t[0] for t, (level, _) in zip(a, found_a, strict=True) if level >= VARIANT)
    if low:
        return _LEVEL_NAME[low], agreeing
    if min(level for level, _ in found_a) >= VARIANT or min(level for level, _ in found_b) >= VARIANT:
        return "partial", agreeing
    return "differs", agreeing


_NAME_ORDER = ("exact", "variant", "consonants", "similar", "partial", "differs")


def _versions(given: str, family: str, given_ur: str, family_ur: str) -> list[tuple[Tokens, Tokens]]:
    """(given, family) as written in Latin letters and as written in Urdu script, each completed from the other
    script where one part is missing; one entry when both agree."""
    latin = (script_tokens(given or given_ur), script_tokens(family or family_ur))
    urdu = (script_tokens(given_ur or given), script_tokens(family_ur or family))
    return [latin] if urdu == latin else [latin, urdu]


def _name_levels(a: MatchRecord, b: MatchRecord):
    """(given level, agreeing given tokens, family level, agreeing family tokens, swapped) over the scripts."""
    best = None
    a_versions = _versions(a.first_name, a.second_name, a.first_name_ur, a.second_name_ur)
    b_versions = _versions(b.first_name, b.second_name, b.first_name_ur, b.second_name_ur)
    for (a_given, a_family), (b_given, b_family) in product(a_versions, b_versions):
        if not a_given or not b_given:
            continue
        a_pool, b_pool = a_given + a_family, b_given + b_family
        given, given_tokens = _name_level(
            informative_tokens(a_given), a_pool, informative_tokens(b_given), b_pool
        )
        a_fam = tuple(t for t in a_family if t[0] not in UNINFORMATIVE)
        b_fam = tuple(t for t in b_family if t[0] not in UNINFORMATIVE)
        if a_fam and b_fam:
            family, family_tokens = _name_level(a_fam, a_pool, b_fam, b_pool)
            family = "differs" if family == "similar" else family
        else:
            family, family_tokens = MISSING, ()
        rank = (_NAME_ORDER.index(given), _NAME_ORDER.index(family) if family != MISSING else 3)
        # Found, but in the other's family name: the names were written in the other order.
        swapped = given in {"exact", "variant"} and any(
            _best_of(t, b_given)[0] < VARIANT for t in informative_tokens(a_given)
        )
        if best is None or rank < best[0]:
            best = (rank, given, given_tokens, family, family_tokens, swapped)
    if best is None:
        return MISSING, (), MISSING, (), False
    return best[1:]


_FATHER = {"son_of", "daughter_of"}


def _parentage_kind(a: MatchRecord, b: MatchRecord) -> str:
    words = {w for w in (a.parentage_word, b.parentage_word) if w}
    if words and words <= _FATHER:
        return "father"
    if words == {"wife_of"}:
        return "husband"
    return "either"


def _parentage_level(a: MatchRecord, b: MatchRecord) -> tuple[str, tuple[str, ...]]:
    words = {a.parentage_word, b.parentage_word}
    if "wife_of" in words and words & _FATHER:
        return "not_comparable", ()
    a_versions = [v for v in (script_tokens(a.parentage_name), script_tokens(a.parentage_name_ur)) if v]
    b_versions = [v for v in (script_tokens(b.parentage_name), script_tokens(b.parentage_name_ur)) if v]
    if not a_versions or not b_versions:
        return MISSING, ()
    found = [
        _name_level(informative_tokens(x), x, informative_tokens(y), y)
        for x, y in product(a_versions, b_versions)
    ]
    return min(found, key=lambda level: _NAME_ORDER.index(level[0]))


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


def _birth_level(a: MatchRecord, b: MatchRecord) -> str:
    if a.birth_year is None or b.birth_year is None:
        return MISSING
    apart = abs(a.birth_year - b.birth_year)
    if a.birthdate_is_estimate or b.birthdate_is_estimate or a.birthdate is None or b.birthdate is None:
        if apart <= 1:
            return ("estimate_same", "estimate_1")[apart]
        this_year = datetime.datetime.now(tz=datetime.UTC).year
        if apart <= _tolerance(a, this_year) + _tolerance(b, this_year):
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


def _context_level(a: MatchRecord, b: MatchRecord, given: str, parentage: str, birth: str) -> tuple[str, str]:
    """Household, phone, site and origin as one piece of evidence: siblings share all of them. The same
    household or father with another given name and another age is what siblings are (``siblings``)."""
    shared = " and ".join(
        what
        for what, x, y in (("household", a.household, b.household), ("phone", a.phone_index, b.phone_index))
        if x and x == y
    )
    father_agrees = parentage in {"exact", "variant"} and _parentage_kind(a, b) == "father"
    other_given = given not in {"exact", "variant", MISSING}
    other_age = birth in {"same_year", "near", "far", "estimate_range", "estimate_out", "estimate_far"}
    if (shared or father_agrees) and other_given and other_age:
        return "siblings", shared
    if shared:
        return (
            "with_relatives" if parentage in {"exact", "variant", "partial"} else "same_household"
        ), shared
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


def _same_member(x: Member, y: Member) -> bool:
    if x.sex and y.sex and x.sex != y.sex:
        return False
    if x.birth_year is not None and y.birth_year is not None and abs(x.birth_year - y.birth_year) > 3:
        return False
    if not x.given or not y.given:
        return False
    return all(_best_of(t, y.given)[0] >= VARIANT for t in x.given) or all(
        _best_of(t, x.given)[0] >= VARIANT for t in y.given
    )


def _household_members_level(
    a: MatchRecord, b: MatchRecord, households: Mapping[int, tuple[Member, ...]] | None
) -> tuple[str, int]:
    """Whether other members of ``a``'s household are found in ``b``'s (and how many): "agree", "differ" (both
    have other members, none found), or missing (no households given, one has no other member, or the same
    household, where it says nothing)."""
    if not households or a.household is None or b.household is None or a.household == b.household:
        return MISSING, 0
    own = {a.person, b.person} - {None}
    a_others = [m for m in households.get(a.household, ()) if m.person not in own]
    b_others = [m for m in households.get(b.household, ()) if m.person not in own]
    if not a_others or not b_others:
        return MISSING, 0
    found = sum(1 for x in a_others if any(_same_member(x, y) for y in b_others))
    return ("agree" if found else "differ"), found


# --- The score --------------------------------------------------------------------------------------------------


def levels(
    a: MatchRecord, b: MatchRecord, households: Mapping[int, tuple[Member, ...]] | None = None
) -> tuple[dict[str, str], dict[str, tuple[str, ...]], bool]:
    """The level of every comparison (``FIELDS``), the agreeing name tokens of each name comparison (for the
    term frequency), and whether the names were written in the other order. ``households`` (household id →
    its members) allows the household comparison."""
    given, given_tokens, family, family_tokens, swapped = _name_levels(a, b)
    parentage, parent_tokens = _parentage_level(a, b)
    birth = _birth_level(a, b)
    context, _ = _context_level(a, b, given, parentage, birth)
    gender = MISSING if not a.sex or not b.sex else ("agrees" if a.sex == b.sex else "differs")
    found = {
        "given_name": given,
        "family_name": family,
        "parentage": parentage,
        "birth": birth,
        "gender": gender,
        "context": context,
        "household_members": _household_members_level(a, b, households)[0],
    }
    agreeing = {"given_name": given_tokens, "family_name": family_tokens, "parentage": parent_tokens}
    return found, agreeing, swapped


def tf_adjustment(tokens: tuple[str, ...], frequencies: NameFrequencies | None, collision: float) -> float:
    """Bits added to an agreeing name's weight for how rare it is: log2(collision / share), the share of the
    name being the product of its tokens' shares (bounded by ``TF_BOUNDS``); 0 without frequencies."""
    if frequencies is None or not tokens:
        return 0.0
    share = 1.0
    for token in dict.fromkeys(tokens):
        found = frequencies.share(token)
        if found is None:
            return 0.0
        share *= found
    low, high = TF_BOUNDS
    return min(high, max(low, math.log2(collision / share)))


def level_weights(
    found: Mapping[str, str],
    agreeing: Mapping[str, tuple[str, ...]],
    weights: Weights,
    frequencies: NameFrequencies | None,
) -> dict[str, float]:
    """The weight in bits of each comparison's level, term frequency included."""
    out = {}
    for name, level in found.items():
        if level in {MISSING, "not_comparable"}:
            out[name] = 0.0
            continue
        bits = weights.weight(name, level)
        if name in TF_FIELDS and level in TF_LEVELS:
            bits += tf_adjustment(agreeing.get(name, ()), frequencies, weights.collision)
        out[name] = bits
    return out


def probability(bits: float, weights: Weights, people: int | None = None) -> float:
    """The calibrated probability of the summed weight ``bits`` in a registry of ``people`` (the calibration's
    size when not known)."""
    z = weights.slope * bits + weights.intercept
    if people is not None:
        z += math.log(CALIBRATION_PEOPLE / max(people, SMALLEST_REGISTRY))
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))


def band_of(value: float) -> str:
    if value >= LIKELY_FROM:
        return LIKELY
    if value >= POSSIBLE_FROM:
        return POSSIBLE
    return UNLIKELY


def _born(record: MatchRecord) -> str:
    if record.birth_year is None:
        return ""
    if record.birthdate_is_estimate or record.birthdate is None:
        return f"~{record.birth_year}"
    return record.birthdate.isoformat()


_SEXES = {"female": "female", "male": "male", "": ""}


def _values(a: MatchRecord, b: MatchRecord, swapped: bool, shared: str) -> dict[str, tuple[str, str]]:
    def whole(record: MatchRecord) -> str:
        return f"{record.display_given} {record.display_family}".strip()

    return {
        "given_name": (whole(a), whole(b)) if swapped else (a.display_given, b.display_given),
        "family_name": (a.display_family, b.display_family),
        "parentage": (a.display_parentage, b.display_parentage),
        "birth": (_born(a), _born(b)),
        "gender": (a.sex, b.sex),
        "context": (shared, ""),
    }


def _outcome(level: str, bits: float) -> str:
    if level in {MISSING, "not_comparable"}:
        return MISSING
    if level in {"consonants", "similar", "partial", "near", "estimate_range", "date_slip"}:
        return PARTLY
    return AGREES if bits > 0 else DIFFERS


def score(
    a: MatchRecord,
    b: MatchRecord,
    *,
    weights: Weights | None = None,
    frequencies: NameFrequencies | None = None,
    households: Mapping[int, tuple[Member, ...]] | None = None,
) -> Match:
    """How likely ``a`` and ``b`` are the same person: a calibrated probability, its band and the reasons.
    ``weights`` default to the estimated ones; ``frequencies`` (the registry's name counts) adjust the weight of
    an agreeing name for how common it is; ``households`` (household id → members) lets the other members of
    the two households count."""
    weights = weights or DEFAULT_WEIGHTS
    found, agreeing, swapped = levels(a, b, households)
    bits_of = level_weights(found, agreeing, weights, frequencies)
    bits = sum(bits_of.values())
    value = probability(bits, weights, frequencies.total if frequencies is not None else None)
    _, shared = _context_level(a, b, found["given_name"], found["parentage"], found["birth"])
    values = _values(a, b, swapped, shared)
    values["household_members"] = (str(_household_members_level(a, b, households)[1]), "")
    details = {"parentage": _parentage_kind(a, b), "given_name": "swapped" if swapped else ""}
    reasons = []
    for name in FIELDS:
        level = found[name]
        detail = details.get(name, "")
        if name == "family_name" and level == MISSING and a.display_family and b.display_family:
            detail = "title"
        reason_values = values[name] if level not in {MISSING, "not_comparable"} else ("", "")
        reasons.append(
            Reason(
                name,
                _outcome(level, bits_of[name]),
                level,
                round(bits_of[name], 2),
                explain(name, level, *reason_values, detail=detail),
                reason_values,
                detail,
            )
        )
    reasons.sort(key=lambda r: -abs(r.weight))
    return Match(round(value, 3), band_of(value), tuple(reasons), round(bits, 2), found)


DEFAULT_WEIGHTS = default_weights()
