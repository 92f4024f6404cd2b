"""Helpers for tests of screening and of the parts that show screenings (the route matrix, the demo)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from hifazat.screening import indicators
from hifazat.screening.indicators import Catalogue
from hifazat.screening.models import FollowUp, Screening


def neutral_answers(catalogue: Catalogue, *, subject_is_child: bool) -> dict[str, str]:
    """Every question that applies answered with its first answer that weighs nothing ("no", "no debt")."""
    return {
        q.id: next(o.value for o in q.options if o.weight == 0 and not o.present)
        for q in catalogue.questions_for(subject_is_child=subject_is_child)
    }


def answers_for(catalogue: Catalogue, *, subject_is_child: bool, **chosen: str) -> dict[str, str]:
    """Neutral answers, with the ones given by name changed: ``answers_for(c, subject_is_child=False,
    lure_offer_work="yes")``."""
    return {**neutral_answers(catalogue, subject_is_child=subject_is_child), **chosen}


def make_screening(person, *, by, band: str = "high", score: int = 12) -> Screening:
    """A screening row written directly, without consent or scoring: for route and page tests that need one to
    exist. Everything else goes through ``services.screening_record``."""
    catalogue, version = indicators.current()
    return Screening.objects.create(
        organisation=person.organisation,
        person=person,
        catalogue_version=version,
        answers=neutral_answers(catalogue, subject_is_child=person.is_child),
        subject_was_child=person.is_child,
        score=score,
        band=band,
        screened_by=by,
    )


def make_followup(
    screening: Screening, *, due_in_days: int = 7, kind: str = FollowUp.Kind.FOLLOW_UP, **fields
):
    fields.setdefault("priority", screening.band if screening.band != "low" else "medium")
    return FollowUp.objects.create(
        organisation=screening.organisation,
        person=screening.person,
        screening=screening,
        kind=kind,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
        **fields,
    )
