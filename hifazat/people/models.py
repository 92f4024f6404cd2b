"""Households, people, vulnerability groups and consent.

Field names follow HTCDS v2.0 ``prs_`` where one applies (gender, marital status, education, number of children,
citizenship, identity number); value names are HTCDS's. Fields HTCDS does not have are marked "added".
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hifazat.core import crypto
from hifazat.core.models import BaseModel
from hifazat.core.versioning import VersionedModel


class Gender(models.TextChoices):
    """HTCDS ``prs_Gender``. HTCDS has no separate sex field."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender (feminine)")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender (masculine)")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    NOT_SPECIFIED = "NonSpecifiedUnknown", _("Not specified or unknown")


class MaritalStatus(models.TextChoices):
    """HTCDS ``prs_MaritalStatus``."""

    SINGLE = "Single", _("Single")
    MARRIED = "Married", _("Married")
    WIDOWED = "Widowed", _("Widowed")
    DIVORCED = "Divorced", _("Divorced")
    SEPARATED = "Separated", _("Separated")
    REGISTERED_PARTNERSHIP = "RegisteredPartnership", _("Registered partnership")


class Education(models.TextChoices):
    """HTCDS ``prs_HighestLevelOfEducation`` (ISCED levels), plus "none" (added)."""

    NONE = "None", _("No schooling")
    EARLY_CHILDHOOD = "EarlyChildhoodEducation", _("Early childhood education")
    PRIMARY = "PrimaryEducation", _("Primary")
    LOWER_SECONDARY = "LowerSecondaryEducation", _("Lower secondary (middle)")
    UPPER_SECONDARY = "UpperSecondaryEducation", _("Upper secondary (matric, intermediate)")
    POST_SECONDARY = "PostSecondaryNonTertiaryEducation", _("Post-secondary, not tertiary")
    SHORT_TERTIARY = "ShortCycleTertiaryEducation", _("Short-cycle tertiary")
    BACHELORS = "BachelorsOrEquivalentLevel", _("Bachelor's or equivalent")
    MASTERS = "MastersOrEquivalentLevel", _("Master's or equivalent")
    DOCTORAL = "DoctoralOrEquivalentLevel", _("Doctoral or equivalent")


