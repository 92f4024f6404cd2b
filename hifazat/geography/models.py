"""Administrative areas (OCHA P-codes) and the sites where displaced people live."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel
from hifazat.core.text import in_reader_language


class AdminLevel(models.IntegerChoices):
    COUNTRY = 0, _("Country")
    ADM1 = 1, _("Province or territory (admin 1)")
    ADM2 = 2, _("District (admin 2)")
    ADM3 = 3, _("Tehsil or sub-district (admin 3)")


class AdminArea(BaseModel):
    """One administrative area. ``pcode`` is the OCHA P-code (``PK``, ``PK4``, ``PK403``...), unique."""

    pcode = models.CharField(_("P-code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=AdminLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="adminarea_level_range"),
            # Only the country has no parent.
            models.CheckConstraint(
                condition=Q(level=0, parent__isnull=True) | Q(level__gt=0, parent__isnull=False),
                name="adminarea_parent_by_level",
            ),
        ]
        # The area filter on lists: children of one area at one level.
        indexes = [models.Index(fields=["parent", "level"], name="adminarea_parent_level_idx")]

    def __str__(self) -> str:
        # In the reader's language: lists, choices and pages name it in Urdu where an Urdu name is recorded.
        return in_reader_language(self.name, self.name_ur)

    def clean(self) -> None:
        if self.parent is not None and self.parent.level != self.level - 1:
            raise ValidationError(
                {
                    "parent": _("The parent of a level %(level)s area must be at level %(parent)s.")
                    % {"level": self.level, "parent": self.level - 1}
                }
            )

    def ancestors(self) -> list[AdminArea]:
        """From the country down to this area's parent. At most three queries: the hierarchy has four levels."""
        chain: list[AdminArea] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class SiteType(models.TextChoices):
    RELIEF_CAMP = "relief_camp", _("Relief camp")
    SPONTANEOUS_SETTLEMENT = "spontaneous_settlement", _("Spontaneous settlement")
    COLLECTIVE_CENTRE = "collective_centre", _("Collective centre")
    HOST_COMMUNITY = "host_community", _("Host community")


class Site(BaseModel):
    """A place where displaced people live: a camp, a settlement, a collective centre or a host community."""

    code = models.CharField(_("site code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    name_ur = models.CharField(_("name in Urdu"), max_length=160, blank=True)
    site_type = models.CharField(_("type"), max_length=30, choices=SiteType.choices)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="sites", verbose_name=_("area")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    managing_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_sites",
        verbose_name=_("managing organisation"),
    )
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="site_coordinates_both_or_neither",
            ),
        ]
        # The sites list filtered by area and type.
        indexes = [models.Index(fields=["area", "site_type"], name="site_area_type_idx")]

    def __str__(self) -> str:
        # In the reader's language: lists, choices and pages name it in Urdu where an Urdu name is recorded.
        return in_reader_language(self.name, self.name_ur)

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.area_id and self.area.level < 2:
            raise ValidationError({"area": _("A site lies in a district (admin 2) or a smaller area.")})

    def get_absolute_url(self) -> str:
        return reverse("geography:site_detail", args=[self.uuid])


class SitePopulation(BaseModel):
    """A population count for a site on a date; the newest is the site's current figure."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="populations")
    counted_on = models.DateField(_("date of the count"))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    individuals = models.PositiveIntegerField(_("individuals"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-counted_on"]
        constraints = [
            models.UniqueConstraint(fields=["site", "counted_on"], name="sitepopulation_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.counted_on}: {self.individuals}"
