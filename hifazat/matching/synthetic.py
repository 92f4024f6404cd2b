"""A generated household registry whose true identities are known, and the figures that say how well the duplicate
check tells people apart on it (``bench/bench_matching_quality.py`` reports them; issue 12 judges the scorer by
them).

The registry is modelled on the camps' registers: households of a head, a wife for most, children and sometimes
an elder; siblings and the wife written with the same father's or husband's name (siblings never with the same
given name, as parents do not name two living children alike); given names drawn with the skew
of real registers (a few very common, most rare), "Muhammad" before a share of men's names, "Bibi", "Begum" or
"Khatoon" after many women's; Latin letters, Urdu script or both; about half the birth dates estimated from an
age (often heaped on a round number); a phone for some households. Some people are registered a second time at
another site, as another registrar writes them: other spellings, another script, names in the other order,
"Muhammad" or a title dropped, the father's name left out or written longer, an estimated age instead of the date
or a slip in the date (1971 written 1917). The truth (which records are the same person) is kept apart from the
records, in :attr:`SyntheticRegistry.identity`.

Everything is deterministic by seed and plain Python (no database): 20,000 people take well under a second.
The name pool is the demo's (``hifazat.demo.names``); the spelling variants and name choices are those the people
benchmark uses (``bench/bench_people.py`` imports them from here).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate, combinations

from hifazat.demo.names import FAMILY, FEMALE, MALE
from hifazat.matching.records import MatchRecord

KHAN = ("Khan", "خان")
TITLES = [("Bibi", "بی بی"), ("Begum", "بیگم"), ("Khatoon", "خاتون")]
MUHAMMAD = ("Muhammad", "محمد")
# How other registrars write the same name.
SPELLINGS = {
    "Muhammad": ["Mohd", "Mohammad", "Muhammed", "Mohammed"],
    "Bibi": ["Bi"],
    "Nasreen": ["Nasrin"],
    "Rashid": ["Rasheed"],
    "Fatima": ["Fatma"],
    "Ayesha": ["Aisha"],
    "Zainab": ["Zenab"],
    "Hussain": ["Husain"],
    "Naseem": ["Nasim"],
    "Khadija": ["Khadijah"],
    "Shahid": ["Shaheed"],
    "Saleem": ["Salim"],
    "Yousaf": ["Yusuf"],
    "Waseem": ["Wasim"],
    "Mehmood": ["Mahmood"],
    "Rehman": ["Rahman"],
    "Tariq": ["Tarik"],
    "Ahmad": ["Ahmed"],
}


def spell(rng: random.Random, word: str) -> str:
    """``word`` (one or more names in Latin letters) as another registrar may write it."""
    return " ".join(rng.choice(SPELLINGS[w]) if w in SPELLINGS else w for w in word.split())


def male_name(rng: random.Random) -> tuple[str, str]:
    """A man's given name (Latin, Urdu), uniformly from the pool, with "Muhammad" before it for three in ten."""
    latin, urdu = rng.choice(MALE)
    if rng.random() < 0.3:
        return f"Muhammad {latin}", f"محمد {urdu}"
    return latin, urdu


def family_name(rng: random.Random) -> tuple[str, str]:
    """A family name (Latin, Urdu): Khan for about one in six, otherwise uniformly from the pool."""
    return KHAN if rng.random() < 0.15 else rng.choice(FAMILY)


# --- The generated registry -------------------------------------------------------------------------------------

