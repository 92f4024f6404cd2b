"""The base for referral tests: organisation A refers a widow's case to organisation B's providers."""

from __future__ import annotations

from hifazat.cases.services import case_open
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.people import services as people
from hifazat.people.models import Person
from hifazat.people.testing import make_site
from hifazat.referrals import services
from hifazat.referrals.models import Referral
from hifazat.referrals.testing import give_consent, make_provider

CASE_SUMMARY = "A stranger offered her work in a Lahore factory through her brother-in-law."
PHONE = "0300-1234567"


class ReferralTestCase(HifazatTestCase):
    def setUp(self) -> None:
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.supervisor = self.actor(self.a[Role.SUPERVISOR])
        self.b_caseworker = self.actor(self.b[Role.CASEWORKER])
        self.b_supervisor = self.actor(self.b[Role.SUPERVISOR])
        self.site = make_site()
        self.area = self.site.area
        self.household = people.household_register(
            actor=self.caseworker, site=self.site, shelter_number="T-14"
        )
        self.person = people.person_register(
            actor=self.caseworker,
            household=self.household,
            relationship_to_head="head",
            first_name="Nasreen",
            second_name="Bibi",
            first_name_ur="نسرین",
            gender="Feminine",
            marital_status="Widowed",
            age_years=32,
            phone=PHONE,
        )
        self.case = case_open(
            actor=self.caseworker, person=self.person, origin="walk_in", summary=CASE_SUMMARY
        )
        admin = self.actor(self.admin)  # A hosts the system: its administrator keeps the whole directory
        self.clinic = make_provider(admin, self.org_b, self.area, name="B Clinic", services=("medical",))
        self.police = make_provider(
            admin, self.org_b, self.area, name="B Anti-Trafficking Unit", services=("police",)
        )
        self.own_provider = make_provider(
            admin, self.org_a, self.area, name="A Safe House", services=("shelter",)
        )

    def consent(self, purpose: str = "referral", person: Person | None = None, **extra):
        return give_consent(self.caseworker, person or self.person, purpose, **extra)

    def refer(self, *, actor=None, provider=None, service="medical", **options) -> Referral:
        options.setdefault("reason", "AdditionalServicesRequired")
        options.setdefault("urgency", "urgent")
        options.setdefault("shared_parts", ["name_age", "support_needed"])
        options.setdefault("support_needed", "Medical check after an injury in the quake.")
        return services.referral_send(
            actor=actor or self.caseworker,
            case=self.case,
            provider=provider or self.clinic,
            service=service,
            **options,
        )
