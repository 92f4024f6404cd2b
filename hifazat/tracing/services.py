"""Writes of tracing: requests, the candidates found and the team's decisions on them, the confirmed match, the
reunification checklist and the reunification itself. Each write checks the actor's permission and scope and
leaves one audit entry with no personal values.

The checklist is followed in order: the child's identity and the relationship are verified and the child's views
are heard before a supervisor records the best-interests decision; reunification is recorded only after a
decision to reunify, and only then can the child's case close as reunified (``hooks.closure_check``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hifazat.cases.models import OPEN_STATUSES, Case
from hifazat.core import crypto, sequences
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.core.permissions import roles_that_can
from hifazat.core.versioning import check_version
from hifazat.matching.blocking import name_keys
from hifazat.notifications.services import notify
from hifazat.people.models import ConsentPurpose, Person
from hifazat.people.normalise import birthdate_from_age, normalise_phone
from hifazat.people.services import ConsentRequired
from hifazat.tracing import selectors
from hifazat.tracing.models import (
    ACTIVE_STATUSES,
    BestInterests,
    CandidateStatus,
    ChecklistEntry,
    ChecklistItem,
    ChildView,
    TracingCandidate,
    TracingRequest,
    TracingRequestKey,
    TracingStatus,
)
from hifazat.tracing.scoring import LIKELY_FROM, POSSIBLE_FROM

A = AuditEntry.Action

# What a caller may set on a request (the inquirer's phone and an age in years come as their own arguments).
REQUEST_FIELDS = {
    "received_on",
    "caseworker",
    "case",
    "inquirer_name",
    "inquirer_relationship",
    "inquirer_site",
    "inquirer_address",
    "inquirer_consent",
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_name",
    "parentage_name_ur",
    "mother_name",
    "gender",
    "birthdate",
    "description",
    "origin_area",
    "origin_village",
    "separation_date",
    "separation_area",
    "separation_place",
    "circumstances",
}
# The fields the candidates depend on: a change to any of them looks for candidates again.
MATCHED_ON = {
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_name",
    "parentage_name_ur",
    "gender",
    "birthdate",
    "origin_area",
    "origin_village",
    "separation_date",
    "separation_area",
}
# Outcomes of the checklist items that have one.
OUTCOMES = {ChecklistItem.CHILD_VIEWS: ChildView.values, ChecklistItem.BEST_INTERESTS: BestInterests.values}


def next_request_number(organisation, year: int) -> str:
    """``<short name>-T-<year>-<sequence>``, from the organisation's locked counter of tracing requests for the
    year (``core.sequences``), inside the transaction that creates the request."""
    return sequences.next_number(
        organisation=organisation,
        kind=sequences.Kind.TRACING_REQUEST,
        year=year,
        prefix=f"{organisation.short_name or 'TR'}-T-{year}-",
        existing=TracingRequest.objects.filter(organisation=organisation),
    )


def _own(actor: Actor, request: TracingRequest) -> None:
    if request.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this tracing request belongs to another organisation")


def _active(request: TracingRequest) -> None:
    if request.status not in ACTIVE_STATUSES:
        raise ValidationError(
            f"The request is {request.get_status_display().lower()}: it no longer looks for candidates."
        )


def _check_references(actor: Actor, data: dict[str, Any]) -> None:
    """The case and the caseworker named must be the actor's organisation's."""
    case = data.get("case")
    if case is not None and case.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this case belongs to another organisation")
    caseworker = data.get("caseworker")
    if (
        caseworker is not None
        and not caseworker.memberships.filter(
            organisation=actor.organisation, is_active=True, role__in=roles_that_can("tracing.manage")
        ).exists()
    ):
        raise ValidationError({"caseworker": "Choose a caseworker or supervisor of your organisation."})


def _apply(
    request: TracingRequest, data: dict[str, Any], *, phone: str | None, age_years: int | None
) -> list[str]:
    unknown = set(data) - REQUEST_FIELDS
    if unknown:
        raise ValueError(f"unknown tracing request fields: {sorted(unknown)}")
    for name in ("birthdate", "separation_date", "received_on"):
        if data.get(name) and data[name] > timezone.localdate():
            raise ValidationError({name: "This date is in the future."})
    if age_years is not None:
        if data.get("birthdate"):
            raise ValidationError({"birthdate": "Give a date of birth or an age, not both."})
        if not 0 <= age_years <= 120:
            raise ValidationError({"birthdate": "An age is between 0 and 120 years."})
        # The age the inquirer gives is the child's age when they ask.
        data["birthdate"] = birthdate_from_age(age_years, data.get("received_on") or request.received_on)
        request.birthdate_is_estimate = True
    elif data.get("birthdate") or "birthdate" in data:
        request.birthdate_is_estimate = False
    changed = changed_fields(request, data) if request.pk else sorted(data)
    for name, value in data.items():
        setattr(request, name, value)
    if phone is not None:
        normalised = normalise_phone(phone)
        if phone and not normalised:
            raise ValidationError({"phone": "This is not a phone number this system can read."})
        index = crypto.blind_index("phone", normalised)
        if not request.pk or index != request.inquirer_phone_index:
            # Encryption is not deterministic: the number is written again only when it is another number.
            request.inquirer_phone_encrypted = crypto.encrypt(normalised)
            request.inquirer_phone_index = index
            changed.append("phone")
    request.birth_year = request.birthdate.year if request.birthdate else None
    return changed


# The stored fields that ``_apply`` may set besides those named in ``data``.
_DERIVED = {"phone": ["inquirer_phone_encrypted", "inquirer_phone_index"]}


def _fields_to_write(request: TracingRequest, before: dict[str, Any], changed: list[str]) -> list[str]:
    """The request's columns that an update writes: those whose value changed since ``before`` (a snapshot of
    the loaded row), so that an edit never writes back a field that someone else changed meanwhile."""
    names = {name for name in changed if name not in _DERIVED}
    names.update(name for name in changed if name in _DERIVED for name in _DERIVED[name])
    names.update(
        name for name in ("birthdate_is_estimate", "birth_year") if getattr(request, name) != before[name]
    )
    return sorted(names)


def _refresh_keys(request: TracingRequest) -> None:
    """Rewrite the request's rows in its key table: the name keys of the sought person (``matching.blocking``,
    the keys a registered person is filed under for every lookup but the review queue's) while the request is
    active, none after."""
    TracingRequestKey.objects.filter(request=request).delete()
    if request.status not in ACTIVE_STATUSES:
        return
    record = selectors.match_record(request)
    TracingRequestKey.objects.bulk_create(
        TracingRequestKey(
            request=request, organisation_id=request.organisation_id, key=key, birth_year=record.birth_year
        )
        for key in name_keys(record)
    )


def _store_candidates(request: TracingRequest, candidates) -> list[TracingCandidate]:
    """Put the candidates scored "possible" or better on the request's review list (new ones as to review;
    the score of those still to review brought up to date; decisions left as they are). Returns the new rows."""
    existing = {c.person_id: c for c in request.candidates.all()}
    new = []
    for candidate in candidates:
        row = existing.get(candidate.person.pk)
        if row is None:
            if candidate.match.probability >= POSSIBLE_FROM:
                new.append(
                    TracingCandidate(
                        request=request, person=candidate.person, score=candidate.match.probability
                    )
                )
        elif row.status == CandidateStatus.OPEN and row.score != candidate.match.probability:
            row.score = candidate.match.probability
            row.save(update_fields=["score", "modified_at"])
    TracingCandidate.objects.bulk_create(new)
    if any(c.score >= LIKELY_FROM for c in new) and request.caseworker_id:
        notify(
            recipients=[request.caseworker],
            kind="tracing.candidate",
            title=f"Tracing request {request.number} has a new likely candidate",
            url=request.get_absolute_url(),
            organisation=request.organisation,
        )
    return new


def refresh_candidates(request: TracingRequest) -> list[TracingCandidate]:
    """Look for the request's candidates among its organisation's children and store them (the part's
    ``tracing_refresh`` command runs this for every active request, so that children registered after a
    request are found)."""
    if request.status not in ACTIVE_STATUSES:
        return []
    children = selectors.tracing_children_of(request.organisation_id)
    return _store_candidates(request, selectors.rank_children(request, children))


@transaction.atomic
def tracing_request_create(
    *,
    actor: Actor,
    phone: str = "",
    age_years: int | None = None,
    **data: Any,
) -> TracingRequest:
    """Record a tracing request, look for candidates at once and put the likely and possible ones on the review
    list. The inquirer must agree that what they tell is used to trace."""
    require(actor, "tracing.manage")
    _check_references(actor, data)
    if not data.get("inquirer_consent"):
        raise ValidationError(
            {"inquirer_consent": "The inquirer must agree that these details are used to trace the person."}
        )
    received_on = data.pop("received_on", None) or timezone.localdate()
    request = TracingRequest(
        organisation=actor.organisation,
        number=next_request_number(actor.organisation, received_on.year),
        received_on=received_on,
        caseworker=data.pop("caseworker", None) or actor.user,
        created_by=actor.user,
        modified_by=actor.user,
    )
    _apply(request, data, phone=phone, age_years=age_years)
    request.full_clean(exclude=["inquirer_phone_encrypted"])
    request.save()
    _refresh_keys(request)
    found = _store_candidates(
        request, selectors.rank_children(request, selectors.tracing_children_visible_to(actor))
    )
    audit(actor, A.CREATE, request, candidates=len(found))
    return request


@transaction.atomic
def tracing_request_update(
    *,
    actor: Actor,
    request: TracingRequest,
    phone: str | None = None,
    age_years: int | None = None,
    version: int | None = None,
    **data: Any,
) -> TracingRequest:
    """Change what is known about the request; the candidates are looked for again when the sought person's
    description changed. A reunified or closed request is not changed. ``version`` is the request's version
    the editor saw (``core.versioning``): an edit of an older one is refused, as is one that races another."""
    require(actor, "tracing.manage")
    _own(actor, request)
    check_version(request, version)
    if request.status in (TracingStatus.REUNIFIED, TracingStatus.CLOSED):
        raise ValidationError(f"The request is {request.get_status_display().lower()}: it is not changed.")
    _check_references(actor, data)
    if "inquirer_consent" in data and not data["inquirer_consent"]:
        raise ValidationError(
            {"inquirer_consent": "The inquirer must agree that these details are used to trace the person."}
        )
    before = {"birthdate_is_estimate": request.birthdate_is_estimate, "birth_year": request.birth_year}
    changed = _apply(request, data, phone=phone, age_years=age_years)
    request.modified_by = actor.user
    request.full_clean(exclude=["inquirer_phone_encrypted"])
    request.save(update_fields=[*_fields_to_write(request, before, changed), "modified_by"])
    found = []
    if set(changed) & MATCHED_ON:
        _refresh_keys(request)
        if request.status in ACTIVE_STATUSES:
            found = _store_candidates(
                request, selectors.rank_children(request, selectors.tracing_children_visible_to(actor))
            )
    audit(actor, A.UPDATE, request, fields=sorted(set(changed)), candidates=len(found))
    return request


@transaction.atomic
def candidates_refresh(*, actor: Actor, request: TracingRequest) -> list[TracingCandidate]:
    """Look for the request's candidates again (children registered or given consent since) and put the new
    likely and possible ones on the review list."""
    require(actor, "tracing.manage")
    _own(actor, request)
    _active(request)
    found = _store_candidates(
        request, selectors.rank_children(request, selectors.tracing_children_visible_to(actor))
    )
    audit(actor, A.UPDATE, request, candidates=len(found))
    return found


def _traceable(actor: Actor, person: Person) -> None:
    """The child must be one the actor may search in tracing: their organisation's, registered as separated,
    with family-tracing consent in force."""
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this person belongs to another organisation")
    if not selectors.is_tracing_child(actor, person):
        raise ConsentRequired(ConsentPurpose.FAMILY_TRACING)


def _candidate(request: TracingRequest, person: Person) -> TracingCandidate:
    match = selectors.pair_score(request, person)
    row, _created = TracingCandidate.objects.get_or_create(
        request=request, person=person, defaults={"score": match.probability}
    )
    row.score = match.probability
    return row


# What a decision on a candidate writes (the row exists: ``_candidate`` gets or creates it).
_DECISION_FIELDS = ["score", "status", "note", "decided_by", "decided_at", "modified_by", "modified_at"]


@transaction.atomic
def candidate_decide(
    *,
    actor: Actor,
    request: TracingRequest,
    person: Person,
    decision: str,
    note: str = "",
    version: int | None = None,
) -> TracingCandidate:
    """Decide on a candidate: propose them as the match (to verify with the family), reject them (with the
    reason), or put them back to review. The request is "match proposed" while any candidate is proposed."""
    require(actor, "tracing.manage")
    _own(actor, request)
    check_version(request, version)
    _active(request)
    _traceable(actor, person)
    if decision not in (CandidateStatus.PROPOSED, CandidateStatus.REJECTED, CandidateStatus.OPEN):
        raise ValidationError({"decision": "Propose, reject or put the candidate back to review."})
    note = note.strip()
    if decision == CandidateStatus.REJECTED and not note:
        raise ValidationError({"note": "Say why this child is not the one sought."})
    row = _candidate(request, person)
    row.status, row.note = decision, note
    row.decided_by, row.decided_at = actor.user, timezone.now()
    row.modified_by = actor.user
    row.save(update_fields=_DECISION_FIELDS)
    proposed = request.candidates.filter(status=CandidateStatus.PROPOSED).exists()
    request.status = TracingStatus.MATCH_PROPOSED if proposed else TracingStatus.OPEN
    request.modified_by = actor.user
    request.save(update_fields=["status", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, request, candidate=str(person.uuid), decision=decision)
    return row


@transaction.atomic
def match_confirm(
    *, actor: Actor, request: TracingRequest, person: Person, note: str = "", version: int | None = None
) -> TracingRequest:
    """Confirm that ``person`` is the child the request seeks: the request is matched and linked to the child
    (and to the child's open case, if there is exactly one and the request has none); the other candidates stay
    as they were decided. The reunification checklist starts."""
    require(actor, "tracing.manage")
    _own(actor, request)
    check_version(request, version)
    _active(request)
    _traceable(actor, person)
    row = _candidate(request, person)
    row.status, row.note = CandidateStatus.CONFIRMED, note.strip() or row.note
    row.decided_by, row.decided_at, row.modified_by = actor.user, timezone.now(), actor.user
    row.save(update_fields=_DECISION_FIELDS)
    request.matched_person = person
    request.matched_at, request.matched_by = timezone.now(), actor.user
    request.status = TracingStatus.MATCHED
    written = ["matched_person", "matched_at", "matched_by", "status", "modified_by"]
    if request.case_id is None:
        open_cases = list(
            Case.objects.filter(
                person=person, organisation=actor.organisation, status__in=OPEN_STATUSES
            ).values_list("pk", flat=True)[:2]
        )
        if len(open_cases) == 1:
            request.case_id = open_cases[0]
            written.append("case")
    request.modified_by = actor.user
    request.full_clean(exclude=["inquirer_phone_encrypted"])
    request.save(update_fields=written)
    _refresh_keys(request)
    audit(
        actor,
        A.UPDATE,
        request,
        matched=str(person.uuid),
        case=str(request.case.uuid) if request.case else "",
    )
    if request.caseworker_id and request.caseworker_id != actor.user.pk:
        notify(
            recipients=[request.caseworker],
            kind="tracing.matched",
            title=f"Tracing request {request.number} is matched: the reunification checklist has started",
            url=request.get_absolute_url(),
            organisation=request.organisation,
        )
    return request


@transaction.atomic
def match_withdraw(
    *, actor: Actor, request: TracingRequest, reason: str, version: int | None = None
) -> TracingRequest:
    """Undo a confirmed match that verification did not bear out: the child goes back on the list as rejected,
    with the reason, the checklist recorded for the pair is cleared, and the request looks for candidates again."""
    require(actor, "tracing.manage")
    _own(actor, request)
    check_version(request, version)
    if request.status != TracingStatus.MATCHED:
        raise ValidationError("Only a matched request, not yet reunified, can have its match withdrawn.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the match is withdrawn."})
    person_uuid = str(request.matched_person.uuid)
    request.candidates.filter(person=request.matched_person).update(
        status=CandidateStatus.REJECTED,
        note=reason,
        decided_by=actor.user,
        decided_at=timezone.now(),
        modified_at=timezone.now(),
    )
    cleared, _ = request.checklist.all().delete()
    request.matched_person, request.matched_at, request.matched_by = None, None, None
    request.status = TracingStatus.OPEN
    request.modified_by = actor.user
    request.save(update_fields=["matched_person", "matched_at", "matched_by", "status", "modified_by"])
    _refresh_keys(request)
    audit(actor, A.UPDATE, request, withdrawn=person_uuid, checklist_cleared=cleared)
    return request


def _supervisors(organisation) -> list:
    from hifazat.accounts.models import User

    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=roles_that_can("tracing.approve"),
            is_active=True,
        )
    )


@transaction.atomic
def checklist_record(
    *, actor: Actor, request: TracingRequest, item: str, note: str, outcome: str = ""
) -> ChecklistEntry:
    """Record one item of the reunification checklist, with how it was done. The items are followed in order;
    the best-interests decision is a supervisor's (``tracing.approve``) and comes after the other three. An item
    is recorded once."""
    require(actor, "tracing.manage")
    if item == ChecklistItem.BEST_INTERESTS:
        require(actor, "tracing.approve")
    _own(actor, request)
    if request.status != TracingStatus.MATCHED:
        raise ValidationError("The checklist is followed once a match is confirmed, until the reunification.")
    _traceable(actor, request.matched_person)
    if item not in ChecklistItem.values:
        raise ValidationError({"item": f"Unknown checklist item {item!r}."})
    missing = selectors.checklist_missing(request)
    if item not in missing:
        raise ValidationError({"item": "This item is already recorded."})
    if item == ChecklistItem.BEST_INTERESTS and set(missing) - {item}:
        raise ValidationError(
            {"item": "Verify identity and relationship and hear the child first: then the decision is made."}
        )
    allowed = OUTCOMES.get(item)
    if allowed is not None and outcome not in allowed:
        raise ValidationError({"outcome": "Choose an outcome."})
    if allowed is None:
        outcome = ""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say how it was done and by whom."})
    entry = ChecklistEntry(
        request=request,
        item=item,
        outcome=outcome,
        note=note,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
        created_by=actor.user,
        modified_by=actor.user,
    )
    entry.full_clean()
    entry.save()
    audit(actor, A.CREATE, entry, request=str(request.uuid), item=item, outcome=outcome)
    if selectors.checklist_missing(request) == [ChecklistItem.BEST_INTERESTS]:
        notify(
            recipients=_supervisors(request.organisation),
            kind="tracing.best_interests",
            title=f"Tracing request {request.number} awaits a best-interests decision",
            url=reverse("tracing:checklist", args=[request.uuid]),
            organisation=request.organisation,
        )
    return entry


@transaction.atomic
def reunification_record(
    *,
    actor: Actor,
    request: TracingRequest,
    reunified_on: datetime.date | None = None,
    version: int | None = None,
) -> TracingRequest:
    """Record that the child is back with the family: the checklist complete and the best-interests decision
    to reunify. The child's case may then close as reunified."""
    require(actor, "tracing.manage")
    _own(actor, request)
    check_version(request, version)
    if request.status != TracingStatus.MATCHED:
        raise ValidationError("Only a matched request can be recorded as reunified.")
    _traceable(actor, request.matched_person)
    missing = selectors.checklist_missing(request)
    if missing:
        labels = ", ".join(str(ChecklistItem(item).label) for item in missing)
        raise ValidationError(f"The checklist is not complete: {labels}.")
    decision = request.checklist.get(item=ChecklistItem.BEST_INTERESTS).outcome
    if decision != BestInterests.REUNIFY:
        raise ValidationError("The best-interests decision is not to reunify.")
    reunified_on = reunified_on or timezone.localdate()
    if reunified_on > timezone.localdate():
        raise ValidationError({"reunified_on": "This date is in the future."})
    request.status = TracingStatus.REUNIFIED
    request.reunified_on = reunified_on
    request.modified_by = actor.user
    request.save(update_fields=["status", "reunified_on", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, request, status=TracingStatus.REUNIFIED)
    return request


@transaction.atomic
def tracing_request_close(
    *, actor: Actor, request: TracingRequest, reason: str, version: int | None = None
) -> TracingRequest:
    """Close a request that will not end in reunification (the inquirer withdrew it, the person was found
    otherwise, or the decision was not to reunify), with the reason."""
    require(actor, "tracing.manage")
    _own(actor, request)
    check_version(request, version)
    if request.status in (TracingStatus.REUNIFIED, TracingStatus.CLOSED):
        raise ValidationError(f"The request is already {request.get_status_display().lower()}.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for closing the request."})
    request.status = TracingStatus.CLOSED
    request.closed_on = timezone.localdate()
    request.closure_reason = reason
    request.modified_by = actor.user
    request.save(update_fields=["status", "closed_on", "closure_reason", "modified_by", "modified_at"])
    _refresh_keys(request)
    audit(actor, A.UPDATE, request, status=TracingStatus.CLOSED)
    return request