TODAY = datetime.date(2026, 1, 15)  # the registry's "today", fixed so that a seed always gives the same ages
SITES = 20
ORIGINS = 12
# Shares of the generated registry (of people, or of registrations).
HOUSEHOLD_REREGISTERS = 0.06  # a household is registered again at another site (most of its members with it)
MEMBER_COMES_ALONG = 0.8
PERSON_REREGISTERS = 0.02  # a person alone is registered again at another site
ESTIMATED = 0.48  # the birth date is estimated from an age
NO_BIRTH = 0.05  # neither a date nor an age
LATIN_ONLY, BOTH_SCRIPTS = 0.55, 0.30  # the rest (0.15) in Urdu script only
HOUSEHOLD_PHONE = 0.4
# Name frequencies fall with rank as in real registers (Zipf): the pool's order is the rank. "Muhammad" comes
# before a given name rather than alone, so men's given names are drawn from the rest.
ZIPF = 0.5
GIVEN_MALE = [name for name in MALE if name != MUHAMMAD]


def _zipf_weights(count: int) -> list[float]:
    return list(accumulate(1 / (rank + 1) ** ZIPF for rank in range(count)))


_MALE_CUM, _FEMALE_CUM, _FAMILY_CUM = (_zipf_weights(len(pool)) for pool in (GIVEN_MALE, FEMALE, FAMILY))


@dataclass(frozen=True)
class Name:
    """A name as (Latin, Urdu)."""

    latin: str
    urdu: str

    def __add__(self, other: Name) -> Name:
        return Name(f"{self.latin} {other.latin}".strip(), f"{self.urdu} {other.urdu}".strip())


@dataclass
class _Person:
    """One true person (not a registration)."""

    identity: int
    household: int
    relationship: str
    male: bool
    given: Name
    second: Name  # family name or a title
    parentage_word: str
    parentage: Name  # the father's or husband's name as the household writes it
    born: datetime.date


@dataclass(frozen=True)
class SyntheticHousehold:
    site: int  # 0 .. SITES - 1
    origin: int | None  # 0 .. ORIGINS - 1
    phone: str  # a phone number, or ""


