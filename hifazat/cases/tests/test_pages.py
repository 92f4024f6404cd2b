"""Case pages: who is refused first, scoping, then the list, opening, the case page and its htmx forms."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hifazat.cases import record_services, services
from hifazat.cases.models import Approval, Case
from hifazat.cases.testing import open_case, register_person
from hifazat.cases.tests.base import HTMX, CaseTestCase
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people import services as people
from hifazat.screening.testing import make_screening

WITHOUT_CASES = (
    Role.ADMINISTRATOR,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
)


class RefusalTests(CaseTestCase):
    def test_roles_without_cases_are_refused_and_anonymous_users_sent_to_sign_in(self) -> None:
        pages = ["/cases/", self.url(), f"/cases/open/person/{self.person.uuid}/", "/cases/approvals/"]
        for role in WITHOUT_CASES:
            client = self.client_for(self.a[role])
            for url in pages:
                # Focal points may open a case (from a monitoring report), but not find a person through the
                # registry: the person is outside what they may see.
                opening = role == Role.MONITORING_FOCAL_POINT and "/open/person/" in url
                self.assertEqual(client.get(url).status_code, 404 if opening else 403, (role, url))
            self.assertEqual(client.post(self.url("comments"), {"body": "x"}).status_code, 403, role)
        for url in pages:
            self.assertEqual(self.client.get(url).status_code, 302, url)
        self.assertFalse(self.case.comments.exists())

    def test_organisation_b_gets_404_for_the_case_and_its_records(self) -> None:
        followup = record_services.case_followup_add(
            actor=self.caseworker, case=self.case, due_on=timezone.localdate(), purpose="Visit"
        )
        approval = services.case_close_request(
            actor=self.caseworker, case=self.case, outcome="other", reason="x"
        )
        for role in (Role.CASEWORKER, Role.SUPERVISOR):
            client = self.client_for(self.b[role])
            self.assertEqual(client.get(self.url()).status_code, 404, role)
            self.assertEqual(client.post(self.url("comments"), {"body": "x"}).status_code, 404)
            self.assertEqual(
                client.post(f"/cases/follow-ups/{followup.uuid}/close/", {"status": "done"}).status_code, 404
            )
            self.assertEqual(client.get(f"/cases/open/person/{self.person.uuid}/").status_code, 404)
            self.assertNotContains(client.get("/cases/"), self.case.number)
        decided = self.client_for(self.b[Role.SUPERVISOR]).post(
            f"/cases/approvals/{approval.uuid}/decide/", {"decision": "approve"}
        )
        self.assertEqual(decided.status_code, 404)
        approval.refresh_from_db()
        self.assertTrue(approval.is_pending)
        self.assertFalse(self.case.comments.exists())

    def test_a_caseworker_not_assigned_gets_404(self) -> None:
        client = self.client_for(self.colleague_user)
        self.assertEqual(client.get(self.url()).status_code, 404)
        self.assertEqual(client.post(self.url("comments"), {"body": "x"}, **HTMX).status_code, 404)
        self.assertNotContains(client.get("/cases/"), self.case.number)
        # Once it is assigned to them, they see it.
        services.case_assign(actor=self.supervisor, case=self.case, caseworker=self.colleague_user)
        self.assertEqual(client.get(self.url()).status_code, 200)

    def test_only_supervisors_assign_decide_and_reopen(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        self.assertEqual(
            client.post(self.url("assign"), {"caseworker": self.colleague_user.pk}).status_code, 403
        )
        self.assertEqual(
            client.post(self.url("trafficking-status"), {"status": "ActualVictimOfTrafficking"}).status_code,
            403,
        )
        approval = services.case_close_request(
            actor=self.caseworker, case=self.case, outcome="other", reason="x"
        )
        self.assertEqual(
            client.post(f"/cases/approvals/{approval.uuid}/decide/", {"decision": "approve"}).status_code, 403
        )
        self.case.refresh_from_db()
        self.assertEqual(
            (self.case.caseworker, self.case.trafficking_status, self.case.status),
            (self.a[Role.CASEWORKER], "", "Active"),
        )
        page = client.get(self.url())
        self.assertNotContains(page, self.url("assign"))
        self.assertNotContains(page, self.url("trafficking-status"))


class ListTests(CaseTestCase):
    def test_filters_status_caseworker_mine_and_overdue(self) -> None:
        other = open_case(
            self.supervisor, register_person(self.supervisor, "Zainab"), caseworker=self.colleague_user
        )
        record_services.case_followup_add(
            actor=self.supervisor,
            case=other,
            due_on=timezone.localdate() - datetime.timedelta(days=2),
            purpose="Missed visit",
        )
        client = self.client_for(self.a[Role.SUPERVISOR])
        both = client.get("/cases/")
        self.assertContains(both, self.case.number)
        self.assertContains(both, other.number)
        overdue = client.get("/cases/?overdue=on", **HTMX)
        self.assertNotContains(overdue, self.case.number)
        self.assertContains(overdue, other.number)
        self.assertNotContains(overdue, "<html")  # htmx gets the rows alone
        by_worker = client.get(f"/cases/?caseworker={self.colleague_user.pk}")
        self.assertNotContains(by_worker, self.case.number)
        self.assertContains(by_worker, other.number)
        mine = self.client_for(self.a[Role.CASEWORKER]).get("/cases/?mine=on")
        self.assertContains(mine, self.case.number)
        services.case_close_request(actor=self.supervisor, case=other, outcome="other", reason="Moved.")
        self.assertNotContains(client.get("/cases/"), other.number)  # open cases unless asked
        self.assertContains(client.get("/cases/?status=Closed"), other.number)

    def test_the_list_does_not_query_per_case(self) -> None:
        for name in ("Zainab", "Fatima", "Ayesha"):
            open_case(self.caseworker, register_person(self.caseworker, name))
        client = self.client_for(self.a[Role.CASEWORKER])
        client.get("/cases/")
        with CaptureQueriesContext(connection) as few:
            client.get("/cases/")
        for name in ("Khadija", "Rubina", "Shazia"):
            open_case(self.caseworker, register_person(self.caseworker, name))
        with CaptureQueriesContext(connection) as more:
            client.get("/cases/")
        self.assertEqual(len(few), len(more))


class OpenTests(CaseTestCase):
    def test_open_a_walk_in_case_from_the_person_page(self) -> None:
        person = register_person(self.caseworker, "Zainab")
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/people/{person.uuid}/")
        self.assertContains(page, f"/cases/open/person/{person.uuid}/")
        self.assertContains(page, "No case that you may see.")
        response = client.post(
            f"/cases/open/person/{person.uuid}/", {"origin": "walk_in", "summary": "Came alone."}
        )
        case = Case.objects.get(person=person)
        self.assertRedirects(response, f"/cases/{case.uuid}/")
        self.assertEqual(
            (case.origin, case.owner, case.caseworker),
            ("walk_in", self.a[Role.CASEWORKER], self.a[Role.CASEWORKER]),
        )
        self.assertContains(client.get(f"/people/{person.uuid}/"), case.number)
        # The page warns of an open case before another is opened.
        self.assertContains(client.get(f"/cases/open/person/{person.uuid}/"), "already has an open case")

    def test_open_from_a_screening_with_its_band_and_red_flags(self) -> None:
        screening = make_screening(self.person, by=self.a[Role.CASEWORKER], band="urgent", score=14)
        screening.red_flags = [{"flag": "child_left_with_stranger", "questions": []}]
        client = self.client_for(self.a[Role.CASEWORKER])
        detail = client.get(f"/screening/{screening.uuid}/")
        self.assertContains(detail, f"/cases/open/screening/{screening.uuid}/")
        form = client.get(f"/cases/open/screening/{screening.uuid}/")
        self.assertContains(form, "Urgent, score 14.")
        response = client.post(f"/cases/open/screening/{screening.uuid}/", {"summary": "Urgent, score 14."})
        case = Case.objects.get(origin_uuid=screening.uuid)
        self.assertRedirects(response, f"/cases/{case.uuid}/")
        self.assertEqual(case.origin, "screening")
        self.assertContains(client.get(f"/screening/{screening.uuid}/"), case.number)
        self.assertContains(client.get(f"/cases/{case.uuid}/"), f"/screening/{screening.uuid}/")

    def test_a_caseworker_cannot_assign_when_opening(self) -> None:
        person = register_person(self.caseworker, "Zainab")
        self.client_for(self.a[Role.CASEWORKER]).post(
            f"/cases/open/person/{person.uuid}/", {"origin": "walk_in", "caseworker": self.colleague_user.pk}
        )
        self.assertEqual(Case.objects.get(person=person).caseworker, self.a[Role.CASEWORKER])


class CasePageTests(CaseTestCase):
    def test_reading_the_case_is_audited_and_shows_everything(self) -> None:
        plan = record_services.support_plan_add(
            actor=self.caseworker, case=self.case, plan_type="Livelihood", objectives="An income of her own"
        )
        record_services.service_record(
            actor=self.caseworker,
            case=self.case,
            service="cash",
            delivered_on=timezone.localdate(),
            support_plan=plan,
        )
        record_services.historic_event_add(
            actor=self.caseworker, case=self.case, event_type="Recruitment", place="H-11 Relief Camp"
        )
        record_services.case_comment_add(actor=self.caseworker, case=self.case, body="Visited the tent.")
        record_services.case_followup_add(
            actor=self.caseworker, case=self.case, due_on=timezone.localdate(), purpose="Home visit"
        )
        page = self.client_for(self.a[Role.SUPERVISOR]).get(self.url())
        for text in (
            "Livelihood",
            "An income of her own",
            "Cash assistance",
            "Recruitment",
            "H-11 Relief Camp",
            "Visited the tent.",
            "Home visit",
            "Case opened",
            "Widow offered work in Lahore",
        ):
            self.assertContains(page, text)
        read = AuditEntry.objects.filter(action="read", object_uuid=self.case.uuid)
        self.assertEqual(read.get().user, self.a[Role.SUPERVISOR])

    def test_htmx_forms_answer_with_their_section_and_the_timeline(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.post(
            self.url("plans"), {"plan_type": "Education", "objectives": "Back to school"}, **HTMX
        )
        self.assertContains(response, 'id="plans"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertContains(response, "Back to school")
        plan = self.case.support_plans.get()
        ended = client.post(
            f"/cases/plans/{plan.uuid}/end/", {"actual_end_date": timezone.localdate().isoformat()}, **HTMX
        )
        self.assertContains(ended, "Ended")
        refused = client.post(self.url("follow-ups"), {"purpose": "Visit"}, **HTMX)
        self.assertContains(refused, "invalid-feedback")
        self.assertFalse(self.case.followups.exists())
        client.post(
            self.url("follow-ups"), {"purpose": "Visit", "due_on": timezone.localdate().isoformat()}, **HTMX
        )
        followup = self.case.followups.get()
        cancel = client.post(f"/cases/follow-ups/{followup.uuid}/close/", {"status": "cancelled"}, **HTMX)
        self.assertContains(cancel, "Say why the follow-up is cancelled.")
        client.post(
            f"/cases/follow-ups/{followup.uuid}/close/", {"status": "done", "outcome": "All well"}, **HTMX
        )
        followup.refresh_from_db()
        self.assertEqual(followup.status, "done")

    def test_without_htmx_a_form_posts_and_comes_back_to_the_page(self) -> None:
        response = self.client_for(self.a[Role.CASEWORKER]).post(
            self.url("comments"), {"body": "Called her."}
        )
        self.assertRedirects(response, self.url() + "#comments", fetch_redirect_response=False)
        self.assertEqual(self.case.comments.get().body, "Called her.")

    def test_closure_from_the_page_and_the_supervisors_decision(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        client.post(self.url("close"), {"outcome": "objectives_met", "reason": "Done."})
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "Active")
        self.assertContains(client.get(self.url()), "waiting for a supervisor")
        approval = Approval.objects.get(target_uuid=self.case.uuid)
        supervisor = self.client_for(self.a[Role.SUPERVISOR])
        listing = supervisor.get("/cases/approvals/")
        self.assertContains(listing, "Closing a case")
        self.assertContains(listing, self.case.number)
        supervisor.post(f"/cases/approvals/{approval.uuid}/decide/", {"decision": "refuse"})
        approval.refresh_from_db()
        self.assertTrue(approval.is_pending)  # refused without a note: nothing recorded
        supervisor.post(f"/cases/approvals/{approval.uuid}/decide/", {"decision": "approve"})
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "Closed")
        page = supervisor.get(self.url())
        self.assertContains(page, "Support plan objectives met")
        self.assertContains(page, self.url("reopen"))

    def test_the_same_perpetrator_phone_links_the_cases_a_user_may_see(self) -> None:
        other = open_case(
            self.supervisor, register_person(self.supervisor, "Zainab"), caseworker=self.colleague_user
        )
        for case, actor in ((self.case, self.caseworker), (other, self.supervisor)):
            record_services.perpetrator_add(
                actor=actor,
                case=case,
                roles=["RecruiterOrIntermediary"],
                alias="Shahji",
                phone="0345-8123456",
            )
        self.assertContains(self.client_for(self.a[Role.SUPERVISOR]).get(self.url()), other.number)
        self.assertNotContains(self.client_for(self.a[Role.CASEWORKER]).get(self.url()), other.number)

    def test_the_person_timeline_shows_the_case(self) -> None:
        page = self.client_for(self.a[Role.CASEWORKER]).get(f"/people/{self.person.uuid}/")
        self.assertContains(page, f"Case {self.case.number} opened")
        people.consent_record(actor=self.caseworker, person=self.person, purpose="referral", status="given")
        self.assertNotContains(
            self.client_for(self.a[Role.LIVELIHOOD_OFFICER]).get(f"/people/{self.person.uuid}/"),
            self.case.number,
        )
