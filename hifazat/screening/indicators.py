"""The indicator catalogue: read from ``catalogue/v<N>.yaml``, validated, and versioned in the database.

The catalogue is data in the repository (questions in English and Urdu, weights, band thresholds, red-flag
rules). The first time a catalogue is used, a ``CatalogueVersion`` row keeps it with its checksum; a screening
points to that row, so an edited catalogue becomes a new version and old screenings keep their own questions
and scores. A bad file fails loudly with the file and the question named.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import get_language

if TYPE_CHECKING:
    from hifazat.screening.models import CatalogueVersion

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
FILE_NAME = re.compile(r"^v(\d+)\.yaml$")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{1,59}$")

RISK, PROTECTIVE = "risk", "protective"
FACTORS = {RISK, PROTECTIVE}
STRENGTHS = {"strong", "medium", "weak"}
APPLIES_TO = {"all", "child"}
SUBJECTS = {"any", "child"}
AGE_BANDS = ("child", "adult", "unknown")  # under 18, 18 and over, no age recorded
SEXES = ("female", "male", "unknown")
BANDS = ("medium", "high", "urgent")  # thresholds the file gives; below "medium" is "low"
LANGUAGES = ("en", "ur")


class CatalogueError(ValueError):
    """The catalogue file is not valid. The message names the file and the question or section."""


@dataclass(frozen=True)
class Text:
    en: str
    ur: str

    def get(self, language: str | None = None) -> str:
        language = language or get_language() or "en"
        return self.ur if language.startswith("ur") and self.ur else self.en

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Option:
    value: str
    text: Text
    weight: int
    present: bool


@dataclass(frozen=True)
class Subject:
    """What relevance may know about the person screened: the age band and the sex, nothing else."""

    age_band: str
    sex: str = "unknown"

    @property
    def is_child(self) -> bool:
        return self.age_band == "child"

    @classmethod
    def of(cls, person) -> Subject:
        """The subject facts of a registered person (``people.Person``), as on the day of the screening."""
        age = person.age
        band = "unknown" if age is None else "child" if age < 18 else "adult"
        gender = person.gender or ""
        sex = (
            "female" if gender.endswith("Feminine") else "male" if gender.endswith("Masculine") else "unknown"
        )
        return cls(age_band=band, sex=sex)

    @classmethod
    def from_child_flag(cls, subject_is_child: bool) -> Subject:
        """For callers that know only whether the person is a child: an adult or a child of unknown sex."""
        return cls(age_band="child" if subject_is_child else "adult")

    def facts(self) -> dict[str, str]:
        return {"age_band": self.age_band, "sex": self.sex}


def resolve_subject(subject: Subject | None, subject_is_child: bool | None) -> Subject:
    if subject is not None:
        return subject
    if subject_is_child is None:
        raise TypeError("give the subject (or subject_is_child)")
    return Subject.from_child_flag(subject_is_child)


def evaluate(condition: dict | None, facts: dict[str, str], answers: dict[str, str]) -> bool:
    """Whether a relevance condition holds (``None``: always). ``answers`` holds only answers to questions that
    were themselves relevant. ``static/screening/relevance.js`` evaluates the same conditions in the page: keep
    the two alike."""
    if condition is None:
        return True
    if "all" in condition:
        return all(evaluate(c, facts, answers) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, facts, answers) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], facts, answers)
    if "answer" in condition:
        return answers.get(condition["answer"]) in condition["in"]
    key = "age_band" if "age_band" in condition else "sex"
    return facts[key] in condition[key]


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    text: Text
    factor: str
    options: tuple[Option, ...]
    red_flags: tuple[str, ...] = ()
    dimension: str = ""
    strength: str = ""
    relevant: dict | None = None  # asked only when this condition holds (see ``evaluate``)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def signed_weight(self, value: str) -> int:
        """The answer's contribution to the score: a protective factor's weight counts against the risk."""
        option = self.option(value)
        if option is None:
            return 0
        return -option.weight if self.factor == PROTECTIVE else option.weight


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text | None
    source: str
    level: str
    applies_to: str
    questions: tuple[Question, ...]
    relevant: dict | None = None  # the section is asked only when this condition holds

    def applies(self, *, subject_is_child: bool) -> bool:
        return self.applies_to == "all" or subject_is_child


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    text: Text
    subject: str  # "any", or "child": raised only when the person screened is a child


@dataclass(frozen=True)
class Catalogue:
    version: str
    checksum: str
    title: Text
    bands: dict[str, int]
    red_flags: dict[str, RedFlagRule]
    sections: tuple[Section, ...]
    definition: dict[str, Any] = field(repr=False, compare=False)

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}

    def sections_for(self, *, subject_is_child: bool) -> list[Section]:
        return [s for s in self.sections if s.applies(subject_is_child=subject_is_child)]

    def questions_for(self, *, subject_is_child: bool) -> list[Question]:
        """The questions of the sections that apply by age (``applies_to``), relevant or not."""
        return [q for s in self.sections_for(subject_is_child=subject_is_child) for q in s.questions]

    def relevance(self, subject: Subject, answers: dict[str, str]) -> dict[str, bool]:
        """Each question's relevance for ``subject`` given ``answers``, in the order the questions are asked.

        A question is relevant when its section applies by age, the section's condition holds and its own does.
        A condition reads only earlier answers, and an answer counts only if its question was relevant, so an
        answer left behind on a question that was later skipped changes nothing.
        """
        facts = subject.facts()
        given: dict[str, str] = {}
        result: dict[str, bool] = {}
        for section in self.sections:
            section_on = section.applies(subject_is_child=subject.is_child) and evaluate(
                section.relevant, facts, given
            )
            for question in section.questions:
                on = section_on and evaluate(question.relevant, facts, given)
                result[question.id] = on
                value = answers.get(question.id)
                if on and value and question.option(value) is not None:
                    given[question.id] = value
        return result

    def relevant_questions(self, subject: Subject, answers: dict[str, str]) -> list[Question]:
        relevance = self.relevance(subject, answers)
        return [q for s in self.sections for q in s.questions if relevance[q.id]]

    def relevant_answers(self, subject: Subject, answers: dict[str, str]) -> dict[str, str]:
        """The answers to relevant questions only, each one of its question's options: what is kept."""
        return {
            q.id: answers[q.id]
            for q in self.relevant_questions(subject, answers)
            if answers.get(q.id) and q.option(answers[q.id]) is not None
        }

    def relevance_data(self, subject: Subject) -> dict:
        """The rules for the page's script (``static/screening/relevance.js``): the subject's facts and, in the
        order asked, each section that applies by age with its condition and its questions' conditions."""
        return {
            "facts": subject.facts(),
            "sections": [
                {
                    "id": s.id,
                    "relevant": s.relevant,
                    "questions": [{"id": q.id, "relevant": q.relevant} for q in s.questions],
                }
                for s in self.sections_for(subject_is_child=subject.is_child)
            ],
        }

    def band_for(self, score: int) -> str:
        """The band a score alone reaches (red flags are applied by the scoring, on top)."""
        band = "low"
        for name in BANDS:
            if score >= self.bands[name]:
                band = name
        return band

    def clean_answers(
        self,
        answers: dict[str, str],
        *,
        subject_is_child: bool | None = None,
        subject: Subject | None = None,
        partial: bool = False,
    ) -> dict[str, str]:
        """The answers, checked: every relevant question answered with one of its options (with ``partial``, as
        a draft, some may be unanswered yet). Answers to questions that the answers given make irrelevant are
        dropped, never stored or scored; a question outside the sections that apply to the person by age is an
        error, as is an answer that is not one of its question's options.

        Raises ``ValidationError`` naming the question identifiers (never the answers' meaning).
        """
        subject = resolve_subject(subject, subject_is_child)
        questions = self.questions_for(subject_is_child=subject.is_child)
        known = {q.id for q in questions}
        errors = []
        unknown = sorted(set(answers) - known)
        if unknown:
            errors.append(f"questions not in catalogue {self.version} for this person: {', '.join(unknown)}")
        invalid = [q.id for q in questions if answers.get(q.id) and q.option(answers[q.id]) is None]
        if invalid:
            errors.append(f"answers that are not among the options of: {', '.join(invalid)}")
        relevant = self.relevant_questions(subject, answers)
        missing = [q.id for q in relevant if not answers.get(q.id)]
        if missing and not partial:
            errors.append(f"{len(missing)} questions have no answer: {', '.join(missing)}")
        if errors:
            raise ValidationError(errors)
        return {q.id: answers[q.id] for q in relevant if answers.get(q.id)}


