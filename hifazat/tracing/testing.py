"""Helpers for tests of tracing: a small registry of separated children, and requests written as inquirers say
them."""

from __future__ import annotations

import datetime

from hifazat.core.audit import Actor
from hifazat.geography.models import AdminArea
from hifazat.people import services as people
from hifazat.people.testing import make_site
from hifazat.tracing import services

QUAKE = datetime.date(2005, 10, 8)


def make_areas() -> dict[str, AdminArea]:
    """Mansehra district with its Balakot tehsil (Frontier), and Muzaffarabad district (Kashmir)."""
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    nwfp, _ = AdminArea.objects.get_or_create(
        pcode="PK2", defaults={"name": "North West Frontier Province", "level": 1, "parent": country}
    )
    ajk, _ = AdminArea.objects.get_or_create(
        pcode="PK5", defaults={"name": "Pakistan-administered Kashmir", "level": 1, "parent": country}
    )
    mansehra, _ = AdminArea.objects.get_or_create(
        pcode="PK201", defaults={"name": "Mansehra", "level": 2, "parent": nwfp}
    )
    balakot, _ = AdminArea.objects.get_or_create(
        pcode="PK20101", defaults={"name": "Balakot", "level": 3, "parent": mansehra}
    )
    muzaffarabad, _ = AdminArea.objects.get_or_create(
        pcode="PK501", defaults={"name": "Muzaffarabad", "level": 2, "parent": ajk}
    )
    return {"mansehra": mansehra, "balakot": balakot, "muzaffarabad": muzaffarabad}


def register_child(
    actor: Actor,
    first_name: str,
    second_name: str = "",
    *,
    female: bool = False,
    age: int = 9,
    origin=None,
    village: str = "",
    tracing_consent: str | None = "given",
    child_status: str = "separated",
    arrival: datetime.date | None = None,
    **data,
):
    """A separated child living with a host family, registered through the services, with the caregiver's
    family-tracing decision (``None``: no decision recorded)."""
    household = people.household_register(
        actor=actor,
        site=make_site(),
        shelter_number="C-1",
        origin_area=origin,
        origin_village=village,
        arrival_date=arrival or QUAKE + datetime.timedelta(days=6),
    )
    child = people.person_register(
        actor=actor,
        household=household,
        relationship_to_head="other_relative",
        first_name=first_name,
        second_name=second_name,
        gender="Feminine" if female else "Masculine",
        age_years=age,
        child_status=child_status,
        caregiver_name="Her uncle" if female else "His uncle",
        consent_given_by="caregiver",
        consent_given_by_name="the uncle",
        child_view="agrees",
        **data,
    )
    if tracing_consent is not None:
        people.consent_record(
            actor=actor,
            person=child,
            purpose="family_tracing",
            status=tracing_consent,
            given_by="caregiver",
            given_by_name="the uncle",
            child_view="agrees",
        )
    return child


def make_request(actor: Actor, first_name: str = "", **data):
    """A tracing request from a mother, recorded through the service."""
    data.setdefault("inquirer_name", "Parveen Bibi")
    data.setdefault("inquirer_relationship", "mother")
    data.setdefault("inquirer_consent", True)
    data.setdefault("separation_date", QUAKE)
    return services.tracing_request_create(actor=actor, first_name=first_name, **data)
