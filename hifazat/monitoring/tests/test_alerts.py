"""Each alert rule, firing and not firing, with its evidence; one open alert per pattern; who is told."""

from __future__ import annotations

import datetime

from django.urls import reverse

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring import exit_services, services
from hifazat.monitoring.models import Alert, Report
from hifazat.monitoring.testing import register
from hifazat.notifications.models import Notification
from hifazat.people import services as people
from hifazat.people.testing import make_site
from hifazat.screening.testing import make_screening

DAY = datetime.date(2006, 2, 20)


class AlertTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.h11 = make_site()
        cls.balakot = make_site("MAN-BLK", "Balakot Relief Camp")
        cls.muzaffarabad = make_site("MZD-UNI", "University Ground Camp")

    def setUp(self) -> None:
        self.focal = self.actor(self.a[Role.MONITORING_FOCAL_POINT])

    def report(self, *, site=None, day=DAY, kind="recruiter_seen", people=(), **traces) -> Report:
        return services.report_submit(
            actor=self.focal,
            kind=kind,
            occurred_on=day,
            description="seen",
            site=site or self.h11,
            traces=traces,
            people=people,
        )

    def alerts(self, rule: str):
        return Alert.objects.filter(rule=rule)


class SharedTraceTests(AlertTestCase):
    def test_the_same_phone_at_two_sites_within_30_days_raises_an_alert_with_its_evidence(self) -> None:
        first = self.report(phone=["0300-1234567"], site=self.balakot, day=DAY - datetime.timedelta(days=20))
        self.assertFalse(self.alerts("shared_trace").exists())
        second = self.report(phone=["923001234567"])
        alert = self.alerts("shared_trace").get()
        self.assertEqual(set(alert.reports.all()), {first, second})
        self.assertEqual([t["value"] for t in alert.evidence["traces"]], ["+923001234567"])
        self.assertEqual(alert.evidence["sites"], ["Balakot Relief Camp", "H-11 Relief Camp"])
        self.assertEqual(alert.severity, "high")
        self.assertEqual((alert.first_seen_on, alert.last_seen_on), (first.occurred_on, DAY))

    def test_a_third_site_adds_to_the_open_alert_and_makes_it_urgent(self) -> None:
        self.report(plate=["LEA-1234"], site=self.balakot)
        self.report(plate=["lea 1234"])
        third = self.report(plate=["LEA1234"], site=self.muzaffarabad, day=DAY + datetime.timedelta(days=3))
        alert = self.alerts("shared_trace").get()
        self.assertEqual(alert.reports.count(), 3)
        self.assertIn(third, alert.reports.all())
        self.assertEqual(alert.severity, "urgent")
        self.assertEqual(len(alert.evidence["sites"]), 3)

    def test_the_same_name_in_other_spellings_and_scripts_raises_it_too(self) -> None:
        self.report(name=["Javed Iqbal"], site=self.balakot)
        self.report(name=["جاوید اقبال"])
        self.assertEqual(self.alerts("shared_trace").get().evidence["traces"][0]["kind"], "name")

    def test_the_same_site_more_than_30_days_apart_or_a_destination_raise_nothing(self) -> None:
        self.report(phone=["0300-1234567"])
        self.report(phone=["0300-1234567"])  # the same site
        self.report(phone=["0300-1234567"], site=self.balakot, day=DAY + datetime.timedelta(days=31))
        self.report(destination=["Karachi"], site=self.muzaffarabad)
        self.report(destination=["Karachi"], site=self.balakot)
        self.assertFalse(self.alerts("shared_trace").exists())

    def test_the_focal_points_and_supervisors_are_told_without_personal_values(self) -> None:
        self.report(phone=["0300-1234567"], site=self.balakot)
        self.report(phone=["0300-1234567"])
        alert = self.alerts("shared_trace").get()
        told = Notification.objects.filter(kind="monitoring.alert")
        self.assertEqual(
            set(told.values_list("recipient", flat=True)),
            {self.a[Role.MONITORING_FOCAL_POINT].pk, self.a[Role.SUPERVISOR].pk},
        )
        for note in told:
            self.assertIn(alert.number, note.title)
            self.assertNotIn("1234567", note.title)

    def test_after_resolution_the_pattern_raises_a_new_alert(self) -> None:
        self.report(phone=["0300-1234567"], site=self.balakot)
        self.report(phone=["0300-1234567"])
        first = self.alerts("shared_trace").get()
        services.alert_resolve(actor=self.focal, alert=first, resolution="Passed to the police unit.")
        self.report(phone=["0300-1234567"], site=self.muzaffarabad)
        self.assertEqual(self.alerts("shared_trace").count(), 2)
        self.assertEqual(self.alerts("shared_trace").exclude(pk=first.pk).get().status, "open")