@dataclass
class SyntheticRegistry:
    """Registrations as :class:`MatchRecord` (``household`` is an index into :attr:`households`, ``site`` and
    ``origin_area`` are small numbers, ``phone_index`` is the phone number itself), the relationship to the
    household's head of each, and apart from them the truth: ``identity[i]`` is the person that ``records[i]``
    registers, the same number for every registration of one person."""

    seed: int
    people: int
    households: list[SyntheticHousehold]
    records: list[MatchRecord]
    relationships: list[str]
    identity: list[int] = field(repr=False)

    def same(self, i: int, j: int) -> bool:
        return self.identity[i] == self.identity[j]

    def true_pairs(self) -> set[tuple[int, int]]:
        """Every pair (i < j) of registrations of one person."""
        by_identity: dict[int, list[int]] = {}
        for index, identity in enumerate(self.identity):
            by_identity.setdefault(identity, []).append(index)
        return {pair for indexes in by_identity.values() for pair in combinations(indexes, 2)}


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - generated test data, not secrets

    def given_male(self) -> Name:
        latin, urdu = self.rng.choices(GIVEN_MALE, cum_weights=_MALE_CUM)[0]
        if self.rng.random() < 0.3:
            return Name(MUHAMMAD[0], MUHAMMAD[1]) + Name(latin, urdu)
        return Name(latin, urdu)

    def given_female(self) -> Name:
        return Name(*self.rng.choices(FEMALE, cum_weights=_FEMALE_CUM)[0])

    def family(self) -> Name:
        return Name(*self.rng.choices(FAMILY, cum_weights=_FAMILY_CUM)[0])

    def title(self) -> Name:
        return Name(*self.rng.choice(TITLES))

    def man_as_written(self, given: Name, family: Name) -> Name:
        """How a household writes a man's name as someone's father or husband: his given name, sometimes with
        the family name."""
        return given + family if self.rng.random() < 0.4 else given

    def born(self, age: int) -> datetime.date:
        return TODAY - datetime.timedelta(days=365 * age + self.rng.randrange(365))

    def household(self, index: int, first_identity: int) -> list[_Person]:
        rng = self.rng
        family = self.family()
        members: list[_Person] = []

        def add(relationship, male, given, second, word, parentage, born):
            members.append(
                _Person(
                    first_identity + len(members),
                    index,
                    relationship,
                    male,
                    given,
                    second,
                    word,
                    parentage,
                    born,
                )
            )

        size = rng.choice([1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 8])
        head_age = rng.randint(22, 70)
        grandfather = self.given_male()  # the head's father
        husband = self.given_male()
        husband_written = self.man_as_written(husband, family)
        if rng.random() < 0.8:  # a man heads the household
            add(
                "head",
                True,
                husband,
                family,
                "son_of",
                self.man_as_written(grandfather, family),
                self.born(head_age),
            )
            mother_age = max(18, head_age - rng.randint(0, 10))
            if size > 1:
                second = (
                    self.title() if rng.random() < 0.4 else (family if rng.random() < 0.5 else self.family())
                )
                add(
                    "spouse",
                    False,
                    self.given_female(),
                    second,
                    "wife_of",
                    husband_written,
                    self.born(mother_age),
                )
        else:  # a widow heads it: her children are written with her late husband's name
            mother_age = head_age
            second = self.title() if rng.random() < 0.5 else family
            add("head", False, self.given_female(), second, "wife_of", husband_written, self.born(head_age))
        if len(members) < size and rng.random() < 0.12:  # an elder: the head's widowed mother
            add(
                "parent",
                False,
                self.given_female(),
                self.title(),
                "wife_of",
                self.man_as_written(grandfather, family),
                self.born(min(95, head_age + rng.randint(18, 30))),
            )
        # Children a year or two apart, the eldest born when the mother was 18 to 30; no more than fit.
        age = mother_age - rng.randint(18, 30)
        # Parents do not give two living children (or a child and a parent) the same name: a name already used
        # in the household is drawn again, a few times at most.
        used = {husband.latin.split()[-1]} | {m.given.latin.split()[-1] for m in members}
        while len(members) < size and age >= 0:
            male = rng.random() < 0.5
            draw = self.given_male if male else self.given_female
            given = draw()
            for _ in range(8):
                if given.latin.split()[-1] not in used:
                    break
                given = draw()
            used.add(given.latin.split()[-1])
            if male:
                second, word = family, "son_of"
            else:
                second, word = (family if rng.random() < 0.5 else self.title()), "daughter_of"
            add("child", male, given, second, word, husband_written, self.born(age))
            age -= rng.randint(1, 3)
        return members


def _estimated_age(rng: random.Random, age: int) -> int:
    """An age as someone tells it: children's about right, adults' often rounded to five or a few years off."""
    if age < 15:
        return max(0, age + rng.choice([-1, 0, 0, 0, 1]))
    if rng.random() < 0.35:
        return max(15, 5 * round(age / 5))
    return max(15, age + rng.choice([-3, -2, -1, 0, 0, 0, 1, 2, 3]))


def _birth_from_age(age: int) -> datetime.date:
    """The date the registry stores for an age (``people.services``: the middle of the likely birth year)."""
    year = TODAY.year - age if (TODAY.month, TODAY.day) >= (7, 1) else TODAY.year - age - 1
    return datetime.date(year, 7, 1)


def _slip(rng: random.Random, born: datetime.date) -> datetime.date:
    """A registrar's slip in a date of birth: the year's last two digits transposed (1971 written 1917), one
    digit of the year off by one, or day and month swapped."""
    kind = rng.random()
    tens, units = born.year // 10 % 10, born.year % 10
    transposed = born.year - 10 * tens - units + 10 * units + tens
    try:
        if kind < 0.4 and tens != units and transposed <= TODAY.year:
            return born.replace(year=transposed)
        if kind < 0.8:
            return born.replace(year=born.year + rng.choice([-1, 1, -10]))
        if born.day <= 12 and born.day != born.month:
            return born.replace(month=born.day, day=born.month)
    except ValueError:  # 29 February in another year
        pass
    return born + datetime.timedelta(days=1)