class Relationship(models.TextChoices):
    """Relationship to the head of household (added)."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Wife or husband")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Mother or father")
    SIBLING = "sibling", _("Sister or brother")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NON_RELATIVE = "non_relative", _("Not related")


class ParentageWord(models.TextChoices):
    """How registers in the region name a person by a man: son of, daughter of, wife of (added)."""

    SON_OF = "son_of", _("son of")
    DAUGHTER_OF = "daughter_of", _("daughter of")
    WIFE_OF = "wife_of", _("wife of")


class ChildStatus(models.TextChoices):
    """For a child: with whom they are (added). Separated: from both parents, with another relative;
    unaccompanied: with no adult caring for them; orphaned: both parents or the only parent died."""

    WITH_PARENTS = "with_parents", _("With a parent")
    SEPARATED = "separated", pgettext_lazy("child care situation", "Separated")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied")
    ORPHANED = "orphaned", _("Orphaned")


class Disability(models.TextChoices):
    """Washington Group short set domains, "a lot of difficulty" or more (added)."""

    NONE = "none", _("None")
    SEEING = "seeing", _("Seeing")
    HEARING = "hearing", _("Hearing")
    WALKING = "walking", _("Walking or climbing")
    REMEMBERING = "remembering", _("Remembering or concentrating")
    SELF_CARE = "self_care", _("Self-care")
    COMMUNICATING = "communicating", _("Communicating")


class Household(VersionedModel):
    """A household as registered at a site: who lives in one shelter, and where they came from. Versioned: a
    correction writes only the fields it changes and is refused if someone saved the household meanwhile."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="households",
        help_text="The organisation that registered the household and is responsible for its records.",
    )
    site = models.ForeignKey(
        "geography.Site", on_delete=models.PROTECT, related_name="households", verbose_name=_("site")
    )
    shelter_number = models.CharField(_("shelter or tent number"), max_length=40, blank=True)
    origin_area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place of origin"),
    )
    origin_village = models.CharField(_("village of origin"), max_length=120, blank=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    head = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("head of household"),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["site", "shelter_number"]
        # The household register of one site, by shelter.
        indexes = [models.Index(fields=["organisation", "site", "shelter_number"], name="household_site_idx")]

    def __str__(self) -> str:
        return f"{self.site.code} {self.shelter_number}".strip()

    def get_absolute_url(self) -> str:
        return reverse("people:household_detail", args=[self.uuid])


class Person(VersionedModel):
    """A registered person. Versioned (``core.versioning``): a correction writes only the fields it changes and
    is refused if someone saved the person meanwhile."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="persons"
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("household"),
    )
    relationship_to_head = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices, blank=True
    )
    # HTCDS prs_FirstName, prs_SecondName, in Latin letters; and in Urdu script (added).
    first_name = models.CharField(_("first name"), max_length=80)
    second_name = models.CharField(_("family name"), max_length=80, blank=True)
    first_name_ur = models.CharField(_("first name in Urdu"), max_length=80, blank=True)
    second_name_ur = models.CharField(_("family name in Urdu"), max_length=80, blank=True)
    parentage_word = models.CharField(
        _("son, daughter or wife of"), max_length=12, choices=ParentageWord.choices, blank=True
    )
    parentage_name = models.CharField(_("father's or husband's name"), max_length=120, blank=True)
    parentage_name_ur = models.CharField(_("father's or husband's name in Urdu"), max_length=120, blank=True)
    # HTCDS prs_Birthdate; when only an age is known, the birth date is estimated from it and marked so.
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    birthdate_is_estimate = models.BooleanField(_("date of birth estimated from age"), default=False)
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="Copied from the birth date, for matching."
    )
    gender = models.CharField(_("gender"), max_length=24, choices=Gender.choices)
    marital_status = models.CharField(
        _("marital status"), max_length=24, choices=MaritalStatus.choices, blank=True
    )
    number_of_children = models.PositiveSmallIntegerField(_("number of children"), null=True, blank=True)
    primary_language = models.CharField(_("primary language (ISO 639)"), max_length=3, blank=True)
    education = models.CharField(
        _("highest level of education"), max_length=40, choices=Education.choices, blank=True
    )
    citizenship = models.CharField(_("citizenship (ISO 3166)"), max_length=2, default="PK", blank=True)
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, default=Disability.NONE
    )
    child_status = models.CharField(
        _("child's care situation"), max_length=20, choices=ChildStatus.choices, blank=True
    )
    caregiver_name = models.CharField(_("who cares for the child now"), max_length=120, blank=True)
    caregiver = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("caregiver (registered)"),
    )
    # Encrypted at rest; the *_index columns are keyed hashes for exact search (core.crypto).
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    identity_number_encrypted = models.TextField(blank=True, editable=False)
    identity_number_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # Normalised keys for search and duplicate candidates, maintained by services (matching.keys).
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    phonetic_key = models.CharField(max_length=60, blank=True, editable=False)
    # HTCDS vic_TraffickingStatus, with who decided (vic_TraffickingStatusDecisionMakingOrg).
    trafficking_status = models.CharField(max_length=40, blank=True)
    trafficking_status_by = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deceased = models.BooleanField(_("deceased"), default=False)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["first_name", "second_name"]
        indexes = [
            # Candidate lookups: the same phonetic name within a birth year window.
            models.Index(fields=["phonetic_key", "birth_year"], name="person_phonetic_year_idx"),
            # The registry of one organisation, newest first.
            models.Index(fields=["organisation", "-created_at"], name="person_org_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(first_name=""), name="person_has_first_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.second_name) if part)

    @property
    def full_name_ur(self) -> str:
        return " ".join(part for part in (self.first_name_ur, self.second_name_ur) if part)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def identity_number(self) -> str:
        return crypto.decrypt(self.identity_number_encrypted)

    def age_on(self, day: datetime.date | None = None) -> int | None:
        if self.birthdate is None:
            return None
        day = day or timezone.localdate()
        return (
            day.year
            - self.birthdate.year
            - ((day.month, day.day) < (self.birthdate.month, self.birthdate.day))
        )

    @property
    def age(self) -> int | None:
        return self.age_on()

    @property
    def is_child(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def is_female(self) -> bool:
        return self.gender in {Gender.FEMININE, Gender.TRANSGENDER_FEMININE}

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.uuid])


class VulnerabilityGroup(models.TextChoices):
    SEPARATED_OR_WIDOWED_WOMAN = "separated_or_widowed_woman", _("Separated or widowed woman")
    AT_RISK_CHILD = "at_risk_child", _("Separated, unaccompanied or orphaned child")
    WIDOWED_SINGLE_PARENT = "widowed_single_parent", _("Widowed single parent")
    FEMALE_HEADED_HOUSEHOLD = "female_headed_household", _("Female-headed household")
    CHILD_HEADED_HOUSEHOLD = "child_headed_household", _("Child-headed household")
    OLDER_PERSON_ALONE = "older_person_alone", _("Older person alone")
    PERSON_WITH_DISABILITY = "person_with_disability", _("Person with a disability")


class Vulnerability(BaseModel):
    """A person's membership of a vulnerability group, with the reason. ``source`` says whether a rule derived it
    from the data (and re-derives it on every change) or a person recorded it by hand."""

    class Source(models.TextChoices):
        RULE = "rule", _("Derived from the data")
        MANUAL = "manual", _("Recorded by hand")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    group = models.CharField(_("group"), max_length=40, choices=VulnerabilityGroup.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group", "source"], name="vulnerability_once_per_source"
            ),
        ]
        # Targeting: every person in a group (campaigns, screening, livelihood selection).
        indexes = [models.Index(fields=["group", "person"], name="vulnerability_group_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.group}"


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    SCREENING = "screening", _("Risk screening")
    REFERRAL = "referral", _("Referral to services")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    SHARING = "sharing", _("Sharing with a named organisation")
    PHONE_CONTACT = "phone_contact", _("Contact by phone")
    # Record-level data leaving the organisation anonymised (no name, number or exact date or place; k-anonymous),
    # in HTCDS for statistics and research as CTDC publishes them (reporting.htcds). Not the same as "sharing",
    # which names one organisation that receives the identified record.
    ANONYMISED_DATA = "anonymised_data", _("Anonymised data for statistics and research")


class Consent(BaseModel):
    """One consent decision. The newest decision for a person, purpose and organisation is the one in force, so a
    withdrawal takes effect at once and the history stays."""

    class Status(models.TextChoices):
        GIVEN = "given", _("Given")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class GivenBy(models.TextChoices):
        SELF = "self", _("The person")
        CAREGIVER = "caregiver", _("Caregiver")
        GUARDIAN = "guardian", _("Legal guardian")

    class ChildView(models.TextChoices):
        AGREES = "agrees", _("The child agrees")
        DISAGREES = "disagrees", _("The child disagrees")
        NOT_ABLE = "not_able", _("Too young to give a view")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    shared_with = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared with"),
    )
    status = models.CharField(_("decision"), max_length=10, choices=Status.choices)
    given_by = models.CharField(_("decided by"), max_length=10, choices=GivenBy.choices, default=GivenBy.SELF)
    given_by_name = models.CharField(_("name of the caregiver or guardian"), max_length=120, blank=True)
    child_view = models.CharField(
        _("the child's own view"), max_length=10, choices=ChildView.choices, blank=True
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "-decided_at"], name="consent_current_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="sharing", shared_with__isnull=False)
                | (~Q(purpose="sharing") & Q(shared_with__isnull=True)),
                name="consent_sharing_names_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.status}"


from hifazat.people.models_matching import *  # noqa: E402,F403
