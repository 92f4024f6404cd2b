"""Writes to referrals: send (or ask a supervisor to approve), respond, withdraw, open a case from one, and the
overdue sweep.

Every status change adds an event to the referral's timeline, which the sender reads, and notifies the other
side. Notification titles carry the referral number only.

A referral is a ``VersionedModel``: the sender and the receiver's staff act on it at once, so every write names
the fields it changes, and an answer or withdrawal made from a page (or API request) that read an older version
is refused with ``EditConflict`` (``version=``), never applied over the other side's change.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hifazat.accounts.models import User
from hifazat.cases.models import Case
from hifazat.cases.selectors import cases_visible_to
from hifazat.core import sequences
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.permissions import roles_that_can
from hifazat.core.versioning import check_version
from hifazat.notifications.services import notify
from hifazat.people.models import Consent, ConsentPurpose
from hifazat.people.services import ConsentRequired, consent_in_force
from hifazat.referrals import snapshot as snapshots
from hifazat.referrals.models import (
    Referral,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
    ServiceProvider,
    ServiceType,
    SharedPart,
    Urgency,
)
from hifazat.referrals.selectors import outgoing_referrals

A = AuditEntry.Action
E = ReferralEvent.Kind
S = ReferralStatus

# The approval kinds this part handles (``hifazat.cases`` approvals, handlers registered in apps.py).
APPROVAL_CONSENT_OVERRIDE = "referral.consent_override"
APPROVAL_TRANSFER = "referral.transfer"


def next_referral_number(organisation, year: int) -> str:
    """``<short name>-RF-<year>-<sequence>``, from the sending organisation's locked counter of referrals for
    the year (``core.sequences``). Referrals were numbered ``-R-`` before, like the network's reports: the
    count goes on after the highest of those."""
    short_name = organisation.short_name or "REF"
    return sequences.next_number(
        organisation=organisation,
        kind=sequences.Kind.REFERRAL,
        year=year,
        prefix=f"{short_name}-RF-{year}-",
        older_prefixes=[f"{short_name}-R-{year}-"],
        existing=Referral.objects.filter(sender_organisation=organisation),
    )


def members(organisation, roles) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=list(roles),
        ).distinct()
    )


def consent_for(person, *, is_transfer: bool, receiver) -> Consent | None:
    """The consent decision in force that allows the referral, or ``None``. A referral needs consent for
    referral; a transfer, consent for referral or for sharing with the receiving organisation."""
    consent = consent_in_force(person, ConsentPurpose.REFERRAL)
    if consent is not None and consent.status == Consent.Status.GIVEN:
        return consent
    if is_transfer and receiver is not None:
        sharing = consent_in_force(person, ConsentPurpose.SHARING, shared_with=receiver)
        if sharing is not None and sharing.status == Consent.Status.GIVEN:
            return sharing
    return None


def _event(referral: Referral, kind: str, actor: Actor | None, *, note: str = "", at=None, sender_only=False):
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        at=at or timezone.now(),
        by=actor.user if actor else None,
        organisation=actor.organisation if actor else None,
        note=note,
        sender_only=sender_only,
    )


def _check_case(actor: Actor, case: Case) -> None:
    if (
        case.organisation_id != actor.organisation.pk
        or not cases_visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("this case is not one you may refer")
    if not case.is_open:
        raise ValidationError("The case is closed: reopen it before referring.")


def _check_provider(actor: Actor, provider: ServiceProvider, service: str) -> None:
    if service not in ServiceType.values:
        raise ValidationError({"service": f"Unknown service {service!r}."})
    if not provider.is_active or not provider.organisation.is_active:
        raise ValidationError({"provider": "This provider is no longer in the directory."})
    if provider.organisation_id == actor.organisation.pk:
        raise ValidationError(
            {"provider": "A referral goes to another organisation; within yours, assign the case instead."}
        )
    if service not in provider.service_values:
        raise ValidationError({"service": f"{provider.name} does not offer this service."})
    if not provider.accepting_referrals:
        raise ValidationError({"provider": f"{provider.name} does not accept referrals now."})


@transaction.atomic
def referral_send(
    *,
    actor: Actor,
    case: Case,
    provider: ServiceProvider,
    service: str,
    reason: str,
    urgency: str,
    shared_parts: list[str],
    support_needed: str = "",
    notes: str = "",
    is_transfer: bool = False,
    override_reason: str = "",
    sent_at: datetime.datetime | None = None,
) -> Referral:
    """Refer ``case`` to ``provider`` for ``service``, sharing a snapshot of ``shared_parts`` only.

    Refused without the person's consent in force (for a transfer: for referral, or for sharing with the
    receiving organisation), unless ``override_reason`` is given: a supervisor then sends it with the override
    recorded and audited, and a caseworker's referral waits for a supervisor's approval instead. A caseworker's
    transfer always waits for a supervisor's approval. ``sent_at`` is for records entered after the fact.
    """
    require(actor, "referrals.send")
    _check_case(actor, case)
    _check_provider(actor, provider, service)
    if reason not in ReferralReason.values:
        raise ValidationError({"reason": f"{reason!r} is not an HTCDS reason for referral."})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": f"Unknown urgency {urgency!r}."})
    parts = snapshots.clean_parts(shared_parts)
    receiver = provider.organisation
    if (
        is_transfer
        and case.referrals.filter(
            is_transfer=True, status__in=[S.AWAITING_APPROVAL, S.SENT, S.ACCEPTED]
        ).exists()
    ):
        raise ValidationError({"is_transfer": "This case already has a transfer under way."})
    consent = consent_for(case.person, is_transfer=is_transfer, receiver=receiver)
    override_reason = override_reason.strip() if consent is None else ""
    if consent is None and not override_reason:
        raise ConsentRequired(ConsentPurpose.REFERRAL)
    is_supervisor = actor.can("cases.approve")
    referral = Referral(
        number=next_referral_number(actor.organisation, (sent_at or timezone.now()).year),
        case=case,
        sender_organisation=actor.organisation,
        sent_by=actor.user,
        receiver_organisation=receiver,
        provider=provider,
        service=service,
        reason=reason,
        urgency=urgency,
        is_transfer=is_transfer,
        shared_parts=parts,
        status=S.AWAITING_APPROVAL,
        created_by=actor.user,
        modified_by=actor.user,
    )
    referral.set_snapshot(
        snapshots.build(case, parts, support_needed=support_needed, notes=notes, consent=consent)
    )
    if is_supervisor and consent is None:
        _override(referral, actor, override_reason)
    if is_supervisor and is_transfer:
        referral.approved_by = actor.user
    needs_approval = not is_supervisor and (is_transfer or consent is None)
    if not needs_approval:
        sent_at = _set_sent(actor, referral, at=sent_at)
    referral.full_clean()
    referral.save()
    if needs_approval:
        _request_approval(actor, referral, override_reason=override_reason)
    else:
        _announce_sent(actor, referral, at=sent_at)
    audit(
        actor,
        A.CREATE,
        referral,
        case=str(case.uuid),
        receiver=str(receiver.uuid),
        service=service,
        shared_parts=parts,
        transfer=is_transfer,
        consent_override=referral.consent_override,
        awaiting_approval=needs_approval,
    )
    return referral


def _override(referral: Referral, actor: Actor, reason: str) -> None:
    """The supervisor sends without the person's consent: who decided and why are kept with the referral."""
    referral.consent_override = True
    referral.override_reason = reason
    referral.override_by = actor.user


