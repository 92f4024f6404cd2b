"""Reads of campaigns and their records, starting from what the actor may see.

Who sees what:

- The running organisation's and the partners' coordinators, supervisors, caseworkers and analysts
  (``campaigns.view``) see the campaign, its messages and activities, and exact figures.
- Registered people appear only to roles that see the registry (``people.view``), and only those people the
  actor's own organisation registered (``people.selectors.persons_visible_to``): a partner sees its own attendees
  and its own gaps, never another organisation's.
- The funder's donor viewers (``campaigns.aggregates`` without ``campaigns.view``) see their own campaigns'
  aggregate figures, with small cells suppressed (``coverage.shown``), and nothing else.
- Everyone, signed in or not, sees the approved public-page versions (``public_versions``).
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from hifazat.core.audit import Actor
from hifazat.geography.models import Site
from hifazat.geography.selectors import sites_in_area
from hifazat.people.models import Consent, ConsentPurpose, Person, Vulnerability
from hifazat.people.selectors import persons_visible_to
from hifazat.screening.models import BAND_RANK, Screening

from .models import (
    Attendance,
    Campaign,
    CampaignStatus,
    Channel,
    KeyMessage,
    MessageExport,
    MessageVersion,
    Reach,
    Session,
    Topic,
)


def _inside(actor: Actor) -> Q:
    """Campaigns the actor's organisation runs or carries out as a partner."""
    return Q(organisation=actor.organisation) | Q(partners=actor.organisation)


def campaigns_visible_to(actor: Actor | None) -> QuerySet[Campaign]:
    """The campaigns the actor's organisation runs or is a partner in."""
    if actor is None or not actor.can("campaigns.view"):
        return Campaign.objects.none()
    ids = Campaign.objects.filter(_inside(actor)).values("pk")
    return Campaign.objects.filter(pk__in=ids).select_related("organisation", "funder", "launch_site")


def campaigns_with_figures_visible_to(actor: Actor | None) -> QuerySet[Campaign]:
    """Campaigns whose aggregate figures the actor may see: those they work in, and those their organisation
    funds."""
    if actor is None or not actor.can("campaigns.aggregates"):
        return Campaign.objects.none()
    scope = Q(funder=actor.organisation)
    if actor.can("campaigns.view"):
        scope |= _inside(actor)
    ids = Campaign.objects.filter(scope).values("pk")
    return Campaign.objects.filter(pk__in=ids).select_related("organisation", "funder", "launch_site")


def works_in(actor: Actor, campaign: Campaign) -> bool:
    """Whether the actor's organisation runs the campaign or is a partner in it (exact figures, names)."""
    if actor is None or actor.organisation is None:
        return False
    return (
        campaign.organisation_id == actor.organisation.pk
        or campaign.partners.filter(pk=actor.organisation.pk).exists()
    )


def runs(actor: Actor | None, campaign: Campaign) -> bool:
    """Whether the actor's organisation runs the campaign: it alone edits it and reviews its messages."""
    return (
        actor is not None
        and actor.organisation is not None
        and campaign.organisation_id == actor.organisation.pk
    )


def campaign_organisation_ids(campaign: Campaign) -> list[int]:
    """The running organisation and the partners: whose registries make the campaign's population."""
    return [campaign.organisation_id, *campaign.partners.values_list("pk", flat=True)]


def campaign_sites(campaign: Campaign) -> QuerySet[Site]:
    """The campaign's sites: those named, and every site in its areas."""
    sites = Site.objects.filter(pk__in=campaign.sites.values("pk"))
    for area in campaign.areas.all():
        sites = sites | sites_in_area(Site.objects.all(), area)
    return Site.objects.filter(pk__in=sites.values("pk")).order_by("name")


def campaign_site_ids(campaign: Campaign) -> list[int]:
    return list(campaign_sites(campaign).values_list("pk", flat=True))


def members_of(groups: list[str]) -> QuerySet:
    """The ids of the people in any of ``groups``, for ``pk__in``: the database reads the group index once and
    looks each person up, rather than testing every person of the registry."""
    return Vulnerability.objects.filter(group__in=groups).values("person_id")


def reached_by(campaign: Campaign) -> QuerySet:
    """The ids of the people the campaign has reached, for ``pk__in``."""
    return Reach.objects.filter(campaign=campaign).values("person_id")


def latest_band_in(bands: list[str]) -> QuerySet:
    """The ids of the people whose latest screening is in ``bands`` (``screening.models``), for ``pk__in``."""
    newer = Screening.objects.filter(person=OuterRef("person_id")).filter(
        Q(screened_at__gt=OuterRef("screened_at"))
        | Q(screened_at=OuterRef("screened_at"), pk__gt=OuterRef("pk"))
    )
    return Screening.objects.filter(band__in=bands).exclude(Exists(newer)).values("person_id")


def population(
    campaign: Campaign, people: QuerySet[Person] | None = None, *, groups=None, site_ids=None
) -> QuerySet[Person]:
    """The campaign's people: active, unmerged, registered by the running organisation or a partner, living at
    one of its sites, in one of its target groups (or ``groups``). ``people`` narrows it (to what an actor may
    see)."""
    people = people if people is not None else Person.objects.all()
    return people.filter(
        pk__in=members_of(groups or campaign.target_groups),
        organisation_id__in=campaign_organisation_ids(campaign),
        is_active=True,
        merged_into__isnull=True,
        household__site_id__in=site_ids if site_ids is not None else campaign_site_ids(campaign),
    )


