"""The navigation: which sections a role sees, read from the permission matrix.

Each part registers its entries from its ``AppConfig.ready`` with ``register``; an entry appears only for roles
whose permission matrix allows its action, so the menu never offers a page that would answer 403. ``weight``
orders the menu: daily work first (work list, cases, registry), reference data and administration last.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


SECTIONS: list[Section] = [
    Section(_("People"), "people:person_list", "people.view", _("Search the registry of people"), weight=30),
    Section(
        _("Households"),
        "people:household_list",
        "people.view",
        _("The household register, by site"),
        weight=40,
    ),
    Section(
        _("Duplicates"),
        "people:duplicate_list",
        "people.merge",
        _("Records that may be the same person"),
        weight=50,
    ),
    Section(
        _("Follow-ups"), "screening:followup_list", "screening.view", _("The follow-up queue"), weight=60
    ),
    Section(_("Screenings"), "screening:screening_list", "screening.view", _("Risk screening"), weight=70),
    Section(
        _("Sites"),
        "geography:site_list",
        "geography.view",
        _("Relief camps, settlements and host communities"),
        weight=800,
    ),
    Section(
        _("Areas"),
        "geography:area_list",
        "geography.view",
        _("Provinces, districts and tehsils with P-codes"),
        weight=810,
    ),
    Section(
        _("Organisations"),
        "accounts:organisation_list",
        "organisations.view",
        _("Partners, funders and authorities in the response"),
        weight=820,
    ),
    Section(
        _("Users"),
        "accounts:user_list",
        "users.manage",
        _("Your organisation's users and their roles"),
        weight=900,
    ),
    Section(
        _("Import"),
        "geography:import_start",
        "geography.manage",
        _("Areas and sites from CSV files"),
        weight=910,
    ),
    Section(
        _("Audit log"),
        "core:audit_log",
        "audit.view",
        _("Who did and saw what, in your organisation"),
        weight=920,
    ),
]


def register(*sections: Section) -> None:
    """Add a part's entries to the menu (call from its ``AppConfig.ready``; registering twice is harmless)."""
    for section in sections:
        if all(existing.url_name != section.url_name for existing in SECTIONS):
            SECTIONS.append(section)


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
    return sorted((s for s in SECTIONS if actor.can(s.action)), key=lambda s: s.weight)