def _request_approval(actor: Actor, referral: Referral, *, override_reason: str) -> None:
    """Ask the organisation's supervisors to approve: a consent override (with the caseworker's reason), else a
    transfer. One request covers both: approving a transfer without consent needs the supervisor's reason too."""
    from hifazat.cases.services import approval_request

    approval_request(
        actor=actor,
        kind=APPROVAL_CONSENT_OVERRIDE if override_reason else APPROVAL_TRANSFER,
        target_uuid=referral.uuid,
        reason=override_reason or f"Transfer to {referral.receiver_organisation.name} ({referral.number})",
        case=referral.case,
        detail={"referral": referral.number, "transfer": referral.is_transfer},
    )
    _event(referral, E.APPROVAL_REQUESTED, actor, note=override_reason, sender_only=True)


SENT_FIELDS = ["status", "sent_at", "due_at", "modified_by"]


def _set_sent(actor: Actor, referral: Referral, *, at=None) -> datetime.datetime:
    """Set the fields of sending (``SENT_FIELDS``); the caller saves them."""
    at = at or timezone.now()
    referral.status = S.SENT
    referral.sent_at = at
    referral.due_at = referral.due_after(at)
    referral.modified_by = actor.user
    return at


def _announce_sent(actor: Actor, referral: Referral, *, at) -> None:
    _event(referral, E.SENT, actor, at=at)
    notify(
        recipients=members(referral.receiver_organisation, roles_that_can("referrals.respond")),
        kind="referral.received",
        title=f"Referral {referral.number} received",
        url=referral.get_absolute_url(),
        organisation=referral.receiver_organisation,
    )


