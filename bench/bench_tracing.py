"""Family tracing benchmark, and the labelled synthetic set the tracing score is estimated and calibrated on.

The set: registered separated children as registrars write them, and tracing requests as parents and relatives
describe the child they lost, with every request's true child known (or none: about one request in seven seeks
a child who is not registered). The error model (``Writer``): other spellings of a name (``SPELLINGS`` and
vowel changes), a name in Urdu script only, a typo now and then, a family name or father's name left out (a small
child often cannot say their father's name), ages guessed by the parent and by the registrar (both marked as estimates), places of origin given at district rather
than tehsil level, a separated child living with a host family from elsewhere, and children found far from where
they were lost.

``run()`` (``python -m bench tracing``) writes 10,000 registered separated children (each family-tracing
consent in force), 500 more whose caregiver declined tracing, and 20,000 other people with the same names
(children with their parents, adults), then 2,000 requests, and measures, through the selectors the pages use:

1. recall at 1 and at 5 over the requests whose child is registered, and the p95 time to rank one request's
   candidates (target: recall at 5 >= 0.95, p95 < 100 ms); the same for the other way (a child's requests);
2. that no child without tracing consent is ever a candidate;
3. the calibration: for each band of the score, how many candidates were shown, the mean predicted
   probability and the share that were the true child.

Baselines in the same run: an indexed exact lookup of 25 children by ``name_key`` (time), and the registry's
phonetic name search, nearest birth year first (recall: what looking the name up would find).

``python -m bench.bench_tracing estimate`` re-estimates the m/u weights (seed 1) and the calibration (seed 2)
in memory and prints them, for ``hifazat/tracing/scoring.py``. The benchmark's own set uses seed 2005.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import cycle

from bench.timing import measure, report
from hifazat.demo.names import FAMILY, FEMALE, MALE, VILLAGES

CHILDREN = 10_000
DECLINED = 500
OTHERS = 20_000
REQUESTS = 2_000
UNREGISTERED_SHARE = 0.15
SEED = 2005
QUAKE = datetime.date(2005, 10, 8)

KHAN = ("Khan", "خان")
MUHAMMAD = ("Muhammad", "محمد")
# How other people write the same name (each keeps the consonant skeleton, as spelling variants do).
SPELLINGS = {
    "Muhammad": ["Mohd", "Mohammad", "Muhammed", "Mohammed"],
    "Nasreen": ["Nasrin"],
    "Rashid": ["Rasheed"],
    "Fatima": ["Fatma", "Fatimah"],
    "Ayesha": ["Aisha", "Aysha"],
    "Zainab": ["Zenab", "Zaynab"],
    "Hussain": ["Husain", "Hussein"],
    "Naseem": ["Nasim"],
    "Khadija": ["Khadijah", "Khadeeja"],
    "Shahid": ["Shaheed"],
    "Saleem": ["Salim"],
    "Yousaf": ["Yusuf", "Yousuf"],
    "Waseem": ["Wasim"],
    "Mehmood": ["Mahmood", "Mehmud"],
    "Rehman": ["Rahman"],
    "Tariq": ["Tarik"],
    "Ahmad": ["Ahmed"],
    "Javed": ["Javaid", "Jawed"],
    "Naveed": ["Navid", "Naved"],
    "Zubair": ["Zubayr", "Zobair"],
    "Usman": ["Osman", "Usmaan"],
    "Umar": ["Omar"],
    "Yasir": ["Yaser"],
    "Parveen": ["Parvin", "Perveen"],
    "Razia": ["Raziya"],
    "Yasmin": ["Yasmeen"],
    "Kulsoom": ["Kulsum", "Kalsoom"],
    "Sakina": ["Sakeena"],
    "Amina": ["Aamina", "Ameena"],
    "Maryam": ["Mariam"],
    "Shakeel": ["Shakil"],
    "Shafiq": ["Shafique"],
    "Rafiq": ["Rafique"],
    "Ishaq": ["Ishaque"],
    "Chaudhry": ["Chaudhary", "Choudhry"],
    "Qureshi": ["Qurashi", "Kureshi"],
    "Tanoli": ["Tanooli"],
    "Gujjar": ["Gujar"],
    "Jadoon": ["Jadun"],
    "Yousafzai": ["Yusufzai"],
    "Siddiqui": ["Siddiqi"],
    "Awan": ["Awaan"],
}
CONSONANTS = "bdfgjklmnprstz"

# (P-code, name, level, parent) of the synthetic geography: the quake districts and where children were taken.
AREAS = [
    ("SK", "Country", 0, None),
    ("SK2", "Frontier", 1, "SK"),
    ("SK5", "Kashmir", 1, "SK"),
    ("SK6", "Punjab", 1, "SK"),
    ("SK7", "Capital", 1, "SK"),
    ("SK201", "Mansehra", 2, "SK2"),
    ("SK202", "Battagram", 2, "SK2"),
    ("SK203", "Abbottabad", 2, "SK2"),
    ("SK204", "Shangla", 2, "SK2"),
    ("SK501", "Muzaffarabad", 2, "SK5"),
    ("SK502", "Bagh", 2, "SK5"),
    ("SK503", "Poonch", 2, "SK5"),
    ("SK601", "Rawalpindi", 2, "SK6"),
    ("SK701", "Islamabad", 2, "SK7"),
]
QUAKE_DISTRICTS = ["SK201", "SK202", "SK203", "SK204", "SK501", "SK502", "SK503"]
for _district in QUAKE_DISTRICTS:
    AREAS += [(f"{_district}{t}", f"Tehsil {_district}-{t}", 3, _district) for t in ("1", "2", "3")]
# Sites by district: more where the quake hit hardest, and the big camps in the capital.
SITE_DISTRICTS = ["SK201"] * 3 + ["SK202"] * 2 + ["SK203"] * 2 + ["SK501"] * 3 + ["SK502"] * 2
SITE_DISTRICTS += ["SK503", "SK204", "SK601", "SK701", "SK701"]


def district_of(pcode: str) -> str:
    return pcode[:5]


def province_of(pcode: str) -> str:
    return pcode[:3]


@dataclass
class Truth:
    """A child as they are: what both the registry and the parent describe, each with their own errors."""

    male: bool
    given: tuple[str, str]
    family: tuple[str, str]
    father: tuple[str, str]
    born: datetime.date
    origin: str  # tehsil P-code
    village: str
    separated_on: datetime.date
    separated_in: str  # tehsil P-code
    site: int  # index into SITE_DISTRICTS
    arrived_on: datetime.date


@dataclass
class Registered:
    """A registered child: the person's fields and their household's."""

    truth: Truth
    fields: dict
    origin: str | None
    village: str
    site: int
    arrived_on: datetime.date
    child_status: str
    consent: str = "given"
    pk: int | None = None


@dataclass
class Request:
    """A tracing request: its fields, and the index of the true child among the registered (or None)."""

    fields: dict
    origin: str | None
    separation_area: str | None
    truth_index: int | None
    pk: int | None = None
    extra: dict = field(default_factory=dict)


def male_name(rng: random.Random) -> tuple[str, str]:
    latin, urdu = rng.choice(MALE)
    if latin != "Muhammad" and rng.random() < 0.25:
        return f"Muhammad {latin}", f"محمد {urdu}"
    return latin, urdu


class Writer:
    """How one person writes a name they heard: another spelling, Urdu script only, a typo."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def respell_word(self, word: str) -> str:
        rng = self.rng
        if word in SPELLINGS and rng.random() < 0.8:
            return rng.choice(SPELLINGS[word])
        rules = [("ee", "i"), ("i", "ee"), ("oo", "u"), ("u", "oo"), ("a", "aa"), ("aa", "a")]
        rng.shuffle(rules)
        for old, new in rules:
            if old in word[1:]:
                at = word.index(old, 1)
                return word[:at] + new + word[at + len(old) :]
        return word

    def typo(self, word: str) -> str:
        inner = [i for i, ch in enumerate(word) if i > 0 and ch.lower() in CONSONANTS]
        if not inner:
            return word
        at = self.rng.choice(inner)
        return word[:at] + self.rng.choice(CONSONANTS.replace(word[at].lower(), "")) + word[at + 1 :]

    def latin(self, latin: str, *, variant: float, typo: float) -> str:
        words = latin.split()
        if self.rng.random() < variant:
            words = [self.respell_word(w) for w in words]
        if self.rng.random() < typo:
            at = self.rng.randrange(len(words))
            words[at] = self.typo(words[at])
        return " ".join(words)

    def name(
        self, name: tuple[str, str], *, variant: float, typo: float, urdu_only: float, urdu_also: float
    ) -> tuple[str, str]:
        """(Latin, Urdu) as written: at least one of the two."""
        roll = self.rng.random()
        if roll < urdu_only:
            return "", name[1]
        latin = self.latin(name[0], variant=variant, typo=typo)
        return latin, name[1] if self.rng.random() < urdu_also else ""


