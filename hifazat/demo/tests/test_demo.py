"""The demo scenario builds through the services, deterministically, with one user per role."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase

from hifazat.accounts.models import Membership, Organisation
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.demo import scenario
from hifazat.geography.models import Site, SitePopulation
from hifazat.people.models import Consent, ConsentPurpose, Person
from hifazat.reporting.models import SummaryBuild


def fingerprint() -> list[tuple]:
    return list(
        SitePopulation.objects.order_by("site__code", "counted_on").values_list(
            "site__code", "counted_on", "individuals", "households"
        )
    )


class DemoTests(TestCase):
    """One build of the 2005 scenario, read by each test (a build takes seconds: building once per test would
    spend most of this file's time)."""

    @classmethod
    def setUpTestData(cls) -> None:
        scenario.build(seed=2005)

    def test_the_demo_has_the_2005_response_and_one_user_per_role(self) -> None:
        self.assertTrue(Site.objects.filter(name="H-11 Relief Camp", area__name="Islamabad").exists())
        self.assertEqual(
            set(Site.objects.values_list("area__name", flat=True).distinct())
            - {"Balakot", "Mansehra tehsil", "Allai"},
            {"Mansehra", "Battagram", "Abbottabad", "Muzaffarabad", "Bagh", "Islamabad"},
        )
        self.assertEqual(set(Membership.objects.values_list("role", flat=True)), set(Role.values))
        self.assertTrue(
            Membership.objects.filter(organisation__name="Government of Japan", role="donor_viewer").exists()
        )

    def test_every_record_was_written_through_a_service_with_an_audit_entry(self) -> None:
        self.assertEqual(
            AuditEntry.objects.filter(object_type="geography.site", action="create").count(),
            Site.objects.count(),
        )
        self.assertEqual(
            AuditEntry.objects.filter(object_type="geography.sitepopulation").count(),
            SitePopulation.objects.count(),
        )

    def test_most_people_with_a_case_agree_to_anonymised_statistics_and_the_dashboard_has_its_summary(
        self,
    ) -> None:
        impo = Organisation.objects.get(short_name="IMPO")  # the caseworker's, who asks at each case
        with_a_case = Person.objects.filter(cases__organisation=impo).distinct()
        decided = Consent.objects.filter(purpose=ConsentPurpose.ANONYMISED_DATA, person__in=with_a_case)
        self.assertEqual(decided.values("person").distinct().count(), with_a_case.count())
        self.assertGreater(decided.filter(status="given").count(), decided.filter(status="declined").count())
        self.assertEqual(SummaryBuild.objects.count(), Organisation.objects.count())

    def test_the_command_refuses_a_database_that_is_not_empty(self) -> None:
        with self.assertRaisesMessage(CommandError, "not empty"):
            call_command("demo")


class DeterminismTests(TestCase):
    def test_the_same_seed_builds_the_same_data(self) -> None:
        runs = []
        for _ in range(2):
            with transaction.atomic():
                scenario.build(seed=7)
                runs.append(fingerprint())
                transaction.set_rollback(True)
        self.assertEqual(runs[0], runs[1])
        self.assertGreater(len(runs[0]), 30)