class OneAlertPerClusterTests(AlertTestCase):
    """Issue 15: two reports sharing a phone, a plate and a name raised three alerts for one pattern."""

    def shared(self, *, site, day=DAY, **extra) -> Report:
        traces = {"phone": ["0300-1234567"], "plate": ["LEA-1234"], "name": ["Javed Iqbal"], **extra}
        return self.report(site=site, day=day, **traces)

    def test_two_reports_sharing_a_phone_a_plate_and_a_name_raise_one_alert_listing_the_three(self) -> None:
        first = self.shared(site=self.balakot, day=DAY - datetime.timedelta(days=2))
        second = self.shared(site=self.h11)
        alert = self.alerts("shared_trace").get()
        self.assertEqual(set(alert.reports.all()), {first, second})
        self.assertEqual(sorted(t["kind"] for t in alert.evidence["traces"]), ["name", "phone", "plate"])
        self.assertEqual(Notification.objects.filter(kind="monitoring.alert").count(), 2)  # focal, supervisor

    def test_a_third_report_adds_its_evidence_to_the_open_alert_with_history_and_audit(self) -> None:
        self.shared(site=self.balakot, day=DAY - datetime.timedelta(days=2))
        self.shared(site=self.h11)
        alert = self.alerts("shared_trace").get()
        told = Notification.objects.filter(kind="monitoring.alert").count()
        third = self.report(phone=["+92 300 1234567"], site=self.h11, day=DAY + datetime.timedelta(days=1))
        self.assertEqual(self.alerts("shared_trace").get().pk, alert.pk)
        alert.refresh_from_db()
        self.assertEqual(alert.reports.count(), 3)
        self.assertIn(third, alert.reports.all())
        self.assertIn(third.number, [row["number"] for row in alert.evidence["reports"]])
        self.assertEqual(alert.evidence["history"][-1]["added"], [third.number])
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_uuid=alert.uuid).get()
        self.assertEqual(entry.detail["fields"], ["evidence", "reports"])
        self.assertNotIn("1234567", str(entry.detail))
        # Still two sites, not more severe: nobody is told again.
        self.assertEqual(Notification.objects.filter(kind="monitoring.alert").count(), told)

    def test_the_alert_page_lists_the_shared_traces_and_what_was_added(self) -> None:
        self.shared(site=self.balakot, day=DAY - datetime.timedelta(days=2))
        self.shared(site=self.h11)
        third = self.report(plate=["lea 1234"], site=self.h11, day=DAY + datetime.timedelta(days=1))
        alert = self.alerts("shared_trace").get()
        page = self.client_for(self.a[Role.MONITORING_FOCAL_POINT]).get(
            reverse("monitoring:alert_detail", args=[alert.uuid])
        )
        self.assertContains(page, "Named in reports from 2 sites")
        for written in ("0300-1234567", "LEA-1234", "Javed Iqbal"):
            self.assertContains(page, written)
        self.assertContains(page, "reports added")
        self.assertContains(page, third.number)

    def test_an_update_that_makes_the_alert_more_severe_is_told(self) -> None:
        self.shared(site=self.balakot)
        self.shared(site=self.h11)
        told = Notification.objects.filter(kind="monitoring.alert").count()
        self.shared(site=self.muzaffarabad)
        alert = self.alerts("shared_trace").get()
        self.assertEqual(alert.severity, "urgent")
        self.assertEqual(Notification.objects.filter(kind="monitoring.alert").count(), told + 2)

    def test_a_resolved_alert_lets_the_cluster_raise_a_new_one_later(self) -> None:
        self.shared(site=self.balakot)
        self.shared(site=self.h11)
        first = self.alerts("shared_trace").get()
        services.alert_resolve(actor=self.focal, alert=first, resolution="Passed to the police unit.")
        self.shared(site=self.muzaffarabad, day=DAY + datetime.timedelta(days=2))
        self.assertEqual(self.alerts("shared_trace").count(), 2)
        again = self.alerts("shared_trace").exclude(pk=first.pk).get()
        self.assertEqual(again.status, "open")
        first.refresh_from_db()
        self.assertEqual((first.status, first.reports.count()), ("resolved", 2))

    def test_two_clusters_with_open_alerts_that_join_keep_one_alert(self) -> None:
        self.report(phone=["0300-1234567"], site=self.balakot)
        self.report(phone=["0300-1234567"], site=self.h11)
        self.report(plate=["LEA-1234"], site=self.balakot)
        self.report(plate=["LEA-1234"], site=self.muzaffarabad)
        older, newer = self.alerts("shared_trace").order_by("pk")
        # A report naming both the phone and the plate joins the two clusters.
        joining = self.report(phone=["0300-1234567"], plate=["LEA-1234"], site=self.h11)
        self.assertEqual(self.alerts("shared_trace").exclude(status="resolved").get().pk, older.pk)
        older.refresh_from_db()
        newer.refresh_from_db()
        self.assertEqual(older.reports.count(), 5)
        self.assertIn(joining, older.reports.all())
        self.assertEqual(sorted(t["kind"] for t in older.evidence["traces"]), ["phone", "plate"])
        self.assertEqual(older.evidence["history"][-1]["merged"], [newer.number])
        self.assertEqual(newer.status, "resolved")
        self.assertIn(older.number, newer.resolution)
        self.assertEqual(self.alerts("shared_trace").count(), 2)

    def test_clusters_linked_by_hand_fold_their_open_alerts_into_one(self) -> None:
        first = self.report(phone=["0300-1234567"], site=self.balakot)
        self.report(phone=["0300-1234567"], site=self.h11)
        self.report(plate=["LEA-1234"], site=self.balakot)
        other = self.report(plate=["LEA-1234"], site=self.muzaffarabad)
        services.report_link_reports(actor=self.focal, report=first, others=[other])
        remaining = self.alerts("shared_trace").exclude(status="resolved").get()
        self.assertEqual(remaining.reports.count(), 4)
        # A later report of the joined cluster adds to that alert; no third is raised.
        self.report(phone=["0300-1234567"], site=self.muzaffarabad)
        self.assertEqual(self.alerts("shared_trace").exclude(status="resolved").get().pk, remaining.pk)
        self.assertEqual(self.alerts("shared_trace").count(), 2)


