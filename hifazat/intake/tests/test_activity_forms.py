"""The shipped activity forms (monitoring report, session attendance, livelihood follow-up visit) sent from
Collect through the OpenRosa endpoint and stored through their parts' services: who is refused (a record of
another organisation, a role the service refuses), what is stored, and a missing value named."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from xml.sax.saxutils import escape

from django.urls import reverse
from django.utils import timezone

from hifazat.campaigns import services as campaigns
from hifazat.campaigns.models import Attendance, Reach
from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.intake import formdefs, services
from hifazat.intake.models import Purpose, Submission
from hifazat.intake.tests.base import IntakeTestCase
from hifazat.livelihoods import services as livelihoods
from hifazat.livelihoods.models import OutcomeVisit, ProgrammeKind
from hifazat.monitoring.models import InvolvedRole, Report, ReportPerson
from hifazat.people import services as people
from hifazat.people.models import Household, Person

WIDOWS = "separated_or_widowed_woman"


def activity_xml(
    form, fields: dict[str, str], repeats: dict[str, list[dict[str, str]]] | None = None
) -> bytes:
    """A filled form as Collect writes it: the fields in order, then each repeat's rows, then the meta."""

    def elements(values: dict[str, str]) -> str:
        return "".join(f"<{k}>{escape(v)}</{k}>" for k, v in values.items())

    rows = "".join(
        f"<{name}>{elements(row)}</{name}>" for name, group in (repeats or {}).items() for row in group
    )
    return (
        f'<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" id="{form.form_id}" '
        f'version="{form.version}">{elements(fields)}{rows}'
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()


class ActivityFormTestCase(IntakeTestCase):
    filename = ""
    purpose = ""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.activity_form = services.form_upload(
            actor=Actor.for_user(cls.supervisor),
            name=cls.filename,
            content=(formdefs.FORMS_DIR / cls.filename).read_bytes(),
            purpose=cls.purpose,
        )
        cls.form_fields = services.xlsform_convert(bytes(cls.activity_form.xlsform)).fields

    def assertLinks(self, submission: Submission, record) -> None:
        """The submission's page links to what it became."""
        page = self.client_for(self.supervisor).get(
            reverse("intake:submission_detail", args=[submission.uuid])
        )
        self.assertContains(page, f'href="{record.get_absolute_url()}"')

    def send(self, user, fields: dict[str, str], repeats=None) -> Submission:
        """Send the filled form from Collect; the fields written are the published form's own."""
        paths = {
            *fields,
            *(f"{name}/{key}" for name, rows in (repeats or {}).items() for row in rows for key in row),
        }
        self.assertLessEqual(paths, self.form_fields)
        [response] = self.collect_for(user).submit(activity_xml(self.activity_form, fields, repeats))
        self.assertEqual(response.status_code, 201)
        return Submission.objects.filter(form=self.activity_form).order_by("-pk").first()


class MonitoringReportFormTests(ActivityFormTestCase):
    filename = "monitoring_report.xlsx"
    purpose = Purpose.MONITORING_REPORT

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        household = Household.objects.create(organisation=cls.org_a, site=cls.site)
        cls.person = Person.objects.create(
            organisation=cls.org_a, household=household, first_name="Rukhsana", gender="Feminine"
        )

    def fields(self, **changes: str) -> dict[str, str]:
        fields = {
            "kind": "offer_work",
            "occurred_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "site_code": "ISB-H11",
            "place": "At the camp gate",
            "location": "33.684422 73.047882 540.0 5.0",
            "description": "A man offered the widows work in a Karachi factory.",
            "involved_role": "at_risk",
            "involved_name": "Rukhsana",
            "person_id": str(self.person.uuid),
            "phones": "0300 1234567",
        }
        return {**fields, **changes}

    def test_a_person_of_another_organisation_is_not_found_and_nothing_is_made(self) -> None:
        other = Person.objects.create(organisation=self.org_b, first_name="Zainab", gender="Feminine")
        submission = self.send(self.caseworker, self.fields(person_id=str(other.uuid)))
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("person_id: no person with this record number", submission.error)
        self.assertFalse(Report.objects.exists())

    def test_a_person_the_receiving_network_did_not_register_is_refused_naming_the_field(self) -> None:
        # Organisation B's caseworker reports into the host's network (A), which may not be told about B's people.
        services.form_upload(
            actor=Actor.for_user(self.b[Role.SUPERVISOR]),
            name=self.filename,
            content=(formdefs.FORMS_DIR / self.filename).read_bytes(),
            purpose=self.purpose,
        )
        theirs = Person.objects.create(organisation=self.org_b, first_name="Zainab", gender="Feminine")
        self.collect_for(self.b[Role.CASEWORKER]).submit(
            activity_xml(self.activity_form, self.fields(person_id=str(theirs.uuid)))
        )
        submission = Submission.objects.get(organisation=self.org_b)
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("person_id: a report can name only people registered by", submission.error)
        self.assertFalse(Report.objects.exists())

    def test_a_location_that_is_not_one_is_named(self) -> None:
        submission = self.send(self.caseworker, self.fields(location="NaN 73.0"))
        self.assertIn("location: not a location", submission.error)
        self.assertFalse(Report.objects.exists())

    def test_a_report_is_filed_into_the_network_through_the_service(self) -> None:
        submission = self.send(self.caseworker, self.fields())
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        report = Report.objects.get()
        self.assertEqual(submission.result, {"report": str(report.uuid), "people": [str(self.person.uuid)]})
        self.assertLinks(submission, report)
        self.assertEqual(
            (report.network, report.reporter.user, report.source, report.kind, report.site, report.place),
            (self.org_a, self.caseworker, Report.Source.NETWORK, "offer_work", self.site, "At the camp gate"),
        )
        self.assertEqual((report.latitude, report.longitude), (Decimal("33.684422"), Decimal("73.047882")))
        self.assertEqual(report.occurred_on, timezone.localdate() - datetime.timedelta(days=2))
        self.assertEqual(report.traces, {"phone": ["0300 1234567"]})
        involved = ReportPerson.objects.get(report=report)
        self.assertEqual(
            (involved.person, involved.role, involved.name), (self.person, InvolvedRole.AT_RISK, "Rukhsana")
        )

    def test_a_focal_point_in_the_field_gets_only_the_report_form_and_files_a_report(self) -> None:
        focal_point = self.a[Role.MONITORING_FOCAL_POINT]
        offered = [entry.form_id for entry in self.collect_for(focal_point).form_list()]
        self.assertEqual(offered, ["hifazat_monitoring_report"])
        submission = self.send(focal_point, self.fields())
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        self.assertEqual(Report.objects.get().reporter.user, focal_point)

    def test_a_missing_description_is_named(self) -> None:
        submission = self.send(self.caseworker, self.fields(description=""))
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("description: missing", submission.error)
        self.assertFalse(Report.objects.exists())

    def test_what_the_service_refuses_is_named_by_the_form_field(self) -> None:
        future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        self.assertIn("occurred_on:", self.send(self.caseworker, self.fields(occurred_on=future)).error)
        self.assertFalse(Report.objects.exists())


class SessionAttendanceFormTests(ActivityFormTestCase):
    filename = "session_attendance.xlsx"
    purpose = Purpose.SESSION_ATTENDANCE

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.session = cls.make_session(cls.a)
        household = Household.objects.create(organisation=cls.org_a, site=cls.site)
        cls.nasreen, cls.ayesha = (
            Person.objects.create(
                organisation=cls.org_a, household=household, first_name=name, gender="Feminine"
            )
            for name in ("Nasreen", "Ayesha")
        )

    @classmethod
    def make_session(cls, users):
        coordinator = Actor.for_user(users[Role.CAMPAIGN_COORDINATOR])
        campaign = campaigns.campaign_create(
            actor=coordinator,
            name="Safe futures",
            objective="Warn widows about false offers of work and marriage.",
            starts_on=datetime.date(2026, 1, 1),
            sites=[cls.site],
            target_groups=[WIDOWS],
        )
        return campaigns.session_record(
            actor=coordinator,
            campaign=campaign,
            site=cls.site,
            held_on=datetime.date(2026, 11, 20),
            facilitator=coordinator.organisation,
            target_group=WIDOWS,
            female_18_59=20,
        )

    def test_people_or_a_session_of_another_organisation_are_not_found_and_nothing_is_made(self) -> None:
        other = Person.objects.create(organisation=self.org_b, first_name="Zainab", gender="Feminine")
        submission = self.send(
            self.caseworker,
            {"session_id": str(self.session.uuid)},
            {"attendees": [{"person_id": str(self.nasreen.uuid)}, {"person_id": str(other.uuid)}]},
        )
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("attendees[2].person_id: no person with this record number", submission.error)
        self.assertFalse(Attendance.objects.exists())

        elsewhere = self.make_session(self.b)
        submission = self.send(
            self.caseworker,
            {"session_id": str(elsewhere.uuid)},
            {"attendees": [{"person_id": str(self.nasreen.uuid)}]},
        )
        self.assertIn("session_id: no session with this record number", submission.error)
        self.assertFalse(Attendance.objects.exists())

    def test_attendees_are_linked_through_the_service_and_reached(self) -> None:
        submission = self.send(
            self.caseworker,
            {"session_id": str(self.session.uuid)},
            {
                "attendees": [
                    {"person_id": str(self.nasreen.uuid), "pre_score": "2", "post_score": "4"},
                    {"person_id": str(self.ayesha.uuid), "pre_score": "", "post_score": ""},
                ]
            },
        )
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        rows = list(Attendance.objects.order_by("id"))
        self.assertEqual(
            [(a.session, a.person, a.pre_score, a.post_score, a.created_by) for a in rows],
            [
                (self.session, self.nasreen, 2, 4, self.caseworker),
                (self.session, self.ayesha, None, None, self.caseworker),
            ],
        )
        self.assertEqual(submission.result["attendances"], [str(a.uuid) for a in rows])
        self.assertLinks(submission, self.session)
        self.assertEqual(
            set(Reach.objects.values_list("person", "via", "reached_on")),
            {(p.pk, Reach.Via.SESSION, datetime.date(2026, 11, 20)) for p in (self.nasreen, self.ayesha)},
        )

    def test_a_missing_record_number_is_named_and_nothing_is_linked(self) -> None:
        submission = self.send(
            self.caseworker,
            {"session_id": str(self.session.uuid)},
            {"attendees": [{"person_id": str(self.nasreen.uuid)}, {"person_id": ""}]},
        )
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("attendees[2].person_id: missing", submission.error)
        self.assertFalse(Attendance.objects.exists())

    def test_what_the_service_refuses_is_named_by_the_form_field(self) -> None:
        submission = self.send(
            self.caseworker,
            {"session_id": str(self.session.uuid)},
            {"attendees": [{"person_id": str(self.nasreen.uuid), "post_score": "9"}]},
        )
        self.assertIn("attendees[1].post_score: A score is between 0 and 5.", submission.error)
        self.assertFalse(Attendance.objects.exists())


class LivelihoodVisitFormTests(ActivityFormTestCase):
    filename = "livelihood_visit.xlsx"
    purpose = Purpose.LIVELIHOOD_VISIT

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enrolment = cls.make_enrolment(cls.a)

    @classmethod
    def make_enrolment(cls, users):
        supervisor = Actor.for_user(users[Role.SUPERVISOR])
        today = timezone.localdate()
        household = people.household_register(actor=supervisor, site=cls.site)
        person = people.person_register(
            actor=supervisor,
            household=household,
            first_name="Nasreen",
            gender="Feminine",
            age_years=35,
            relationship_to_head="head",
        )
        programme = livelihoods.programme_create(
            actor=supervisor,
            name="Tailoring and embroidery for women",
            kind=ProgrammeKind.VOCATIONAL_TRAINING,
            capacity=10,
            budget_per_participant=Decimal("25000"),
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=180),
            followup_months=[3, 6],
        )
        return livelihoods.enrol(actor=supervisor, programme=programme, person=person, agreed=True)

    def fields(self, **changes: str) -> dict[str, str]:
        fields = {
            "enrolment_id": str(self.enrolment.uuid),
            "months_after": "",
            "status": "done",
            "visited_on": timezone.localdate().isoformat(),
            "income": "18000",
            "activity_running": "true",
            "employment": "self_employed",
            "note": "Sews at home for two shops.",
        }
        return {**fields, **changes}

    def test_an_enrolment_of_another_organisation_is_not_found(self) -> None:
        elsewhere = self.make_enrolment(self.b)
        submission = self.send(self.supervisor, self.fields(enrolment_id=str(elsewhere.uuid)))
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("enrolment_id: no enrolment with this record number", submission.error)
        self.assertFalse(OutcomeVisit.objects.exclude(status=OutcomeVisit.Status.DUE).exists())

    def test_a_role_that_may_not_record_visits_is_not_offered_the_form_and_its_submission_is_refused(
        self,
    ) -> None:
        collect = self.collect_for(self.caseworker)
        self.assertNotIn("hifazat_livelihood_visit", [entry.form_id for entry in collect.form_list()])
        form_url = f"https://testserver/collect/forms/{self.activity_form.uuid}/form.xml"
        self.assertEqual(collect.request("GET", form_url).status_code, 404)
        collect.preflight()
        xml = activity_xml(self.activity_form, self.fields())
        response = collect.post([("xml_submission_file", "submission.xml", "text/xml", xml)])
        self.assertEqual(response.status_code, 403)
        self.assertIn(b"Your role may not send this form.", response.content)
        self.assertFalse(Submission.objects.exists())
        self.assertFalse(OutcomeVisit.objects.exclude(status=OutcomeVisit.Status.DUE).exists())

    def test_the_livelihood_officer_gets_only_the_visit_form_and_records_the_visit(self) -> None:
        officer = self.a[Role.LIVELIHOOD_OFFICER]
        offered = [entry.form_id for entry in self.collect_for(officer).form_list()]
        self.assertEqual(offered, ["hifazat_livelihood_visit"])
        submission = self.send(officer, self.fields())
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        self.assertEqual(
            OutcomeVisit.objects.get(enrolment=self.enrolment, months_after=3).visited_by, officer
        )

    def test_the_next_visit_due_is_recorded_through_the_service(self) -> None:
        submission = self.send(self.supervisor, self.fields())
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        visit = OutcomeVisit.objects.get(enrolment=self.enrolment, months_after=3)
        self.assertEqual(
            (
                visit.status,
                visit.visited_on,
                visit.income,
                visit.activity_running,
                visit.employment,
                visit.note,
            ),
            (
                OutcomeVisit.Status.DONE,
                timezone.localdate(),
                Decimal("18000"),
                True,
                "self_employed",
                "Sews at home for two shops.",
            ),
        )
        self.assertEqual(visit.visited_by, self.supervisor)
        self.assertEqual(submission.result["visit"], str(visit.uuid))
        self.assertLinks(submission, self.enrolment)
        self.assertEqual(OutcomeVisit.objects.get(months_after=6).status, OutcomeVisit.Status.DUE)

    def test_a_visit_named_by_its_interval_and_a_missed_one(self) -> None:
        submission = self.send(self.supervisor, self.fields(months_after="6", status="missed", income=""))
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        visit = OutcomeVisit.objects.get(months_after=6)
        self.assertEqual(
            (visit.status, visit.income, visit.employment), (OutcomeVisit.Status.MISSED, None, "")
        )
        self.assertIn(
            "months_after: the enrolment has no follow-up visit 12 months after enrolment",
            self.send(self.supervisor, self.fields(months_after="12")).error,
        )

    def test_a_missing_date_is_named(self) -> None:
        submission = self.send(self.supervisor, self.fields(visited_on=""))
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("visited_on: missing", submission.error)
        self.assertFalse(OutcomeVisit.objects.exclude(status=OutcomeVisit.Status.DUE).exists())

    def test_a_visit_with_no_outcome_is_refused_by_the_service_naming_the_fields(self) -> None:
        submission = self.send(self.supervisor, self.fields(income="", activity_running="", employment=""))
        self.assertIn(
            "income, activity_running, employment: Record at least the income, the activity or the work found.",
            submission.error,
        )
