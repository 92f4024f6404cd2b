"""The records behind the donor report tests, built once per test class (threshold 10).

Organisation A runs an awareness campaign funded by the Government of Japan at three camps in three districts, and
a livelihood programme the same funder pays for. In February and March 2006:

- Islamabad (H-11): 34 widows registered (4 with a child, so also widowed single parents); 15 came to a session
  (delivered), 12 of them with knowledge check scores (40% before, 80% after); 16 more were in a text-message file
  handed over to RapidPro, and its delivery report confirms 11 of them. Registered 34, handed over 31, confirmed 26.
- Mansehra (Balakot): 7 widows, 3 came to a session. Registered 7, handed over 3, confirmed 3: all under 10.
- Muzaffarabad (Chehla): 12 widows, 5 came to a session.

In all: registered 53, handed over 39 (23 at sessions, 16 by text message), confirmed 34 (23 and 11).

The programme: 14 participants (12 taking part, 2 left), 12 households given a grant of PKR 20,000 in March 2006
and one of PKR 5,000.50 in April, visits three months on for 12.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from hifazat.campaigns import delivery, services
from hifazat.campaigns.models import KeyMessage, MessageExport, Reach
from hifazat.core.jobs import job_create
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.geography.models import AdminArea, Site
from hifazat.livelihoods.models import Enrolment, OutcomeVisit, Programme, Support
from hifazat.people.models import Person
from hifazat.people.testing import make_site

FEBRUARY = datetime.date(2006, 2, 15)
THRESHOLD = 10


def district_site(code: str, name: str, pcode: str, district: str) -> Site:
    islamabad = make_site()
    country = islamabad.area.parent.parent
    province, _ = AdminArea.objects.get_or_create(
        pcode="PK2", defaults={"name": "NWFP", "name_ur": "سرحد", "level": 1, "parent": country}
    )
    area, _ = AdminArea.objects.get_or_create(
        pcode=pcode, defaults={"name": district, "level": 2, "parent": province}
    )
    return Site.objects.create(code=code, name=name, site_type="relief_camp", area=area)


def build_campaign(case) -> None:
    """On ``case`` (a ``CampaignTestCase`` class, in ``setUpTestData``): ``campaign_``, its sites, ``prm`` (a
    second funder) with its donor viewer ``prm_donor``."""
    case.balakot_ = district_site("MAN-BLK2", "Balakot Camp", "PK201", "Mansehra")
    case.chehla = district_site("MZD-CHL", "Chehla Camp", "PK501", "Muzaffarabad")
    case.prm = make_organisation("US Bureau of Population, Refugees and Migration", org_type="Donor")
    case.prm_donor = make_user(case.prm, Role.DONOR_VIEWER, "prm-donor")
    coordinator = case.actor(None, case.a[Role.CAMPAIGN_COORDINATOR])
    caseworker = case.actor(None, case.a[Role.CASEWORKER])
    self = _Builder(case, coordinator, caseworker)
    case.campaign_ = services.campaign_create(
        actor=coordinator,
        name="Safe Futures",
        objective="Warn widows about false offers of work and marriage.",
        funder=case.funder,
        starts_on=datetime.date(2006, 1, 15),
        ends_on=datetime.date(2006, 6, 30),
        sites=[case.h11, case.balakot_, case.chehla],
        target_groups=["separated_or_widowed_woman", "widowed_single_parent"],
    )
    h11 = [
        self.widow(f"Isb{n}", case.h11, children=1 if n < 4 else 0, phone=f"0300-55501{n:02d}")
        for n in range(34)
    ]
    balakot = [self.widow(f"Blk{n}", case.balakot_) for n in range(7)]
    chehla = [self.widow(f"Chl{n}", case.chehla) for n in range(12)]
    self.session(case.h11, h11[:15], scores=12)
    self.session(case.balakot_, balakot[:3])
    self.session(case.chehla, chehla[:5])
    export = self.handed_over(h11[15:31])
    # RapidPro's report: delivered or read for 11 of the file's numbers, failed for 5, and one number that was
    # not in this file.
    report = [(f"+9230055501{n:02d}", "delivered" if n < 22 else "read") for n in range(15, 26)]
    report += [(f"+9230055501{n:02d}", "failed") for n in range(26, 31)]
    report.append(("+923009999999", "delivered"))
    case.delivery_result = delivery.export_delivery_record(
        actor=coordinator, export=export, report=report, on=datetime.date(2006, 3, 2)
    )


def build_programme(case) -> None:
    """``programme_``: funded by the campaign's funder, run by organisation A."""
    case.programme_ = Programme.objects.create(
        name="Tailoring and embroidery",
        name_ur="سلائی اور کڑھائی",
        kind="vocational_training",
        implementing_organisation=case.org_a,
        funder=case.funder,
        capacity=20,
        budget_per_participant=Decimal("25000"),
        currency="PKR",
        starts_on=datetime.date(2006, 2, 1),
        ends_on=datetime.date(2006, 9, 30),
        followup_months=[3],
    )
    widows = Person.objects.filter(first_name__startswith="Isb").exclude(relationship_to_head="child")
    people = list(widows.order_by("pk")[:14])
    verifier = case.a[Role.LIVELIHOOD_OFFICER]
    for n, person in enumerate(people):
        left = n >= 12
        enrolment = Enrolment.objects.create(
            programme=case.programme_,
            household=person.household,
            person=person,
            status="withdrawn" if left else "active",
            listed_on=datetime.date(2006, 2, 10),
            enrolled_on=datetime.date(2006, 2, 20),
            income_before=Decimal("3000") + n * 100,
        )
        if left:
            continue
        Support.objects.create(
            enrolment=enrolment,
            kind="grant",
            delivered_on=datetime.date(2006, 3, 10),
            amount=Decimal("20000"),
            currency="PKR",
            value=Decimal("20000"),
            verified_by=verifier,
        )
        OutcomeVisit.objects.create(
            enrolment=enrolment,
            months_after=3,
            due_on=datetime.date(2006, 5, 20),
            status="done",
            visited_on=datetime.date(2006, 5, 22),
            income=Decimal("6000") + n * 100,
            activity_running=n % 4 != 0,
            employment="self_employed",
        )
    Support.objects.create(
        enrolment=Enrolment.objects.filter(programme=case.programme_, status="active").first(),
        kind="in_kind",
        delivered_on=datetime.date(2006, 4, 5),
        amount=Decimal("5000.50"),
        currency="PKR",
        value=Decimal("5000.50"),
        verified_by=verifier,
    )