class SiteRiseTests(AlertTestCase):
    def test_three_offers_of_marriage_in_a_week_at_a_quiet_site_raise_an_alert(self) -> None:
        for days in (6, 3):
            self.report(kind="offer_marriage", day=DAY - datetime.timedelta(days=days))
        self.assertFalse(self.alerts("site_rise").exists())
        self.report(kind="offer_marriage")
        alert = self.alerts("site_rise").get()
        self.assertEqual(alert.evidence["count"], 3)
        self.assertEqual(alert.evidence["baseline_mean"], 0)
        self.assertEqual(alert.evidence["threshold"], 2)
        self.assertEqual(alert.site, self.h11)

    def test_the_usual_number_of_reports_is_not_a_rise(self) -> None:
        # Three a week for eight weeks: three more this week is the baseline, not a rise.
        for week in range(1, 9):
            for extra in range(3):
                self.report(kind="offer_work", day=DAY - datetime.timedelta(days=7 * week + extra))
        for days in (0, 1, 2):
            self.report(kind="offer_work", day=DAY - datetime.timedelta(days=days))
        self.assertFalse(self.alerts("site_rise").exists())

    def test_other_kinds_other_sites_and_unfounded_reports_do_not_count(self) -> None:
        self.report(kind="offer_marriage")
        self.report(kind="offer_work")
        self.report(kind="offer_marriage", site=self.balakot)
        closed = self.report(kind="offer_marriage", day=DAY - datetime.timedelta(days=1))
        services.report_close(
            actor=self.focal, report=closed, outcome="unfounded", note="A wedding, not a lure."
        )
        self.report(kind="offer_marriage")
        self.assertFalse(self.alerts("site_rise").exists())