def estimate_year(rng: random.Random, year: int, spread: list[float]) -> int:
    """A guessed birth year: off by k years with probability ``spread[k]`` (either way)."""
    roll, k = rng.random(), 0
    for k, share in enumerate(spread):  # noqa: B007
        if roll < share:
            break
        roll -= share
    return year + (k if rng.random() < 0.5 else -k)


class World:
    """The synthetic tracing set for one seed."""

    def __init__(self, seed: int, *, children: int = CHILDREN, requests: int = REQUESTS) -> None:
        self.rng = random.Random(seed)
        self.writer = Writer(self.rng)
        self.registered = [self.register(self.truth()) for _ in range(children)]
        matched = self.rng.sample(range(children), int(requests * (1 - UNREGISTERED_SHARE)))
        self.requests = [self.request(self.registered[i].truth, i) for i in matched]
        self.requests += [self.request(self.truth(), None) for _ in range(requests - len(matched))]
        self.rng.shuffle(self.requests)

    def tehsil(self, district: str) -> str:
        return f"{district}{self.rng.choice('123')}" if district in QUAKE_DISTRICTS else district

    def truth(self) -> Truth:
        rng = self.rng
        male = rng.random() < 0.5
        family = KHAN if rng.random() < 0.15 else rng.choice(FAMILY)
        origin = self.tehsil(rng.choice(QUAKE_DISTRICTS))
        separated_in = origin if rng.random() < 0.75 else self.tehsil(rng.choice(QUAKE_DISTRICTS))
        roll = rng.random()
        if roll < 0.45:
            sites = [i for i, d in enumerate(SITE_DISTRICTS) if d == district_of(separated_in)]
        elif roll < 0.7:
            sites = [i for i, d in enumerate(SITE_DISTRICTS) if province_of(d) == province_of(separated_in)]
        else:
            sites = list(range(len(SITE_DISTRICTS)))
        separated_on = (
            QUAKE if rng.random() < 0.65 else QUAKE + datetime.timedelta(days=rng.randrange(1, 175))
        )
        roll = rng.random()
        if roll < 0.8:
            arrived = separated_on + datetime.timedelta(days=rng.randrange(0, 41))
        elif roll < 0.9:
            arrived = separated_on - datetime.timedelta(days=rng.randrange(4, 90))
        else:
            arrived = separated_on + datetime.timedelta(days=rng.randrange(46, 150))
        return Truth(
            male=male,
            given=male_name(rng) if male else rng.choice(FEMALE),
            family=family,
            father=male_name(rng) if rng.random() < 0.6 else (rng.choice(MALE)[0] + " " + family[0], ""),
            born=datetime.date(rng.randint(1988, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            origin=origin,
            village=rng.choice(VILLAGES),
            separated_on=separated_on,
            separated_in=separated_in,
            site=rng.choice(sites or range(len(SITE_DISTRICTS))),
            arrived_on=max(arrived, datetime.date(2005, 10, 9)),
        )

    def misdated(self, born: datetime.date, share: float) -> datetime.date:
        """A date of birth as written: now and then another day, or the year before or after."""
        if self.rng.random() >= share:
            return born
        if self.rng.random() < 0.6:
            return born.replace(day=self.rng.randint(1, 28))
        return born.replace(year=born.year + self.rng.choice([-1, 1]))

    def father_as_said(self, truth: Truth) -> tuple[str, str]:
        """The father's name as one person says it: now and then without the family name, or with it added."""
        latin, urdu = truth.father
        roll = self.rng.random()
        if roll < 0.2 and " " in latin and not latin.startswith("Muhammad"):
            return latin.split()[0], ""
        if roll < 0.3 and " " not in latin:
            return f"{latin} {truth.family[0]}", ""
        return latin, urdu

    def register(self, truth: Truth) -> Registered:
        """The child as a registrar records them (often from what the child or a host family can say)."""
        rng, write = self.rng, self.writer
        given = write.name(truth.given, variant=0.15, typo=0.02, urdu_only=0.1, urdu_also=0.5)
        family = write.name(truth.family, variant=0.15, typo=0.02, urdu_only=0.0, urdu_also=0.5)
        if rng.random() < 0.15:
            family = ("", "")  # the child did not know or say it
        if given[0]:
            names = {"first_name": given[0], "first_name_ur": given[1]}
            names |= {"second_name": family[0], "second_name_ur": family[1]}
        else:  # Urdu script only, in the main fields, as a registrar without a Latin keyboard writes it
            names = {"first_name": given[1], "second_name": family[1]}
        male = truth.male if rng.random() > 0.005 else not truth.male  # a slip on the form
        fields = {**names, "gender": "Masculine" if male else "Feminine"}
        # Parentage is how registers here name a person; a child of six or more can usually say it, a small
        # child often cannot.
        knows_father = 0.75 if QUAKE.year - truth.born.year >= 6 else 0.35
        if rng.random() < knows_father and truth.father[0]:
            fields["parentage_word"] = "son_of" if truth.male else "daughter_of"
            father = self.father_as_said(truth)
            fields["parentage_name"] = write.latin(father[0], variant=0.15, typo=0.02)
            fields["parentage_name_ur"] = father[1] if rng.random() < 0.4 else ""
        if rng.random() < 0.35:
            fields["birthdate"], fields["birthdate_is_estimate"] = self.misdated(truth.born, 0.15), False
        else:
            year = estimate_year(rng, truth.born.year, [0.5, 0.35, 0.1, 0.05])
            fields["birthdate"], fields["birthdate_is_estimate"] = datetime.date(year, 7, 1), True
        roll = rng.random()
        if roll < 0.6:
            origin = truth.origin
        elif roll < 0.7:
            origin = self.tehsil(district_of(truth.origin))  # the tehsil of the nearest town
        elif roll < 0.8:
            origin = district_of(truth.origin)
        elif roll < 0.9:
            origin = self.tehsil(rng.choice(QUAKE_DISTRICTS))  # the host family's origin
        else:
            origin = None
        roll = rng.random()
        village = truth.village if roll < 0.5 else (rng.choice(VILLAGES) if roll < 0.6 else "")
        status = rng.choices(["separated", "unaccompanied", "orphaned"], [0.6, 0.25, 0.15])[0]
        return Registered(truth, fields, origin, village, truth.site, truth.arrived_on, status)

    def request(self, truth: Truth, index: int | None) -> Request:
        """The child as a parent or relative describes them."""
        rng, write = self.rng, self.writer
        given = write.name(truth.given, variant=0.35, typo=0.04, urdu_only=0.2, urdu_also=0.3)
        fields = {"first_name": given[0], "first_name_ur": given[1]}
        if rng.random() < 0.7:
            family = write.name(truth.family, variant=0.3, typo=0.03, urdu_only=0.0, urdu_also=0.3)
            fields["second_name"], fields["second_name_ur"] = family if given[0] else ("", truth.family[1])
        if rng.random() < 0.85:
            father = write.name(
                self.father_as_said(truth), variant=0.3, typo=0.03, urdu_only=0.15, urdu_also=0.3
            )
            if father[0] or father[1]:
                fields["parentage_name"], fields["parentage_name_ur"] = father
        if rng.random() < 0.95:
            fields["gender"] = "Masculine" if truth.male else "Feminine"
        roll = rng.random()
        if roll < 0.1:
            fields["birthdate"], fields["birthdate_is_estimate"] = self.misdated(truth.born, 0.2), False
        elif roll < 0.85:
            year = estimate_year(rng, truth.born.year, [0.45, 0.35, 0.15, 0.03, 0.02])
            fields["birthdate"], fields["birthdate_is_estimate"] = datetime.date(year, 7, 1), True
        if rng.random() < 0.6:
            fields["origin_village"] = truth.village
        origin = None
        if rng.random() < 0.85:
            origin = truth.origin if rng.random() < 0.55 else district_of(truth.origin)
        separation_area = None
        if rng.random() < 0.75:
            separation_area = truth.separated_in if rng.random() < 0.4 else district_of(truth.separated_in)
        if rng.random() < 0.8:
            days = 0 if truth.separated_on == QUAKE else rng.randint(-3, 3)
            fields["separation_date"] = truth.separated_on + datetime.timedelta(days=days)
        return Request(fields, origin, separation_area, index)


# --- In memory: the records the scoring compares, the key lookup, the estimation ------------------------------------


def area_tree(pks: dict[str, int]):
    from hifazat.tracing.scoring import Area, Areas

    return Areas(
        [Area(pks[p], pks.get(parent) if parent else None, level, name) for p, name, level, parent in AREAS]
    )


def child_record(child: Registered):
    from hifazat.matching import MatchRecord

    f = child.fields
    return MatchRecord(
        first_name=f["first_name"],
        second_name=f.get("second_name", ""),
        first_name_ur=f.get("first_name_ur", ""),
        second_name_ur=f.get("second_name_ur", ""),
        parentage_word=f.get("parentage_word", ""),
        parentage_name=f.get("parentage_name", ""),
        parentage_name_ur=f.get("parentage_name_ur", ""),
        gender=f["gender"],
        birthdate=f["birthdate"],
        birthdate_is_estimate=f["birthdate_is_estimate"],
    )


def found(child: Registered, pks: dict[str, int]):
    from hifazat.tracing.scoring import Found

    return Found(
        person=child_record(child),
        origin_area=pks[child.origin] if child.origin else None,
        origin_village=child.village,
        site_area=pks[SITE_DISTRICTS[child.site]],
        arrived_on=child.arrived_on,
    )


def request_record(request: Request):
    from hifazat.matching import MatchRecord

    f = request.fields
    gender = f.get("gender", "")
    estimated = f.get("birthdate_is_estimate", False)
    return MatchRecord(
        first_name=f.get("first_name", ""),
        second_name=f.get("second_name", ""),
        first_name_ur=f.get("first_name_ur", ""),
        second_name_ur=f.get("second_name_ur", ""),
        parentage_word={"Masculine": "son_of", "Feminine": "daughter_of"}.get(gender, ""),
        parentage_name=f.get("parentage_name", ""),
        parentage_name_ur=f.get("parentage_name_ur", ""),
        gender=gender,
        birth_year=f["birthdate"].year if f.get("birthdate") else None,
        birthdate=None if estimated else f.get("birthdate"),
        birthdate_is_estimate=estimated,
    )


def sought(request: Request, pks: dict[str, int]):
    from hifazat.tracing.scoring import Sought

    return Sought(
        person=request_record(request),
        origin_area=pks[request.origin] if request.origin else None,
        origin_village=request.fields.get("origin_village", ""),
        separation_area=pks[request.separation_area] if request.separation_area else None,
        separation_date=request.fields.get("separation_date"),
    )


def shortlist(index, record) -> tuple[list[int], int]:
    """``tracing.selectors._shortlist`` in memory: the children sharing the most weighted keys with the record
    (``tracing_keys``), then of the same sex, then nearest in birth year; and how many the keys found (the
    score's ``block``)."""
    from hifazat.matching import YEAR_WINDOW
    from hifazat.tracing.selectors import KEY_WEIGHTS, SHORTLIST, tracing_keys

    shared: Counter = Counter()
    gap: dict[int, int] = {}
    same_sex: dict[int, int] = {}
    year = record.birth_year
    for key in tracing_keys(record):
        weight = KEY_WEIGHTS[key.split(":", 1)[0]]
        for i, child_year, gender in index.get(key, ()):
            if year is not None and child_year is not None and abs(child_year - year) > YEAR_WINDOW:
                continue
            shared[i] += weight
            distance = (
                YEAR_WINDOW if child_year is None else abs(child_year - year) if year is not None else 0
            )
            gap[i] = min(gap.get(i, distance), distance)
            same_sex[i] = int(bool(record.gender) and gender == record.gender)
    return sorted(shared, key=lambda i: (-shared[i], -same_sex[i], gap[i], -i))[:SHORTLIST], len(shared)


def labelled_pairs(world: World):
    """Every (request, child) pair the ranking scores, as ``tracing.selectors.rank_children`` finds them, with
    the levels of each comparison and whether the child is the one sought; and the share of requests whose
    registered child was on the shortlist."""
    from hifazat.matching import blocking_keys
    from hifazat.tracing.scoring import compare

    pks = {p: i + 1 for i, (p, *_rest) in enumerate(AREAS)}
    areas = area_tree(pks)
    index: dict[str, list[tuple[int, int | None, str]]] = defaultdict(list)
    for i, child in enumerate(world.registered):
        record = child_record(child)
        for key in blocking_keys(record):
            index[key].append((i, record.birth_year, record.gender))
    pairs, listed = [], 0
    for number, request in enumerate(world.requests):
        record = request_record(request)
        candidates, block = shortlist(index, record)
        listed += request.truth_index in candidates
        s = sought(request, pks)
        for i in candidates:
            comparisons = compare(s, found(world.registered[i], pks), areas)
            pairs.append((number, {c.field: c.level for c in comparisons}, i == request.truth_index, block))
    findable = sum(r.truth_index is not None for r in world.requests)
    return pairs, listed / findable


def estimate_m_u(pairs) -> dict[str, dict[str, tuple[float, float]]]:
    """m and u counted on the labelled pairs by the matching engine's estimator (``matching.estimate.count``,
    smoothed; a level seen fewer than ``MIN_SEEN`` times is neutral), for the family-tracing profile's levels."""
    from hifazat.matching.estimate import count
    from hifazat.matching.tracing import TRACING

    m_u = count(
        ((levels, float(is_true)) for _number, levels, is_true, _block in pairs), dict(TRACING.levels)
    )
    return {
        comparison: {level: (float(f"{m:.3g}"), float(f"{u:.3g}")) for level, (m, u) in levels.items()}
        for comparison, levels in m_u.items()
    }


def summed_weight(found_levels: dict[str, str], weights) -> float:
    return sum(weights[c].get(level, 0.0) for c, level in found_levels.items() if level != "missing")


def _choice_terms(coef, requests):
    """Log-likelihood, gradient and Hessian of the choice model: for each request, the true child among the
    candidates scored, or none, with odds exp(a W + b - ln n) against 1 for none."""
    a, b = coef
    total, ga, gb, haa, hab, hbb = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    for weights, true, n in requests:
        offset = b - math.log(max(n, 1))
        exps = [math.exp(min(60.0, a * w + offset)) for w in weights]
        norm = 1 + sum(exps)
        q = [e / norm for e in exps]
        qw = sum(qi * w for qi, w in zip(q, weights, strict=True))
        qs = sum(q)
        total -= math.log(norm)
        if true is not None:
            total += a * weights[true] + offset
            ga += weights[true]
            gb += 1
        ga -= qw
        gb -= qs
        haa -= sum(qi * w * w for qi, w in zip(q, weights, strict=True)) - qw * qw
        hab -= qw - qs * qw
        hbb -= qs - qs * qs
    return total, (ga, gb), ((haa, hab), (hab, hbb))


def fit_choice(requests) -> tuple[float, float]:
    """Slope and intercept of the choice model (``_choice_terms``) by Newton's method with step halving."""
    coef = (0.7, 0.0)
    best, gradient, hessian = _choice_terms(coef, requests)
    for _ in range(50):
        (haa, hab), (_, hbb) = hessian
        det = haa * hbb - hab * hab  # Newton: step = -H^-1 g, for the two coefficients
        step = [
            -(hbb * gradient[0] - hab * gradient[1]) / det,
            -(haa * gradient[1] - hab * gradient[0]) / det,
        ]
        for _halving in range(30):
            trial = (coef[0] + step[0], coef[1] + step[1])
            likelihood, trial_gradient, trial_hessian = _choice_terms(trial, requests)
            if likelihood >= best:
                break
            step = [d / 2 for d in step]
        gain = likelihood - best
        coef, best, gradient, hessian = trial, likelihood, trial_gradient, trial_hessian
        if abs(gain) < 1e-7:
            break
    return coef


def estimate() -> None:
    """Estimate m/u on seed 1 and the calibration on seed 2; print both for ``tracing/scoring.py``."""
    started = time.perf_counter()
    pairs, pooled = labelled_pairs(World(1))
    m_u = estimate_m_u(pairs)
    weights = {c: {level: math.log2(m / u) for level, (m, u) in levels.items()} for c, levels in m_u.items()}
    second = World(2)
    calibration_pairs, pooled_2 = labelled_pairs(second)
    xs = [summed_weight(levels, weights) for _, levels, _, _ in calibration_pairs]
    ys = [truth for _, _, truth, _ in calibration_pairs]
    # Per request: the weights of the candidates scored, which one is the true child (if any), how many.
    by_request: dict[int, tuple[list[float], int | None, int]] = {}
    for (number, _levels, truth, _n), x in zip(calibration_pairs, xs, strict=True):
        weights_of, true, _count = by_request.get(number, ([], None, 0))
        if truth:
            true = len(weights_of)
        weights_of.append(x)
        by_request[number] = (weights_of, true, len(weights_of))
    slope, intercept = fit_choice(list(by_request.values()))
    findable = sum(r.truth_index is not None for r in second.requests)
    ranks = [
        sorted(range(len(w)), key=lambda i, w=w: -w[i]).index(true)
        for w, true, _n in by_request.values()
        if true is not None
    ]
    at_1 = sum(r == 0 for r in ranks) / findable
    at_5 = sum(r < 5 for r in ranks) / findable
    print(f"# estimated in {time.perf_counter() - started:.0f} s")
    print(
        f"# seed 1: {len(pairs):,} scored pairs, {sum(p[2] for p in pairs):,} true; true child in the pool for "
        f"{100 * pooled:.1f}% of requests whose child is registered"
    )
    print(f"# seed 2: {len(calibration_pairs):,} pairs, {sum(ys):,} true; pool recall {100 * pooled_2:.1f}%")
    print(f"# seed 2 ranked with these weights: recall at 1 {at_1:.3f}, at 5 {at_5:.3f}")
    print("M_U = {")
    for comparison, levels in m_u.items():
        print(f"    {comparison!r}: {{")
        for level, (m, u) in levels.items():
            print(f"        {level!r}: ({m}, {u}),  # weight {math.log2(m / u):+.2f}")
        print("    },")
    print("}")
    print(f"SLOPE = {slope:.4f}")
    print(f"INTERCEPT = {intercept:.4f}")


# --- The benchmark, through the database ---------------------------------------------------------------------------


def build(world: World):
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea, Site
    from hifazat.matching import names
    from hifazat.people.duplicates import match_key_rows, record_for
    from hifazat.people.models import Consent, Household, Person, PersonMatchKey, Vulnerability
    from hifazat.tracing.models import TracingRequest, TracingRequestKey
    from hifazat.tracing.selectors import match_record

    rng = random.Random(SEED + 1)
    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench tracing", short_name="BT", org_type="NGO")
    user = User.objects.create(username="bench-tracing-supervisor")
    Membership.objects.create(user=user, organisation=org, role="supervisor")
    pks: dict[str, int] = {}
    for pcode, name, level, parent in AREAS:
        pks[pcode] = AdminArea.objects.create(
            pcode=f"BT{pcode}", name=name, level=level, parent_id=pks.get(parent) if parent else None
        ).pk
    sites = [
        Site.objects.create(code=f"BTS{i:02d}", name=f"Camp {i}", site_type="relief_camp", area_id=pks[d])
        for i, d in enumerate(SITE_DISTRICTS)
    ]

    # The declined children: as registered as the others, their caregiver said no to tracing.
    declined = [world.register(world.truth()) for _ in range(DECLINED)]
    for child in declined:
        child.consent = "declined"
    children = world.registered + declined
    households = [
        Household(
            organisation=org,
            site=sites[c.site],
            shelter_number=f"S-{i}",
            origin_area_id=pks[c.origin] if c.origin else None,
            origin_village=c.village,
            arrival_date=c.arrived_on,
        )
        for i, c in enumerate(children)
    ]
    people = []
    for child, household in zip(children, households, strict=True):
        people.append(
            Person(
                organisation=org,
                household=household,
                relationship_to_head="other_relative",
                child_status=child.child_status,
                birth_year=child.fields["birthdate"].year,
                **child.fields,
            )
        )
    # Others: children with their parents and adults, the same names, never candidates.
    for i in range(OTHERS):
        truth = world.truth()
        other = world.register(truth)
        if rng.random() < 0.5:  # an adult
            other.fields["birthdate"] = datetime.date(rng.randint(1940, 1987), 7, 1)
        household = Household(
            organisation=org,
            site=rng.choice(sites),
            shelter_number=f"O-{i}",
            origin_area_id=pks[truth.origin],
        )
        households.append(household)
        people.append(
            Person(
                organisation=org,
                household=household,
                relationship_to_head="child",
                child_status="with_parents",
                birth_year=other.fields["birthdate"].year,
                **other.fields,
            )
        )
    Household.objects.bulk_create(households, batch_size=2000)
    for person in people:
        person.household_id = person.household.pk
        person.name_key = names.name_key(
            person.first_name, person.second_name, person.first_name_ur, person.second_name_ur
        )[:200]
        person.phonetic_key = names.phonetic_key(person.first_name, person.second_name)[:60]
    Person.objects.bulk_create(people, batch_size=2000)
    for child, person in zip(children, people, strict=False):
        child.pk = person.pk
    keys = [
        PersonMatchKey(person_id=person.pk, key=key, birth_year=year)
        for person in people
        for key, year in match_key_rows([record_for(person)]).items()
    ]
    PersonMatchKey.objects.bulk_create(keys, batch_size=5000)
    Vulnerability.objects.bulk_create(
        [
            Vulnerability(person_id=c.pk, group="at_risk_child", source="rule", reason="bench")
            for c in children
        ],
        batch_size=5000,
    )
    Consent.objects.bulk_create(
        [
            Consent(
                person_id=c.pk,
                purpose="family_tracing",
                status=c.consent,
                given_by="caregiver",
                child_view="agrees",
            )
            for c in children
        ],
        batch_size=5000,
    )

    requests = []
    for i, r in enumerate(world.requests):
        f = dict(r.fields)
        requests.append(
            TracingRequest(
                organisation=org,
                number=f"BT-T-2005-{i + 1:04d}",
                received_on=datetime.date(2006, 4, 1),
                inquirer_name="Inquirer",
                inquirer_relationship="mother",
                inquirer_consent=True,
                origin_area_id=pks[r.origin] if r.origin else None,
                separation_area_id=pks[r.separation_area] if r.separation_area else None,
                birth_year=f["birthdate"].year if f.get("birthdate") else None,
                **f,
            )
        )
    TracingRequest.objects.bulk_create(requests, batch_size=2000)
    for r, row in zip(world.requests, requests, strict=True):
        r.pk = row.pk
    request_keys = [
        TracingRequestKey(request_id=row.pk, organisation=org, key=key, birth_year=year)
        for row in requests
        for key, year in match_key_rows([match_record(row)]).items()
    ]
    TracingRequestKey.objects.bulk_create(request_keys, batch_size=5000)
    print(
        f"tracing set built in {time.perf_counter() - started:.1f} s: {len(world.registered):,} separated children "
        f"with tracing consent, {DECLINED} without, {OTHERS:,} other people, {len(requests):,} requests "
        f"({sum(r.truth_index is not None for r in world.requests):,} of a registered child), "
        f"{len(keys):,} person keys, {len(request_keys):,} request keys",
        flush=True,
    )
    return Actor.for_user(user), requests, {c.pk for c in declined}


BANDS = [(0.0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]


def run() -> None:
    from hifazat.people.models import Person
    from hifazat.tracing.selectors import (
        candidates_for_child,
        candidates_for_request,
        tracing_children_visible_to,
    )

    world = World(SEED)
    actor, rows, declined = build(world)
    by_pk = {row.pk: row for row in rows}
    truth_pk = {
        r.pk: (world.registered[r.truth_index].pk if r.truth_index is not None else None)
        for r in world.requests
    }
    size = f"{CHILDREN:,} separated children, {REQUESTS:,} requests"

    name_keys = cycle(
        list(Person.objects.filter(pk__in=list(truth_pk.values())[:200]).values_list("name_key", flat=True))
    )
    baseline = measure(lambda: list(Person.objects.filter(name_key=next(name_keys))[:25]), repeat=200)

    outcomes: list[tuple[int | None, list]] = []
    queue = cycle(rows)

    def rank_one():
        request = next(queue)
        outcomes.append((truth_pk[request.pk], candidates_for_request(actor, request)))

    ranking = measure(rank_one, repeat=len(rows), warmup=0)
    findable = [(truth, found) for truth, found in outcomes if truth is not None]
    at_1 = sum(bool(found) and found[0].person.pk == truth for truth, found in findable) / len(findable)
    at_5 = sum(truth in [c.person.pk for c in found[:5]] for truth, found in findable) / len(findable)
    leaked = sum(c.person.pk in declined for _, found in outcomes for c in found)
    report(
        "rank a request's candidate children",
        ranking,
        baseline,
        size=f"{size}; recall at 1 {at_1:.3f}, at 5 {at_5:.3f} over {len(findable):,} requests",
    )
    print(f"  children without tracing consent among the candidates shown: {leaked}")

    # Baseline recall: the registry's phonetic name search (the same consonant key of first and family name, as
    # the person list finds people), nearest birth year first.
    from hifazat.matching import names

    eligible = tracing_children_visible_to(actor)
    sample = [(truth, by_pk[pk]) for pk, truth in truth_pk.items() if truth is not None][:500]
    phonetic_1 = phonetic_5 = 0
    for truth, request in sample:
        key = names.phonetic_key(
            request.first_name or request.first_name_ur, request.second_name or request.second_name_ur
        )[:60]
        hits = list(eligible.filter(phonetic_key=key).values_list("pk", "birth_year")[:500])
        year = request.birth_year or 0
        hits.sort(key=lambda h: (abs((h[1] or year) - year), h[0]))
        phonetic_1 += bool(hits) and hits[0][0] == truth
        phonetic_5 += truth in [h[0] for h in hits[:5]]
    print(
        f"  baseline, the same phonetic name: recall at 1 {phonetic_1 / len(sample):.3f}, "
        f"at 5 {phonetic_5 / len(sample):.3f} ({len(sample)} requests)"
    )
    report("  baseline: 25 children by exact name_key (indexed)", baseline)

    # The other way: a registered child's candidate requests.
    sought_children = [(truth, pk) for pk, truth in truth_pk.items() if truth is not None][:300]
    children = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[t for t, _ in sought_children]).select_related(
            "household__site"
        )
    }
    reverse_hits: list[bool] = []
    child_queue = cycle(sought_children)

    def rank_child():
        truth, request_pk = next(child_queue)
        found = candidates_for_child(actor, children[truth])
        reverse_hits.append(request_pk in [c.request.pk for c in found[:5]])

    reverse = measure(rank_child, repeat=len(sought_children), warmup=0)
    report(
        "rank a child's candidate requests",
        reverse,
        baseline,
        size=f"{len(sought_children)} children; request in the first 5 for {sum(reverse_hits) / len(reverse_hits):.3f}",
    )

    # Calibration: every candidate shown (the first 10 of each request), by band of the score.
    print("  calibration of the score (candidates shown, first 10 per request):")
    print(f"    {'band':<11} {'shown':>7} {'predicted':>10} {'observed':>9}")
    for low, high in BANDS:
        in_band = [
            (c.match.probability, c.person.pk == truth)
            for truth, found in outcomes
            for c in found
            if low <= c.match.probability < high
        ]
        if not in_band:
            continue
        predicted = sum(p for p, _ in in_band) / len(in_band)
        observed = sum(t for _, t in in_band) / len(in_band)
        print(f"    {low:.1f}–{min(high, 1.0):.1f}    {len(in_band):>7,} {predicted:>10.3f} {observed:>9.3f}")


if __name__ == "__main__":
    from bench.timing import estimate_command

    estimate_command(estimate, "tracing")
