"""The navigation: which sections a role sees, read from the permission matrix.

Each part registers its entries (``Section``) on the ``core.navigation`` hook from its ``hooks.py``; an entry
appears only for roles whose permission matrix allows its action, so the menu never offers a page that would
answer 403. ``weight`` orders the menu: daily work first (work list, cases, registry), reference data and
administration last.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hifazat.core import hooks
from hifazat.core.audit import Actor


@dataclass(frozen=True)
class Section:
    title: str | Promise
    url_name: str
    action: str
    description: str | Promise = ""
    host_only: bool = False
    weight: int = 500

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAVIGATION = hooks.define(
    "core.navigation",
    """A ``Section`` of the menu: its title, URL name, the action the permission matrix must allow, a description
    and a weight (which places it in a group). Sections are the same when their URL names are.""",
    key=lambda section: section.url_name,
)
NAVIGATION.register(
    Section(
        _("Audit log"),
        "core:audit_log",
        "audit.view",
        _("Who did and saw what, in your organisation"),
        weight=920,
    )
)


# The menu groups entries by weight band, so that a part places itself by its weight alone.
GROUPS: list[tuple[int, str | Promise | None]] = [
    (30, None),  # below 30: the user's own work, shown on its own
    (80, _("Registry")),
    (110, _("Protection")),
    (130, _("Monitoring")),
    (800, _("Outreach")),
    (900, _("Reference")),
    (10**6, _("Administration")),
]


@dataclass(frozen=True)
class MenuGroup:
    title: str | Promise | None
    sections: list[Section]


def menu_for(actor: Actor | None) -> list[MenuGroup]:
    """The navigation in groups: a group of one entry, or the ungrouped first band, shows as plain links."""
    groups: dict[int, list[Section]] = {}
    for section in navigation_for(actor):
        band = next(i for i, (below, _title) in enumerate(GROUPS) if section.weight < below)
        groups.setdefault(band, []).append(section)
    return [MenuGroup(GROUPS[band][1], sections) for band, sections in sorted(groups.items())]


def navigation_for(actor: Actor | None) -> list[Section]:
    if actor is None:
        return []
    return sorted((s for s in NAVIGATION if actor.can(s.action)), key=lambda s: s.weight)