class RegisteredPeopleTests(AlertTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.household = people.household_register(actor=self.caseworker, site=self.h11, shelter_number="T-9")
        self.mother = register(
            self.caseworker, self.household, "Rubina", "Tanoli", age=34, relationship_to_head="head"
        )
        self.child = register(
            self.caseworker, self.household, "Sakina", "Tanoli", age=12, relationship_to_head="child"
        )

    def test_a_linked_person_whose_latest_screening_is_high_raises_an_alert(self) -> None:
        make_screening(self.mother, by=self.a[Role.CASEWORKER], band="urgent")
        self.report(kind="offer_marriage", people=[{"role": "at_risk", "person": self.mother}])
        alert = self.alerts("high_risk_person").get()
        self.assertEqual(
            (alert.person, alert.severity, alert.evidence["how"]), (self.mother, "urgent", "linked")
        )

    def test_a_name_that_is_a_registered_high_risk_persons_is_found_in_the_registry(self) -> None:
        make_screening(self.mother, by=self.a[Role.CASEWORKER], band="high")
        self.report(kind="offer_work", people=[{"role": "at_risk", "name": "Rubeena Tanoli"}])
        self.assertEqual(self.alerts("high_risk_person").get().evidence["how"], "name")

    def test_a_person_whose_latest_screening_is_low_raises_nothing(self) -> None:
        old = make_screening(self.mother, by=self.a[Role.CASEWORKER], band="urgent")
        newer = make_screening(self.mother, by=self.a[Role.CASEWORKER], band="low")
        newer.screened_at = old.screened_at + datetime.timedelta(days=30)
        newer.save()
        self.report(kind="offer_work", people=[{"role": "at_risk", "person": self.mother}])
        self.report(kind="offer_work", people=[{"role": "at_risk", "person": self.child}])  # never screened
        self.assertFalse(self.alerts("high_risk_person").exists())

    def test_linking_a_high_risk_person_later_raises_the_alert_then(self) -> None:
        make_screening(self.mother, by=self.a[Role.CASEWORKER], band="high")
        report = self.report(kind="offer_work", people=[{"role": "at_risk", "name": "a widow"}])
        self.assertFalse(self.alerts("high_risk_person").exists())
        services.report_link_person(
            actor=self.focal, report=report, person=self.mother, involved=report.people.get()
        )
        self.assertEqual(self.alerts("high_risk_person").get().reports.get(), report)

    def test_a_registered_child_leaving_with_a_non_family_adult_raises_an_urgent_alert(self) -> None:
        self.report(
            kind="child_leaving",
            people=[
                {"role": "at_risk", "person": self.child},
                {"role": "companion", "description": "a man in a van"},
            ],
        )
        alert = self.alerts("child_leaving").get()
        self.assertEqual((alert.person, alert.severity), (self.child, "urgent"))

    def test_leaving_with_a_registered_member_of_the_household_an_adult_or_another_kind_raises_nothing(
        self,
    ) -> None:
        self.report(
            kind="child_leaving",
            people=[{"role": "at_risk", "person": self.child}, {"role": "companion", "person": self.mother}],
        )
        self.report(kind="child_leaving", people=[{"role": "at_risk", "person": self.mother}])
        self.report(kind="recruiter_seen", people=[{"role": "at_risk", "person": self.child}])
        self.assertFalse(self.alerts("child_leaving").exists())


class CampExitTests(AlertTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.household = people.household_register(actor=self.caseworker, site=self.h11, shelter_number="T-3")
        self.father = register(
            self.caseworker,
            self.household,
            "Bashir",
            "Awan",
            age=40,
            gender="Masculine",
            relationship_to_head="head",
        )
        self.child = register(
            self.caseworker, self.household, "Amina", "Awan", age=14, relationship_to_head="child"
        )

    def leave(self, person, companion, **data):
        return exit_services.exit_record(
            actor=self.caseworker, person=person, departed_on=DAY, companion=companion, reason="work", **data
        )

    def test_a_child_leaving_with_a_non_relative_becomes_a_report_and_one_alert_at_once(self) -> None:
        exit_ = self.leave(
            self.child,
            "non_relative",
            companion_name="Javed Iqbal",
            companion_phone="0300-1234567",
            destination="Lahore",
        )
        report = exit_.report
        self.assertEqual(
            (report.source, report.kind, report.priority), ("camp_exit", "child_leaving", "urgent")
        )
        self.assertEqual(report.site, self.h11)
        self.assertEqual(report.traces["phone"], ["0300-1234567"])
        alert = Alert.objects.get()
        self.assertEqual((alert.rule, alert.person), ("child_leaving", self.child))
        self.assertEqual(alert.network, self.org_a)

    def test_a_child_leaving_alone_raises_the_exit_alert(self) -> None:
        exit_ = self.leave(self.child, "alone")
        self.assertEqual(exit_.report.kind, "missing_person")
        self.assertEqual(Alert.objects.get().rule, "child_exit")

    def test_an_adult_or_a_child_with_their_family_leaves_without_a_report(self) -> None:
        self.assertIsNone(self.leave(self.father, "alone").report)
        self.assertIsNone(self.leave(self.child, "family").report)
        self.assertFalse(Alert.objects.exists())

    def test_another_organisations_person_is_refused(self) -> None:
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            exit_services.exit_record(
                actor=self.actor(self.b[Role.CASEWORKER]),
                person=self.child,
                departed_on=DAY,
                companion="alone",
                reason="work",
            )
