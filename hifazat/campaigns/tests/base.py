"""The base of the campaigns tests: organisation A's registry at two camps, a funder, and a campaign built through
the services."""

from __future__ import annotations

import datetime

from hifazat.campaigns import services
from hifazat.campaigns.models import Campaign, KeyMessage, MessageVersion, Session
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase, make_organisation, make_user
from hifazat.people import services as people
from hifazat.people.models import Consent, ConsentPurpose, Household, Person
from hifazat.people.testing import make_site

WIDOWS = ["separated_or_widowed_woman", "widowed_single_parent"]
DAY = datetime.date(2006, 2, 15)


class CampaignTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.funder = make_organisation("Government of Japan", org_type="Donor")
        cls.donor = make_user(cls.funder, Role.DONOR_VIEWER, "f-donor")
        cls.h11 = make_site()
        cls.balakot = make_site("MAN-BLK", "Balakot Relief Camp")
        cls.elsewhere = make_site("BAG-CTY", "Bagh City Camp")

    def setUp(self) -> None:
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.coordinator = self.actor(self.a[Role.CAMPAIGN_COORDINATOR])
        self.supervisor = self.actor(self.a[Role.SUPERVISOR])

    def household(self, site=None, *, actor=None) -> Household:
        return people.household_register(actor=actor or self.caseworker, site=site or self.h11)

    def register(self, first_name: str, household: Household, *, actor=None, **data) -> Person:
        data.setdefault("gender", "Feminine")
        data.setdefault("age_years", 35)
        data.setdefault("relationship_to_head", "head")
        if data["age_years"] < 18:
            data.update(
                consent_given_by="caregiver", consent_given_by_name="Nasreen Bibi", child_view="agrees"
            )
        return people.person_register(
            actor=actor or self.caseworker, household=household, first_name=first_name, **data
        )

    def widow(self, first_name: str, site=None, *, children: int = 0, actor=None, **data) -> Person:
        household = self.household(site, actor=actor)
        person = self.register(first_name, household, marital_status="Widowed", actor=actor, **data)
        for n in range(children):
            self.register(f"Child{n}", household, age_years=8, relationship_to_head="child", actor=actor)
        person.refresh_from_db()
        return person

    def phone_consent(self, person: Person, status: str = Consent.Status.GIVEN, *, actor=None) -> Consent:
        return people.consent_record(
            actor=actor or self.caseworker, person=person, purpose=ConsentPurpose.PHONE_CONTACT, status=status
        )

    def campaign(self, *, sites=None, groups=None, funder="default", partners=(), **data) -> Campaign:
        return services.campaign_create(
            actor=self.coordinator,
            name=data.pop("name", "Safe futures"),
            objective="Warn widows about false offers of work and marriage.",
            funder=self.funder if funder == "default" else funder,
            partners=partners,
            starts_on=datetime.date(2006, 1, 1),
            ends_on=datetime.date(2006, 12, 31),
            sites=sites if sites is not None else [self.h11, self.balakot],
            target_groups=groups or WIDOWS,
            **data,
        )

    def session(self, campaign: Campaign, site=None, *, actor=None, **data) -> Session:
        data.setdefault("female_18_59", 20)
        return services.session_record(
            actor=actor or self.coordinator,
            campaign=campaign,
            site=site or self.h11,
            held_on=data.pop("held_on", DAY),
            facilitator=data.pop("facilitator", (actor or self.coordinator).organisation),
            target_group=data.pop("target_group", WIDOWS[0]),
            **data,
        )

    def approved(self, message: KeyMessage, language: str, channel: str, text: str) -> MessageVersion:
        version = services.version_write(
            actor=self.coordinator,
            message=message,
            language=language,
            channel=channel,
            text=text,
            submit=True,
        )
        return services.version_review(actor=self.supervisor, version=version, approve=True)
