"""Sections of an organisation's page that later parts add (who does what where): the services directory adds
the organisation's services, the areas they cover and the sites it manages. Each source checks the actor's
permissions and starts from what the actor may see; accounts imports none of the parts that fill this in."""

from __future__ import annotations

from dataclasses import dataclass, field

from hifazat.accounts.models import Organisation
from hifazat.core import hooks
from hifazat.core.audit import Actor


@dataclass(frozen=True)
class OrganisationPanel:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    weight: int = 100


ORGANISATION_PANELS = hooks.define(
    "accounts.organisation_panels",
    """``panel(organisation, actor) -> OrganisationPanel | None``: a section of the organisation's page, or
    None when the actor may see nothing of it.""",
)


def panels_for(organisation: Organisation, actor: Actor) -> list[OrganisationPanel]:
    panels = [panel for source in ORGANISATION_PANELS if (panel := source(organisation, actor)) is not None]
    return sorted(panels, key=lambda p: p.weight)
