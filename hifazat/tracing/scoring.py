"""How likely a registered child is the person a tracing request seeks: a calibrated probability and a
field-by-field explanation.

The model is Fellegi–Sunter, as in ``matching.scoring``, with its own comparisons and weights. Each comparison
falls into a level; each level has a weight log2(m/u), where m is how often the level occurs when the child is the
one sought and u how often among the other candidates the lookup returns. A field recorded on one side only is
not compared and weighs nothing (neutral). The weights add up to W, and a calibration turns W into the odds that
this child is the one sought, ``o = exp(SLOPE * W + INTERCEPT - ln(n))``, where ``n`` is how many candidates were
scored for the request (the eligible children its keys found, at most the shortlist): the prior odds of any one of
them are about one in ``n``, so a small registry is not scored as if it held the benchmark's ten thousand
children. At most one child is the one sought, so the probability shown is ``o / (1 + sum of the odds of all the
candidates scored)``: two namesakes with the same evidence share it rather than both showing 0.99, and among
candidates scored 0.9 about nine in ten are the child sought.

Names are compared on the matching part's canonical tokens and consonant skeletons (``matching.names``: spelling
variants, Urdu script against Latin letters, name order, Muhammad and titles set aside), with levels of its own:
a parent describing a lost child is not a registrar re-registering a person, and two short names can share a
skeleton (Sana and Shaheen). Ages are compared with tolerance for estimates; place of origin by the district and
province the areas lie in; the place and date of separation against where and when the child was registered.

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
from itertools import product

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from hifazat.core.text import in_reader_language
from hifazat.matching import MatchRecord
from hifazat.matching.names import match_tokens, skeleton
from hifazat.matching.records import UNINFORMATIVE
from hifazat.matching.scoring import Tokens, informative_tokens, script_tokens
from hifazat.tracing.explanations import explain

AGREES, PARTLY, DIFFERS, MISSING = "agrees", "partly", "differs", "missing"

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
        "exact": (0.606, 0.125),
        "variant": (0.354, 0.108),
        "consonants": (0.00683, 0.00772),
        "similar": (0.0205, 0.0128),
        "partial": (0.000297, 0.0316),
        "differs": (0.0122, 0.715),
    },
    "family_name": {
        "exact": (0.723, 0.303),
        "variant": (0.244, 0.173),
        "consonants": (0.00368, 0.0137),
        "similar": (0.011, 0.000147),
        "partial": (0.000526, 0.0175),
        "differs": (0.0174, 0.493),
    },
    "father_name": {
        "exact": (0.417, 0.00366),
        "variant": (0.22, 0.0023),
        "consonants": (0.0205, 0.000295),
        "similar": (0.0118, 0.000454),
        "partial": (0.304, 0.0142),
        "differs": (0.0267, 0.979),
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
        "estimate_far": (0.001, 0.001),
    },
    "sex": {"agrees": (0.994, 0.719), "differs": (0.00598, 0.281)},
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
    "separation_date": {"soon_after": (0.865, 0.486), "later": (0.102, 0.277), "before": (0.0324, 0.237)},
}
WEIGHTS: dict[str, dict[str, float]] = {
    comparison: {level: math.log2(m / u) for level, (m, u) in levels.items()}
    for comparison, levels in M_U.items()
}
# The calibration of the summed weights (bits) into odds (see the module's docstring), fitted as a choice among
# the candidates scored for each request or none of them.
SLOPE = 0.7293
# The prior odds of one candidate among n are about 1/n: a fixed term, -ln(n), not a fitted one.
BLOCK = -1.0
INTERCEPT = 1.9708
# What the numbers above were estimated on (``python -m bench.bench_tracing estimate``).
CALIBRATION = {
    "m_u": "synthetic tracing set, seed 1: 10,000 registered separated children, 2,000 requests (1,700 of a "
    "registered child); 420,477 shortlisted pairs scored, 1,683 of them the child sought",
    "slope_intercept": "maximum likelihood on seed 2 of the choice among each request's candidates or none, "
    "with -ln(n) as a fixed offset: 2,000 requests, 416,228 shortlisted pairs, 1,685 true",
    "ranking_on_seed_2": "the true child on the shortlist for 99.1% of requests; first for 83.4%, in the first "
    "five for 95.8%",
}

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"
# Probability cuts of the bands. "possible" and above go on the team's review list.
LIKELY_FROM = 0.8
POSSIBLE_FROM = 0.3
BAND_LABELS = {
    LIKELY: gettext_lazy("Likely match"),
    POSSIBLE: gettext_lazy("Possible match"),
    UNLIKELY: gettext_lazy("Unlikely"),
}

# Days between the separation and the child's arrival at the site where they are registered.
SOON_AFTER = range(-3, 46)


@dataclass(frozen=True)
class Area:
    pk: int
    parent: int | None
    level: int
    name: str
    name_ur: str = ""


class Areas:
    """The administrative areas as a tree, read once per ranking: origin and separation are compared by the
    district and province an area lies in."""

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
        return explain(self.field, self.level, self.label, self.sought, self.found)

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
    if probability >= LIKELY_FROM:
        return LIKELY
    if probability >= POSSIBLE_FROM:
        return POSSIBLE
    return UNLIKELY


def odds(weight: float, block: int) -> float:
    """The calibrated odds that a candidate with summed weight ``weight``, one of ``block`` scored, is the one
    sought (exponent capped: a weight beyond any seen in calibration adds nothing more)."""
    return math.exp(min(60.0, SLOPE * weight + BLOCK * math.log(max(block, 1)) + INTERCEPT))


def probability(weight: float, block: int, total_odds: float | None = None) -> float:
    """The probability that this candidate is the one sought, ``total_odds`` being the summed odds of all the
    candidates scored for the request (this one included); a candidate alone when not given."""
    own = odds(weight, block)
    return own / (1 + (own if total_odds is None else max(total_odds, own)))


# --- Names ----------------------------------------------------------------------------------------------------------
# Tokens are the matching part's canonical tokens (``matching.names``), each with the script it was written in.
# Two tokens compare at one of these levels: the same; the same consonant skeleton and either a close spelling or
# another script (Urdu writes no short vowels, so its skeleton is all it says); the same skeleton but spelt far
# apart (Sana and Shaheen share "sn"); a letter or two apart (a slip); or different.
EXACT, VARIANT, CONSONANTS, SIMILAR, NONE = 4, 3, 2, 1, 0
NAME_LEVELS = {EXACT: "exact", VARIANT: "variant", CONSONANTS: "consonants", SIMILAR: "similar"}
# From best to worst, to choose among the scripts a name is written in.
NAME_ORDER = ("exact", "variant", "consonants", "similar", "partial", "differs")


@lru_cache(maxsize=262144)
def _token_level(a: str, a_urdu: bool, b: str, b_urdu: bool) -> int:
    if a == b:
        return EXACT
    if skeleton(a) == skeleton(b):
        return VARIANT if a_urdu or b_urdu or fuzz.ratio(a, b) >= 70 else CONSONANTS
    if not (a_urdu or b_urdu) and fuzz.ratio(a, b) >= 80:
        return SIMILAR
    return NONE


@lru_cache(maxsize=262144)
def _name_level(a: Tokens, a_pool: Tokens, b: Tokens, b_pool: Tokens) -> str:
    """How names ``a`` and ``b`` compare, each token looked for in the other's whole name (``*_pool``), so that
    name order does not matter. "partial": one name is found whole in the other, which has more."""
    found_a = [max((_token_level(*t, *u) for u in b_pool), default=NONE) for t in a]
    found_b = [max((_token_level(*t, *u) for u in a_pool), default=NONE) for t in b]
    low = min(found_a + found_b)
    if low:
        return NAME_LEVELS[low]
    if min(found_a) >= VARIANT or min(found_b) >= VARIANT:
        return "partial"
    return "differs"


def _best(levels) -> str:
    return min(levels, key=NAME_ORDER.index, default=MISSING)


NameKey = tuple[str, str, str, str, str, str]


def _name_key(record: MatchRecord) -> NameKey:
    return (
        record.first_name,
        record.second_name,
        record.first_name_ur,
        record.second_name_ur,
        record.parentage_name,
        record.parentage_name_ur,
    )


@lru_cache(maxsize=65536)
def _variants(key: NameKey) -> tuple[list[tuple[Tokens, Tokens]], list[Tokens]]:
    """(given, family) tokens as written in Latin letters and as written in Urdu script, each completed from
    the other script where one part is missing; and the father's name in each script."""
    first, second, first_ur, second_ur, father, father_ur = key
    latin = (script_tokens(first or first_ur), script_tokens(second or second_ur))
    urdu = (script_tokens(first_ur or first), script_tokens(second_ur or second))
    fathers = [v for v in (script_tokens(father), script_tokens(father_ur)) if v]
    return ([latin] if latin == urdu else [latin, urdu]), fathers


