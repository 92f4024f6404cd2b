"""Reads of screenings and follow-ups, starting from what the actor may see, and how to show them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from hifazat.core.audit import Actor
from hifazat.screening import indicators
from hifazat.screening.indicators import Catalogue
from hifazat.screening.models import BAND_RANK, Band, FollowUp, Screening, ScreeningDraft


def screenings_visible_to(actor: Actor | None) -> QuerySet[Screening]:
    """The screenings the actor's organisation recorded, of people still in its registry. Screenings are not
    shared with other organisations; a referral (later) shares what the person consented to."""
    if actor is None or not actor.can("screening.view"):
        return Screening.objects.none()
    return Screening.objects.filter(organisation=actor.organisation, person__is_active=True).select_related(
        "person", "screened_by", "catalogue_version"
    )


def drafts_visible_to(actor: Actor | None) -> QuerySet[ScreeningDraft]:
    """The draft screenings of the actor's organisation, of people still in its registry: any caseworker of the
    organisation may resume one (a visit continued by a colleague), nobody outside it may see one."""
    if actor is None or not actor.can("screening.run"):
        return ScreeningDraft.objects.none()
    return ScreeningDraft.objects.filter(
        organisation=actor.organisation, person__is_active=True
    ).select_related("person", "modified_by")


def followups_visible_to(actor: Actor | None) -> QuerySet[FollowUp]:
    """The follow-up tasks of the actor's organisation."""
    if actor is None or not actor.can("screening.view"):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(organisation=actor.organisation, person__is_active=True).select_related(
        "person__household__site", "screening", "assigned_to"
    )


def followup_queue(actor: Actor | None, *, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """The follow-ups, most urgent first and then by due date; ``is_overdue`` marks open tasks past due."""
    today = today or timezone.localdate()
    return (
        followups_visible_to(actor)
        .annotate(
            priority_rank=Case(
                *(When(priority=band, then=Value(rank)) for band, rank in BAND_RANK.items()),
                default=Value(len(BAND_RANK)),
                output_field=IntegerField(),
            ),
            is_overdue=Case(
                When(Q(status=FollowUp.Status.OPEN) & Q(due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("priority_rank", "due_on", "created_at")
    )


# --- Showing a screening with the catalogue it was scored with -------------------------------------------------


@dataclass(frozen=True)
class ShownReason:
    section: str
    question: str
    answer: str
    weight: int
    factor: str
    strength: str


@dataclass(frozen=True)
class ShownRedFlag:
    text: str
    questions: list[str]


@dataclass(frozen=True)
class ShownSection:
    title: str
    answers: list[tuple[str, str]]


def screening_catalogue(screening: Screening) -> Catalogue:
    return indicators.from_version(screening.catalogue_version)


def screening_explained(screening: Screening) -> dict:
    """The reasons, red flags and answers of a screening in the current language, in its own catalogue's words."""
    catalogue = screening_catalogue(screening)
    questions = catalogue.questions
    sections = {s.id: s for s in catalogue.sections}

    def answer_text(question_id: str, value: str) -> str:
        option = questions[question_id].option(value)
        return option.text.get() if option else value

    reasons = [
        ShownReason(
            section=sections[questions[r["question"]].section].title.get(),
            question=questions[r["question"]].text.get(),
            answer=answer_text(r["question"], r["answer"]),
            weight=r["weight"],
            factor=r["factor"],
            strength=questions[r["question"]].strength,
        )
        for r in screening.reasons
    ]
    red_flags = [
        ShownRedFlag(
            text=catalogue.red_flags[f["flag"]].text.get(),
            questions=[questions[q].text.get() for q in f["questions"]],
        )
        for f in screening.red_flags
    ]
    answered = [
        ShownSection(
            title=section.title.get(),
            answers=[
                (q.text.get(), answer_text(q.id, screening.answers[q.id]))
                for q in section.questions
                if q.id in screening.answers
            ],
        )
        for section in catalogue.sections_for(subject_is_child=screening.subject_was_child)
    ]
    return {
        "catalogue": catalogue,
        "reasons": reasons,
        "red_flags": red_flags,
        "sections": answered,
        "band_by_score": Band(catalogue.band_for(screening.score)).label,
        "thresholds": catalogue.bands,
    }


def timeline_events(person, actor: Actor) -> list:
    """The person's screenings and follow-ups for the timeline of the person page, for roles that may see them."""
    from hifazat.people.selectors import TimelineEvent

    if not actor.can("screening.view"):
        return []
    events = [
        TimelineEvent(
            s.screened_at,
            "screening",
            f"{_('Risk screening')}: {s.get_band_display()} ({s.score})",
            getattr(s.screened_by, "username", ""),
        )
        for s in screenings_visible_to(actor).filter(person=person).select_related("screened_by")
    ]
    for f in followups_visible_to(actor).filter(person=person):
        events.append(
            TimelineEvent(
                f.created_at,
                "followup",
                f"{f.get_kind_display()} {_('due')} {f.due_on:%Y-%m-%d}: {f.get_status_display()}",
            )
        )
    return events
