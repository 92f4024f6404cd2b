"""Duplicate detection in the registry: the key table candidates are found through, the review queue of
suspected duplicates, and the record of each merge (what it moved, so that it can be undone).

Imported at the bottom of ``people/models.py``, so these are models of the ``people`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel

__all__ = ["DuplicateSuspicion", "MatchWeights", "PersonMatchKey", "PersonMerge"]


class PersonMatchKey(models.Model):
    """One blocking key of a person (``matching.blocking``), with the birth year beside it for the window.
    Derived data: ``people.duplicates.refresh_match_keys`` rewrites a person's rows after every change and merge;
    only active, unmerged people have rows (with the keys of the records merged into them)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=80)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            # Duplicate candidates and name search: people under these keys, born within the window.
            models.Index(fields=["key", "birth_year"], name="match_key_year_idx"),
        ]
        constraints = [
            # Also the index that rewriting one person's keys and the search's joins use.
            models.UniqueConstraint(fields=["person", "key"], name="match_key_once_per_person"),
        ]

    def __str__(self) -> str:
        return self.key


class DuplicateSuspicion(BaseModel):
    """Two people of one organisation who may be the same person: the review queue. ``person_a`` is always the
    one with the lower id, so that a pair is one row whichever of the two was scanned."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Confirmed and merged")
        DISMISSED = "dismissed", _("Not the same person")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    band = models.CharField(max_length=10)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "-created_at"]
        indexes = [
            # The review queue of one organisation (``people.review_queue``): open suspicions, highest score first,
            # newest first among equal scores, read in this order a page at a time from any position.
            models.Index(fields=["organisation", "status", "-score", "-id"], name="suspicion_review_idx"),
            # "Is this person suspected?": the person page and the merge.
            models.Index(fields=["person_b"], name="suspicion_person_b_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="suspicion_once_per_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="suspicion_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} {self.score:.2f} ({self.status})"

    @property
    def reason_texts(self) -> list[str]:
        """The reasons as sentences in the current language (stored as field, level and values)."""
        from hifazat.matching.explanations import explain_stored

        return [explain_stored(reason) for reason in self.reasons or []]


class PersonMerge(BaseModel):
    """A merge of ``removed`` into ``kept``: who did it and why, and exactly which rows it moved (model label,
    field, primary key), so that ``person_unmerge`` can move those rows back. ``left`` lists the rows that could
    not move (the kept person already had the same, under a unique constraint) and stayed with ``removed``."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="merges_kept")
    removed = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="merges_removed")
    reason = models.TextField(_("reason"))
    moved = models.JSONField(default=list, blank=True)
    left = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        # The merges of an organisation, newest first (the person page's merge history uses the FK indexes).
        indexes = [models.Index(fields=["organisation", "-created_at"], name="merge_org_created_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(kept=F("removed")), name="merge_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.removed_id} into {self.kept_id}"


class MatchWeights(BaseModel):
    """A set of the duplicate scorer's m and u values with their calibration, as ``estimate_match_weights``
    re-estimated them from the registry (EM) and the review queue's decisions. The newest row is in force
    (``people.duplicates.weights_in_force``); older rows are the history of the estimates."""

    m_u = models.JSONField()
    slope = models.FloatField()
    intercept = models.FloatField()
    collision = models.FloatField()
    prior = models.FloatField(help_text=_("share of candidate pairs estimated to be one person"))
    pairs = models.PositiveIntegerField(help_text=_("candidate pairs the estimate used"))
    labelled = models.PositiveIntegerField(help_text=_("pairs with a reviewer's decision among them"))
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"match weights of {self.created_at:%Y-%m-%d} ({self.pairs} pairs)"

    def as_weights(self):
        from hifazat.matching.scoring import Weights

        m_u = {
            name: {level: tuple(pair) for level, pair in levels.items()} for name, levels in self.m_u.items()
        }
        return Weights(
            m_u, self.slope, self.intercept, collision=self.collision, source=f"stored {self.uuid}"
        )