# --- Parsing and validation -----------------------------------------------------------------------------------


def _text(raw: dict, where: str) -> Text:
    """The English and Urdu text of ``raw``; both are required."""
    missing = [lang for lang in LANGUAGES if not isinstance(raw.get(lang), str) or not raw[lang].strip()]
    if missing:
        names = {"en": "English", "ur": "Urdu"}
        raise CatalogueError(
            f"{where} has no {' or '.join(names[m] for m in missing)} text ({', '.join(missing)})"
        )
    return Text(en=raw["en"].strip(), ur=raw["ur"].strip())


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise CatalogueError(f"{where} must be a mapping")
    return value


def _value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        raise CatalogueError(f'{where}: {value!r} was read as true or false: write "yes" and "no" in quotes')
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise CatalogueError(f"{where}: {value!r} is not a lower-case identifier")
    return value


def _options(raw: dict, answer_sets: dict[str, list[dict]], where: str) -> tuple[Option, ...]:
    if "options" in raw and "answers" in raw:
        raise CatalogueError(f"{where} has both `options` and `answers`: give one")
    if "answers" in raw:
        name = raw["answers"]
        if name not in answer_sets:
            raise CatalogueError(f"{where} names answer set {name!r}, which is not defined")
        weights = _mapping(raw.get("weights", {}), f"{where} weights")
        values = {o["value"] for o in answer_sets[name]}
        for key in weights:
            _value(key, f"{where} weights")
            if key not in values:
                raise CatalogueError(f"{where} weights answer {key!r}, which set {name!r} does not have")
        options = [{**o, "weight": weights.get(o["value"], 0)} for o in answer_sets[name]]
    elif "options" in raw:
        options = raw["options"]
        if "weights" in raw:
            raise CatalogueError(f"{where}: give each option its `weight`, not `weights`")
    else:
        raise CatalogueError(f"{where} has neither `options` nor `answers`")
    if not isinstance(options, list) or len(options) < 2:
        raise CatalogueError(f"{where} needs at least two options")
    parsed = []
    for number, option in enumerate(options, 1):
        option_where = f"{where}, option {number}"
        _mapping(option, option_where)
        value = _value(option.get("value"), option_where)
        option_where = f"{where}, option {value!r}"
        weight = option.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 20:
            raise CatalogueError(
                f"{option_where}: weight {weight!r} is not a whole number from 0 to 20 "
                "(a protective factor's weight is written positive and subtracted)"
            )
        present = option.get("present", False)
        if not isinstance(present, bool):
            raise CatalogueError(f"{option_where}: `present` is true or false")
        parsed.append(Option(value=value, text=_text(option, option_where), weight=weight, present=present))
    values = [o.value for o in parsed]
    if len(set(values)) != len(values):
        raise CatalogueError(f"{where} has the same option value twice")
    return tuple(parsed)