def _record(
    rng: random.Random,
    person: _Person,
    household: int,
    households: list[SyntheticHousehold],
    *,
    again: bool,
) -> MatchRecord:
    """A registration of ``person``: as the household's registrar writes it, or (``again``) as another registrar
    writes it at another site."""
    given, second, parentage = person.given, person.second, person.parentage
    word = person.parentage_word
    if again:
        if given.latin.startswith("Muhammad ") and rng.random() < 0.35:  # "Muhammad" left out
            given = Name(given.latin.removeprefix("Muhammad "), given.urdu.removeprefix("محمد "))
        if second.latin in {t[0] for t in TITLES} and rng.random() < 0.4:  # the title left out or changed
            second = Name("", "") if rng.random() < 0.5 else Name(*rng.choice(TITLES))
        if rng.random() < 0.25:  # the father's or husband's name left out
            parentage = Name("", "")
        given = Name(spell(rng, given.latin) if rng.random() < 0.6 else given.latin, given.urdu)
        second = Name(spell(rng, second.latin) if rng.random() < 0.6 else second.latin, second.urdu)
        parentage = Name(
            spell(rng, parentage.latin) if rng.random() < 0.6 else parentage.latin, parentage.urdu
        )
        if rng.random() < 0.15 and second.latin:  # the names in the other order
            given, second = second, given
    script = rng.random()
    latin, urdu = script < LATIN_ONLY + BOTH_SCRIPTS, script >= LATIN_ONLY
    # A record in Urdu script only keeps it in the Latin fields (the registry requires a first name there).
    first_name = given.latin if latin else given.urdu
    second_name = second.latin if latin else second.urdu
    birth = rng.random()
    true_age = (TODAY - person.born).days // 365
    if birth < ESTIMATED:
        birthdate, estimated = _birth_from_age(_estimated_age(rng, true_age)), True
    elif birth < 1 - NO_BIRTH:
        birthdate, estimated = person.born, False
        if again and rng.random() < 0.12:
            birthdate = _slip(rng, birthdate)
    else:
        birthdate, estimated = None, False
    place = households[household]
    return MatchRecord(
        first_name=first_name,
        second_name=second_name,
        first_name_ur=given.urdu if latin and urdu else "",
        second_name_ur=second.urdu if latin and urdu else "",
        parentage_word=word,
        parentage_name=parentage.latin if latin else "",
        parentage_name_ur=parentage.urdu if urdu else "",
        gender="Masculine" if person.male else "Feminine",
        birthdate=birthdate,
        birthdate_is_estimate=estimated,
        site=place.site,
        origin_area=place.origin,
        household=household,
        phone_index=place.phone,
    )


def generate(people: int, *, seed: int) -> SyntheticRegistry:
    """A registry of ``people`` people in households (the last household cut to fit), and the second
    registrations of some of them at other sites, listed after all first registrations."""
    maker = _Generator(seed)
    rng = maker.rng
    persons: list[_Person] = []
    households: list[SyntheticHousehold] = []
    while len(persons) < people:
        index = len(households)
        households.append(
            SyntheticHousehold(
                site=rng.randrange(SITES),
                origin=rng.randrange(ORIGINS) if rng.random() < 0.8 else None,
                phone=f"+92300{rng.randrange(10**7):07d}" if rng.random() < HOUSEHOLD_PHONE else "",
            )
        )
        persons.extend(maker.household(index, len(persons)))
    persons = persons[:people]

    records = [_record(rng, p, p.household, households, again=False) for p in persons]
    relationships = [p.relationship for p in persons]
    identity = [p.identity for p in persons]

    # Second registrations at another site: most of a household together, or one person alone.
    by_household: dict[int, list[_Person]] = {}
    for person in persons:
        by_household.setdefault(person.household, []).append(person)
    first_households = len(households)
    for index in range(first_households):
        members = by_household.get(index, [])
        if rng.random() < HOUSEHOLD_REREGISTERS:
            moving = [p for p in members if rng.random() < MEMBER_COMES_ALONG] or members[:1]
        else:
            moving = [p for p in members if rng.random() < PERSON_REREGISTERS]
        if not moving:
            continue
        old = households[index]
        new = len(households)
        households.append(
            SyntheticHousehold(
                site=rng.choice([s for s in range(SITES) if s != old.site]),
                origin=old.origin if rng.random() < 0.6 else None,
                phone=old.phone if old.phone and rng.random() < 0.5 else "",
            )
        )
        for person in moving:
            records.append(_record(rng, person, new, households, again=True))
            relationships.append(person.relationship)
            identity.append(person.identity)
    return SyntheticRegistry(seed, len(persons), households, records, relationships, identity)


