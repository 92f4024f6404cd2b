"""Organisations, users and their memberships (which organisation, which role)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel
from hifazat.core.roles import Role


class OrganisationType(models.TextChoices):
    """HTCDS v2.0 ``org_Type`` value names, then the kinds a disaster response adds (marked "added")."""

    NGO = "NGO", _("NGO")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH_SERVICE = "HealthServiceOrganisation", _("Health service organisation")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government organisation")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government organisation")
    IMMIGRATION_SERVICE = "ImmigrationService", _("Immigration service")
    LEGAL_SERVICE = "LegalService", _("Legal service")
    CORPORATE_BUSINESS = "CorporateBusiness", _("Corporate business")
    SCHOOL_OR_COLLEGE = "SchoolOrCollege", _("School or college")
    # Added by Hifazat: not in the HTCDS picklist.
    INTERNATIONAL_ORGANISATION = "InternationalOrganisation", _("International organisation")
    UN_AGENCY = "UNAgency", _("UN agency")
    DONOR = "Donor", _("Donor")
    GOVERNMENT_MINISTRY = "GovernmentMinistry", _("Government ministry")


class Organisation(BaseModel):
    """A partner, funder or authority taking part in the response. Records belong to organisations."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    org_type = models.CharField(_("type"), max_length=40, choices=OrganisationType.choices)
    country = models.CharField(_("country (ISO 3166 alpha-2)"), max_length=2, default="PK")
    is_active = models.BooleanField(_("active"), default=True)
    hosts_system = models.BooleanField(
        _("hosts this Hifazat"),
        default=False,
        help_text=_("Administrators of the hosting organisation may add other organisations."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation_detail", args=[self.uuid])


class User(AbstractUser):
    """A person who signs in. Their organisation and role come from their one active membership."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, default="en")

    class Meta:
        ordering = ["username"]

    def active_membership(self) -> Membership | None:
        # Cached on the instance: middleware, navigation and services ask for it several times per request.
        if not hasattr(self, "_active_membership"):
            self._active_membership = (
                self.memberships.select_related("organisation").filter(is_active=True).first()
            )
        return self._active_membership

    def requires_two_factor(self) -> bool:
        membership = self.active_membership()
        return self.is_superuser or (membership is not None and membership.role in settings.TWO_FACTOR_ROLES)


class Membership(BaseModel):
    """A user's place in an organisation. One active membership per user: someone who works for two
    organisations has two accounts, so that every action is clearly on behalf of one of them."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="membership_one_active_per_user"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        # The organisation's user list, filtered by role.
        indexes = [models.Index(fields=["organisation", "role"], name="membership_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the key is stored, with its first characters so that the user
    can tell which token is meant; the key itself is shown once, when it is issued (``accounts.tokens``).

    A token ends at ``expires_at`` (``HIFAZAT_API_TOKEN_DAYS`` after it was issued) and is deleted when its user's
    password changes or their second factor is reset."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)  # the lookup of every token-authenticated request
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
