"""The demo scenario: the response to the earthquake of 8 October 2005 in northern Pakistan.

Everything is created through the services that users call, so the demo is also a test of them. It is
deterministic: the same seed builds the same data. Later parts add their own steps to ``STEPS``.

P-codes follow the OCHA pattern for Pakistan but are demo values; coordinates are approximate.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from hifazat.accounts import services as accounts
from hifazat.accounts.models import Organisation, OrganisationType, User
from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.geography import services as geography
from hifazat.geography.models import AdminArea, SiteType

DEMO_PASSWORD = "quake-response-2005"

# (P-code, name, Urdu name, level, parent P-code)
AREAS = [
    ("PK", "Pakistan", "پاکستان", 0, None),
    ("PK2", "North West Frontier Province", "صوبہ سرحد", 1, "PK"),
    ("PK5", "Pakistan-administered Kashmir", "آزاد کشمیر", 1, "PK"),
    ("PK7", "Islamabad Capital Territory", "اسلام آباد وفاقی دارالحکومت", 1, "PK"),
    ("PK201", "Mansehra", "مانسہرہ", 2, "PK2"),
    ("PK202", "Battagram", "بٹگرام", 2, "PK2"),
    ("PK203", "Abbottabad", "ایبٹ آباد", 2, "PK2"),
    ("PK501", "Muzaffarabad", "مظفرآباد", 2, "PK5"),
    ("PK502", "Bagh", "باغ", 2, "PK5"),
    ("PK701", "Islamabad", "اسلام آباد", 2, "PK7"),
    ("PK20101", "Balakot", "بالاکوٹ", 3, "PK201"),
    ("PK20102", "Mansehra tehsil", "تحصیل مانسہرہ", 3, "PK201"),
    ("PK20201", "Allai", "الائی", 3, "PK202"),
]

# (code, name, Urdu name, type, area P-code, latitude, longitude, capacity, managed by (short name))
SITES = [
    (
        "ISB-H11",
        "H-11 Relief Camp",
        "ایچ الیون ریلیف کیمپ",
        SiteType.RELIEF_CAMP,
        "PK701",
        "33.6560",
        "72.9870",
        6000,
        "IMPO",
    ),
    (
        "ISB-I11",
        "I-11 Collective Centre",
        "آئی الیون اجتماعی مرکز",
        SiteType.COLLECTIVE_CENTRE,
        "PK701",
        "33.6420",
        "73.0010",
        800,
        "GRP",
    ),
    (
        "MAN-CHP",
        "Chattar Plain Tent Village",
        "چھتر پلین خیمہ بستی",
        SiteType.RELIEF_CAMP,
        "PK20102",
        "34.4700",
        "73.2300",
        4000,
        "HWWS",
    ),
    (
        "MAN-BLK",
        "Balakot Relief Camp",
        "بالاکوٹ ریلیف کیمپ",
        SiteType.RELIEF_CAMP,
        "PK20101",
        "34.5480",
        "73.3530",
        5000,
        "IMPO",
    ),
    (
        "MAN-GHB",
        "Garhi Habibullah Camp",
        "گڑھی حبیب اللہ کیمپ",
        SiteType.RELIEF_CAMP,
        "PK201",
        "34.4000",
        "73.3800",
        2500,
        "HWWS",
    ),
    (
        "BTG-BTG",
        "Battagram Relief Camp",
        "بٹگرام ریلیف کیمپ",
        SiteType.RELIEF_CAMP,
        "PK202",
        "34.6800",
        "73.0230",
        3000,
        "GRP",
    ),
    (
        "BTG-ALL",
        "Allai Valley Settlement",
        "وادی الائی بستی",
        SiteType.SPONTANEOUS_SETTLEMENT,
        "PK20201",
        "34.8300",
        "73.0600",
        None,
        None,
    ),
    (
        "ABT-GCC",
        "Abbottabad Government College Centre",
        "ایبٹ آباد گورنمنٹ کالج مرکز",
        SiteType.COLLECTIVE_CENTRE,
        "PK203",
        "34.1500",
        "73.2200",
        600,
        "MSW",
    ),
    (
        "ABT-HVL",
        "Havelian Host Community",
        "حویلیاں میزبان برادری",
        SiteType.HOST_COMMUNITY,
        "PK203",
        "34.0530",
        "73.1590",
        None,
        None,
    ),
    (
        "MZD-UNI",
        "University Ground Camp, Muzaffarabad",
        "یونیورسٹی گراؤنڈ کیمپ مظفرآباد",
        SiteType.RELIEF_CAMP,
        "PK501",
        "34.3700",
        "73.4700",
        7000,
        "KCRF",
    ),
    (
        "MZD-THP",
        "Thuri Park Camp",
        "ٹھوری پارک کیمپ",
        SiteType.RELIEF_CAMP,
        "PK501",
        "34.3590",
        "73.4740",
        3500,
        "KCRF",
    ),
    (
        "BAG-CTY",
        "Bagh City Camp",
        "باغ شہر کیمپ",
        SiteType.RELIEF_CAMP,
        "PK502",
        "33.9800",
        "73.7800",
        4500,
        "GRP",
    ),
    (
        "BAG-DHK",
        "Dhirkot Host Community",
        "دھیرکوٹ میزبان برادری",
        SiteType.HOST_COMMUNITY,
        "PK502",
        "34.0330",
        "73.5800",
        None,
        None,
    ),
]

# (name, short name, type)
PARTNERS = [
    ("Ministry of Social Welfare and Special Education", "MSW", OrganisationType.GOVERNMENT_MINISTRY),
    ("Federal Anti-Trafficking Police Unit", "ATU", OrganisationType.LAW_ENFORCEMENT),
    ("Hazara Women's Welfare Society", "HWWS", OrganisationType.NGO),
    ("Kashmir Child Rights Forum", "KCRF", OrganisationType.NGO),
    ("Global Relief Partnership", "GRP", OrganisationType.NGO),
    ("Islamabad General Hospital", "IGH", OrganisationType.HEALTH_SERVICE),
    ("Government of Japan", "GoJ", OrganisationType.DONOR),
    ("US Bureau of Population, Refugees and Migration", "PRM", OrganisationType.DONOR),
]

HOST = (
    "International Migration and Protection Organisation",
    "IMPO",
    OrganisationType.INTERNATIONAL_ORGANISATION,
)

# (username, first name, last name, role, organisation short name)
USERS = [
    ("admin", "Ayesha", "Siddiqui", Role.ADMINISTRATOR, "IMPO"),
    ("supervisor", "Tariq", "Mehmood", Role.SUPERVISOR, "IMPO"),
    ("caseworker", "Nasreen", "Bibi", Role.CASEWORKER, "IMPO"),
    ("focalpoint", "Imran", "Qureshi", Role.MONITORING_FOCAL_POINT, "IMPO"),
    ("campaigns", "Sadia", "Awan", Role.CAMPAIGN_COORDINATOR, "IMPO"),
    ("livelihoods", "Farhan", "Abbasi", Role.LIVELIHOOD_OFFICER, "IMPO"),
    ("analyst", "Rabia", "Hussain", Role.ANALYST, "IMPO"),
    ("donor", "Kenji", "Sato", Role.DONOR_VIEWER, "GoJ"),
    ("hwws-admin", "Shazia", "Tanoli", Role.ADMINISTRATOR, "HWWS"),
    ("reporter", "Gul", "Khan", Role.NETWORK_REPORTER, "HWWS"),
]


@dataclass
class Demo:
    seed: int
    households: int = 40
    progress: Callable[[str], None] | None = None
    rng: random.Random = field(init=False)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    backup_codes: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311  (reproducible demo data, not secrets)

    def actor(self, username: str = "admin") -> Actor:
        return Actor.for_user(self.users[username])


def build_organisations_and_users(demo: Demo) -> None:
    host = accounts.organisation_create(
        actor=None, name=HOST[0], short_name=HOST[1], org_type=HOST[2], hosts_system=True
    )
    demo.organisations[host.short_name] = host
    admin_row = USERS[0]
    demo.users["admin"] = accounts.user_create(
        actor=None,
        organisation=host,
        role=admin_row[3],
        username=admin_row[0],
        password=DEMO_PASSWORD,
        first_name=admin_row[1],
        last_name=admin_row[2],
    )
    for name, short, kind in PARTNERS:
        demo.organisations[short] = accounts.organisation_create(
            actor=demo.actor(), name=name, short_name=short, org_type=kind
        )
    for username, first, last, role, org in USERS[1:]:
        # The host's administrator onboards partners that have no administrator of their own yet.
        actor = (
            demo.actor()
            if org == "IMPO" or not _has_admin(demo.organisations[org])
            else demo.actor(f"{org.lower()}-admin")
        )
        demo.users[username] = accounts.user_create(
            actor=actor,
            organisation=demo.organisations[org],
            role=role,
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
    # Administrators and supervisors must give a second factor. For the demo they get printed backup codes
    # (single-use); in real use they enrol an authenticator app at their first sign-in.
    for username in ("admin", "supervisor", "hwws-admin"):
        device = StaticDevice.objects.create(user=demo.users[username], name="Demo backup codes")
        codes = [f"{secrets.randbelow(9 * 10**7) + 10**7}" for _ in range(5)]
        for code in codes:
            StaticToken.objects.create(device=device, token=code)
        demo.backup_codes[username] = codes


def _has_admin(organisation: Organisation) -> bool:
    return organisation.memberships.filter(role=Role.ADMINISTRATOR, is_active=True).exists()


def build_geography(demo: Demo) -> None:
    actor = demo.actor()
    areas: dict[str, AdminArea] = {}
    for pcode, name, name_ur, level, parent in AREAS:
        areas[pcode] = geography.area_create(
            actor=actor, pcode=pcode, name=name, name_ur=name_ur, level=level, parent=areas.get(parent)
        )
    for code, name, name_ur, kind, pcode, lat, lon, capacity, managed_by in SITES:
        site = geography.site_create(
            actor=actor,
            code=code,
            name=name,
            name_ur=name_ur,
            site_type=kind,
            area=areas[pcode],
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            capacity=capacity,
            managing_organisation=demo.organisations.get(managed_by),
        )
        # Camps filled in the weeks after the quake and slowly emptied through the spring of 2006.
        base = capacity or demo.rng.randrange(800, 2500)
        for counted_on, share in (
            (datetime.date(2005, 11, 15), 0.85),
            (datetime.date(2006, 1, 15), 1.0),
            (datetime.date(2006, 3, 15), 0.8),
        ):
            individuals = int(base * share * demo.rng.uniform(0.85, 1.05))
            geography.site_population_record(
                actor=actor,
                site=site,
                counted_on=counted_on,
                individuals=individuals,
                households=individuals // demo.rng.randrange(5, 8),
                source="Camp management count",
            )


def build_people(demo: Demo) -> None:
    from hifazat.demo.registry import build_registry, build_screenings

    build_registry(demo, demo.households)
    build_screenings(demo)


def part_step(module: str) -> Callable[[Demo], None]:
    """A later part's step: ``build(demo)`` in ``hifazat/<part>/demo.py``."""

    def step(demo: Demo) -> None:
        import importlib

        importlib.import_module(module).build(demo)

    step.__name__ = module
    return step


STEPS = [
    build_organisations_and_users,
    build_geography,
    build_people,
    part_step("hifazat.referrals.demo_directory"),
    part_step("hifazat.cases.demo"),
    part_step("hifazat.referrals.demo"),
    part_step("hifazat.tracing.demo"),
    part_step("hifazat.monitoring.demo"),
    part_step("hifazat.campaigns.demo"),
    part_step("hifazat.livelihoods.demo"),
    part_step("hifazat.intake.demo"),
    part_step("hifazat.reporting.demo"),
]


def build(seed: int = 2005, households: int = 40, progress: Callable[[str], None] | None = None) -> Demo:
    """The scenario. ``make demo`` builds it with 2,000 households; tests with a few dozen."""
    demo = Demo(seed=seed, households=households, progress=progress)
    for step in STEPS:
        step(demo)
    return demo