def _awaiting(approval, actor: Actor) -> Referral:
    require(actor, "cases.approve")
    referral = (
        Referral.objects.select_for_update().select_related("case__person").get(uuid=approval.target_uuid)
    )
    if referral.sender_organisation_id != actor.organisation.pk:
        raise PermissionDenied("this referral belongs to another organisation")
    if referral.status != S.AWAITING_APPROVAL:
        raise ValidationError("This referral is no longer waiting for approval.")
    return referral


def approval_granted(approval, actor: Actor) -> Referral:
    """The supervisor approved a caseworker's request (a transfer, or sending without consent): the referral is
    sent. Where the person's consent is still missing, the supervisor's note on the decision is the written
    reason for the override, and must be given. Runs inside the decision's transaction (``cases`` approvals)."""
    referral = _awaiting(approval, actor)
    note = approval.decision_note.strip()
    consent = consent_for(
        referral.case.person, is_transfer=referral.is_transfer, receiver=referral.receiver_organisation
    )
    fields = list(SENT_FIELDS)
    if consent is None:
        if not note:
            raise ValidationError(
                {"decision_note": "Write your reason for sending without the person's consent."}
            )
        _override(referral, actor, note)
        fields += ["consent_override", "override_reason", "override_by"]
    if referral.is_transfer:
        referral.approved_by = actor.user
        fields.append("approved_by")
    _event(referral, E.APPROVED, actor, note=note, sender_only=True)
    at = _set_sent(actor, referral)
    referral.full_clean()
    referral.save(update_fields=fields)
    _announce_sent(actor, referral, at=at)
    notify(
        recipients=[referral.sent_by],
        kind="referral.approved",
        title=f"Referral {referral.number} was approved and sent",
        url=referral.get_absolute_url(),
        organisation=referral.sender_organisation,
    )
    audit(
        actor,
        A.UPDATE,
        referral,
        fields=["status"],
        approval=str(approval.uuid),
        approved=True,
        consent_override=referral.consent_override,
    )
    return referral


def approval_refused(approval, actor: Actor) -> Referral:
    """The supervisor refused the request: the referral is not sent, and whoever asked is told."""
    referral = _awaiting(approval, actor)
    referral.status = S.CANCELLED
    referral.modified_by = actor.user
    referral.save(update_fields=["status", "modified_by"])
    _event(referral, E.APPROVAL_REFUSED, actor, note=approval.decision_note.strip(), sender_only=True)
    notify(
        recipients=[referral.sent_by],
        kind="referral.not_approved",
        title=f"Referral {referral.number} was not approved",
        url=referral.get_absolute_url(),
        organisation=referral.sender_organisation,
    )
    audit(actor, A.UPDATE, referral, fields=["status"], approval=str(approval.uuid), approved=False)
    return referral