@lru_cache(maxsize=262144)
def _names(a: NameKey, b: NameKey) -> tuple[str, str, str]:
    """Levels of the given name, the family name and the father's name, each the best over the scripts."""
    (a_names, a_fathers), (b_names, b_fathers) = _variants(a), _variants(b)
    given, family = [], []
    for (a_given, a_family), (b_given, b_family) in product(a_names, b_names):
        a_pool, b_pool = a_given + a_family, b_given + b_family
        if a_given and b_given:
            given.append(
                _name_level(informative_tokens(a_given), a_pool, informative_tokens(b_given), b_pool)
            )
        a_fam = tuple(t for t in a_family if t[0] not in UNINFORMATIVE)
        b_fam = tuple(t for t in b_family if t[0] not in UNINFORMATIVE)
        if a_fam and b_fam:
            family.append(_name_level(a_fam, a_pool, b_fam, b_pool))
    fathers = [
        _name_level(informative_tokens(x), x, informative_tokens(y), y)
        for x, y in product(a_fathers, b_fathers)
    ]
    return _best(given), _best(family), _best(fathers)


# --- The other comparisons ------------------------------------------------------------------------------------------


def _age(a: MatchRecord, b: MatchRecord) -> str:
    """Birth years with tolerance: a year either way for an age someone estimated is nearly as good as the same
    year, and up to three years is still within what guesses differ by."""
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


