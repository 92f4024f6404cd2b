"""Two focal points acting on one report (or alert) at once: a stale triage or closing is refused with a clear
conflict (on the page, in the API with 409), and a change of one field never writes back another that someone made
meanwhile. The last test makes real concurrent requests, on PostgreSQL only (SQLite serialises writers)."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase, make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.core.testing import signed_in_client as _client
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict
from hifazat.monitoring import rules, services
from hifazat.monitoring.models import Alert, Report
from hifazat.monitoring.testing import make_reports_at_two_sites
from hifazat.people.testing import make_site

DAY = datetime.date(2006, 1, 10)
# The message up to its first comma: the rest holds characters that HTML escapes.
CONFLICT = str(CONFLICT_MESSAGE).split(",")[0]


class ReportEditTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        focal = Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT])
        services.reporter_register(actor=focal, user=cls.a[Role.NETWORK_REPORTER], kind="police")
        cls.report, cls.earlier, cls.alert = make_reports_at_two_sites(
            Actor.for_user(cls.a[Role.NETWORK_REPORTER]), make_site(), make_site("MAN-BLK", "Balakot"), DAY
        )

    def setUp(self) -> None:
        self.focal = self.actor(self.a[Role.MONITORING_FOCAL_POINT])
        self.sup = self.actor(self.a[Role.SUPERVISOR])

    def fresh(self) -> Report:
        return Report.objects.get(pk=self.report.pk)


class StaleEditTests(ReportEditTestCase):
    def test_a_triage_or_closing_from_an_older_version_is_refused_and_changes_nothing(self) -> None:
        seen = self.report.version
        services.report_triage(
            actor=self.sup, report=self.fresh(), priority="urgent", credibility=2, version=seen
        )
        with self.assertRaises(EditConflict):
            services.report_triage(
                actor=self.focal, report=self.fresh(), priority="low", credibility=5, version=seen
            )
        with self.assertRaises(EditConflict):
            services.report_close(
                actor=self.focal, report=self.fresh(), outcome="unfounded", note="Nothing.", version=seen
            )
        stored = self.fresh()
        self.assertEqual(
            (stored.priority, stored.credibility, stored.status, stored.outcome, stored.version),
            ("urgent", 2, "triaged", "", seen + 1),
        )

    def test_a_change_of_one_field_never_writes_back_another_changed_meanwhile(self) -> None:
        first, second = self.fresh(), self.fresh()
        services.report_triage(
            actor=self.sup, report=first, priority="urgent", credibility=2, assignee=self.a[Role.SUPERVISOR]
        )
        with contextlib.suppress(EditConflict):  # refused, or written without touching the triage
            services.report_close(actor=self.focal, report=second, outcome="action_taken")
        stored = self.fresh()
        self.assertEqual(
            (stored.priority, stored.credibility, stored.assignee_id),
            ("urgent", 2, self.a[Role.SUPERVISOR].pk),
        )
        # Another part of the report written meanwhile (the clusters, by linking) is not written back either.
        Report.objects.filter(pk=stored.pk).update(cluster=4242)
        services.report_triage(actor=self.focal, report=stored, priority="high", credibility=3)
        self.assertEqual((self.fresh().cluster, self.fresh().priority), (4242, "high"))

    def test_an_alert_acknowledged_from_an_older_copy_keeps_the_owner_and_evidence_given_meanwhile(
        self,
    ) -> None:
        stale = Alert.objects.get(pk=self.alert.pk)
        services.alert_assign(
            actor=self.sup, alert=Alert.objects.get(pk=self.alert.pk), owner=self.a[Role.SUPERVISOR]
        )
        # The alert rules bring the evidence up to date meanwhile (``rules.raise_alert``).
        finding = rules.Finding(
            rule=stale.rule,
            key=stale.key,
            severity=stale.severity,
            evidence={"reports": [], "note": "brought up to date"},
            reports=[],
            first_seen=stale.first_seen_on,
            last_seen=stale.last_seen_on,
        )
        rules.raise_alert(self.sup, self.org_a, finding)
        services.alert_acknowledge(actor=self.focal, alert=stale)
        stored = Alert.objects.get(pk=self.alert.pk)
        self.assertEqual(stored.owner, self.a[Role.SUPERVISOR])
        self.assertEqual(stored.evidence["note"], "brought up to date")
        self.assertEqual(
            (stored.status, stored.acknowledged_by), ("acknowledged", self.a[Role.MONITORING_FOCAL_POINT])
        )

    def test_an_alert_resolved_meanwhile_is_not_acknowledged_again(self) -> None:
        stale = Alert.objects.get(pk=self.alert.pk)
        services.alert_resolve(
            actor=self.sup, alert=Alert.objects.get(pk=self.alert.pk), resolution="Police told."
        )
        with self.assertRaises(ValidationError) as refused:
            services.alert_acknowledge(actor=self.focal, alert=stale)
        self.assertIn("resolved", " ".join(refused.exception.messages))
        stored = Alert.objects.get(pk=self.alert.pk)
        self.assertEqual((stored.status, stored.resolution), ("resolved", "Police told."))


class ConflictPageAndApiTests(ReportEditTestCase):
    def test_a_stale_closing_form_shows_the_conflict_and_keeps_the_typed_note(self) -> None:
        client = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])
        seen = self.report.version
        services.report_triage(actor=self.sup, report=self.fresh(), priority="urgent", credibility=2)
        response = client.post(
            reverse("monitoring:report_close", args=[self.report.uuid]),
            {"outcome": "unfounded", "note": "The phone number belongs to a shopkeeper.", "version": seen},
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, CONFLICT, status_code=409)
        self.assertContains(response, "The phone number belongs to a shopkeeper.", status_code=409)
        self.assertEqual((self.fresh().status, self.fresh().priority), ("triaged", "urgent"))

    def test_a_stale_triage_form_shows_the_conflict_and_keeps_the_choices(self) -> None:
        client = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])
        seen = self.report.version
        services.report_triage(actor=self.sup, report=self.fresh(), priority="urgent", credibility=2)
        response = client.post(
            reverse("monitoring:report_triage", args=[self.report.uuid]),
            {"priority": "low", "credibility": "5", "version": seen},
        )
        self.assertContains(response, CONFLICT, status_code=409)
        form = response.context["triage_form"]
        self.assertEqual((form["priority"].value(), form["credibility"].value()), ("low", "5"))
        self.assertEqual((self.fresh().priority, self.fresh().credibility), ("urgent", 2))
        # The page as loaded now carries the new version.
        page = client.get(reverse("monitoring:report_detail", args=[self.report.uuid]))
        self.assertEqual(page.context["triage_form"]["version"].value(), seen + 1)

    def test_the_api_gives_the_version_and_answers_409_to_a_stale_triage(self) -> None:
        api = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])
        seen = api.get(reverse("api:report_detail", args=[self.report.uuid])).json()["version"]
        self.assertEqual(seen, self.report.version)
        triage = reverse("api:report_triage", args=[self.report.uuid])
        self.assertEqual(
            self.client_for(self.a[Role.NETWORK_REPORTER])
            .post(triage, {"priority": "low", "credibility": 5}, content_type="application/json")
            .status_code,
            403,
        )
        services.report_triage(actor=self.sup, report=self.fresh(), priority="urgent", credibility=2)
        response = api.post(
            triage, {"priority": "low", "credibility": 5, "version": seen}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("Someone else changed this record", response.json()["detail"])
        self.assertEqual(self.fresh().priority, "urgent")
        response = api.post(
            triage,
            {
                "priority": "high",
                "credibility": 3,
                "assignee": str(self.a[Role.MONITORING_FOCAL_POINT].uuid),
                "version": seen + 1,
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["priority"], response.json()["version"]), ("high", seen + 2))
        self.assertEqual(self.fresh().assignee, self.a[Role.MONITORING_FOCAL_POINT])


# --- Real concurrent requests (PostgreSQL) ----------------------------------------------------------------------

ROUNDS = 20


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_focal_points_triaging_one_report_at_once_one_wins_and_the_other_is_told() -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    focal = make_user(organisation, Role.MONITORING_FOCAL_POINT, "a-focal")
    supervisor = make_user(organisation, Role.SUPERVISOR, "a-supervisor")
    reporter = make_user(organisation, Role.NETWORK_REPORTER, "a-reporter")
    services.reporter_register(actor=Actor.for_user(focal), user=reporter, kind="police")
    report, _earlier, _alert = make_reports_at_two_sites(
        Actor.for_user(reporter), make_site(), make_site("MAN-BLK", "Balakot"), DAY
    )
    one, other = _client(focal), _client(supervisor)
    url = reverse("monitoring:report_triage", args=[report.uuid])
    page = reverse("monitoring:report_detail", args=[report.uuid])
    wins = {"focal": 0, "supervisor": 0}
    for round_ in range(ROUNDS):
        version = Report.objects.get(pk=report.pk).version
        # The focal point grades; the supervisor hands the follow-up to themself, with another grade.
        graded = {"priority": "urgent", "credibility": str(1 + round_ % 3), "version": version}
        assigned = {
            "priority": "low",
            "credibility": "6",
            "assignee": str(supervisor.uuid),
            "version": version,
        }
        answers = run_at_once(
            lambda graded=graded: one.post(url, graded), lambda assigned=assigned: other.post(url, assigned)
        )
        won = [a.status_code == 302 and a["Location"] == page for a in answers]
        told = [a.status_code == 409 and CONFLICT in a.content.decode() for a in answers]
        assert won in ([True, False], [False, True]), (round_, [a.status_code for a in answers])
        assert told == [not w for w in won], round_
        stored = Report.objects.get(pk=report.pk)
        if won[0]:
            assert (stored.priority, stored.credibility) == ("urgent", 1 + round_ % 3), round_
            wins["focal"] += 1
        else:
            assert (stored.priority, stored.credibility, stored.assignee_id) == ("low", 6, supervisor.pk), (
                round_
            )
            wins["supervisor"] += 1
        assert stored.version == version + 1, round_
    assert sum(wins.values()) == ROUNDS