CONDITION_KEYS = {"all", "any", "not", "answer", "age_band", "sex"}


def _condition(raw: Any, where: str, refs: list[tuple[str, tuple[str, ...]]]) -> dict:
    """A relevance condition, checked for shape; the questions it reads are added to ``refs`` (with the answers
    it names) to be checked once every question is known.

    ``{age_band: [child]}``, ``{sex: [female]}``, ``{answer: <earlier question>, in: [<its values>]}``, and
    ``{all: [...]}``, ``{any: [...]}``, ``{not: {...}}`` to combine them.
    """
    _mapping(raw, where)
    keys = set(raw) - {"in"}
    if len(keys) != 1 or not keys <= CONDITION_KEYS or ("in" in raw and keys != {"answer"}):
        raise CatalogueError(
            f"{where}: a condition is one of {', '.join(sorted(CONDITION_KEYS))} (`in` goes with `answer`)"
        )
    (key,) = keys
    if key in {"all", "any"}:
        parts = raw[key]
        if not isinstance(parts, list) or not parts:
            raise CatalogueError(f"{where}: `{key}` lists at least one condition")
        return {key: [_condition(part, f"{where} {key}", refs) for part in parts]}
    if key == "not":
        return {"not": _condition(raw["not"], f"{where} not", refs)}
    if key == "answer":
        question_id = _value(raw["answer"], f"{where} answer")
        values = raw.get("in")
        if not isinstance(values, list) or not values:
            raise CatalogueError(f"{where}: `answer` needs `in`, the list of answers that make it hold")
        values = [_value(v, f"{where} in") for v in values]
        refs.append((question_id, tuple(values)))
        return {"answer": question_id, "in": values}
    allowed = AGE_BANDS if key == "age_band" else SEXES
    values = raw[key]
    if not isinstance(values, list) or not values or not set(values) <= set(allowed):
        raise CatalogueError(f"{where}: `{key}` lists some of {', '.join(allowed)}")
    return {key: list(values)}


