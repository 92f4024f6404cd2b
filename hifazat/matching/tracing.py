"""Family tracing: how likely a registered child is the person a tracing request seeks. A profile of the matching
engine (``matching.engine``), on its comparisons (``matching.comparisons``): the names (spelling variants, Urdu
script against Latin letters, name order, Muhammad and titles set aside), the father's name, ages guessed by a
parent and a registrar, sex, the place of origin by the district and province its area lies in and the village
by name, and the place and date of separation against where and when the child was registered. A parent
describing a lost child is not a registrar re-registering a person: the comparisons and their weights are the
profile's own.

Each comparison falls into a level; each level has a weight log2(m/u), where m is how often the level occurs when
the child is the one sought and u how often among the other candidates the lookup returns. A field recorded on one
side only is not compared and weighs nothing (neutral). The weights add up to W, and a calibration turns W into
the odds that this child is the one sought, ``o = exp(SLOPE * W + INTERCEPT - ln(n))``, where ``n`` is how many
candidates were scored for the request (the eligible children its keys found, at most the shortlist): the prior
odds of any one of them are about one in ``n``, so a small registry is not scored as if it held the benchmark's
ten thousand children. At most one child is the one sought, so the probability shown is
``o / (1 + sum of the odds of all the candidates scored)``: two namesakes with the same evidence share it rather
than both showing 0.99, and among candidates scored 0.9 about nine in ten are the child sought.

Ranking compares a request with a few hundred shortlisted children: :func:`weigh` gives the summed weight alone,
from cached name comparisons; :func:`score` adds the values and sentences shown for the few that are listed.

Where the numbers come from (``CALIBRATION``): m and u were counted, with add-one-half smoothing, on a labelled
synthetic tracing set (``bench/bench_tracing.py``, ``python -m bench.bench_tracing estimate``): registered
separated children and tracing requests written as parents write them (other spellings, Urdu script only, a
family name or father's name left out, ages guessed, places given at district level), every request's true child
known. The slope and intercept were fitted by logistic regression on a second synthetic set (another seed), and
the benchmark checks the calibration on a third. The weights are as good as that error model: re-estimate them
from the team's confirmed and rejected candidates once there are a few hundred.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.matching.comparisons import (
    Area,
    Areas,
    age_level,
    name_levels,
    origin_level,
    parentage_level,
    separation_date_level,
    separation_place_level,
    sex_level,
)
from hifazat.matching.engine import LIKELY, MISSING, NOT_COMPARED, POSSIBLE, UNLIKELY, Profile
from hifazat.matching.explanations import explain_tracing
from hifazat.matching.records import MatchRecord

__all__ = ["LIKELY", "POSSIBLE", "UNLIKELY", "Area", "Areas"]

# The comparisons, in the order the explanation lists them.
FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "age",
    "sex",
    "origin",
    "separation_place",
    "separation_date",
)
FIELD_LABELS = {
    "given_name": gettext_lazy("First name"),
    "family_name": gettext_lazy("Family name"),
    "father_name": gettext_lazy("Father's name"),
    "age": gettext_lazy("Age"),
    "sex": gettext_lazy("Sex"),
    "origin": gettext_lazy("Place of origin"),
    "separation_place": gettext_lazy("Place of separation"),
    "separation_date": gettext_lazy("Date of separation"),
}

# (m, u) per comparison and level, as estimated (see the module's docstring); a level seen fewer than 30 times in
# the estimation set (an estimated age more than the lookup's six-year window away) is neutral, m = u.
M_U: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        "exact": (0.606, 0.126),
        "variant": (0.334, 0.0796),
        "consonants": (0.027, 0.0394),
        "similar": (0.0205, 0.0132),
        "partial": (0.000297, 0.00854),
        "differs": (0.0122, 0.734),
    },
    "family_name": {
        "exact": (0.701, 0.306),
        "variant": (0.244, 0.13),
        "consonants": (0.0237, 0.0707),
        "similar": (0.01, 0.000921),
        "partial": (0.000265, 0.000265),
        "differs": (0.0206, 0.492),
    },
    "father_name": {
        "exact": (0.604, 0.00803),
        "variant": (0.305, 0.0043),
        "consonants": (0.0242, 0.00135),
        "similar": (0.00932, 0.00108),
        "partial": (0.0416, 0.00607),
        "differs": (0.0155, 0.979),
    },
    "age": {
        "same_date": (0.0323, 1.6e-05),
        "same_year": (0.0108, 0.00445),
        "near": (0.00521, 0.0153),
        "far": (0.000347, 0.019),
        "estimate_0": (0.328, 0.107),
        "estimate_1": (0.359, 0.203),
        "estimate_3": (0.226, 0.317),
        "estimate_window": (0.0385, 0.334),
        "estimate_far": (0.000174, 0.000174),
    },
    "sex": {
        "agrees": (0.994, 0.719),
        "differs": (0.00598, 0.281),
    },
    "origin": {
        "same_village": (0.32, 0.00888),
        "same_tehsil": (0.237, 0.0207),
        "within_district": (0.287, 0.0634),
        "other_tehsil": (0.0403, 0.0412),
        "same_province": (0.0375, 0.33),
        "different": (0.0788, 0.536),
    },
    "separation_place": {
        "same_district": (0.542, 0.135),
        "same_province": (0.281, 0.348),
        "different": (0.177, 0.516),
    },
    "separation_date": {
        "soon_after": (0.865, 0.486),
        "later": (0.102, 0.277),
        "before": (0.0324, 0.237),
    },
}
# The calibration of the summed weights (bits) into odds (see the module's docstring), fitted as a choice among
# the candidates scored for each request or none of them.
SLOPE = 0.7356
# The prior odds of one candidate among n are about 1/n: a fixed term, -ln(n), not a fitted one.
BLOCK = -1.0
INTERCEPT = 1.9069
# What the numbers above were estimated on (``python -m bench.bench_tracing estimate``).
CALIBRATION = {
    "m_u": "synthetic tracing set, seed 1: 10,000 registered separated children, 2,000 requests (1,700 of a "
    "registered child); 420,477 shortlisted pairs scored, 1,683 of them the child sought",
    "slope_intercept": "maximum likelihood on seed 2 of the choice among each request's candidates or none, "
    "with -ln(n) as a fixed offset: 2,000 requests, 416,228 shortlisted pairs, 1,685 true",
    "ranking_on_seed_2": "the true child on the shortlist for 99.1% of requests; first for 83.8%, in the first "
    "five for 95.9%",
}

# Probability cuts of the bands. "possible" and above go on the team's review list.
LIKELY_FROM = 0.8
POSSIBLE_FROM = 0.3
BAND_LABELS = {
    LIKELY: gettext_lazy("Likely match"),
    POSSIBLE: gettext_lazy("Possible match"),
    UNLIKELY: gettext_lazy("Unlikely"),
}


TRACING = Profile(
    name="tracing",
    fields=FIELDS,
    levels={name: tuple(levels) for name, levels in M_U.items()},
    # What each level says of the two values (the comparison's outcome), whatever its weight.
    agreeing=frozenset(
        {
            "exact",
            "variant",
            "same_date",
            "estimate_0",
            "estimate_1",
            "estimate_3",
            "agrees",
            "same_village",
            "same_tehsil",
            "within_district",
            "same_district",
            "soon_after",
        }
    ),
    partly=frozenset(
        {
            "partial",
            "consonants",
            "similar",
            "other_tehsil",
            "same_province",
            "estimate_window",
            "near",
            "same_year",
            "later",
        }
    ),
    likely_from=LIKELY_FROM,
    possible_from=POSSIBLE_FROM,
)
# The weight in bits of every level, computed once.
WEIGHTS = TRACING.table(M_U)


@dataclass(frozen=True)
class Sought:
    """The request's side: the sought person as the inquirer describes them, and the separation."""

    person: MatchRecord
    origin_area: int | None = None
    origin_village: str = ""
    separation_area: int | None = None
    separation_date: datetime.date | None = None


