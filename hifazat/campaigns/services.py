"""Writes of campaigns, key messages and their review, and activities (sessions, materials, radio).

Each service takes ``actor=`` first, checks the permission matrix, then the scope: the running organisation
edits the campaign and reviews its messages; the running organisation and the partners record its activities.
Phone message exports are in ``exports.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.people.models import VulnerabilityGroup
from hifazat.people.selectors import persons_visible_to

from . import selectors
from .languages import languages
from .models import (
    Attendance,
    Campaign,
    CampaignStatus,
    Channel,
    Distribution,
    KeyMessage,
    Material,
    MessageVersion,
    RadioSpot,
    Reach,
    Session,
)
from .sms import sms_length

A = AuditEntry.Action

# A text message longer than this many parts costs too much to send to a whole group; write it shorter.
MAX_SMS_PARTS = 3


def _must_run(actor: Actor, campaign: Campaign) -> None:
    if not selectors.runs(actor, campaign):
        raise PermissionDenied("only the organisation that runs the campaign may do this")


def _must_work_in(actor: Actor, campaign: Campaign) -> None:
    if not selectors.works_in(actor, campaign):
        raise PermissionDenied("only the organisation that runs the campaign and its partners may do this")


def _check_groups(groups: list[str]) -> list[str]:
    unknown = [group for group in groups if group not in VulnerabilityGroup.values]
    if unknown:
        raise ValidationError({"target_groups": f"Unknown target groups: {', '.join(unknown)}."})
    if not groups:
        raise ValidationError({"target_groups": "Choose at least one target group."})
    return list(dict.fromkeys(groups))


def _check_language(code: str, field: str = "language") -> None:
    if code not in {language.code for language in languages()}:
        raise ValidationError({field: f"{code!r} is not one of the campaign languages."})


# --- Campaigns ------------------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = {"name", "objective", "funder", "starts_on", "ends_on", "target_groups", "status"}


@transaction.atomic
def campaign_create(
    *, actor: Actor, partners=(), areas=(), sites=(), target_groups: list[str], **data: Any
) -> Campaign:
    """A campaign run by the actor's organisation, with its partners, places and target groups (status
    planned until it is launched)."""
    require(actor, "campaigns.manage")
    unknown = set(data) - (CAMPAIGN_FIELDS - {"status", "target_groups"})
    if unknown:
        raise ValueError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign(
        organisation=actor.organisation,
        target_groups=_check_groups(target_groups),
        created_by=actor.user,
        modified_by=actor.user,
        **data,
    )
    campaign.full_clean()
    campaign.save()
    _set_places(campaign, partners=partners, areas=areas, sites=sites)
    audit(actor, A.CREATE, campaign)
    return campaign


def _set_places(campaign: Campaign, *, partners, areas, sites) -> None:
    partners = [org for org in partners if org.pk != campaign.organisation_id]
    campaign.partners.set(partners)
    campaign.areas.set(areas)
    campaign.sites.set(sites)
    if not campaign.areas.exists() and not campaign.sites.exists():
        raise ValidationError({"sites": "Name at least one site or area."})


@transaction.atomic
def campaign_update(
    *, actor: Actor, campaign: Campaign, partners=None, areas=None, sites=None, **data: Any
) -> Campaign:
    require(actor, "campaigns.manage")
    _must_run(actor, campaign)
    unknown = set(data) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"unknown campaign fields: {sorted(unknown)}")
    if "target_groups" in data:
        data["target_groups"] = _check_groups(data["target_groups"])
    if data.get("status") == CampaignStatus.ACTIVE and campaign.launched_on is None:
        raise ValidationError({"status": "Record the launch to start the campaign."})
    changed = changed_fields(campaign, data)
    for name, value in data.items():
        setattr(campaign, name, value)
    campaign.modified_by = actor.user
    campaign.full_clean()
    campaign.save()
    if partners is not None or areas is not None or sites is not None:
        _set_places(
            campaign,
            partners=campaign.partners.all() if partners is None else partners,
            areas=campaign.areas.all() if areas is None else areas,
            sites=campaign.sites.all() if sites is None else sites,
        )
        changed.append("places")
    audit(actor, A.UPDATE, campaign, fields=changed)
    return campaign


@transaction.atomic
def campaign_launch(
    *, actor: Actor, campaign: Campaign, launched_on: datetime.date, launch_site, launch_note: str = ""
) -> Campaign:
    """Record the launch event (where and when) and start the campaign."""
    require(actor, "campaigns.manage")
    _must_run(actor, campaign)
    if campaign.status in {CampaignStatus.COMPLETED, CampaignStatus.CANCELLED}:
        raise ValidationError({"status": "A completed or cancelled campaign cannot be launched."})
    if launch_site.pk not in selectors.campaign_site_ids(campaign):
        raise ValidationError({"launch_site": "The launch takes place at one of the campaign's sites."})
    if launched_on < campaign.starts_on or (campaign.ends_on and launched_on > campaign.ends_on):
        raise ValidationError({"launched_on": "The launch falls within the campaign's period."})
    campaign.launched_on, campaign.launch_site, campaign.launch_note = launched_on, launch_site, launch_note
    campaign.status = CampaignStatus.ACTIVE
    campaign.modified_by = actor.user
    campaign.full_clean()
    campaign.save()
    audit(actor, A.UPDATE, campaign, fields=["launched_on", "launch_site", "status"])
    return campaign


# --- Key messages and their versions ----------------------------------------------------------------------------


@transaction.atomic
def key_message_create(
    *, actor: Actor, campaign: Campaign, title: str, topic: str, target_group: str = ""
) -> KeyMessage:
    require(actor, "campaigns.manage")
    _must_run(actor, campaign)
    if target_group and target_group not in campaign.target_groups:
        raise ValidationError({"target_group": "Choose one of the campaign's target groups, or none."})
    message = KeyMessage(
        campaign=campaign,
        title=title,
        topic=topic,
        target_group=target_group,
        created_by=actor.user,
        modified_by=actor.user,
    )
    message.full_clean()
    message.save()
    audit(actor, A.CREATE, message, campaign=str(campaign.uuid))
    return message


@transaction.atomic
def version_write(
    *, actor: Actor, message: KeyMessage, language: str, channel: str, text: str, submit: bool = False
) -> MessageVersion:
    """A new version of the message's text in ``language`` for ``channel``; older drafts and versions waiting
    for review of the same language and channel are superseded by it (the approved one stays in use until this
    one is approved). With ``submit`` it goes for review at once."""
    require(actor, "campaigns.manage")
    _must_run(actor, message.campaign)
    _check_language(language)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the text."})
    length = sms_length(text) if channel == Channel.SMS else None
    if length is not None and length.parts > MAX_SMS_PARTS:
        raise ValidationError(
            {
                "text": f"This text message takes {length.parts} parts ({length.encoding}); "
                f"keep it to {MAX_SMS_PARTS} parts or fewer."
            }
        )
    line = MessageVersion.objects.select_for_update().filter(
        message=message, language=language, channel=channel
    )
    number = (line.aggregate(n=Max("number"))["n"] or 0) + 1
    line.filter(status__in=[MessageVersion.Status.DRAFT, MessageVersion.Status.IN_REVIEW]).update(
        status=MessageVersion.Status.SUPERSEDED, modified_at=timezone.now()
    )
    version = MessageVersion(
        message=message,
        language=language,
        channel=channel,
        number=number,
        text=text,
        status=MessageVersion.Status.IN_REVIEW if submit else MessageVersion.Status.DRAFT,
        submitted_at=timezone.now() if submit else None,
        sms_encoding=length.encoding if length else "",
        sms_parts=length.parts if length else None,
        created_by=actor.user,
        modified_by=actor.user,
    )
    version.full_clean()
    version.save()
    audit(actor, A.CREATE, version, language=language, channel=channel, number=number, submitted=submit)
    if submit:
        _tell_reviewers(actor, version)
    return version


@transaction.atomic
def version_submit(*, actor: Actor, version: MessageVersion) -> MessageVersion:
    """Send a draft for review."""
    require(actor, "campaigns.manage")
    _must_run(actor, version.message.campaign)
    if version.status != MessageVersion.Status.DRAFT:
        raise ValidationError({"status": "Only a draft can be sent for review."})
    version.status = MessageVersion.Status.IN_REVIEW
    version.submitted_at = timezone.now()
    version.modified_by = actor.user
    version.save(update_fields=["status", "submitted_at", "modified_by", "modified_at"])
    audit(actor, A.UPDATE, version, fields=["status"], status=version.status)
    _tell_reviewers(actor, version)
    return version


@transaction.atomic
def version_review(*, actor: Actor, version: MessageVersion, approve: bool, note: str = "") -> MessageVersion:
    """Approve a version waiting for review, or return it with a note. Four eyes: its author may not."""
    require(actor, "campaigns.approve")
    _must_run(actor, version.message.campaign)
    if version.created_by_id == actor.user.pk:
        raise PermissionDenied("the author of a version cannot review it: someone else must (four eyes)")
    if version.status != MessageVersion.Status.IN_REVIEW:
        raise ValidationError({"status": "Only a version waiting for review can be reviewed."})
    if not approve and not note.strip():
        raise ValidationError({"review_note": "Say what to change."})
    if approve:
        MessageVersion.objects.filter(
            message=version.message,
            language=version.language,
            channel=version.channel,
            status=MessageVersion.Status.APPROVED,
        ).update(status=MessageVersion.Status.SUPERSEDED, modified_at=timezone.now())
    version.status = MessageVersion.Status.APPROVED if approve else MessageVersion.Status.RETURNED
    version.reviewed_by, version.reviewed_at, version.review_note = actor.user, timezone.now(), note.strip()
    version.modified_by = actor.user
    version.full_clean()
    version.save()
    audit(actor, A.UPDATE, version, fields=["status"], status=version.status)
    if version.created_by is not None:
        from hifazat.notifications.services import notify

        notify(
            recipients=[version.created_by],
            kind="campaigns.version_reviewed",
            title=f"A key message version of campaign {version.message.campaign.name} was "
            + ("approved" if approve else "returned for changes"),
            url=_message_url(version.message),
        )
    return version


def _message_url(message: KeyMessage) -> str:
    from django.urls import reverse

    return reverse("campaigns:message_detail", args=[message.uuid])


def _tell_reviewers(actor: Actor, version: MessageVersion) -> None:
    from hifazat.accounts.models import User
    from hifazat.core.permissions import PERMISSIONS
    from hifazat.notifications.services import notify

    reviewers = User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__organisation_id=version.message.campaign.organisation_id,
        memberships__role__in=PERMISSIONS["campaigns.approve"],
    ).exclude(pk=actor.user.pk)
    notify(
        recipients=reviewers,
        kind="campaigns.version_in_review",
        title=f"A key message version of campaign {version.message.campaign.name} waits for review",
        url=_message_url(version.message),
    )


# --- Sessions and attendance ----------------------------------------------------------------------------------

SESSION_FIELDS = {
    "site",
    "held_on",
    "facilitator",
    "target_group",
    "title",
    "message",
    "check_max_score",
    "note",
    *Session.COUNT_FIELDS,
}


def _check_session(campaign: Campaign, session: Session) -> None:
    if session.site_id not in selectors.campaign_site_ids(campaign):
        raise ValidationError({"site": "Choose one of the campaign's sites."})
    if session.target_group not in campaign.target_groups:
        raise ValidationError({"target_group": "Choose one of the campaign's target groups."})
    if session.facilitator_id not in selectors.campaign_organisation_ids(campaign):
        raise ValidationError(
            {"facilitator": "The organisation that runs the campaign or a partner facilitates."}
        )
    if session.message_id and session.message.campaign_id != campaign.pk:
        raise ValidationError({"message": "Choose one of the campaign's key messages."})
    if session.held_on < campaign.starts_on or (campaign.ends_on and session.held_on > campaign.ends_on):
        raise ValidationError({"held_on": "The session falls within the campaign's period."})


@transaction.atomic
def session_record(*, actor: Actor, campaign: Campaign, **data: Any) -> Session:
    """A session with its headcount by sex and age band; attendees and scores are added to it afterwards."""
    require(actor, "campaigns.record_activity")
    _must_work_in(actor, campaign)
    unknown = set(data) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"unknown session fields: {sorted(unknown)}")
    session = Session(campaign=campaign, created_by=actor.user, modified_by=actor.user, **data)
    session.full_clean()
    _check_session(campaign, session)
    session.save()
    audit(actor, A.CREATE, session, campaign=str(campaign.uuid), attendance=session.attendance_total)
    return session


@transaction.atomic
def session_update(*, actor: Actor, session: Session, **data: Any) -> Session:
    require(actor, "campaigns.record_activity")
    _must_work_in(actor, session.campaign)
    unknown = set(data) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"unknown session fields: {sorted(unknown)}")
    changed = changed_fields(session, data)
    for name, value in data.items():
        setattr(session, name, value)
    session.modified_by = actor.user
    session.full_clean()
    _check_session(session.campaign, session)
    _check_headcount(session)
    session.save()
    # Reach happened where and when the session was.
    Reach.objects.filter(attendance__session=session).update(
        site=session.site, reached_on=session.held_on, confirmed_on=session.held_on
    )
    audit(actor, A.UPDATE, session, fields=changed)
    return session


def _check_headcount(session: Session, adding: int = 0) -> None:
    linked = session.attendances.filter(person__isnull=False).count() + adding
    if linked > session.attendance_total:
        raise ValidationError(
            {"person": f"The headcount is {session.attendance_total}; correct it before linking more people."}
        )


def _check_scores(session: Session, pre_score: int | None, post_score: int | None) -> None:
    for name, score in (("pre_score", pre_score), ("post_score", post_score)):
        if score is not None and not 0 <= score <= session.check_max_score:
            raise ValidationError({name: f"A score is between 0 and {session.check_max_score}."})


@transaction.atomic
def attendee_add(
    *, actor: Actor, session: Session, person, pre_score: int | None = None, post_score: int | None = None
) -> Attendance:
    """Link a registered person who attended, with their knowledge check scores if taken. The person must be one
    the actor may see; the link records them as reached by the campaign."""
    require(actor, "campaigns.record_activity")
    _must_work_in(actor, session.campaign)
    if not persons_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("this person is not in your organisation's registry")
    if session.attendances.filter(person=person).exists():
        raise ValidationError({"person": "This person is already on the session's register."})
    _check_headcount(session, adding=1)
    _check_scores(session, pre_score, post_score)
    attendance = Attendance(
        session=session,
        person=person,
        pre_score=pre_score,
        post_score=post_score,
        created_by=actor.user,
        modified_by=actor.user,
    )
    attendance.full_clean()
    attendance.save()
    Reach.objects.create(
        campaign=session.campaign,
        person=person,
        via=Reach.Via.SESSION,
        site=session.site,
        reached_on=session.held_on,
        confirmed_on=session.held_on,
        attendance=attendance,
    )
    audit(actor, A.CREATE, attendance, session=str(session.uuid), person=str(person.uuid))
    return attendance


@transaction.atomic
def attendee_remove(*, actor: Actor, attendance: Attendance) -> None:
    """Take a wrongly linked person off the register (their reach through it goes too)."""
    require(actor, "campaigns.record_activity")
    _must_work_in(actor, attendance.session.campaign)
    if attendance.person_id and not persons_visible_to(actor).filter(pk=attendance.person_id).exists():
        raise PermissionDenied("this person is not in your organisation's registry")
    audit(
        actor,
        A.DELETE,
        attendance,
        session=str(attendance.session.uuid),
        person=str(attendance.person.uuid) if attendance.person else "",
    )
    attendance.delete()


@transaction.atomic
def scores_record(*, actor: Actor, session: Session, scores: list[tuple[int | None, int | None]]) -> int:
    """Knowledge check scores of people who are not linked (not registered, or not known): one row each."""
    require(actor, "campaigns.record_activity")
    _must_work_in(actor, session.campaign)
    rows = []
    for pre_score, post_score in scores:
        if pre_score is None and post_score is None:
            continue
        _check_scores(session, pre_score, post_score)
        rows.append(
            Attendance(
                session=session,
                pre_score=pre_score,
                post_score=post_score,
                created_by=actor.user,
                modified_by=actor.user,
            )
        )
    if len(rows) + session.attendances.filter(person__isnull=True).count() > session.attendance_total:
        raise ValidationError(
            {"scores": f"The headcount is {session.attendance_total}: more scores than people."}
        )
    Attendance.objects.bulk_create(rows)
    audit(actor, A.CREATE, session, scores=len(rows))
    return len(rows)


# --- Materials and radio --------------------------------------------------------------------------------------


@transaction.atomic
def material_create(*, actor: Actor, campaign: Campaign, **data: Any) -> Material:
    """A printed material and its print run."""
    require(actor, "campaigns.manage")
    _must_run(actor, campaign)
    _check_language(data.get("language", ""))
    if data.get("message") is not None and data["message"].campaign_id != campaign.pk:
        raise ValidationError({"message": "Choose one of the campaign's key messages."})
    material = Material(campaign=campaign, created_by=actor.user, modified_by=actor.user, **data)
    material.full_clean()
    material.save()
    audit(actor, A.CREATE, material, campaign=str(campaign.uuid), print_run=material.print_run)
    return material


@transaction.atomic
def distribution_record(
    *, actor: Actor, material: Material, site, distributed_on: datetime.date, quantity: int
) -> Distribution:
    """Copies handed out at a site, by the actor's organisation; never more than were printed."""
    require(actor, "campaigns.record_activity")
    campaign = material.campaign
    _must_work_in(actor, campaign)
    if site.pk not in selectors.campaign_site_ids(campaign):
        raise ValidationError({"site": "Choose one of the campaign's sites."})
    Material.objects.select_for_update().filter(pk=material.pk).first()
    handed_out = material.distributions.aggregate(n=Sum("quantity"))["n"] or 0
    if handed_out + quantity > material.print_run:
        raise ValidationError(
            {
                "quantity": f"Only {material.print_run - handed_out} of the {material.print_run} copies are left."
            }
        )
    distribution = Distribution(
        material=material,
        site=site,
        distributed_on=distributed_on,
        quantity=quantity,
        organisation=actor.organisation,
        created_by=actor.user,
        modified_by=actor.user,
    )
    distribution.full_clean()
    distribution.save()
    audit(actor, A.CREATE, distribution, material=str(material.uuid), quantity=quantity)
    return distribution


@transaction.atomic
def radio_spot_record(*, actor: Actor, campaign: Campaign, **data: Any) -> RadioSpot:
    require(actor, "campaigns.record_activity")
    _must_work_in(actor, campaign)
    _check_language(data.get("language", ""))
    if data.get("message") is not None and data["message"].campaign_id != campaign.pk:
        raise ValidationError({"message": "Choose one of the campaign's key messages."})
    spot = RadioSpot(campaign=campaign, created_by=actor.user, modified_by=actor.user, **data)
    spot.full_clean()
    spot.save()
    audit(actor, A.CREATE, spot, campaign=str(campaign.uuid), airings=spot.airings)
    return spot
