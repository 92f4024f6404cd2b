"""Every URL route, and for each role the answer it gets to a GET.

The table is written out by hand, not derived from the permission matrix, so that a change to either shows here.
A route that is added without a row here fails ``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import importlib

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hifazat.core.jobs import job_create
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import DuplicateSuspicion, Household, Person, PersonMerge
from hifazat.screening.testing import make_followup, make_screening

# Columns: anonymous, then the roles in this order.
ROLES = [
    Role.ADMINISTRATOR,
    Role.SUPERVISOR,
    Role.CASEWORKER,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
]
# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    "core:home":                        [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "core:audit_log":                   [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "core:healthz":                     [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "core:robots":                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "set_language":                     [302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    "accounts:login":                   [200, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    "accounts:logout":                  [405, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    # Verified administrators and supervisors are sent on; others may enrol an authenticator if they wish.
    "accounts:two_factor":              [302, 302, 302, 200, 200, 200, 200, 200, 200, 200],
    "accounts:profile":                 [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "accounts:api_token":               [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "accounts:user_list":               [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "accounts:user_create":             [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "accounts:user_detail":             [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "accounts:user_edit":               [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "accounts:user_reset_two_factor":   [302, 405, 403, 403, 403, 403, 403, 403, 403, 403],
    "accounts:organisation_list":       [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "accounts:organisation_create":     [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "accounts:organisation_detail":     [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "accounts:organisation_edit":       [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "geography:site_list":              [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "geography:site_detail":            [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "geography:area_list":              [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "geography:import_start":           [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "geography:import_detail":          [302, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "geography:import_commit":          [302, 405, 403, 403, 403, 403, 403, 403, 403, 403],
    # The registry: people.view (supervisor, caseworker, campaigns, livelihoods); people.register (sup., cw.).
    "people:household_list":            [302, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "people:household_create":          [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "people:household_edit":            [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "people:household_detail":          [302, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "people:person_create":             [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "people:person_list":               [302, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "people:person_detail":             [302, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "people:person_edit":               [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "people:vulnerability_create":      [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "people:consent_create":            [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    # Screening: screening.view/run (supervisor, caseworker); the trafficking status is the supervisor's, by POST.
    "screening:screening_list":         [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "screening:screening_create":       [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "screening:screening_detail":       [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "screening:trafficking_status":     [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "screening:followup_list":          [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "screening:followup_close":         [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    # Duplicates and merges: people.merge (supervisor).
    "people:duplicate_list":            [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "people:duplicate_detail":          [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "people:merge_detail":              [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "api:schema":                       [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:organisation_list":            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:organisation_detail":          [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:area_list":                    [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:area_detail":                  [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:site_list":                    [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:site_detail":                  [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:household_list":               [401, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "api:household_detail":             [401, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "api:person_list":                  [401, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "api:person_detail":                [401, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "api:consent_list":                 [401, 403, 200, 200, 403, 403, 200, 200, 403, 403],
    "api:person_screenings":            [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:screening_detail":             [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:followup_queue":               [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    # POST-only endpoints answer GET with 405 for every member; the POST itself needs the role (tests in api/).
    "api:duplicate_check":              [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:suspicion_list":               [401, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "api:suspicion_merge":              [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:merge_undo":                   [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:job_list":                     [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    # The job was started by A's administrator: roles without jobs.view see only their own jobs.
    "api:job_detail":                   [401, 200, 200, 404, 404, 404, 404, 404, 200, 404],
}
# fmt: on

# Later parts keep their rows beside their code, in ``hifazat/<part>/tests/routes.py``.
PARTS = [
    importlib.import_module(f"hifazat.{part}.tests.routes")
    for part in (
        "notifications",
        "cases",
        "referrals",
        "tracing",
        "monitoring",
        "campaigns",
        "livelihoods",
        "intake",
        "reporting",
    )
]
for _part in PARTS:
    assert not set(_part.MATRIX) & set(MATRIX), f"{_part.__name__} repeats a row of the matrix"
    MATRIX.update(_part.MATRIX)


def route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    names.add(f"<unnamed {pattern.pattern}>")
                else:
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


class RouteMatrixTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
        province = AdminArea.objects.create(
            pcode="PK7", name="Islamabad Capital Territory", level=1, parent=country
        )
        district = AdminArea.objects.create(pcode="PK701", name="Islamabad", level=2, parent=province)
        cls.site = Site.objects.create(
            code="ISB-H11", name="H-11 Relief Camp", site_type="relief_camp", area=district
        )
        cls.area = district
        cls.household = Household.objects.create(organisation=cls.org_a, site=cls.site, shelter_number="T-1")
        cls.person = Person.objects.create(
            organisation=cls.org_a, household=cls.household, first_name="Nasreen", gender="Feminine"
        )
        twin = Person.objects.create(organisation=cls.org_a, first_name="Nasrin", gender="Feminine")
        cls.suspicion = DuplicateSuspicion.objects.create(
            organisation=cls.org_a, person_a=cls.person, person_b=twin, score=0.9, band="likely"
        )
        cls.merge = PersonMerge.objects.create(
            organisation=cls.org_a, kept=cls.person, removed=twin, reason="test"
        )
        cls.screening = make_screening(cls.person, by=cls.a[Role.CASEWORKER])
        cls.followup = make_followup(cls.screening)
        cls.part_uuids = {}
        for part in PARTS:
            cls.part_uuids.update(part.fixtures(cls))

    def url_for(self, name: str) -> str:
        by_uuid = {
            "accounts:user_detail": self.a[Role.CASEWORKER].uuid,
            "accounts:user_edit": self.a[Role.CASEWORKER].uuid,
            "accounts:user_reset_two_factor": self.a[Role.CASEWORKER].uuid,
            "accounts:organisation_detail": self.org_a.uuid,
            "accounts:organisation_edit": self.org_a.uuid,
            "geography:site_detail": self.site.uuid,
            "geography:import_detail": self.job.uuid,
            "geography:import_commit": self.job.uuid,
            "api:organisation_detail": self.org_a.uuid,
            "api:area_detail": self.area.uuid,
            "api:site_detail": self.site.uuid,
            "api:job_detail": self.job.uuid,
            "people:household_detail": self.household.uuid,
            "people:household_edit": self.household.uuid,
            "api:household_detail": self.household.uuid,
            "api:person_detail": self.person.uuid,
            "api:consent_list": self.person.uuid,
            "people:person_create": self.household.uuid,
            "people:person_detail": self.person.uuid,
            "people:person_edit": self.person.uuid,
            "people:vulnerability_create": self.person.uuid,
            "people:consent_create": self.person.uuid,
            "screening:screening_create": self.person.uuid,
            "people:duplicate_detail": self.suspicion.uuid,
            "people:merge_detail": self.merge.uuid,
            "api:suspicion_merge": self.suspicion.uuid,
            "api:merge_undo": self.merge.uuid,
            "screening:screening_detail": self.screening.uuid,
            "screening:trafficking_status": self.screening.uuid,
            "screening:followup_close": self.followup.uuid,
            "api:person_screenings": self.person.uuid,
            "api:screening_detail": self.screening.uuid,
            **self.part_uuids,
        }
        return reverse(name, kwargs={"uuid": by_uuid[name]}) if name in by_uuid else reverse(name)

    def setUp(self) -> None:
        self.job = job_create(actor=self.actor(self.admin), kind="geography.sites", file_name="sites.csv")

    def test_every_route_is_in_the_matrix(self) -> None:
        self.assertEqual(route_names() - set(MATRIX), set(), "routes without a row in the permission matrix")
        self.assertEqual(set(MATRIX) - route_names(), set(), "rows for routes that no longer exist")

    def test_each_role_gets_the_expected_answer(self) -> None:
        clients = {"anonymous": Client(), **{role: self.client_for(self.a[role]) for role in ROLES}}
        failures = []
        for name, expected in MATRIX.items():
            url = self.url_for(name)
            for who, status in zip(clients, expected, strict=True):
                got = clients[who].get(url).status_code
                if got != status:
                    failures.append(f"{name} as {who}: expected {status}, got {got}")
        self.assertEqual(failures, [])