def phone_consent_status() -> Subquery:
    """The status of a person's phone-contact consent in force (the newest decision), for annotations."""
    return Subquery(
        Consent.objects.filter(person=OuterRef("pk"), purpose=ConsentPurpose.PHONE_CONTACT)
        .order_by("-decided_at", "-id")
        .values("status")[:1]
    )


def gap_list(actor: Actor, campaign: Campaign, *, site=None, group: str = "") -> QuerySet[Person]:
    """The campaign's people whom it has not reached yet, among those the actor may see, by site and name; for
    roles that see screenings, the most urgent latest screening band first. ``phone_consent`` is the status of
    their phone-contact consent in force."""
    if not actor.can("campaigns.gaps"):
        return Person.objects.none()
    site_ids = campaign_site_ids(campaign)
    if site is not None:
        site_ids = [pk for pk in site_ids if pk == site.pk]
    people = (
        population(campaign, persons_visible_to(actor), groups=[group] if group else None, site_ids=site_ids)
        .exclude(pk__in=reached_by(campaign))
        .annotate(phone_consent=phone_consent_status())
        .select_related("household__site")
        .prefetch_related("vulnerabilities")
    )
    order = ["household__site__name", "first_name", "second_name", "pk"]
    if actor.can("screening.view"):
        rank = Case(
            *(When(pk__in=latest_band_in([band]), then=Value(rank)) for band, rank in BAND_RANK.items()),
            default=Value(len(BAND_RANK)),
            output_field=IntegerField(),
        )
        return people.annotate(risk_rank=rank).order_by("risk_rank", *order)
    return people.order_by(*order)


def latest_bands(people: list[Person]) -> dict[int, str]:
    """The latest screening band of each of ``people`` (a page of them), by person id."""
    bands: dict[int, str] = {}
    rows = Screening.objects.filter(person__in=people).order_by("person_id", "-screened_at", "-pk")
    for person_id, band in rows.values_list("person_id", "band"):
        bands.setdefault(person_id, band)
    return bands


def messages_visible_to(actor: Actor | None) -> QuerySet[KeyMessage]:
    return KeyMessage.objects.filter(campaign__in=campaigns_visible_to(actor)).select_related("campaign")


def versions_visible_to(actor: Actor | None) -> QuerySet[MessageVersion]:
    return MessageVersion.objects.filter(message__in=messages_visible_to(actor)).select_related(
        "message__campaign", "created_by", "reviewed_by"
    )


def sessions_visible_to(actor: Actor | None) -> QuerySet[Session]:
    return Session.objects.filter(campaign__in=campaigns_visible_to(actor)).select_related(
        "campaign", "site", "facilitator", "message"
    )


def attendances_visible_to(actor: Actor | None) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session__in=sessions_visible_to(actor)).select_related(
        "session", "person"
    )


def exports_visible_to(actor: Actor | None) -> QuerySet[MessageExport]:
    """Exports made in the actor's organisation, for roles that may export an audience (only the maker may take
    the file)."""
    if actor is None or not actor.can("campaigns.export_audience"):
        return MessageExport.objects.none()
    return MessageExport.objects.filter(
        organisation=actor.organisation, campaign__in=campaigns_visible_to(actor)
    ).select_related("campaign", "message", "job", "created_by")


def approved_version(message: KeyMessage, language: str, channel: str) -> MessageVersion | None:
    return message.versions.filter(
        language=language, channel=channel, status=MessageVersion.Status.APPROVED
    ).first()


TOPIC_ORDER = list(Topic.values)


def public_versions(language: str) -> list[MessageVersion]:
    """The approved public-page versions in ``language`` of campaigns that are not cancelled, by topic: what
    anyone may read. Drafts, versions waiting for review and returned ones never appear."""
    versions = (
        MessageVersion.objects.filter(
            channel=Channel.PUBLIC, language=language, status=MessageVersion.Status.APPROVED
        )
        .exclude(message__campaign__status=CampaignStatus.CANCELLED)
        .select_related("message")
        .order_by("-reviewed_at")
    )
    return sorted(versions, key=lambda v: TOPIC_ORDER.index(v.message.topic))


def reach_events(person: Person, actor: Actor) -> list:
    """The person's reach by campaigns the actor works in, for the person page's timeline."""
    import datetime

    from django.utils import timezone
    from django.utils.translation import gettext as _

    from hifazat.people.selectors import TimelineEvent

    if not actor.can("campaigns.view"):
        return []
    rows = (
        Reach.objects.filter(person=person, campaign__in=campaigns_visible_to(actor))
        .select_related("campaign", "site")
        .order_by("reached_on")
    )
    zone = timezone.get_current_timezone()
    reached = _("Reached by the campaign")
    return [
        TimelineEvent(
            datetime.datetime.combine(row.reached_on, datetime.time(12), tzinfo=zone),
            "campaign",
            f"{reached} {row.campaign.name}: {row.get_via_display()} ({row.site.code})",
        )
        for row in rows
    ]
