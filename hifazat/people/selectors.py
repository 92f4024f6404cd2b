"""Reads of households and people, starting from what the actor may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hifazat.core import crypto, hooks
from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.people.models import DuplicateSuspicion, Household, Person, PersonMerge
from hifazat.people.normalise import normalise_identity_number, normalise_phone
from hifazat.people.vulnerability import with_reasons_shown


def households_visible_to(actor: Actor | None) -> QuerySet[Household]:
    """The households the actor's organisation registered. Sharing with other organisations comes with
    referrals (cases), each through the person's consent."""
    if actor is None or not actor.can("people.view"):
        return Household.objects.none()
    return Household.objects.filter(organisation=actor.organisation, is_active=True).select_related(
        "site", "head"
    )


def persons_visible_to(actor: Actor | None) -> QuerySet[Person]:
    """The active, unmerged people the actor's organisation registered."""
    if actor is None or not actor.can("people.view"):
        return Person.objects.none()
    return Person.objects.filter(organisation=actor.organisation, is_active=True, merged_into__isnull=True)


def persons_with_phone(queryset: QuerySet[Person], phone: str) -> QuerySet[Person]:
    """Exact search on an encrypted phone number, through its blind index."""
    normalised = normalise_phone(phone)
    return (
        queryset.filter(phone_index=crypto.blind_index("phone", normalised))
        if normalised
        else queryset.none()
    )


def persons_with_identity_number(queryset: QuerySet[Person], number: str) -> QuerySet[Person]:
    normalised = normalise_identity_number(number)
    if not normalised:
        return queryset.none()
    return queryset.filter(identity_number_index=crypto.blind_index("identity_number", normalised))


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    kind: str
    text: str
    by: str = ""


def registry_events(person: Person, actor: Actor) -> list[TimelineEvent]:
    events = [
        TimelineEvent(
            person.created_at, "registration", _("Registered"), getattr(person.created_by, "username", "")
        )
    ]
    for consent in person.consents.select_related("created_by", "shared_with"):
        text = f"{_('Consent')}: {consent.get_purpose_display()} — {consent.get_status_display()}"
        if consent.shared_with:
            text += f" ({consent.shared_with})"
        events.append(
            TimelineEvent(consent.decided_at, "consent", text, getattr(consent.created_by, "username", ""))
        )
    for row in with_reasons_shown(person, person.vulnerabilities.all()):
        events.append(
            TimelineEvent(row.created_at, "vulnerability", f"{row.get_group_display()}: {row.shown_reason}")
        )
    events.extend(_correction_events(person))
    return events


# Names of corrected fields that are not the person's own model fields (``services.FIELD_NAMES``).
_NUMBER_LABELS = {"phone": gettext_lazy("phone"), "identity_number": gettext_lazy("identity number")}


def field_label(name: str) -> str:
    """How a corrected field is named on the timeline: its label, never its value."""
    if name in _NUMBER_LABELS:
        return str(_NUMBER_LABELS[name])
    try:
        return str(Person._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed: its stored name
        return name


def _correction_events(person: Person) -> list[TimelineEvent]:
    """The corrections of the person's record, from the audit log: who corrected which fields, and when. The
    entries hold field names only, so the timeline cannot show a value from before or after."""
    entries = AuditEntry.objects.filter(
        object_type="people.person",
        object_uuid=person.uuid,
        action=AuditEntry.Action.UPDATE,
        detail__has_key="fields",
    ).select_related("user")
    events = []
    for entry in entries:
        fields = entry.detail.get("fields") or []
        if fields:
            text = _("Corrected: %(fields)s") % {"fields": ", ".join(field_label(name) for name in fields)}
            events.append(TimelineEvent(entry.at, "correction", text, getattr(entry.user, "username", "")))
    return events


TIMELINE_SOURCES = hooks.define(
    "people.timeline",
    """``source(person, actor) -> list[TimelineEvent]``: the person's events that ``actor`` may see, from a
    part that records something about a person; a source checks the actor's permissions for its own records.
    The page itself is reached only through persons_visible_to.""",
)

RISK_BAND_FILTER = hooks.define(
    "people.risk_band_filter",
    """``filter(people, band) -> QuerySet[Person]``: the people whose latest screening is in ``band`` ("none":
    never screened), from the part that records screenings. The person list's risk band filter applies it.""",
)


def person_timeline(person: Person, actor: Actor) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for source in TIMELINE_SOURCES:
        events.extend(source(person, actor))
    return sorted(events, key=lambda event: event.at, reverse=True)


def suspicions_visible_to(actor: Actor | None) -> QuerySet[DuplicateSuspicion]:
    """Suspected duplicates of the actor's organisation of which the actor may see both people; open ones first,
    highest score first, newest first among equal scores (``suspicion_review_idx``).

    Each person is checked by a correlated ``EXISTS`` (a primary-key lookup per pair), so the database walks the
    queue's index in order and stops at the page's end. ``person_a__in=persons_visible_to(...)`` would let it
    join every visible person with every other one instead (seconds at a few thousand people)."""
    if actor is None or not actor.can("people.view"):
        return DuplicateSuspicion.objects.none()
    visible = persons_visible_to(actor)
    return (
        DuplicateSuspicion.objects.filter(
            Exists(visible.filter(pk=OuterRef("person_a_id"))),
            Exists(visible.filter(pk=OuterRef("person_b_id"))),
            organisation=actor.organisation,
        )
        .select_related("person_a", "person_b")
        .order_by("status", "-score", "-id")
    )


def merges_visible_to(actor: Actor | None) -> QuerySet[PersonMerge]:
    """The merges of the actor's organisation, for those who may merge."""
    if actor is None or not actor.can("people.merge"):
        return PersonMerge.objects.none()
    return PersonMerge.objects.filter(organisation=actor.organisation).select_related("kept", "removed")