@dataclass(frozen=True)
class Found:
    """The registered child's side: their record, their household's place of origin, and where and when they
    arrived at the site where they are registered."""

    person: MatchRecord
    origin_area: int | None = None
    origin_village: str = ""
    site_area: int | None = None
    arrived_on: datetime.date | None = None


@dataclass(frozen=True)
class Comparison:
    """One field compared: its level, the weight in bits, and the two values for the explanation."""

    field: str
    level: str
    weight: float
    outcome: str
    sought: str = ""
    found: str = ""

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])

    @property
    def text(self) -> str:
        """The sentence for the reviewer, in the user's language."""
        return explain_tracing(self.field, self.level, self.label, self.sought, self.found)

    def as_json(self) -> dict:
        return {
            "field": self.field,
            "level": self.level,
            "outcome": self.outcome,
            "weight": round(self.weight, 2),
            "sought": self.sought,
            "found": self.found,
            "explanation": self.text,
        }


@dataclass(frozen=True)
class TracingMatch:
    """The result of :func:`score`: a calibrated probability, its band and the comparisons in field order."""

    probability: float
    weight: float
    comparisons: tuple[Comparison, ...] = field(default_factory=tuple)

    @cached_property
    def band(self) -> str:
        return band_of(self.probability)

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band])

    @property
    def levels(self) -> dict[str, str]:
        return {c.field: c.level for c in self.comparisons}


def band_of(probability: float) -> str:
    return TRACING.band(probability)


def odds(weight: float, block: int) -> float:
    """The calibrated odds that a candidate with summed weight ``weight``, one of ``block`` scored, is the one
    sought (exponent capped: a weight beyond any seen in calibration adds nothing more)."""
    return math.exp(min(60.0, SLOPE * weight + BLOCK * math.log(max(block, 1)) + INTERCEPT))


