"""Supervisor approvals: closing a case needs one, a refusal needs a note, and other parts' kinds run their
handlers through the registry without cases knowing them."""

from __future__ import annotations

import dataclasses
import uuid

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.cases import record_services, services
from hifazat.cases.models import Approval, CaseFollowUp, CaseHistory
from hifazat.cases.tests.base import CaseTestCase
from hifazat.core import hooks
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.notifications.models import Notification


class ClosureTests(CaseTestCase):
    def request(self, **data) -> Approval:
        data.setdefault("outcome", "objectives_met")
        data.setdefault("reason", "She has her own income now.")
        return services.case_close_request(actor=self.caseworker, case=self.case, **data)

    def test_a_caseworkers_closure_waits_for_a_supervisor_who_is_told(self) -> None:
        approval = self.request()
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "Active")
        self.assertEqual(
            (approval.kind, approval.decision, approval.target_uuid),
            ("case.closure", "pending", self.case.uuid),
        )
        self.assertEqual(approval.detail, {"outcome": "objectives_met"})
        told = Notification.objects.get(kind="approval.requested")
        self.assertEqual(told.recipient, self.a[Role.SUPERVISOR])
        self.assertNotIn("Nasreen", told.title)
        with self.assertRaises(ValidationError):  # one request at a time
            self.request()

    def test_approval_closes_the_case_with_its_outcome_and_cancels_open_follow_ups(self) -> None:
        followup = record_services.case_followup_add(
            actor=self.caseworker, case=self.case, due_on=self.case.opened_on, purpose="Home visit"
        )
        approval = services.approval_decide(actor=self.supervisor, approval=self.request(), approved=True)
        self.case.refresh_from_db()
        self.assertEqual(
            (self.case.status, self.case.closure_outcome, self.case.reason_for_closure),
            ("Closed", "objectives_met", "She has her own income now."),
        )
        self.assertIsNotNone(self.case.closed_on)
        self.assertEqual((approval.decision, approval.decided_by), ("approved", self.a[Role.SUPERVISOR]))
        followup.refresh_from_db()
        self.assertEqual(followup.status, CaseFollowUp.Status.CANCELLED)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.a[Role.CASEWORKER], kind="case.closure_approved"
            ).exists()
        )
        self.assertTrue(self.case.history.filter(kind=CaseHistory.Kind.CLOSED).exists())

    def test_a_caseworker_cannot_decide_and_a_refusal_needs_a_note(self) -> None:
        approval = self.request()
        with self.assertRaises(PermissionDenied):
            services.approval_decide(actor=self.caseworker, approval=approval, approved=True)
        with self.assertRaises(ValidationError) as refused:
            services.approval_decide(actor=self.supervisor, approval=approval, approved=False, note="  ")
        self.assertIn("note", refused.exception.message_dict)
        approval.refresh_from_db()
        self.assertTrue(approval.is_pending)
        services.approval_decide(
            actor=self.supervisor,
            approval=approval,
            approved=False,
            note="Her brother-in-law is still in the camp.",
        )
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "Active")
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.a[Role.CASEWORKER], kind="case.closure_refused"
            ).exists()
        )
        with self.assertRaises(ValidationError):  # decided once
            services.approval_decide(actor=self.supervisor, approval=approval, approved=True)

    def test_another_organisations_supervisor_cannot_decide(self) -> None:
        approval = self.request()
        with self.assertRaises(PermissionDenied):
            services.approval_decide(
                actor=self.actor(self.b[Role.SUPERVISOR]), approval=approval, approved=True
            )

    def test_a_supervisors_own_closure_is_recorded_as_an_approval_they_decided(self) -> None:
        services.case_close_request(
            actor=self.supervisor,
            case=self.case,
            outcome="no_longer_at_risk",
            reason="Checked with the family.",
        )
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "Closed")
        approval = Approval.objects.get(target_uuid=self.case.uuid)
        self.assertEqual(
            (approval.requested_by, approval.decided_by, approval.decision),
            (self.a[Role.SUPERVISOR], self.a[Role.SUPERVISOR], "approved"),
        )

    def test_closure_blockers_registered_by_other_parts_refuse_the_outcome(self) -> None:
        def checklist(case, outcome):
            return ["The reunification checklist is not complete."] if outcome == "reunified" else []

        # Only this check: the tracing part registers its own for the same outcome.
        with hooks.temporarily("cases.closure_checks", checklist, only=True):
            with self.assertRaises(ValidationError) as refused:
                self.request(outcome="reunified")
            self.request(outcome="objectives_met")  # another outcome is not blocked
        self.assertEqual(
            refused.exception.message_dict["outcome"], ["The reunification checklist is not complete."]
        )

    def test_a_blocker_that_appears_after_the_request_stops_the_approval(self) -> None:
        with hooks.temporarily("cases.closure_checks", only=True):
            approval = self.request(outcome="other")
        with (
            hooks.temporarily(
                "cases.closure_checks", lambda case, outcome: ["A referral is still open."], only=True
            ),
            self.assertRaises(ValidationError),
        ):
            services.approval_decide(actor=self.supervisor, approval=approval, approved=True)
        approval.refresh_from_db()
        self.case.refresh_from_db()
        self.assertTrue(approval.is_pending)  # the decision was undone with the closure
        self.assertEqual(self.case.status, "Active")

    def test_closing_needs_a_reason_and_a_known_outcome(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            self.request(reason=" ")
        self.assertIn("reason", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            self.request(outcome="Closed")
        self.assertIn("outcome", refused.exception.message_dict)

    def test_a_transfer_accepted_elsewhere_closes_as_referred_without_a_second_approval(self) -> None:
        pending = self.request()
        services.case_close_referred(
            actor=self.supervisor, case=self.case, note="Transferred to HWWS (referral IMPO-R-2006-0004)."
        )
        self.case.refresh_from_db()
        self.assertEqual((self.case.status, self.case.closure_outcome), ("ClosedReferred", "referred"))
        pending.refresh_from_db()
        self.assertEqual(pending.decision, Approval.Decision.WITHDRAWN)
        with self.assertRaises(ValidationError):
            services.case_close_referred(actor=self.supervisor, case=self.case, note="again")

    def test_a_supervisor_can_reopen_with_a_reason(self) -> None:
        services.case_close_request(actor=self.supervisor, case=self.case, outcome="other", reason="Moved.")
        with self.assertRaises(PermissionDenied):
            services.case_reopen(actor=self.caseworker, case=self.case, note="She came back.")
        services.case_reopen(actor=self.supervisor, case=self.case, note="She came back to the camp.")
        self.case.refresh_from_db()
        self.assertEqual(
            (self.case.status, self.case.closed_on, self.case.closure_outcome), ("Active", None, "")
        )


class RegistryTests(CaseTestCase):
    """How another part (referrals) uses approvals: its own kind, its own handlers, its object by UUID."""

    def setUp(self) -> None:
        super().setUp()
        self.ran: list[tuple[str, str, str]] = []
        self.kind = services.ApprovalKind(
            "test.override",
            label="Override for a test",
            on_approved=lambda approval, actor: self.ran.append(
                ("approved", str(approval.target_uuid), actor.role)
            ),
            on_refused=lambda approval, actor: self.ran.append(
                ("refused", approval.decision_note, actor.role)
            ),
        )
        self.enterContext(hooks.temporarily("cases.approval_kinds", self.kind))
        self.target = uuid.uuid4()

    def ask(self) -> Approval:
        return services.approval_request(
            actor=self.caseworker,
            kind="test.override",
            target_uuid=self.target,
            reason="No consent: urgent",
            case=self.case,
        )

    def test_the_kinds_handler_runs_when_granted_and_the_requester_is_told(self) -> None:
        approval = self.ask()
        self.assertEqual(self.ran, [])
        services.approval_decide(
            actor=self.supervisor, approval=approval, approved=True, note="Urgent: agreed."
        )
        self.assertEqual(self.ran, [("approved", str(self.target), Role.SUPERVISOR)])
        told = Notification.objects.get(recipient=self.a[Role.CASEWORKER], kind="approval.approved")
        self.assertIn("test.override", told.title)
        self.assertTrue(
            AuditEntry.objects.filter(
                object_uuid=approval.uuid, action="update", detail__decision="approved"
            ).exists()
        )

    def test_the_refusal_handler_runs_with_the_note(self) -> None:
        services.approval_decide(
            actor=self.supervisor, approval=self.ask(), approved=False, note="Ask her first."
        )
        self.assertEqual(self.ran, [("refused", "Ask her first.", Role.SUPERVISOR)])

    def test_a_handler_that_refuses_undoes_the_decision(self) -> None:
        def refuse(approval, actor):
            raise ValidationError({"note": "Write the reason for sending without consent."})

        approval = self.ask()
        self.enterContext(
            hooks.temporarily("cases.approval_kinds", dataclasses.replace(self.kind, on_approved=refuse))
        )
        with self.assertRaises(ValidationError):
            services.approval_decide(actor=self.supervisor, approval=approval, approved=True)
        approval.refresh_from_db()
        self.assertTrue(approval.is_pending)

    def test_an_unknown_kind_is_a_programming_error(self) -> None:
        with self.assertRaises(ValueError):
            services.approval_request(
                actor=self.caseworker, kind="nobody.registered", target_uuid=self.target, reason="x"
            )

    def test_requests_need_a_reason_and_a_case_the_requester_may_see(self) -> None:
        with self.assertRaises(ValidationError):
            services.approval_request(
                actor=self.caseworker, kind="test.override", target_uuid=self.target, reason=""
            )
        with self.assertRaises(PermissionDenied):
            services.approval_request(
                actor=self.colleague,
                kind="test.override",
                target_uuid=self.target,
                reason="x",
                case=self.case,
            )
