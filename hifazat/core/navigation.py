"""The navigation: which sections a role sees, read from the permission matrix.

Later parts add their entries to ``SECTIONS``; an entry appears only for roles whose permission matrix allows its
action, so the menu never offers a page that would answer 403.
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

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS: list[Section] = [
    Section(_("People"), "people:person_list", "people.view", _("Search the registry of people")),
    Section(_("Households"), "people:household_list", "people.view", _("The household register, by site")),
    Section(
        _("Duplicates"), "people:duplicate_list", "people.merge", _("Records that may be the same person")
    ),
    Section(_("Follow-ups"), "screening:followup_list", "screening.view", _("The follow-up queue")),
    Section(_("Screenings"), "screening:screening_list", "screening.view", _("Risk screening")),
    Section(
        _("Sites"),
        "geography:site_list",
        "geography.view",
        _("Relief camps, settlements and host communities"),
    ),
    Section(
        _("Areas"),
        "geography:area_list",
        "geography.view",
        _("Provinces, districts and tehsils with P-codes"),
    ),
    Section(
        _("Organisations"),
        "accounts:organisation_list",
        "organisations.view",
        _("Partners, funders and authorities in the response"),
    ),
    Section(_("Users"), "accounts:user_list", "users.manage", _("Your organisation's users and their roles")),
    Section(_("Import"), "geography:import_start", "geography.manage", _("Areas and sites from CSV files")),
    Section(_("Audit log"), "core:audit_log", "audit.view", _("Who did and saw what, in your organisation")),
]


def navigation_for(actor: Actor | None) -> list[Section]:
    if actor is None:
        return []
    return [s for s in SECTIONS if actor.can(s.action)]