def probability(weight: float, block: int, total_odds: float | None = None) -> float:
    """The probability that this candidate is the one sought, ``total_odds`` being the summed odds of all the
    candidates scored for the request (this one included); a candidate alone when not given."""
    own = odds(weight, block)
    return own / (1 + (own if total_odds is None else max(total_odds, own)))


NameKey = tuple[str, str, str, str, str, str, str]


def _name_key(record: MatchRecord) -> NameKey:
    return (
        record.first_name,
        record.second_name,
        record.first_name_ur,
        record.second_name_ur,
        record.parentage_word,
        record.parentage_name,
        record.parentage_name_ur,
    )


@lru_cache(maxsize=262144)
def _names(a: NameKey, b: NameKey) -> tuple[str, str, str]:
    """Levels of the given name, the family name and the father's name (``matching.comparisons``), cached by
    the names alone: ranking compares one request with a few hundred children, and the same names meet again."""
    fields = (
        "first_name",
        "second_name",
        "first_name_ur",
        "second_name_ur",
        "parentage_word",
        "parentage_name",
        "parentage_name_ur",
    )
    x, y = MatchRecord(**dict(zip(fields, a, strict=True))), MatchRecord(**dict(zip(fields, b, strict=True)))
    given, _, family, _, _ = name_levels(x, y)
    father, _ = parentage_level(x, y)
    return given, family, MISSING if father == "not_comparable" else father


def levels(sought: Sought, found: Found, areas: Areas) -> tuple[str, ...]:
    """The level of every comparison, in ``FIELDS`` order."""
    a, b = sought.person, found.person
    return (
        *_names(_name_key(a), _name_key(b)),
        age_level(a, b),
        sex_level(a, b),
        origin_level(
            areas, sought.origin_area, sought.origin_village, found.origin_area, found.origin_village
        ),
        separation_place_level(areas, sought.separation_area, found.site_area),
        separation_date_level(sought.separation_date, found.arrived_on),
    )


def weigh(sought: Sought, found: Found, areas: Areas) -> float:
    """The summed weight in bits (what ranking orders by; :func:`probability` makes it a probability)."""
    return sum(
        WEIGHTS[name][level]
        for name, level in zip(FIELDS, levels(sought, found, areas), strict=True)
        if level not in NOT_COMPARED
    )


# --- Scores with their explanation ----------------------------------------------------------------------------------


def _born(record: MatchRecord) -> str:
    if record.birth_year is None:
        return ""
    if record.birthdate is not None and not record.birthdate_is_estimate:
        return record.birthdate.isoformat()
    return f"~{record.birth_year}"


def _place(village: str, area: int | None, areas: Areas) -> str:
    return ", ".join(p for p in (village, areas.name(area)) if p)


def _values(sought: Sought, found: Found, areas: Areas) -> dict[str, tuple[str, str]]:
    """The two values each comparison shows (the request's, then the child's)."""
    a, b = sought.person, found.person
    sexes = {"female": str(_("female")), "male": str(_("male")), "": ""}
    return {
        "given_name": (a.first_name or a.first_name_ur, b.first_name or b.first_name_ur),
        "family_name": (a.second_name or a.second_name_ur, b.second_name or b.second_name_ur),
        "father_name": (a.display_parentage, b.display_parentage),
        "age": (_born(a), _born(b)),
        "sex": (sexes[a.sex], sexes[b.sex]),
        "origin": (
            _place(sought.origin_village, sought.origin_area, areas),
            _place(found.origin_village, found.origin_area, areas),
        ),
        "separation_place": (areas.name(sought.separation_area), areas.name(found.site_area)),
        "separation_date": (
            sought.separation_date.isoformat() if sought.separation_date else "",
            found.arrived_on.isoformat() if found.arrived_on else "",
        ),
    }


def compare(sought: Sought, found: Found, areas: Areas) -> list[Comparison]:
    """Every comparison of the request's sought person with a registered child, in field order, with the values
    compared."""
    values = _values(sought, found, areas)
    found_levels = dict(zip(FIELDS, levels(sought, found, areas), strict=True))
    weights = TRACING.weigh(WEIGHTS, found_levels)
    out = []
    for name, level in found_levels.items():
        shown = values[name] if level != MISSING else ("", "")
        out.append(Comparison(name, level, weights[name], TRACING.outcome(name, level), *shown))
    return out


def score(
    sought: Sought, found: Found, areas: Areas, *, block: int, total_odds: float | None = None
) -> TracingMatch:
    """How likely ``found`` is the person ``sought``, one of ``block`` candidates scored whose odds add up to
    ``total_odds`` (:func:`probability`): the calibrated probability and the comparisons."""
    comparisons = compare(sought, found, areas)
    weight = sum(c.weight for c in comparisons)
    return TracingMatch(
        round(probability(weight, block, total_odds), 3), round(weight, 2), tuple(comparisons)
    )