class _Builder:
    def __init__(self, case, coordinator, caseworker) -> None:
        self.case, self.coordinator, self.caseworker = case, coordinator, caseworker

    def widow(self, name: str, site, *, children: int = 0, **data):
        from hifazat.people import services as people

        household = people.household_register(actor=self.caseworker, site=site)
        person = people.person_register(
            actor=self.caseworker,
            household=household,
            first_name=name,
            gender="Feminine",
            age_years=35,
            marital_status="Widowed",
            relationship_to_head="head",
            **data,
        )
        for n in range(children):
            people.person_register(
                actor=self.caseworker,
                household=household,
                first_name=f"{name} child {n}",
                gender="Masculine",
                age_years=8,
                relationship_to_head="child",
                consent_given_by="caregiver",
                consent_given_by_name=name,
                child_view="agrees",
            )
        return person

    def session(self, site, attendees, *, scores: int = 0) -> None:
        session = services.session_record(
            actor=self.coordinator,
            campaign=self.case.campaign_,
            site=site,
            held_on=FEBRUARY,
            facilitator=self.coordinator.organisation,
            target_group="separated_or_widowed_woman",
            female_18_59=len(attendees) + 5,
            female_0_17=3,
        )
        for n, person in enumerate(attendees):
            scored = n < scores
            services.attendee_add(
                actor=self.coordinator,
                session=session,
                person=person,
                pre_score=2 if scored else None,
                post_score=4 if scored else None,
            )

    def handed_over(self, people) -> MessageExport:
        """A text-message file handed over to RapidPro on 1 March 2006, with ``people`` in it (the reach rows
        its handover writes: ``exports.export_download``)."""
        message = KeyMessage.objects.create(
            campaign=self.case.campaign_, title="Ask before you go", topic="what_to_do"
        )
        export = MessageExport.objects.create(
            campaign=self.case.campaign_,
            organisation=self.case.org_a,
            message=message,
            target_group="separated_or_widowed_woman",
            fallback_language="urd",
            job=job_create(actor=self.coordinator, kind="campaigns.audience_export"),
            recipients=len(people),
            created_by=self.coordinator.user,
            downloaded_at=datetime.datetime(2006, 3, 1, 10, tzinfo=timezone.get_current_timezone()),
            downloaded_by=self.coordinator.user,
        )
        for person in people:
            Reach.objects.create(
                campaign=self.case.campaign_,
                person=person,
                via="sms",
                site=person.household.site,
                reached_on=datetime.date(2006, 3, 1),
                export=export,
            )
        return export
