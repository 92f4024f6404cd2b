"""Scoring by transparent rules: no model decides about a person.

The score is the sum of the weights of the answers given, a protective factor's weight subtracted. The band is
the highest whose threshold (in the catalogue) the score reaches. A red flag makes the screening urgent at once,
whatever the score. The result lists every answer that counted and every red flag with the answers that raised
it, so that a caseworker can check each step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from hifazat.screening.indicators import Catalogue, Subject, resolve_subject

URGENT = "urgent"


@dataclass(frozen=True)
class Reason:
    """One answer that changed the score."""

    question: str
    answer: str
    weight: int  # signed: a protective factor's weight is negative here
    factor: str


@dataclass(frozen=True)
class RedFlag:
    flag: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    score: int
    band: str
    band_by_score: str
    reasons: tuple[Reason, ...]
    red_flags: tuple[RedFlag, ...]

    def reasons_json(self) -> list[dict]:
        return [asdict(reason) for reason in self.reasons]

    def red_flags_json(self) -> list[dict]:
        return [{"flag": f.flag, "questions": list(f.questions)} for f in self.red_flags]


def score(
    catalogue: Catalogue,
    answers: dict[str, str],
    *,
    subject_is_child: bool | None = None,
    subject: Subject | None = None,
) -> Result:
    """Score ``answers`` (question id to option value, already checked) with ``catalogue``'s rules. Only the
    questions relevant to this subject and these answers count: an answer to a question that was skipped
    changes nothing."""
    subject = resolve_subject(subject, subject_is_child)
    subject_is_child = subject.is_child
    reasons: list[Reason] = []
    flagged: dict[str, list[str]] = {}
    for question in catalogue.relevant_questions(subject, answers):
        value = answers.get(question.id)
        option = question.option(value) if value else None
        if option is None:
            continue
        if option.weight:
            reasons.append(Reason(question.id, value, question.signed_weight(value), question.factor))
        if option.present:
            for flag_id in question.red_flags:
                if catalogue.red_flags[flag_id].subject == "child" and not subject_is_child:
                    continue
                flagged.setdefault(flag_id, []).append(question.id)
    total = sum(reason.weight for reason in reasons)
    by_score = catalogue.band_for(total)
    red_flags = tuple(RedFlag(flag_id, tuple(ids)) for flag_id, ids in flagged.items())
    return Result(
        score=total,
        band=URGENT if red_flags else by_score,
        band_by_score=by_score,
        reasons=tuple(reasons),
        red_flags=red_flags,
    )
