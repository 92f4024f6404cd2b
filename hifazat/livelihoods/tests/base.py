"""The base for livelihood tests: a small known registry, a programme and its rules, at hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.livelihoods import services
from hifazat.livelihoods.models import Programme, ProgrammeKind
from hifazat.people import services as people
from hifazat.people.models import Consent, Household, Person
from hifazat.people.testing import make_site
from hifazat.screening.testing import make_screening


class LivelihoodTestCase(HifazatTestCase):
    def setUp(self) -> None:
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.officer = self.actor(self.a[Role.LIVELIHOOD_OFFICER])
        self.site = make_site()
        self.today = timezone.localdate()

    def household(self, shelter: str, *, site=None, actor=None) -> Household:
        return people.household_register(
            actor=actor or self.caseworker, site=site or self.site, shelter_number=shelter
        )

    def member(self, household: Household, first_name: str, *, actor=None, **data) -> Person:
        data.setdefault("gender", "Feminine")
        data.setdefault("age_years", 35)
        if data["age_years"] < 18:
            data.setdefault("consent_given_by", Consent.GivenBy.CAREGIVER)
            data.setdefault("consent_given_by_name", "Nasreen Bibi")
            data.setdefault("child_view", Consent.ChildView.AGREES)
        return people.person_register(
            actor=actor or self.caseworker, household=household, first_name=first_name, **data
        )

    def widow_with_children(self, shelter: str, name: str, **data) -> Person:
        household = self.household(shelter)
        mother = self.member(household, name, marital_status="Widowed", relationship_to_head="head", **data)
        self.member(household, f"{name}'s child", age_years=8, relationship_to_head="child")
        return mother

    def couple(self, shelter: str, husband: str, wife: str) -> tuple[Person, Person]:
        household = self.household(shelter)
        man = self.member(
            household, husband, gender="Masculine", marital_status="Married", relationship_to_head="head"
        )
        woman = self.member(household, wife, marital_status="Married", relationship_to_head="spouse")
        return man, woman

    def screened(self, person: Person, band: str) -> None:
        make_screening(person, by=self.a[Role.CASEWORKER], band=band)

    def programme(self, *, actor=None, **data) -> Programme:
        data.setdefault("name", "Tailoring and embroidery for women")
        data.setdefault("kind", ProgrammeKind.VOCATIONAL_TRAINING)
        data.setdefault("capacity", 10)
        data.setdefault("budget_per_participant", Decimal("25000"))
        data.setdefault("starts_on", self.today - datetime.timedelta(days=30))
        data.setdefault("ends_on", self.today + datetime.timedelta(days=180))
        data.setdefault("followup_months", [3, 6])
        return services.programme_create(actor=actor or self.officer, **data)

    def rule(self, programme: Programme, purpose: str, condition: str, **data):
        return services.rule_add(
            actor=self.officer, programme=programme, purpose=purpose, condition=condition, **data
        )

    def standard_rules(self, programme: Programme) -> None:
        """The issue's example: high or urgent screenings first, then widowed single parents, then
        female-headed households; women only."""
        self.rule(programme, "eligibility", "sex", values=["Feminine"])
        self.rule(programme, "priority", "screening_band", values=["high", "urgent"])
        self.rule(programme, "priority", "vulnerability", values=["widowed_single_parent"])
        self.rule(programme, "priority", "vulnerability", values=["female_headed_household"])

    def enrol(self, programme: Programme, person: Person, **data):
        data.setdefault("agreed", True)
        return services.enrol(actor=self.officer, programme=programme, person=person, **data)
