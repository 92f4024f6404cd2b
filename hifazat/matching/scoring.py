"""Registry duplicates: the probability that two registrations are one person, and why. A profile of the matching
engine (``matching.engine``), on its comparisons (``matching.comparisons``): given name, family name, father's or
husband's name, birth, sex, household, phone and place (one piece of evidence: siblings share all of them), and the
other members of the two households.

Each level's weight is log2(m/u): m how often the level occurs when the two records are one person, u how often
when they are two people drawn at random (of the same sex: names imply a sex, so agreeing on both is one piece of
evidence). Splink estimates u the same way: among the candidates a lookup returns, who share a name by
construction, u would make agreeing on every name look like little evidence. The weights add up to W, and a
calibration turns W into the probability shown: ``1 / (1 + exp(-(slope * W + intercept)))``, with the odds scaled
to the registry's size (a namesake is likelier among more people), so that of the pairs shown at 0.9 about nine
in ten are one person (the benchmark checks it band by band).

**How common a name is** (term frequency): agreeing on a name that one person in five carries says less than
agreeing on a rare one. The share of each name comes from the registry itself (:class:`NameFrequencies`, the key
table's counts); the weight of an agreeing name moves by log2(c / share), c being the chance that two people
picked at random share a name.

The m and u values are estimated (``ESTIMATED_M_U``); ``hifazat estimate_match_weights`` re-estimates them from the
registry (u on random pairs of its people, m by EM on its lookups' candidates) and the review queue's decisions
and stores them (``people.MatchWeights``); :class:`Weights` holds either set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property

from hifazat.matching.comparisons import (
    Member,
    Tokens,
    birth_level,
    context_level,
    household_members_level,
    informative_tokens,
    member_of,
    name_levels,
    parentage_kind,
    parentage_level,
    script_tokens,
    sex_level,
)
from hifazat.matching.engine import AGREES, DIFFERS, MISSING, NOT_COMPARED, PARTLY, Profile, logistic
from hifazat.matching.explanations import explain
from hifazat.matching.names import skeleton
from hifazat.matching.records import MatchRecord

# Names other parts import from here.
__all__ = [
    "AGREES",
    "DIFFERS",
    "MISSING",
    "PARTLY",
    "Member",
    "Tokens",
    "informative_tokens",
    "member_of",
    "script_tokens",
]

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"
# Probability cuts of the bands: "likely" is shown as a probable duplicate, "possible" asks for a look.
LIKELY_FROM = 0.80
POSSIBLE_FROM = 0.35

FIELDS = ("given_name", "family_name", "parentage", "birth", "gender", "context", "household_members")
# Levels of each comparison, best first ("missing" is not a level: it weighs nothing).
LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": ("exact", "variant", "consonants", "similar", "partial", "differs"),
    "family_name": ("exact", "variant", "consonants", "similar", "partial", "differs"),
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
        "same_phone",
        "same_household",
        "siblings",
        "same_origin",
        "different_origin",
        "same_site",
        "different_site",
    ),
    "household_members": ("agree", "one_agrees", "differ"),
}
# Levels whose weight term frequency adjusts (an agreeing name).
TF_LEVELS = {"exact", "variant"}
TF_FIELDS = ("given_name", "family_name", "parentage")
# The adjustment is bounded: a name seen once in a small registry is not proof.
TF_BOUNDS = (-4.0, 4.0)
# Bounds on estimated weights, in bits. Where someone lives, and being of one household, are soft evidence
# (people move, registrars write the place of origin differently, a registrar may enter one person twice in a
# household), whatever an estimate on one registry says; a different place of origin a little less soft (a
# family registered again gives the same district, or none).
SOFT = (-3.0, 3.0)
# A different sex is two people whatever else agrees (a brother and a sister of one family may share a name, an
# age and a father): it weighs a fixed 24 bits against, however rare a wrong sex is in the registry, so that the
# queue never proposes merging them. A sex recorded wrongly is corrected on the record, and the pair found then.
DIFFERENT_SEX = (-24.0, -24.0)
WEIGHT_BOUNDS = {
    ("context", level): SOFT for level in ("same_household", "same_origin", "same_site", "different_site")
} | {("context", "different_origin"): (-5.0, 3.0), ("gender", "differs"): DIFFERENT_SEX}
ANY_WEIGHT = (-14.0, 16.0)

REGISTRY = Profile(
    name="registry",
    fields=FIELDS,
    levels=LEVELS,
    # What each level says of the two values (the reason's outcome), whatever its weight in a registry.
    agreeing=frozenset(
        {
            "exact",
            "variant",
            "same_date",
            "estimate_same",
            "estimate_1",
            "agrees",
            "same_phone",
            "same_household",
            "same_origin",
            "same_site",
            "agree",
        }
    ),
    partly=frozenset(
        {"consonants", "similar", "partial", "near", "same_year", "estimate_range", "date_slip", "one_agrees"}
    ),
    likely_from=LIKELY_FROM,
    possible_from=POSSIBLE_FROM,
    bounds=WEIGHT_BOUNDS,
    any_weight=ANY_WEIGHT,
    # Siblings share their father's name, their family name and their household (whose other members a family
    # registered again brings along): when the pair is siblings, those agreements are explained.
    explains={("context", "siblings"): frozenset({"parentage", "family_name", "household_members"})},
)

# (m, u) per comparison and level (``python -m bench.bench_matching_quality estimate`` prints them), on labelled
# synthetic registries (``matching.synthetic``) of 20,000 people: m counted on every true pair of seed 1 (both
# registrations of one person), u on 200,000 pairs of seed 1 drawn at random (``estimate.u_from_random``); the
# calibration fitted (``estimate.fit_calibration``) on the pairs of positive weight among every candidate the key
# lookup returns for 5,000 people's registrations of seed 2, with that registry's name frequencies and households.
# The benchmark's seed 12 fits nothing: it is left for checking.
ESTIMATED_M_U: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        "exact": (0.7899, 0.01662),
        "variant": (0.2002, 0.003205),
        "consonants": (0.008772, 0.002039),
        "similar": (0.000381, 0.002219),
        "partial": (0.000381, 0.04231),
        "differs": (0.000381, 0.9336),
    },
    "family_name": {
        "exact": (0.8894, 0.0383),
        "variant": (0.1004, 0.004552),
        "consonants": (0.008665, 0.006368),
        "similar": (0.00051, 0.000971),
        "partial": (4.2e-06, 4.2e-06),
        "differs": (0.00051, 0.9498),
    },
    "parentage": {
        "exact": (0.8099, 0.002025),
        "variant": (0.173, 0.0003417),
        "consonants": (0.01354, 0.001205),
        "similar": (0.000502, 0.001255),
        "partial": (0.000502, 0.003795),
        "differs": (0.002508, 0.9914),
    },
    "birth": {
        "same_date": (0.2201, 1.38e-05),
        "date_slip": (0.0335, 0.0003947),
        "same_year": (0.000424, 0.003607),
        "near": (0.000424, 0.01509),
        "far": (0.000424, 0.2255),
        "estimate_same": (0.2489, 0.01325),
        "estimate_1": (0.2413, 0.02277),
        "estimate_range": (0.2455, 0.07267),
        "estimate_out": (0.000424, 0.03809),
        "estimate_far": (0.008906, 0.6086),
    },
    "gender": {
        "agrees": (0.9996, 0.5021),
        "differs": (0.000381, 0.4979),
    },
    "context": {
        "same_phone": (0.2151, 2.5e-06),
        "same_household": (7.5e-06, 7.5e-06),
        "siblings": (0.00571, 0.01032),
        "same_origin": (0.3795, 0.04945),
        "different_origin": (0.000381, 0.5406),
        "same_site": (0.000381, 0.01977),
        "different_site": (0.3986, 0.3798),
    },
    "household_members": {
        "agree": (0.7365, 0.0006704),
        "one_agrees": (0.2234, 0.03505),
        "differ": (0.04005, 0.9643),
    },
}
ESTIMATED_CALIBRATION = (0.5281, -11.0998)
# The chance that two people picked at random share a given name (the term-frequency reference).
ESTIMATED_COLLISION = 0.01762
ESTIMATED_ON = (
    "m: 1,310 true pairs of a generated registry of 20,000 people (seed 1); u: 200,000 random pairs of it; "
    "calibration: 272,263 candidate pairs of 5,000 people's lookups in seed 2, 301 of them one person"
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
        """The weight in bits of a level, within the registry profile's bounds."""
        return REGISTRY.weight(self.m_u, comparison, level)

    @cached_property
    def table(self) -> dict[str, dict[str, float]]:
        """Every level's weight, computed once (``Profile.table``)."""
        return REGISTRY.table(self.m_u)


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