# --- Measuring a matcher ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    """Precision, recall and F1 of the pairs flagged at ``threshold`` (a score at or above it is flagged)."""

    threshold: float
    flagged: int
    true_flagged: int
    true_pairs: int

    @property
    def precision(self) -> float:
        return self.true_flagged / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_flagged / self.true_pairs if self.true_pairs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def quality_at(
    scores: dict[tuple[int, int], float], same: Callable[[int, int], bool], true_pairs: int, threshold: float
) -> Quality:
    """The quality of flagging every pair of ``scores`` whose score is at least ``threshold``, against the truth
    ``same`` and the number of true pairs in all (found or not)."""
    flagged = [pair for pair, value in scores.items() if value >= threshold]
    return Quality(threshold, len(flagged), sum(1 for pair in flagged if same(*pair)), true_pairs)


def best_threshold(
    scores: dict[tuple[int, int], float], same: Callable[[int, int], bool], true_pairs: int
) -> Quality:
    """The threshold among the scores that gives the highest F1 (the highest such threshold on a tie)."""
    ranked = sorted(((value, same(*pair)) for pair, value in scores.items()), reverse=True)
    best = Quality(1.0, 0, 0, true_pairs)
    flagged = true_flagged = 0
    for position, (value, is_same) in enumerate(ranked):
        flagged += 1
        true_flagged += is_same
        if position + 1 < len(ranked) and ranked[position + 1][0] == value:
            continue  # a threshold flags every pair of its score
        found = Quality(value, flagged, true_flagged, true_pairs)
        if found.f1 > best.f1:
            best = found
    return best


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    pairs: int
    mean_score: float
    share_same: float


def calibration(
    scores: dict[tuple[int, int], float], same: Callable[[int, int], bool], bands: int = 10
) -> list[Band]:
    """Pairs by score band (0-0.1, ..., 0.9-1.0, a score of 1 in the last): how many, their mean score (the
    predicted share of the same person) and the share that are the same person. A calibrated score has the two
    about equal in every band. An empty band has 0 for both."""
    counts = [0] * bands
    totals = [0.0] * bands
    same_counts = [0] * bands
    for pair, value in scores.items():
        band = min(bands - 1, int(value * bands))
        counts[band] += 1
        totals[band] += value
        same_counts[band] += same(*pair)
    return [
        Band(
            band / bands,
            (band + 1) / bands,
            counts[band],
            totals[band] / counts[band] if counts[band] else 0.0,
            same_counts[band] / counts[band] if counts[band] else 0.0,
        )
        for band in range(bands)
    ]


def pair_scores(found: Iterable[tuple[int, int, float]]) -> dict[tuple[int, int], float]:
    """Scores by unordered pair (smaller index first) from (i, j, score) as lookups give them; a pair found from
    both sides keeps the higher score."""
    scores: dict[tuple[int, int], float] = {}
    for i, j, value in found:
        if i == j:
            continue
        pair = (i, j) if i < j else (j, i)
        if value > scores.get(pair, -1.0):
            scores[pair] = value
    return scores