def _check_references(sections: list[Section], refs_by_owner: dict[str, list]) -> set[str]:
    """Each condition reads only questions asked before it (so there is no loop, and the page can evaluate the
    conditions in order), and names only answers those questions have. Returns the questions read."""
    asked: dict[str, Question] = {}
    read: set[str] = set()
    for section in sections:
        refs = refs_by_owner.get(f"section:{section.id}", [])
        _check_refs(f"section {section.id!r} relevant", refs, asked, read)
        for question in section.questions:
            _check_refs(f"question {question.id!r} relevant", refs_by_owner.get(question.id, []), asked, read)
            asked[question.id] = question
    return read


def _check_refs(where: str, refs: list, asked: dict[str, Question], read: set[str]) -> None:
    for question_id, values in refs:
        if question_id not in asked:
            raise CatalogueError(f"{where} reads {question_id!r}, which is not a question asked before it")
        unknown = [v for v in values if asked[question_id].option(v) is None]
        if unknown:
            raise CatalogueError(f"{where}: {question_id!r} has no answer {', '.join(map(repr, unknown))}")
        read.add(question_id)


def _answer_sets(raw: dict) -> dict[str, list[dict]]:
    sets = _mapping(raw.get("answer_sets", {}), "answer_sets")
    for name, options in sets.items():
        if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
            raise CatalogueError(f"answer set {name!r} must be a list of options")
        for number, option in enumerate(options, 1):
            _value(option.get("value"), f"answer set {name!r}, option {number}")
    return sets


def parse(raw: Any, *, source: str = "catalogue") -> Catalogue:
    """Validate a catalogue read from YAML (or stored JSON) and build it. ``CatalogueError`` names the fault."""
    try:
        return _parse(raw)
    except CatalogueError as error:
        raise CatalogueError(f"{source}: {error}") from None