def _sex(a: MatchRecord, b: MatchRecord) -> str:
    if not a.sex or not b.sex:
        return MISSING
    return "agrees" if a.sex == b.sex else "differs"


@lru_cache(maxsize=4096)
def _village_agrees(a: str, b: str) -> bool | None:
    ka = "".join(skeleton(t) for t in match_tokens(a))
    kb = "".join(skeleton(t) for t in match_tokens(b))
    if not ka or not kb:
        return None
    return ka == kb


def _origin(sought: Sought, found: Found, areas: Areas) -> str:
    relation = areas.relation(sought.origin_area, found.origin_area)
    village = _village_agrees(sought.origin_village, found.origin_village)
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


def _separation_place(sought: Sought, found: Found, areas: Areas) -> str:
    relation = areas.relation(sought.separation_area, found.site_area)
    return _SEPARATION_PLACE.get(relation, relation)


def _separation_date(sought: Sought, found: Found) -> str:
    if sought.separation_date is None or found.arrived_on is None:
        return MISSING
    days = (found.arrived_on - sought.separation_date).days
    return "soon_after" if days in SOON_AFTER else ("later" if days > 0 else "before")


def levels(sought: Sought, found: Found, areas: Areas) -> tuple[str, ...]:
    """The level of every comparison, in ``FIELDS`` order."""
    a, b = sought.person, found.person
    return (
        *_names(_name_key(a), _name_key(b)),
        _age(a, b),
        _sex(a, b),
        _origin(sought, found, areas),
        _separation_place(sought, found, areas),
        _separation_date(sought, found),
    )


def weigh(sought: Sought, found: Found, areas: Areas) -> float:
    """The summed weight in bits (what ranking orders by; :func:`probability` makes it a probability)."""
    return sum(
        WEIGHTS[name][level]
        for name, level in zip(FIELDS, levels(sought, found, areas), strict=True)
        if level != MISSING
    )


# --- Scores with their explanation ----------------------------------------------------------------------------------

_PARTLY = {
    "partial",
    "consonants",
    "similar",
    "other_tehsil",
    "same_province",
    "estimate_window",
    "near",
    "later",
}


def _outcome(field_name: str, level: str) -> str:
    if level == MISSING:
        return MISSING
    if level in _PARTLY:
        return PARTLY
    return AGREES if WEIGHTS[field_name][level] > 0 else DIFFERS


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
    out = []
    for name, level in zip(FIELDS, levels(sought, found, areas), strict=True):
        weight = 0.0 if level == MISSING else WEIGHTS[name][level]
        shown = values[name] if level != MISSING else ("", "")
        out.append(Comparison(name, level, weight, _outcome(name, level), *shown))
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
