"""Campaigns: key messages in versions, activities (sessions, materials, radio, phone message exports) and reach.

Vulnerability groups are the registry's (``people.VulnerabilityGroup`` values, the groups HTCDS does not have and
Hifazat adds). Who was reached is kept in one table, ``Reach``, written by the services that link a session's
attendee or hand out a phone message export, so that coverage is one indexed lookup per person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel
from hifazat.people.models import VulnerabilityGroup


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Launched, running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(BaseModel):
    """An awareness campaign: run by one organisation, carried out with partners, paid for by a funder.

    Its places are ``sites`` and every site in ``areas``; its people are the registered people of the running
    organisation and its partners who live there and belong to one of ``target_groups``.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    name = models.CharField(_("name"), max_length=200)
    objective = models.TextField(_("objective"))
    funder = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("funder"),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("partners carrying it out")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    areas = models.ManyToManyField(
        "geography.AdminArea", blank=True, related_name="+", verbose_name=_("areas")
    )
    sites = models.ManyToManyField("geography.Site", blank=True, related_name="+", verbose_name=_("sites"))
    target_groups = models.JSONField(_("target groups"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    launch_site = models.ForeignKey(
        "geography.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("launched at"),
    )
    launch_note = models.CharField(_("about the launch"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        # The campaign list: an organisation's campaigns, newest first.
        indexes = [models.Index(fields=["organisation", "-starts_on"], name="campaign_org_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(launched_on__isnull=False),
                name="campaign_active_was_launched",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def target_group_labels(self) -> list[str]:
        return [str(VulnerabilityGroup(group).label) for group in self.target_groups]

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.uuid])


class Topic(models.TextChoices):
    """What a key message is about; the public page shows its messages in this order."""

    WORK_OFFERS = "work_offers", _("Offers of work")
    EDUCATION_OFFERS = "education_offers", _("Offers of education")
    MARRIAGE_OFFERS = "marriage_offers", _("Offers of marriage")
    WHAT_TO_DO = "what_to_do", _("What to do")
    HOTLINE = "hotline", _("Hotline numbers")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    SESSION = "session", _("Session talking points")
    LEAFLET = "leaflet", _("Leaflet text")
    RADIO = "radio", _("Radio script")
    SMS = "sms", _("Text message (SMS)")
    PUBLIC = "public", _("Public awareness page")


class KeyMessage(BaseModel):
    """One thing the campaign wants a target group to know. Its words live in versions, one line of versions per
    language and channel; only an approved version is ever used."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="messages")
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    target_group = models.CharField(
        _("target group"),
        max_length=40,
        choices=VulnerabilityGroup.choices,
        blank=True,
        help_text=_("Leave empty for a message to everyone (the public page)."),
    )

    class Meta:
        ordering = ["campaign", "topic", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:message_detail", args=[self.uuid])


class MessageVersion(BaseModel):
    """A version of a key message's text in one language for one channel.

    Four eyes: ``created_by`` wrote it and someone else reviews it; the database refuses a version reviewed by its
    own author. At most one version per language and channel is approved at a time; approving a newer one marks
    the older one superseded, and every version stays.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")
        SUPERSEDED = "superseded", _("Superseded")

    message = models.ForeignKey(KeyMessage, on_delete=models.PROTECT, related_name="versions")
    language = models.CharField(_("language"), max_length=3)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    # For text messages: how a phone sends it (``campaigns.sms``).
    sms_encoding = models.CharField(max_length=5, blank=True)
    sms_parts = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["message", "language", "channel", "-number"]
        indexes = [
            # The public page and the exports: the approved version of each language and channel.
            models.Index(fields=["channel", "language", "status"], name="msgversion_channel_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "language", "channel", "number"], name="msgversion_number_once"
            ),
            models.UniqueConstraint(
                fields=["message", "language", "channel"],
                condition=Q(status="approved"),
                name="msgversion_one_approved",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("created_by")),
                name="msgversion_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reviewed_by__isnull=False),
                name="msgversion_approved_was_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message} {self.language}/{self.channel} v{self.number}"


class AttendanceCounts(models.Model):
    """Attendance by sex and age band, for everyone who came (registered or not)."""

    female_0_17 = models.PositiveIntegerField(_("girls (under 18)"), default=0)
    male_0_17 = models.PositiveIntegerField(_("boys (under 18)"), default=0)
    female_18_59 = models.PositiveIntegerField(_("women (18 to 59)"), default=0)
    male_18_59 = models.PositiveIntegerField(_("men (18 to 59)"), default=0)
    female_60_plus = models.PositiveIntegerField(_("women (60 and over)"), default=0)
    male_60_plus = models.PositiveIntegerField(_("men (60 and over)"), default=0)

    COUNT_FIELDS = [
        "female_0_17",
        "male_0_17",
        "female_18_59",
        "male_18_59",
        "female_60_plus",
        "male_60_plus",
    ]

    class Meta:
        abstract = True

    @property
    def attendance_total(self) -> int:
        return sum(getattr(self, name) for name in self.COUNT_FIELDS)


class Session(BaseModel, AttendanceCounts):
    """An awareness session at a site, with a short knowledge check before and after (scores out of
    ``check_max_score``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sessions")
    site = models.ForeignKey(
        "geography.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    held_on = models.DateField(_("held on"))
    facilitator = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitating organisation"),
    )
    target_group = models.CharField(_("target group"), max_length=40, choices=VulnerabilityGroup.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    message = models.ForeignKey(
        KeyMessage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("key message (talking points)"),
    )
    check_max_score = models.PositiveSmallIntegerField(_("questions in the knowledge check"), default=5)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        # The campaign's sessions by date; the figures' attendance sums by site.
        indexes = [models.Index(fields=["campaign", "site", "-held_on"], name="session_campaign_site_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_max_score__gte=1, check_max_score__lte=50), name="session_check_max_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:session_detail", args=[self.uuid])


class Attendance(BaseModel):
    """One row of a session's register: a registered person who came (``person`` set), and/or one person's
    knowledge check scores. A check taken by someone who is not registered has scores and no person."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pre_score = models.PositiveSmallIntegerField(_("score before"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("score after"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(person__isnull=False), name="attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(pre_score__isnull=False) | Q(post_score__isnull=False),
                name="attendance_person_or_scores",
            ),
        ]

    def __str__(self) -> str:
        return f"attendance {self.uuid}"


class Material(BaseModel):
    """A printed material and its print run; ``Distribution`` rows say where the copies went."""

    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("Leaflet")
        POSTER = "poster", _("Poster")
        BOOKLET = "booklet", _("Booklet")
        STICKER = "sticker", _("Sticker")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=3)
    message = models.ForeignKey(
        KeyMessage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("key message"),
    )
    print_run = models.PositiveIntegerField(_("copies printed"))
    printed_on = models.DateField(_("printed on"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class Distribution(BaseModel):
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="distributions")
    site = models.ForeignKey(
        "geography.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    distributed_on = models.DateField(_("distributed on"))
    quantity = models.PositiveIntegerField(_("copies"))
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("distributed by")
    )

    class Meta:
        ordering = ["-distributed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="distribution_quantity_min")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.material_id} at {self.site_id}"


class RadioSpot(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="radio_spots")
    station = models.CharField(_("station"), max_length=120)
    language = models.CharField(_("language"), max_length=3)
    message = models.ForeignKey(
        KeyMessage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("key message"),
    )
    area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area the station covers"),
    )
    first_aired_on = models.DateField(_("first aired on"))
    last_aired_on = models.DateField(_("last aired on"))
    airings = models.PositiveIntegerField(_("times aired"))

    class Meta:
        ordering = ["-first_aired_on", "station"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_aired_on__gte=F("first_aired_on")), name="radiospot_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.first_aired_on}"


class MessageExport(BaseModel):
    """The audience of a phone message broadcast, prepared by a background job as a CSV for RapidPro's contact
    import. The file holds phone numbers: it is kept encrypted, handed once to the person who asked for it and
    then wiped; handing it over records the people in it as reached."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="exports")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation whose registry the audience comes from (the maker's).",
    )
    message = models.ForeignKey(
        KeyMessage, on_delete=models.PROTECT, related_name="+", verbose_name=_("key message")
    )
    target_group = models.CharField(_("target group"), max_length=40, choices=VulnerabilityGroup.choices)
    sites = models.ManyToManyField(
        "geography.Site", blank=True, related_name="+", help_text="Empty: every site of the campaign."
    )
    fallback_language = models.CharField(_("language for people without one of the message's"), max_length=3)
    job = models.OneToOneField("core.Job", on_delete=models.PROTECT, related_name="+")
    recipients = models.PositiveIntegerField(default=0)
    skipped_without_consent = models.PositiveIntegerField(default=0)
    recipient_ids = models.JSONField(default=list, blank=True, help_text="Internal keys, until the handover.")
    content_encrypted = models.TextField(blank=True, editable=False)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.uuid}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:export_detail", args=[self.uuid])


class Reach(models.Model):
    """That a registered person was reached by a campaign: through a session they attended (``attendance``) or a
    phone message export they were in (``export``). A person reached twice has two rows; coverage counts people.

    A row says the message was handed over; ``confirmed_on`` says it was delivered: at once for a session (the
    person was there), and for a text message only when the broadcast's delivery report says the phone received
    it (``campaigns.delivery``). Funders' reports keep the two apart.

    Internal: never in a URL or the API, so it has no UUID.
    """

    class Via(models.TextChoices):
        SESSION = "session", _("Session")
        SMS = "sms", _("Text message")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, choices=Via.choices)
    site = models.ForeignKey("geography.Site", on_delete=models.PROTECT, related_name="+")
    reached_on = models.DateField()
    attendance = models.OneToOneField(
        Attendance, null=True, blank=True, on_delete=models.CASCADE, related_name="reach"
    )
    export = models.ForeignKey(
        MessageExport, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When delivery to the person was confirmed (null: handed over, not confirmed).
    confirmed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # Coverage: "has this person been reached by this campaign?", once per registered person.
            models.Index(fields=["campaign", "person"], name="reach_campaign_person_idx"),
            # A person's timeline.
            models.Index(fields=["person", "reached_on"], name="reach_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["export", "person"], condition=Q(export__isnull=False), name="reach_once_per_export"
            ),
            models.CheckConstraint(
                condition=Q(via="session", attendance__isnull=False, export__isnull=True)
                | Q(via="sms", attendance__isnull=True, export__isnull=False),
                name="reach_has_its_source",
            ),
            # A session's attendee was there: the session's reach is confirmed when it is recorded.
            models.CheckConstraint(
                condition=~Q(via="session") | Q(confirmed_on__isnull=False), name="reach_session_confirmed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.via} {self.person_id} {self.reached_on}"