def _parse(raw: Any) -> Catalogue:
    _mapping(raw, "the catalogue")
    try:
        json.dumps(raw)
    except (TypeError, ValueError):
        raise CatalogueError(
            "holds a value that is not text, a number, true or false, a list or a mapping (quote dates)"
        ) from None
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > 20:
        raise CatalogueError('`version` is missing: write it as a quoted string, for example version: "1"')
    title = _text(_mapping(raw.get("title"), "title"), "title")

    bands = _mapping(raw.get("bands"), "bands")
    for name in BANDS:
        if isinstance(bands.get(name), bool) or not isinstance(bands.get(name), int):
            raise CatalogueError(f"bands: {name!r} needs a whole-number threshold")
    if set(bands) - set(BANDS):
        raise CatalogueError(f"bands: only {', '.join(BANDS)} have thresholds (below medium is low)")
    if not 0 < bands["medium"] < bands["high"] < bands["urgent"]:
        raise CatalogueError("bands: thresholds must rise: 0 < medium < high < urgent")

    red_flags = {}
    for flag_id, flag in _mapping(raw.get("red_flags", {}), "red_flags").items():
        where = f"red flag {flag_id!r}"
        _value(flag_id, where)
        _mapping(flag, where)
        subject = flag.get("subject", "any")
        if subject not in SUBJECTS:
            raise CatalogueError(f"{where}: subject is one of {', '.join(sorted(SUBJECTS))}")
        red_flags[flag_id] = RedFlagRule(id=flag_id, text=_text(flag, where), subject=subject)

    answer_sets = _answer_sets(raw)

    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise CatalogueError("`sections` must list at least one section")
    section_specs: dict[str, dict] = {}
    for number, spec in enumerate(raw_sections, 1):
        _mapping(spec, f"section {number}")
        section_id = _value(spec.get("id"), f"section {number}")
        if section_id in section_specs:
            raise CatalogueError(f"section {section_id!r} is defined twice")
        section_specs[section_id] = spec

    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise CatalogueError("`questions` must list at least one question")
    by_section: dict[str, list[Question]] = {section_id: [] for section_id in section_specs}
    refs_by_owner: dict[str, list] = {}
    seen: set[str] = set()
    for number, spec in enumerate(raw_questions, 1):
        _mapping(spec, f"question {number}")
        question_id = _value(spec.get("id"), f"question {number}")
        where = f"question {question_id!r}"
        if question_id in seen:
            raise CatalogueError(f"{where} is defined twice")
        seen.add(question_id)
        section_id = spec.get("section")
        if section_id not in section_specs:
            raise CatalogueError(f"{where} is in section {section_id!r}, which is not defined")
        factor = spec.get("factor")
        if factor not in FACTORS:
            raise CatalogueError(f"{where}: factor is `risk` or `protective`, not {factor!r}")
        strength = spec.get("strength", "")
        if strength and strength not in STRENGTHS:
            raise CatalogueError(f"{where}: strength is strong, medium or weak, not {strength!r}")
        dimension = spec.get("dimension", "")
        if dimension:
            _value(dimension, f"{where} dimension")
        flags = [*section_specs[section_id].get("red_flags", []), *spec.get("red_flags", [])]
        for flag in flags:
            if flag not in red_flags:
                raise CatalogueError(
                    f"{where} raises red flag {flag!r}, which is not defined under red_flags"
                )
        if flags and factor == PROTECTIVE:
            raise CatalogueError(f"{where} is a protective factor and cannot raise a red flag")
        options = _options(spec, answer_sets, where)
        if flags and not any(o.present for o in options):
            raise CatalogueError(f"{where} raises a red flag but no option is marked `present: true`")
        relevant = None
        if "relevant" in spec:
            refs_by_owner[question_id] = []
            relevant = _condition(spec["relevant"], f"{where} relevant", refs_by_owner[question_id])
        by_section[section_id].append(
            Question(
                id=question_id,
                section=section_id,
                text=_text(spec, where),
                factor=factor,
                options=options,
                red_flags=tuple(dict.fromkeys(flags)),
                dimension=dimension,
                strength=strength,
                relevant=relevant,
            )
        )

    sections = []
    for section_id, spec in section_specs.items():
        where = f"section {section_id!r}"
        applies_to = spec.get("applies_to", "all")
        if applies_to not in APPLIES_TO:
            raise CatalogueError(f"{where}: applies_to is `all` or `child`, not {applies_to!r}")
        if not by_section[section_id]:
            raise CatalogueError(f"{where} has no questions")
        intro = spec.get("intro")
        relevant = None
        if "relevant" in spec:
            refs_by_owner[f"section:{section_id}"] = []
            relevant = _condition(
                spec["relevant"], f"{where} relevant", refs_by_owner[f"section:{section_id}"]
            )
        sections.append(
            Section(
                id=section_id,
                title=_text(_mapping(spec.get("title"), f"{where} title"), f"{where} title"),
                intro=_text(_mapping(intro, f"{where} intro"), f"{where} intro") if intro else None,
                source=str(spec.get("source", "")),
                level=str(spec.get("level", "")),
                applies_to=applies_to,
                questions=tuple(by_section[section_id]),
                relevant=relevant,
            )
        )
    read = _check_references(sections, refs_by_owner)
    for section in sections:
        for question in section.questions:
            if not any(o.weight for o in question.options) and question.id not in read:
                raise CatalogueError(
                    f"question {question.id!r}: every answer weighs 0, so the question cannot change the score "
                    "(a question that only decides which others are asked must be read by their `relevant`)"
                )
    return Catalogue(
        version=version.strip(),
        checksum=checksum(raw),
        title=title,
        bands={name: bands[name] for name in BANDS},
        red_flags=red_flags,
        sections=tuple(sections),
        definition=raw,
    )


