"""Assignment and transfer between caseworkers of the organisation, status changes, and the work lists."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hifazat.cases import record_services, services
from hifazat.cases.hooks import worklist
from hifazat.cases.models import CaseHistory
from hifazat.cases.selectors import cases_visible_to
from hifazat.cases.testing import open_case, register_person
from hifazat.cases.tests.base import CaseTestCase
from hifazat.core.roles import Role
from hifazat.notifications.models import Notification


class AssignmentTests(CaseTestCase):
    def test_only_a_supervisor_assigns_and_the_new_caseworker_is_told(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.case_assign(actor=self.caseworker, case=self.case, caseworker=self.colleague_user)
        services.case_assign(
            actor=self.supervisor, case=self.case, caseworker=self.colleague_user, note="Caseload"
        )
        self.case.refresh_from_db()
        self.assertEqual(
            (self.case.caseworker, self.case.owner), (self.colleague_user, self.a[Role.CASEWORKER])
        )
        told = Notification.objects.get(recipient=self.colleague_user, kind="case.assigned")
        self.assertEqual(told.title, f"Case {self.case.number} is assigned to you")
        self.assertIn(str(self.case.uuid), told.url)
        # Both now see it: the owner, and the caseworker it is assigned to.
        self.assertIn(self.case, cases_visible_to(self.colleague))
        self.assertIn(self.case, cases_visible_to(self.caseworker))

    def test_a_case_is_assigned_only_within_the_organisation_to_case_roles(self) -> None:
        for user in (self.b[Role.CASEWORKER], self.a[Role.ANALYST]):
            with self.assertRaises(ValidationError) as refused:
                services.case_assign(actor=self.supervisor, case=self.case, caseworker=user)
            self.assertIn("caseworker", refused.exception.message_dict)

    def test_a_transfer_moves_ownership_and_open_follow_ups_and_needs_a_reason(self) -> None:
        followup = record_services.case_followup_add(
            actor=self.caseworker, case=self.case, due_on=timezone.localdate(), purpose="Home visit"
        )
        with self.assertRaises(ValidationError) as refused:
            services.case_transfer(actor=self.supervisor, case=self.case, to=self.colleague_user, note="")
        self.assertIn("note", refused.exception.message_dict)
        services.case_transfer(
            actor=self.supervisor, case=self.case, to=self.colleague_user, note="She covers the H-11 camp."
        )
        self.case.refresh_from_db()
        followup.refresh_from_db()
        self.assertEqual((self.case.owner, self.case.caseworker), (self.colleague_user, self.colleague_user))
        self.assertEqual(followup.assigned_to, self.colleague_user)
        self.assertNotIn(self.case, cases_visible_to(self.caseworker))  # no longer theirs
        self.assertTrue(
            Notification.objects.filter(recipient=self.colleague_user, kind="case.assigned").exists()
        )
        row = self.case.history.get(kind=CaseHistory.Kind.TRANSFERRED)
        self.assertEqual(row.detail["to"], self.colleague_user.username)

    def test_opening_for_another_caseworker_tells_them(self) -> None:
        case = open_case(
            self.supervisor, register_person(self.supervisor, "Zainab"), caseworker=self.colleague_user
        )
        self.assertEqual((case.owner, case.caseworker), (self.a[Role.SUPERVISOR], self.colleague_user))
        self.assertTrue(
            Notification.objects.filter(recipient=self.colleague_user, kind="case.assigned").exists()
        )

    def test_status_moves_between_active_and_follow_up_only(self) -> None:
        services.case_status_set(actor=self.caseworker, case=self.case, status="FollowUp")
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "FollowUp")
        with self.assertRaises(ValidationError):
            services.case_status_set(actor=self.caseworker, case=self.case, status="Closed")

    def test_a_colleague_not_assigned_cannot_write_to_the_case(self) -> None:
        with self.assertRaises(PermissionDenied):
            record_services.case_comment_add(actor=self.colleague, case=self.case, body="Not mine")
        with self.assertRaises(PermissionDenied):
            services.case_close_request(actor=self.colleague, case=self.case, outcome="other", reason="x")
        with self.assertRaises(PermissionDenied):
            record_services.case_comment_add(
                actor=self.actor(self.b[Role.SUPERVISOR]), case=self.case, body="Not ours"
            )


class WorkListTests(CaseTestCase):
    def sections(self, actor) -> dict:
        return {s.key: s for s in worklist(actor)}

    def test_my_cases_and_follow_ups_due_and_overdue(self) -> None:
        today = timezone.localdate()
        record_services.case_followup_add(
            actor=self.caseworker,
            case=self.case,
            due_on=today - datetime.timedelta(days=3),
            purpose="Missed visit",
        )
        record_services.case_followup_add(
            actor=self.caseworker,
            case=self.case,
            due_on=today + datetime.timedelta(days=2),
            purpose="Next visit",
        )
        record_services.case_followup_add(
            actor=self.caseworker, case=self.case, due_on=today + datetime.timedelta(days=30), purpose="Later"
        )
        mine = self.sections(self.caseworker)
        self.assertEqual([i.label for i in mine["my_cases"].items], [self.case.number])
        self.assertIn("follow-up overdue", str(mine["my_cases"].items[0].detail))
        due = mine["case_followups_due"]
        self.assertEqual(
            [i.label for i in due.items],
            [f"{self.case.number} · Missed visit", f"{self.case.number} · Next visit"],
        )
        self.assertTrue(due.items[0].overdue)
        self.assertFalse(due.items[1].overdue)
        self.assertNotIn("awaiting_my_approval", mine)
        self.assertEqual(self.sections(self.colleague), {})

    def test_awaiting_my_approval_is_the_supervisors(self) -> None:
        services.case_close_request(
            actor=self.caseworker, case=self.case, outcome="other", reason="Moved away."
        )
        waiting = self.sections(self.supervisor)["awaiting_my_approval"]
        self.assertEqual(waiting.total, 1)
        self.assertIn(self.case.number, waiting.items[0].label)
        self.assertEqual(self.sections(self.actor(self.b[Role.SUPERVISOR])), {})
        self.assertEqual(worklist(self.actor(self.a[Role.ANALYST])), [])

    def test_the_work_page_shows_the_sections(self) -> None:
        services.case_close_request(
            actor=self.caseworker, case=self.case, outcome="other", reason="Moved away."
        )
        page = self.client_for(self.a[Role.SUPERVISOR]).get("/work/")
        self.assertContains(page, "Awaiting my approval")
        self.assertContains(page, self.case.number)
        page = self.client_for(self.a[Role.CASEWORKER]).get("/work/")
        self.assertContains(page, "My cases")
