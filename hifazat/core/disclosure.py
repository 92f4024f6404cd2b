"""Disclosure control: the one way an aggregate figure leaves the team.

Every count shown to someone who may not see the records behind it (a funder, an analyst, another organisation,
the API, an export or a report) is shown through a ``Policy``. Under a controlled policy, as the Counter-
Trafficking Data Collaborative practises it:

- **Primary suppression.** A count from 1 to ``threshold - 1`` is hidden: so few people could be one family in
  one camp. Zero is shown: it says nobody, and hiding it would hide nothing.
- **Rounding.** Every other count is rounded to a multiple of the threshold (half up), so the difference of two
  published figures ("41 before" minus "40 taking part") is a multiple of the threshold plus an unknown error,
  never the small number between them. Totals are rounded from their true value, not summed from rounded parts.
- **Secondary suppression.** Figures published together are declared in a ``Table`` with their additive
  relations (a total and its parts: sites of a group, sexes of the participants, age bands of the attendance).
  No relation is left with exactly one hidden figure: the smallest other figure of the relation is hidden too,
  until none is. Every hidden figure reads the same (``HIDDEN``), whether it is small or was hidden to protect a
  small one, so the mark itself says nothing.
- **Derived figures come from published ones.** A share is computed from the rounded counts, an average is shown
  only where the count of people behind it is shown.
- **Ages in bands** (``AGE_BANDS``), and **places no finer than admin level 2** (``district_of``,
  ``district_id``) in outputs for funders and the public.

Inside the team (``EXACT``) the same code shows exact counts, so a page is written once for both.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from hifazat.core.audit import Actor

# How every hidden figure reads, on pages, in charts' tables and in exports (the API gives null).
HIDDEN = "*"


def threshold() -> int:
    return settings.HIFAZAT_DISCLOSURE_THRESHOLD


@dataclass(frozen=True)
class Shown:
    """A count as it leaves: ``value`` for charts and the API (rounded, or None where hidden), ``text`` for
    pages. The exact count is not kept, so a template cannot show it by mistake."""

    value: int | None
    text: str

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Policy:
    """Whether figures are controlled, and at which threshold."""

    controlled: bool
    threshold: int = 10

    def rounded(self, n: int) -> int:
        if not self.controlled or n == 0:
            return n
        base = self.threshold
        return base * ((2 * n + base) // (2 * base))  # half up: 15 -> 20, 14 -> 10

    def small(self, n: int) -> bool:
        return self.controlled and 0 < n < self.threshold

    def count(self, n: int) -> Shown:
        """A count published on its own, related to no other figure (primary suppression and rounding)."""
        return self.table({"n": n}).protect()["n"]

    def table(self, cells: dict | None = None) -> Table:
        table = Table(self)
        for key, n in (cells or {}).items():
            table.add(key, n)
        return table

    def share(self, part: Shown, whole: Shown) -> int | None:
        """A percentage computed from the published figures only (never from the exact ones behind them)."""
        if part.hidden or whole.hidden or not whole.value:
            return None
        return min(100, round(100 * part.value / whole.value))

    def mean(self, value: float | None, people: Shown, *, n: int) -> float | None:
        """An average of ``n`` people's values: shown only where the number of people is shown and reaches the
        threshold (an average of three people's scores is nearly their own scores)."""
        if value is None or people.hidden or (self.controlled and n < self.threshold):
            return None
        return value

    @property
    def note(self) -> str:
        return str(
            _(
                "To protect the people counted, counts are rounded to the nearest %(n)s; counts from 1 to "
                "%(below)s, and figures from which one could be worked out, show as %(mark)s. Shares and averages "
                "are computed from the figures shown."
            )
            % {"n": self.threshold, "below": self.threshold - 1, "mark": HIDDEN}
        )


EXACT = Policy(controlled=False)


def controlled() -> Policy:
    return Policy(controlled=True, threshold=threshold())


def policy_for(actor: Actor | None, *, inside: bool) -> Policy:
    """The policy for ``actor``: exact inside the team that holds the records (``inside``: the actor's
    organisation runs the work and the actor may see its records), controlled for everyone else and for the
    roles that never see records (without ``figures.exact`` in the permission matrix: donor viewers, analysts)."""
    if actor is None or not inside or not actor.can("figures.exact"):
        return controlled()
    return EXACT


@dataclass
class Table:
    """Counts published together, with the additive relations between them (``relate(total, parts)``: the total
    is the sum of the parts). ``protect()`` applies primary suppression, then secondary suppression until no
    relation has exactly one hidden figure, then rounding."""

    policy: Policy
    cells: dict[Hashable, int] = field(default_factory=dict)
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    headline: set[Hashable] = field(default_factory=set)

    def add(self, key: Hashable, n: int, *, headline: bool = False) -> Hashable:
        """A count; a ``headline`` one (the page's main figure) is hidden to protect another only when no
        other figure of the relation can be."""
        if key in self.cells and self.cells[key] != n:
            raise ValueError(f"two counts for the cell {key!r}")
        self.cells[key] = int(n)
        if headline:
            self.headline.add(key)
        return key

    def relate(self, total: Hashable, parts: Iterable[Hashable], *, if_adds_up: bool = False) -> None:
        """Declare that ``total`` is the sum of ``parts`` (one part: the two are equal). With ``if_adds_up``, a
        relation that may or may not hold (groups a person can be in two of) is declared only where it does:
        a reader who knows the groups rarely overlap would use it, so it is protected as if known."""
        parts = tuple(parts)
        missing = [key for key in (total, *parts) if key not in self.cells]
        if missing:
            raise KeyError(f"relation names cells not in the table: {missing!r}")
        if self.cells[total] != sum(self.cells[key] for key in parts):
            if if_adds_up:
                return
            raise ValueError(f"the parts of {total!r} do not add up to it")
        if parts:
            self.relations.append((total, parts))

    def hidden(self) -> set[Hashable]:
        """The cells to hide: the small ones, then the complements that keep each one from being worked out."""
        if not self.policy.controlled:
            return set()
        hidden = {key for key, n in self.cells.items() if self.policy.small(n)}
        changed = True
        while changed:
            changed = False
            for total, parts in self.relations:
                members = (total, *parts)
                if sum(1 for key in members if key in hidden) != 1:
                    continue
                # Hide the smallest other figure of the relation, a part before the total and a headline figure
                # last. Never a zero: a reader who sees its total or its other parts could tell it is zero, so
                # it would protect nothing. (A relation with one hidden figure always has a non-zero other: if
                # the rest were zeros, the total would equal the hidden figure and be hidden with it.)
                candidates = [key for key in (*parts, total) if key not in hidden and self.cells[key]]
                candidates.sort(key=lambda key: (key in self.headline, key == total, self.cells[key]))
                if candidates:
                    hidden.add(candidates[0])
                    changed = True
        return hidden

    def protect(self) -> dict[Hashable, Shown]:
        hidden = self.hidden()
        shown = {}
        for key, n in self.cells.items():
            if key in hidden:
                shown[key] = Shown(None, HIDDEN)
            else:
                value = self.policy.rounded(n)
                shown[key] = Shown(value, f"{value:,}")
        return shown


# --- Ages in bands ----------------------------------------------------------------------------------------------

# (first age, last age or None, label): the bands every output uses. Exact ages and birth dates never leave.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 4, "0-4"),
    (5, 11, "5-11"),
    (12, 17, "12-17"),
    (18, 24, "18-24"),
    (25, 59, "25-59"),
    (60, None, "60+"),
)
UNKNOWN_AGE = "unknown"


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN_AGE
    for first, last, label in AGE_BANDS:
        if age >= first and (last is None or age <= last):
            return label
    return UNKNOWN_AGE


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_expression(birthdate_field: str = "birthdate", *, on: datetime.date) -> Case:
    """The age band on ``on`` as a database expression (for ``values(...).annotate(Count(...))``): comparisons of
    the birth date with fixed dates, so an index on it serves and no age is computed per row in Python."""
    whens = []
    for first, last, label in AGE_BANDS:
        condition = Q(**{f"{birthdate_field}__lte": _years_before(on, first)})
        if last is not None:
            condition &= Q(**{f"{birthdate_field}__gt": _years_before(on, last + 1)})
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(UNKNOWN_AGE), output_field=CharField())


# --- Places no finer than admin level 2 ---------------------------------------------------------------------------

PUBLIC_LEVEL = 2


def district_of(area):
    """The admin level 2 area (district) that holds ``area``; a coarser area is returned as it is. Uses the
    ``parent`` already loaded (``select_related("area__parent")``) when there is one."""
    node = area
    while node is not None and node.level > PUBLIC_LEVEL:
        node = node.parent
    return node


def district_id(area_path: str) -> Case:
    """The primary key of the district holding the area at ``area_path`` (for example
    ``"household__site__area"``), as a database expression: areas have at most four levels (0 to 3), so a
    tehsil's district is its parent."""
    return Case(
        When(**{f"{area_path}__level__gt": PUBLIC_LEVEL}, then=F(f"{area_path}__parent_id")),
        default=F(f"{area_path}_id"),
        output_field=IntegerField(),
    )