# --- The score --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compared:
    found: dict[str, str]
    agreeing: dict[str, tuple[str, ...]]
    swapped: bool
    shared: str  # what the two share of household and phone, for the explanation
    members_found: int


def _compare(
    a: MatchRecord, b: MatchRecord, households: Mapping[int, tuple[Member, ...]] | None
) -> _Compared:
    given, given_tokens, family, family_tokens, swapped = name_levels(a, b)
    parentage, parent_tokens = parentage_level(a, b)
    birth = birth_level(a, b)
    context, shared = context_level(a, b, given, parentage, birth)
    members, members_found = household_members_level(a, b, households)
    found = {
        "given_name": given,
        "family_name": family,
        "parentage": parentage,
        "birth": birth,
        "gender": sex_level(a, b),
        "context": context,
        "household_members": members,
    }
    agreeing = {"given_name": given_tokens, "family_name": family_tokens, "parentage": parent_tokens}
    return _Compared(found, agreeing, swapped, shared, members_found)


def levels(
    a: MatchRecord, b: MatchRecord, households: Mapping[int, tuple[Member, ...]] | None = None
) -> tuple[dict[str, str], dict[str, tuple[str, ...]], bool]:
    """The level of every comparison (``FIELDS``), the agreeing name tokens of each name comparison (for the
    term frequency), and whether the names were written in the other order. ``households`` (household id →
    its members) allows the household comparison."""
    compared = _compare(a, b, households)
    return compared.found, compared.agreeing, compared.swapped


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
    adjustments = {
        name: tf_adjustment(agreeing.get(name, ()), frequencies, weights.collision)
        for name in TF_FIELDS
        if found.get(name) in TF_LEVELS
    }
    return REGISTRY.weigh(weights.table, found, adjustments)


