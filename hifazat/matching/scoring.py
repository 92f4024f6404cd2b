"""Scoring a pair of records: how likely they are the same person, and why.

The score is a Fellegi–Sunter match probability, the model Splink estimates at scale: each comparison (given
name, family name, father's or husband's name, birth, sex, where the person lives) falls into a level, each
level has a weight, log2(m/u), where m is how often the level occurs when the two records are the same person and
u how often when they are not (among candidates that share a blocking key); the weights add up with the prior
odds and give a probability. The m and u values below are judgement from registers of the region, to be
re-estimated from the review queue's decisions; the bands are cut on the probability.

Household, phone and site are one comparison, not three: siblings share all of them, and counted separately they
would make siblings look like duplicates. When the father's name also agrees, sharing a household is what
relatives do, and it counts for nothing more.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import product

from rapidfuzz import fuzz

from hifazat.matching.blocking import YEAR_WINDOW
from hifazat.matching.names import skeleton
from hifazat.matching.records import UNINFORMATIVE, MatchRecord, informative

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"
# Probability cuts of the bands: "likely" is shown as a probable duplicate, "possible" asks for a look.
LIKELY_FROM = 0.80
POSSIBLE_FROM = 0.35
# Among the candidates a lookup returns, about one in sixty is the same person.
PRIOR_BITS = math.log2(1 / 60)

AGREES, DIFFERS, MISSING = "agrees", "differs", "missing"

# (m, u) per comparison and level.
M_U: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        "exact": (0.70, 0.03),
        "close": (0.22, 0.02),
        "partial": (0.05, 0.03),
        "similar": (0.02, 0.06),
        "differs": (0.01, 0.86),
    },
    "family_name": {"agrees": (0.80, 0.35), "partial": (0.08, 0.10), "differs": (0.12, 0.55)},
    "parentage": {
        "exact": (0.65, 0.02),
        "close": (0.20, 0.01),
        "partial": (0.07, 0.04),
        "similar": (0.03, 0.08),
        "differs": (0.05, 0.85),
    },
    "birth": {
        "same_date": (0.45, 0.002),
        "same_year": (0.30, 0.03),
        "near": (0.15, 0.08),
        "far": (0.10, 0.89),
        "estimate_1": (0.55, 0.15),
        "estimate_3": (0.30, 0.20),
        "estimate_window": (0.10, 0.25),
        "estimate_far": (0.05, 0.40),
    },
    "gender": {"agrees": (0.98, 0.55), "differs": (0.002, 0.45)},
    "context": {
        "same_household": (0.30, 0.02),
        "shared_with_relatives": (0.30, 0.30),
        "same_place": (0.50, 0.35),
        "different_origin": (0.10, 0.40),
        "different_site": (0.45, 0.60),
    },
}
WEIGHTS = {
    comparison: {level: math.log2(m / u) for level, (m, u) in levels.items()}
    for comparison, levels in M_U.items()
}
_NAME_LEVELS = ("exact", "close", "partial", "similar", "differs")
_AGREEING = {"exact", "close", "partial"}


@dataclass(frozen=True)
class Reason:
    """One comparison: which field, whether it agrees, differs or is missing on one side, its level, its
    weight in bits (positive for the same person), and a sentence for the reviewer."""

    field: str
    outcome: str
    level: str
    weight: float
    explanation: str


@dataclass(frozen=True)
class Match:
    """The result of :func:`score`: a probability (0..1), its band, and the reasons, strongest first."""

    score: float
    band: str
    reasons: tuple[Reason, ...]
    weight: float

    def as_json(self) -> dict:
        return {"score": self.score, "band": self.band, "reasons": [asdict(r) for r in self.reasons]}


@lru_cache(maxsize=262144)
def token_similarity(a: str, b: str) -> float:
    """1 for the same canonical token, 0.95 for the same skeleton (a spelling or script variant), otherwise the
    edit similarity scaled below 0.9."""
    if a == b:
        return 1.0
    if skeleton(a) == skeleton(b):
        return 0.95
    return 0.9 * fuzz.ratio(a, b) / 100


def _best(token: str, pool: tuple[str, ...]) -> float:
    return max((token_similarity(token, other) for other in pool), default=0.0)


def _name_level(
    a: tuple[str, ...], a_pool: tuple[str, ...], b: tuple[str, ...], b_pool: tuple[str, ...]
) -> str:
    """How the names ``a`` and ``b`` compare, each looked for in the other's whole name (``*_pool``), so that
    name order does not matter. "partial": one name is found whole in the other, which has more."""
    found_a = [_best(t, b_pool) for t in a]
    found_b = [_best(t, a_pool) for t in b]
    every = found_a + found_b
    if min(every) >= 0.999:
        return "exact"
    if min(every) >= 0.9:
        return "close"
    if min(found_a) >= 0.9 or min(found_b) >= 0.9:
        return "partial"
    if min(every) >= 0.75:
        return "similar"
    return "differs"


def _pair(a: str, b: str, joiner: str = " ~ ") -> str:
    return a if a == b else f"{a}{joiner}{b}"


def _names(a: MatchRecord, b: MatchRecord) -> list[Reason]:
    best: tuple[float, str, str, bool] | None = None
    for (a_given, a_family), (b_given, b_family) in product(a.name_variants(), b.name_variants()):
        a_pool, b_pool = a_given + a_family, b_given + b_family
        if not a_given or not b_given:
            continue
        given = _name_level(informative(a_given), a_pool, informative(b_given), b_pool)
        a_fam = tuple(t for t in a_family if t not in UNINFORMATIVE)
        b_fam = tuple(t for t in b_family if t not in UNINFORMATIVE)
        if a_fam and b_fam:
            family = _name_level(a_fam, a_pool, b_fam, b_pool)
            family = {"exact": "agrees", "close": "agrees", "partial": "partial"}.get(family, "differs")
        else:
            family = "missing"
        total = WEIGHTS["given_name"][given] + WEIGHTS["family_name"].get(family, 0.0)
        # Found, but in the other's family name: the names were written in the other order.
        swapped = given in _AGREEING and any(_best(t, b_given) < 0.9 for t in informative(a_given))
        if best is None or total > best[0]:
            best = (total, given, family, swapped)
    if best is None:
        return []
    _, given, family, swapped = best
    g = _pair(a.display_given, b.display_given)
    if swapped:
        g = _pair(
            f"{a.display_given} {a.display_family}".strip(), f"{b.display_given} {b.display_family}".strip()
        )
        g += ", written in the other order"
    given_text = {
        "exact": f"first name agrees ({g})",
        "close": f"first name agrees ({g}): a spelling or script variant",
        "partial": f"first name partly agrees ({g}): one has a name the other lacks",
        "similar": f"first names are similar but not the same ({g})",
        "differs": f"first name differs ({_pair(a.display_given, b.display_given, ' vs ')})",
    }[given]
    reasons = [
        Reason(
            "given_name",
            AGREES if given in _AGREEING else DIFFERS,
            given,
            WEIGHTS["given_name"][given],
            given_text,
        )
    ]
    f = _pair(a.display_family, b.display_family)
    family_text = {
        "agrees": f"family name agrees ({f})",
        "partial": f"family name partly agrees ({f})",
        "differs": f"family name differs ({_pair(a.display_family, b.display_family, ' vs ')})",
        "missing": f"family name not compared ({f}): a title such as Bibi is not a family name"
        if a.display_family and b.display_family
        else "family name not recorded on both: not compared",
    }[family]
    reasons.append(
        Reason(
            "family_name",
            {"agrees": AGREES, "partial": AGREES, "differs": DIFFERS}.get(family, MISSING),
            family,
            WEIGHTS["family_name"].get(family, 0.0),
            family_text,
        )
    )
    return reasons


_FATHER = {"son_of", "daughter_of"}


def _parentage_label(a: MatchRecord, b: MatchRecord) -> str:
    words = {w for w in (a.parentage_word, b.parentage_word) if w}
    if words and words <= _FATHER:
        return "father's name"
    if words == {"wife_of"}:
        return "husband's name"
    return "father's or husband's name"


def _parentage(a: MatchRecord, b: MatchRecord) -> Reason:
    label = _parentage_label(a, b)
    words = {a.parentage_word, b.parentage_word}
    if "wife_of" in words and words & _FATHER:
        return Reason(
            "parentage",
            MISSING,
            "missing",
            0.0,
            "father's name on one record and husband's on the other: not compared",
        )
    a_variants, b_variants = a.parentage_variants(), b.parentage_variants()
    if not a_variants or not b_variants:
        return Reason("parentage", MISSING, "missing", 0.0, f"{label} not recorded on both: not compared")
    level = max(
        (_name_level(informative(x), x, informative(y), y) for x, y in product(a_variants, b_variants)),
        key=lambda found: -_NAME_LEVELS.index(found),
    )
    p = _pair(a.display_parentage, b.display_parentage)
    text = {
        "exact": f"{label} agrees ({p})",
        "close": f"{label} agrees ({p})",
        "partial": f"{label} partly agrees ({p})",
        "similar": f"{label} is similar but not the same ({p})",
        "differs": f"{label} differs ({_pair(a.display_parentage, b.display_parentage, ' vs ')})",
    }[level]
    return Reason(
        "parentage", AGREES if level in _AGREEING else DIFFERS, level, WEIGHTS["parentage"][level], text
    )


def _born(record: MatchRecord) -> str:
    return (
        f"about {record.birth_year} (estimated)" if record.birthdate_is_estimate else str(record.birth_year)
    )


def _birth(a: MatchRecord, b: MatchRecord) -> Reason:
    if a.birth_year is None or b.birth_year is None:
        return Reason(
            "birth", MISSING, "missing", 0.0, "date of birth or age not recorded on both: not compared"
        )
    apart = abs(a.birth_year - b.birth_year)
    both = f"born {_born(a)} vs {_born(b)}"
    if a.birthdate_is_estimate or b.birthdate_is_estimate:
        if apart <= 1:
            level, text = "estimate_1", f"{both}: within tolerance"
        elif apart <= 3:
            level, text = "estimate_3", f"{both}: within tolerance for an estimated age"
        elif apart <= YEAR_WINDOW:
            level, text = "estimate_window", f"{both}: {apart} years apart, at the edge of tolerance"
        else:
            level, text = "estimate_far", f"{both}: {apart} years apart"
    elif a.birthdate is not None and a.birthdate == b.birthdate:
        level, text = "same_date", f"same date of birth ({a.birthdate.isoformat()})"
    elif apart == 0:
        level, text = "same_year", f"born in {a.birth_year} in both, on different dates"
    elif apart <= 2:
        level, text = "near", f"born {a.birth_year} vs {b.birth_year}: could be a slip in the year"
    else:
        level, text = "far", f"born {a.birth_year} vs {b.birth_year}: {apart} years apart"
    outcome = DIFFERS if level in {"far", "estimate_window", "estimate_far"} else AGREES
    return Reason("birth", outcome, level, WEIGHTS["birth"][level], text)


def _gender(a: MatchRecord, b: MatchRecord) -> Reason:
    if not a.sex or not b.sex:
        return Reason("gender", MISSING, "missing", 0.0, "sex not recorded on both: not compared")
    if a.sex == b.sex:
        return Reason("gender", AGREES, "agrees", WEIGHTS["gender"]["agrees"], f"sex agrees ({a.sex})")
    return Reason(
        "gender",
        DIFFERS,
        "differs",
        WEIGHTS["gender"]["differs"],
        f"sex differs ({a.sex} vs {b.sex}): strong evidence of two people",
    )


def _context(a: MatchRecord, b: MatchRecord, parentage: Reason) -> Reason:
    """Household, phone, site and origin as one piece of evidence (see the module's docstring)."""
    shared = [
        what
        for what, x, y in (("household", a.household, b.household), ("phone", a.phone_index, b.phone_index))
        if x and x == y
    ]
    if shared:
        what = " and ".join(shared)
        if parentage.level in _AGREEING:
            level = "shared_with_relatives"
            text = f"same {what}: with the same {_parentage_label(a, b)}, this is what siblings share, so it adds nothing"
        else:
            level, text = "same_household", f"same {what}"
        return Reason("context", AGREES, level, WEIGHTS["context"][level], text)
    if a.origin_area and b.origin_area:
        if a.origin_area == b.origin_area:
            return Reason(
                "context", AGREES, "same_place", WEIGHTS["context"]["same_place"], "same place of origin"
            )
        return Reason(
            "context",
            DIFFERS,
            "different_origin",
            WEIGHTS["context"]["different_origin"],
            "different place of origin",
        )
    if a.site and b.site:
        if a.site == b.site:
            return Reason("context", AGREES, "same_place", WEIGHTS["context"]["same_place"], "same site")
        return Reason(
            "context",
            DIFFERS,
            "different_site",
            WEIGHTS["context"]["different_site"],
            "registered at different sites (people move between camps)",
        )
    return Reason("context", MISSING, "missing", 0.0, "household, phone, site and origin not comparable")


def band_of(probability: float) -> str:
    if probability >= LIKELY_FROM:
        return LIKELY
    if probability >= POSSIBLE_FROM:
        return POSSIBLE
    return UNLIKELY


def score(a: MatchRecord, b: MatchRecord) -> Match:
    """How likely ``a`` and ``b`` are the same person: a probability, its band and the reasons."""
    parentage = _parentage(a, b)
    reasons = [*_names(a, b), parentage, _birth(a, b), _gender(a, b), _context(a, b, parentage)]
    bits = PRIOR_BITS + sum(r.weight for r in reasons)
    probability = 1 / (1 + 2 ** (-bits))
    reasons.sort(key=lambda r: -abs(r.weight))
    return Match(
        score=round(probability, 3), band=band_of(probability), reasons=tuple(reasons), weight=round(bits, 2)
    )