def checksum(definition: dict) -> str:
    """SHA-256 of the catalogue's content: layout and comments in the file do not change it, content does."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Files and versions ---------------------------------------------------------------------------------------

_lock = threading.Lock()
_by_file: dict[Path, tuple[tuple[int, int], Catalogue]] = {}
_by_checksum: dict[str, Catalogue] = {}


def catalogue_file(directory: Path | None = None) -> Path:
    """The catalogue in use: the highest-numbered ``v<N>.yaml``."""
    directory = directory or CATALOGUE_DIR
    numbered = [(int(m.group(1)), p) for p in directory.iterdir() if (m := FILE_NAME.match(p.name))]
    if not numbered:
        raise CatalogueError(f"no catalogue file (v1.yaml, v2.yaml, ...) in {directory}")
    return max(numbered)[1]


def load_file(path: Path) -> Catalogue:
    """The catalogue in ``path``, parsed once per change of the file."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _by_file.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML: {error}") from None
    catalogue = parse(raw, source=path.name)
    with _lock:
        _by_file[path] = (stamp, catalogue)
        _by_checksum.setdefault(catalogue.checksum, catalogue)
    return catalogue


def current_catalogue() -> Catalogue:
    """The catalogue in use now (read from the repository; no database access)."""
    return load_file(catalogue_file())


def current() -> tuple[Catalogue, CatalogueVersion]:
    """The catalogue in use now and its version row, created the first time this content is used."""
    catalogue = current_catalogue()
    return catalogue, version_for(catalogue)


def version_for(catalogue: Catalogue) -> CatalogueVersion:
    from hifazat.screening.models import CatalogueVersion

    version, _ = CatalogueVersion.objects.get_or_create(
        checksum=catalogue.checksum,
        defaults={"version": catalogue.version, "definition": catalogue.definition},
    )
    return version


def from_version(version: CatalogueVersion) -> Catalogue:
    """The catalogue a stored version holds (what an old screening was asked and scored with)."""
    with _lock:
        cached = _by_checksum.get(version.checksum)
    if cached is not None:
        return cached
    catalogue = parse(version.definition, source=f"catalogue version {version.version}")
    if catalogue.checksum != version.checksum:
        raise CatalogueError(
            f"catalogue version {version.version}: the stored content does not match its checksum"
        )
    with _lock:
        _by_checksum[version.checksum] = catalogue
    return catalogue