def probability(bits: float, weights: Weights, people: int | None = None) -> float:
    """The calibrated probability of the summed weight ``bits`` in a registry of ``people`` (the calibration's
    size when not known)."""
    z = weights.slope * bits + weights.intercept
    if people is not None:
        z += math.log(CALIBRATION_PEOPLE / max(people, SMALLEST_REGISTRY))
    return logistic(z)


def band_of(value: float) -> str:
    return REGISTRY.band(value)


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
    compared = _compare(a, b, households)
    found = compared.found
    bits_of = level_weights(found, compared.agreeing, weights, frequencies)
    bits = sum(bits_of.values())
    value = probability(bits, weights, frequencies.total if frequencies is not None else None)
    values = _values(a, b, compared.swapped, compared.shared)
    values["household_members"] = (str(compared.members_found), "")
    details = {"parentage": parentage_kind(a, b), "given_name": "swapped" if compared.swapped else ""}
    reasons = []
    for name in FIELDS:
        level = found[name]
        detail = details.get(name, "")
        if name == "family_name" and level == MISSING and a.display_family and b.display_family:
            detail = "title"
        reason_values = values[name] if level not in NOT_COMPARED else ("", "")
        reasons.append(
            Reason(
                name,
                REGISTRY.outcome(name, level),
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
