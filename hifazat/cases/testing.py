"""Helpers for tests of cases and of the parts that build on them."""

from __future__ import annotations

from hifazat.cases import services
from hifazat.cases.models import Case
from hifazat.core.audit import Actor
from hifazat.people import services as people
from hifazat.people.testing import make_site


def register_person(actor: Actor, first_name: str = "Nasreen", *, household=None, **data):
    """A registered adult woman (unless told otherwise) in a new household at the H-11 camp."""
    if household is None:
        household = people.household_register(actor=actor, site=make_site(), shelter_number="T-1")
    data.setdefault("gender", "Feminine")
    data.setdefault("age_years", 30)
    data.setdefault("relationship_to_head", "head")
    return people.person_register(actor=actor, household=household, first_name=first_name, **data)


def open_case(actor: Actor, person=None, **data) -> Case:
    """A walk-in case opened by ``actor`` through the service (a new person unless one is given)."""
    data.setdefault("origin", "walk_in")
    return services.case_open(actor=actor, person=person or register_person(actor), **data)