# --- The receiver's answers -------------------------------------------------------------------------------------


def _receiving(
    actor: Actor, referral: Referral, *, allowed: list[str], version: int | None = None
) -> Referral:
    """The referral as stored now, locked, for an answer by the receiving organisation: refused if the answer
    started from an older ``version`` (the sender withdrew it, or a colleague answered first) or if its status
    does not allow the answer."""
    require(actor, "referrals.respond")
    if referral.receiver_organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the receiving organisation answers a referral")
    referral = Referral.objects.select_for_update().select_related("case", "sent_by").get(pk=referral.pk)
    check_version(referral, version)
    if referral.status not in allowed:
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()}: it cannot change so."
        )
    return referral


def _tell_sender(referral: Referral, what: str) -> None:
    case = referral.case
    notify(
        recipients=[referral.sent_by, case.caseworker, case.owner],
        kind=f"referral.{what}",
        title=f"Referral {referral.number} {what}",
        url=referral.get_absolute_url(),
        organisation=referral.sender_organisation,
    )


@transaction.atomic
def referral_accept(
    *,
    actor: Actor,
    referral: Referral,
    note: str = "",
    reference: str = "",
    at=None,
    version: int | None = None,
) -> Referral:
    """Accept a referral. For a transfer, the sender's case closes as referred."""
    referral = _receiving(actor, referral, allowed=[S.SENT], version=version)
    at = at or timezone.now()
    referral.status = S.ACCEPTED
    referral.responded_at, referral.responded_by = at, actor.user
    fields = ["status"]
    if reference.strip():
        referral.receiver_reference = reference.strip()
        fields.append("receiver_reference")
    referral.modified_by = actor.user
    referral.full_clean()
    referral.save(update_fields=[*fields, "responded_at", "responded_by", "modified_by"])
    _event(referral, E.ACCEPTED, actor, note=note.strip(), at=at)
    if referral.receiver_reference:
        _event(referral, E.REFERENCE, actor, note=referral.receiver_reference, at=at)
    if referral.is_transfer:
        _close_transferred_case(referral, at=at)
    _tell_sender(referral, "accepted")
    audit(actor, A.UPDATE, referral, fields=fields)
    return referral


def _close_transferred_case(referral: Referral, *, at) -> None:
    """The receiver's acceptance completes the transfer the sender's supervisor approved: the case closes as
    referred, in the sender's name (the approving supervisor's decision, now carried out)."""
    from hifazat.cases.services import case_close_referred

    approver = Actor.for_user(referral.approved_by)
    case_close_referred(
        actor=approver,
        case=referral.case,
        note=f"Transferred to {referral.receiver_organisation.name} (referral {referral.number}).",
    )
    _event(referral, E.CASE_TRANSFERRED, approver, at=at, sender_only=True)


