"""Helpers for tests of referrals and of the parts that show them (the route matrix).

``ReferralWorld`` builds, through the services, two organisations that refer to each other: a provider of each,
a pathway, a case in each, and a referral from B's case to A's provider.
"""

from __future__ import annotations

from dataclasses import dataclass

from hifazat.cases.services import case_open
from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.people import services as people
from hifazat.people.models import ConsentPurpose
from hifazat.referrals import directory_services, services


def give_consent(actor: Actor, person, purpose: str = ConsentPurpose.REFERRAL, **extra):
    if person.is_child:
        extra = {"given_by": "caregiver", "given_by_name": "Nasreen Bibi", "child_view": "agrees", **extra}
    return people.consent_record(actor=actor, person=person, purpose=purpose, status="given", **extra)


def make_provider(actor: Actor, organisation, area, *, name: str, services=("medical",), **data):
    return directory_services.provider_create(
        actor=actor, organisation=organisation, name=name, services=list(services), areas=[area], **data
    )


@dataclass
class ReferralWorld:
    provider_a: object
    provider_b: object
    pathway: object
    case_a: object
    case_b: object
    referral_b_to_a: object

    @classmethod
    def build(cls, org_a, org_b, a: dict, b: dict, *, site, person_a) -> ReferralWorld:
        """``org_a`` hosts the system (its administrator keeps the whole directory)."""
        admin, area = Actor.for_user(a[Role.ADMINISTRATOR]), site.area
        provider_a = make_provider(
            admin, org_a, area, name="A Women's Centre", services=("psychosocial", "shelter")
        )
        provider_b = make_provider(admin, org_b, area, name="B Clinic", services=("medical", "police"))
        pathway = directory_services.pathway_create(
            actor=admin,
            area=area,
            title="A woman at risk",
            steps=[{"service": "medical", "provider": provider_b}, {"service": "psychosocial"}],
        )
        case_a = case_open(actor=Actor.for_user(a[Role.CASEWORKER]), person=person_a, origin="walk_in")
        b_worker = Actor.for_user(b[Role.CASEWORKER])
        household = people.household_register(actor=b_worker, site=site, shelter_number="B-1")
        person_b = people.person_register(
            actor=b_worker, household=household, first_name="Zainab", gender="Feminine", age_years=30
        )
        give_consent(b_worker, person_b)
        case_b = case_open(actor=b_worker, person=person_b, origin="walk_in", summary="B's own summary")
        referral = services.referral_send(
            actor=b_worker,
            case=case_b,
            provider=provider_a,
            service="psychosocial",
            reason="AdditionalServicesRequired",
            urgency="high",
            shared_parts=["name_age", "support_needed"],
            support_needed="Counselling after losing her husband.",
        )
        return cls(provider_a, provider_b, pathway, case_a, case_b, referral)
