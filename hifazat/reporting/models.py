"""The dashboard's summary: the organisation's counts per site and month, rebuilt by a periodic job, so that the
dashboard reads a few thousand rows instead of the registry (``reporting.counts``).

Internal tables: never in a URL, the API or an export, so no UUIDs. Nothing here is personal: counts only.
"""

from __future__ import annotations

from django.db import models


class MonthlyCount(models.Model):
    """How many of something (``figure``, with its ``key``: a group, a band, a status...) the organisation
    recorded at a site in a month. ``site`` is empty where the record has no site (a screening of someone with no
    household, an alert about no camp)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        "geography.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(help_text="The first day of the month.")
    figure = models.CharField(max_length=20)
    key = models.CharField(max_length=80, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        # The dashboard: one organisation's rows, for a period of months.
        indexes = [models.Index(fields=["organisation", "month"], name="monthlycount_org_month_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(n__gt=0), name="monthlycount_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.key} {self.month:%Y-%m}: {self.n}"


class SummaryBuild(models.Model):
    """When an organisation's summary was last rebuilt, and the day its ages were computed on."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()
    ages_on = models.DateField()
    rows = models.PositiveIntegerField()
    seconds = models.FloatField()

    def __str__(self) -> str:
        return f"summary of {self.organisation_id} at {self.built_at:%Y-%m-%d %H:%M}"