@transaction.atomic
def referral_decline(
    *, actor: Actor, referral: Referral, reason: str, at=None, version: int | None = None
) -> Referral:
    """Decline a referral, saying why (the sender reads it and looks elsewhere)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is declined."})
    referral = _receiving(actor, referral, allowed=[S.SENT], version=version)
    at = at or timezone.now()
    referral.status = S.DECLINED
    referral.decline_reason = reason.strip()
    referral.responded_at, referral.responded_by = at, actor.user
    referral.modified_by = actor.user
    referral.full_clean()
    referral.save(update_fields=["status", "decline_reason", "responded_at", "responded_by", "modified_by"])
    _event(referral, E.DECLINED, actor, note=referral.decline_reason, at=at)
    _tell_sender(referral, "declined")
    audit(actor, A.UPDATE, referral, fields=["status", "decline_reason"])
    return referral


@transaction.atomic
def referral_complete(
    *,
    actor: Actor,
    referral: Referral,
    outcome: str,
    reference: str = "",
    at=None,
    version: int | None = None,
) -> Referral:
    """Record that the service was given, with the outcome. The police unit records its reference number."""
    referral = _receiving(actor, referral, allowed=[S.ACCEPTED], version=version)
    outcome, reference = outcome.strip(), reference.strip() or referral.receiver_reference
    if not outcome:
        raise ValidationError({"outcome": "Record the outcome."})
    if referral.is_police and not reference:
        raise ValidationError({"reference": "Record the police unit's reference number."})
    at = at or timezone.now()
    new_reference = reference != referral.receiver_reference
    referral.status = S.COMPLETED
    referral.outcome, referral.receiver_reference = outcome, reference
    referral.completed_at = at
    referral.modified_by = actor.user
    referral.full_clean()
    referral.save(
        update_fields=[
            "status",
            "outcome",
            "completed_at",
            "modified_by",
            *(["receiver_reference"] if new_reference else []),
        ]
    )
    if new_reference:
        _event(referral, E.REFERENCE, actor, note=reference, at=at)
    _event(referral, E.COMPLETED, actor, note=outcome, at=at)
    _tell_sender(referral, "completed")
    audit(
        actor,
        A.UPDATE,
        referral,
        fields=["status", "outcome", *(["receiver_reference"] if new_reference else [])],
    )
    return referral


@transaction.atomic
def referral_open_case(
    *,
    actor: Actor,
    referral: Referral,
    consent_given_by: str = Consent.GivenBy.SELF,
    consent_given_by_name: str = "",
    child_view: str = "",
) -> Case:
    """Open a case at the receiving organisation for the person referred: register them from the shared parts
    (their name, gender and age must have been shared; their phone if it was), with their consent to registration
    as the receiver records it, and open the case with the referral as its origin. Once per referral."""
    from hifazat.cases.services import case_open
    from hifazat.people.services import person_register

    require(actor, "cases.open")
    referral = _receiving(actor, referral, allowed=[S.ACCEPTED, S.COMPLETED])
    if referral.receiver_case_id is not None:
        raise ValidationError("A case was already opened from this referral.")
    shared = referral.snapshot
    who = shared.get(SharedPart.NAME_AGE)
    if not who:
        raise ValidationError(
            "The referral does not share the person's name, gender and age: register the person yourself."
        )
    person = person_register(
        actor=actor,
        first_name=who["first_name"],
        second_name=who["second_name"],
        first_name_ur=who["first_name_ur"],
        second_name_ur=who["second_name_ur"],
        gender=who["gender"],
        age_years=who["age"],
        phone=shared.get(SharedPart.PHONE) or "",
        consent_given_by=consent_given_by,
        consent_given_by_name=consent_given_by_name,
        child_view=child_view,
    )
    case = case_open(
        actor=actor,
        person=person,
        origin="incoming_referral",
        origin_uuid=referral.uuid,
        summary=shared.get(SharedPart.CASE_SUMMARY) or shared.get(SharedPart.SUPPORT_NEEDED) or "",
    )
    referral.receiver_case = case
    referral.modified_by = actor.user
    referral.save(update_fields=["receiver_case", "modified_by"])
    _event(referral, E.CASE_OPENED, actor)
    audit(actor, A.UPDATE, referral, fields=["receiver_case"], case=str(case.uuid))
    return case


# --- The sender's withdrawal -----------------------------------------------------------------------------------

# A referral the sender may still take back: the receiver has not answered, or has accepted and not completed.
# One waiting for a supervisor's approval is the supervisor's to refuse (the approval must not be left hanging).
WITHDRAWABLE = [S.SENT, S.ACCEPTED]


@transaction.atomic
def referral_withdraw(
    *, actor: Actor, referral: Referral, reason: str, version: int | None = None, at=None
) -> Referral:
    """The sending organisation takes back a referral it sent (the person changed their mind, the need was met
    elsewhere, it went to the wrong provider), saying why.

    Allowed while the receiver has not answered or has accepted without completing; an accepted transfer has
    already closed the case here and cannot be withdrawn. The receiver's staff are told (whoever accepted it
    too), and the snapshot of the shared parts is erased: the receiver keeps the referral's number, status and
    the reason, and can no longer read what was shared. What it already registered itself, from an accepted
    referral, is its own record and stays.
    """
    require(actor, "referrals.send")
    if (
        referral.sender_organisation_id != actor.organisation.pk
        or not outgoing_referrals(actor).filter(pk=referral.pk).exists()
    ):
        raise PermissionDenied("only the sending organisation withdraws its referral")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the referral is withdrawn."})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(referral, version)
    if referral.status not in WITHDRAWABLE:
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()}: it can no longer be withdrawn."
        )
    if referral.is_transfer and referral.status == S.ACCEPTED:
        raise ValidationError(
            "The receiver accepted this transfer and the case is closed here: it can no longer be withdrawn."
        )
    was_accepted = referral.status == S.ACCEPTED
    at = at or timezone.now()
    referral.status = S.WITHDRAWN
    referral.withdrawn_at = at
    referral.withdraw_reason = reason
    referral.set_snapshot({})
    referral.modified_by = actor.user
    referral.full_clean()
    referral.save(
        update_fields=["status", "withdrawn_at", "withdraw_reason", "snapshot_encrypted", "modified_by"]
    )
    _event(referral, E.WITHDRAWN, actor, note=reason, at=at)
    notify(
        # The receiver's staff who answer referrals, and whoever accepted this one (notify skips duplicates).
        recipients=[
            *members(referral.receiver_organisation, roles_that_can("referrals.respond")),
            *([referral.responded_by] if was_accepted else []),
        ],
        kind="referral.withdrawn",
        title=f"Referral {referral.number} withdrawn",
        url=referral.get_absolute_url(),
        organisation=referral.receiver_organisation,
    )
    audit(
        actor,
        A.UPDATE,
        referral,
        fields=["status", "withdraw_reason", "snapshot_encrypted"],
        was_accepted=was_accepted,
    )
    return referral


# --- Overdue responses ------------------------------------------------------------------------------------------


def referrals_mark_overdue(*, now: datetime.datetime | None = None) -> int:
    """Mark referrals that got no answer by their due time, and tell the sender and the receiver's supervisors.

    Idempotent: a referral is marked once (``overdue_since``), whoever runs the sweep and however often; the
    conditional update decides, so two sweeps at once cannot both notify. Returns how many were marked.

    The mark writes ``overdue_since`` alone, by a conditional update that leaves the version as it is: it never
    writes back another field, and an answer the receiver is typing stays valid (an answer committed first
    takes the referral out of ``sent``, and the update then marks nothing).
    """
    now = now or timezone.now()
    due = Referral.objects.filter(status=S.SENT, overdue_since__isnull=True, due_at__lt=now).select_related(
        "sent_by", "receiver_organisation", "sender_organisation"
    )
    marked = 0
    for referral in list(due.order_by("due_at")):
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, overdue_since__isnull=True, status=S.SENT).update(
                overdue_since=now, modified_at=now
            ):
                continue
            marked += 1
            _event(referral, E.OVERDUE, None, at=now)
            title = f"Referral {referral.number} is overdue"
            notify(
                recipients=[referral.sent_by],
                kind="referral.overdue",
                title=title,
                url=referral.get_absolute_url(),
                organisation=referral.sender_organisation,
            )
            notify(
                recipients=members(referral.receiver_organisation, roles_that_can("cases.view_all")),
                kind="referral.overdue",
                title=title,
                url=referral.get_absolute_url(),
                organisation=referral.receiver_organisation,
            )
            audit(None, A.UPDATE, referral, fields=["overdue_since"])
    return marked
