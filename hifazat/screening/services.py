"""Writes: record a screening (with its follow-ups), save or discard a draft of one, close a follow-up, set a
person's trafficking status."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.versioning import EditConflict, changed_fields, check_version
from hifazat.people.models import ConsentPurpose, Person
from hifazat.people.services import consent_require
from hifazat.screening import indicators, scoring
from hifazat.screening.indicators import Subject
from hifazat.screening.models import Band, FollowUp, Screening, ScreeningDraft, TraffickingStatus

A = AuditEntry.Action

# Days until the first follow-up visit, by band; and until the next screening.
FOLLOW_UP_DAYS = {Band.URGENT: 2, Band.HIGH: 7}
RESCREENING_DAYS = {Band.URGENT: 30, Band.HIGH: 60, Band.MEDIUM: 90}


def _own(actor: Actor, record: Person | Screening | ScreeningDraft | FollowUp) -> None:
    if record.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this record belongs to another organisation")


def _screenable(actor: Actor, person: Person) -> None:
    require(actor, "screening.run")
    _own(actor, person)
    if not person.is_active or person.merged_into_id:
        raise ValidationError(
            "This record was merged into another or removed: screen the person's current record."
        )
    consent_require(person, ConsentPurpose.SCREENING)


@transaction.atomic
def screening_record(
    *,
    actor: Actor,
    person: Person,
    answers: dict[str, str],
    draft: ScreeningDraft | None = None,
    draft_version: int | None = None,
) -> Screening:
    """Score and record a screening of ``person`` with the catalogue in use now.

    Refused without ``screening.run``, for another organisation's person, and without the person's consent to
    screening in force. Only the questions relevant to the person and the answers count: answers to questions
    the skip logic left out are dropped, not stored. High and urgent results get a follow-up visit; medium and
    above a re-screening date. Re-screenings that were open for the person are closed by this one.

    Finishing a ``draft`` removes it, after checking it is still at ``draft_version`` (the version the form
    carried): a draft someone else saved meanwhile is not overwritten by a screening they have not seen.
    """
    _screenable(actor, person)
    if draft is not None:
        _own(actor, draft)
        if draft.person_id != person.pk:
            raise ValidationError("The draft is of another person.")
        draft = _locked_draft(draft)
        check_version(draft, draft_version)
    catalogue, version = indicators.current()
    subject = Subject.of(person)
    subject_is_child = subject.is_child
    answers = catalogue.clean_answers(answers, subject=subject)
    result = scoring.score(catalogue, answers, subject=subject)
    screening = Screening(
        organisation=actor.organisation,
        person=person,
        catalogue_version=version,
        answers=answers,
        subject_was_child=subject_is_child,
        score=result.score,
        band=result.band,
        reasons=result.reasons_json(),
        red_flags=result.red_flags_json(),
        screened_by=actor.user,
        screened_at=timezone.now(),
        created_by=actor.user,
        modified_by=actor.user,
    )
    screening.full_clean()
    screening.save()
    closed = _close_open_rescreenings(actor, screening)
    followups = _schedule(actor, screening)
    extra = {"draft": str(draft.uuid)} if draft is not None else {}
    audit(
        actor,
        A.CREATE,
        screening,
        person=str(person.uuid),
        catalogue_version=version.version,
        answers=len(answers),
        follow_ups=len(followups),
        rescreenings_closed=closed,
        **extra,
    )
    if draft is not None:
        audit(actor, A.DELETE, draft, person=str(person.uuid), recorded_as=str(screening.uuid))
        draft.delete()
    return screening


def _locked_draft(draft: ScreeningDraft) -> ScreeningDraft:
    """The draft as it is now, its row locked to the end of the transaction; a conflict if it is gone (recorded
    or discarded by someone else since the form was loaded)."""
    current = ScreeningDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if current is None:
        raise EditConflict(draft)
    return current


@transaction.atomic
def screening_draft_save(
    *,
    actor: Actor,
    person: Person,
    answers: dict[str, str],
    section: int = 1,
    draft: ScreeningDraft | None = None,
    version: int | None = None,
) -> ScreeningDraft:
    """Keep the answers given so far, and the section reached, as the person's draft screening.

    The same refusals as recording a screening (permission, organisation, consent). Answers are checked as a
    screening's are, but may be incomplete; answers to questions the skip logic leaves out are not stored.
    ``draft`` and ``version`` are the draft the form was working on and the version it saw: an edit of an older
    version, or of a draft recorded or discarded meanwhile, raises ``EditConflict``. Without ``draft``, a new
    one is started; if someone else started one for the person meanwhile, that is a conflict too.
    """
    _screenable(actor, person)
    catalogue, catalogue_version = indicators.current()
    kept = catalogue.clean_answers(answers, subject=Subject.of(person), partial=True)
    section = max(int(section), 1)
    if draft is None:
        draft = ScreeningDraft(
            organisation=actor.organisation,
            person=person,
            catalogue_version=catalogue_version,
            answers=kept,
            section=section,
            created_by=actor.user,
            modified_by=actor.user,
        )
        draft.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError:  # a colleague started a draft for this person first: theirs is kept
            raise EditConflict() from None
        audit(actor, A.CREATE, draft, person=str(person.uuid), answers=len(kept), section=section)
        return draft
    _own(actor, draft)
    if draft.person_id != person.pk:
        raise ValidationError("The draft is of another person.")
    draft = _locked_draft(draft)
    check_version(draft, version)
    fields = changed_fields(draft, {"answers": kept, "section": section})
    if draft.catalogue_version_id != catalogue_version.pk:
        draft.catalogue_version = catalogue_version
        fields.append("catalogue_version")
    if fields:
        draft.modified_by = actor.user
        fields.append("modified_by")
        draft.full_clean(validate_constraints=False)
        draft.save(update_fields=fields)
        audit(actor, A.UPDATE, draft, fields=sorted(fields), answers=len(kept), section=section)
    return draft


@transaction.atomic
def screening_draft_discard(*, actor: Actor, draft: ScreeningDraft, version: int | None = None) -> None:
    """Remove a draft screening without recording it (the visit was broken off, or the wrong person)."""
    require(actor, "screening.run")
    _own(actor, draft)
    draft = _locked_draft(draft)
    check_version(draft, version)
    audit(actor, A.DELETE, draft, person=str(draft.person.uuid))
    draft.delete()


def _schedule(actor: Actor, screening: Screening) -> list[FollowUp]:
    today = timezone.localdate()
    plan: list[tuple[str, int]] = []
    if screening.band in FOLLOW_UP_DAYS:
        plan.append((FollowUp.Kind.FOLLOW_UP, FOLLOW_UP_DAYS[screening.band]))
    if screening.band in RESCREENING_DAYS:
        plan.append((FollowUp.Kind.RESCREENING, RESCREENING_DAYS[screening.band]))
    followups = []
    for kind, days in plan:
        followup = FollowUp(
            organisation=screening.organisation,
            person=screening.person,
            screening=screening,
            kind=kind,
            priority=screening.band,
            due_on=today + datetime.timedelta(days=days),
            assigned_to=actor.user,
            created_by=actor.user,
            modified_by=actor.user,
        )
        followup.full_clean()
        followups.append(followup)
    return FollowUp.objects.bulk_create(followups)


def _close_open_rescreenings(actor: Actor, screening: Screening) -> int:
    return FollowUp.objects.filter(
        organisation=screening.organisation,
        person=screening.person,
        kind=FollowUp.Kind.RESCREENING,
        status=FollowUp.Status.OPEN,
    ).update(
        status=FollowUp.Status.DONE,
        closed_at=timezone.now(),
        closed_by=actor.user,
        closed_by_screening=screening,
        modified_by=actor.user,
        modified_at=timezone.now(),
    )


@transaction.atomic
def followup_complete(*, actor: Actor, followup: FollowUp, note: str = "") -> FollowUp:
    """Mark an open follow-up done."""
    return _followup_close(actor, followup, FollowUp.Status.DONE, note)


@transaction.atomic
def followup_cancel(*, actor: Actor, followup: FollowUp, note: str) -> FollowUp:
    """Cancel an open follow-up, saying why (the person moved away, a duplicate task)."""
    if not note.strip():
        raise ValidationError({"note": "Say why the follow-up is cancelled."})
    return _followup_close(actor, followup, FollowUp.Status.CANCELLED, note)


def _followup_close(actor: Actor, followup: FollowUp, status: str, note: str) -> FollowUp:
    require(actor, "screening.run")
    _own(actor, followup)
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status != FollowUp.Status.OPEN:
        raise ValidationError("This follow-up is already closed.")
    followup.status = status
    followup.note = note.strip()
    followup.closed_at = timezone.now()
    followup.closed_by = actor.user
    followup.modified_by = actor.user
    followup.full_clean()
    followup.save()
    audit(actor, A.UPDATE, followup, fields=["status", "note"] if note else ["status"])
    return followup


@transaction.atomic
def trafficking_status_set(*, actor: Actor, person: Person, status: str, screening: Screening) -> Person:
    """Record the HTCDS trafficking status of ``person``, decided from ``screening``: by whom (on the screening)
    and which organisation (``person.trafficking_status_by``). Supervisors only.

    The audit entry names the fields, not the status: the audit log is read by administrators, who may not
    see screenings.
    """
    require(actor, "screening.set_trafficking_status")
    _own(actor, person)
    _own(actor, screening)
    if screening.person_id != person.pk:
        raise ValidationError("The screening is of another person.")
    if status not in TraffickingStatus.values:
        raise ValidationError({"status": f"{status!r} is not an HTCDS trafficking status."})
    now = timezone.now()
    person.trafficking_status = status
    person.trafficking_status_by = actor.organisation
    person.modified_by = actor.user
    person.full_clean(exclude=["phone_encrypted", "identity_number_encrypted"])
    person.save(update_fields=["trafficking_status", "trafficking_status_by", "modified_by", "modified_at"])
    screening.trafficking_status = status
    screening.trafficking_status_by = actor.user
    screening.trafficking_status_at = now
    screening.modified_by = actor.user
    screening.full_clean()
    screening.save(
        update_fields=[
            "trafficking_status",
            "trafficking_status_by",
            "trafficking_status_at",
            "modified_by",
            "modified_at",
        ]
    )
    audit(
        actor,
        A.UPDATE,
        person,
        fields=["trafficking_status", "trafficking_status_by"],
        screening=str(screening.uuid),
    )
    return person
