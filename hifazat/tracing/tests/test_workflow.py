"""Decisions on candidates, the confirmed match, the reunification checklist and the case that cannot close as
reunified before it is complete."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from hifazat.cases import services as cases
from hifazat.cases.panels import closure_blockers, events_for, panels_for
from hifazat.cases.testing import open_case
from hifazat.core.models import AuditEntry
from hifazat.notifications.models import Notification
from hifazat.notifications.selectors import worklist_for
from hifazat.people.selectors import person_timeline
from hifazat.tracing import selectors, services
from hifazat.tracing.models import CandidateStatus, ChecklistItem, TracingStatus
from hifazat.tracing.testing import make_request, register_child
from hifazat.tracing.tests.base import TracingTestCase

ITEMS_BEFORE_DECISION = [
    (ChecklistItem.IDENTITY, ""),
    (ChecklistItem.RELATIONSHIP, ""),
    (ChecklistItem.CHILD_VIEWS, "wants"),
]


class WorkflowTests(TracingTestCase):
    def setUp(self) -> None:
        self.request = make_request(self.cw, "Bilal", second_name="Tanoli", gender="Masculine", age_years=9)

    def follow_checklist(self, request=None) -> None:
        for item, outcome in ITEMS_BEFORE_DECISION:
            services.checklist_record(
                actor=self.cw,
                request=request or self.request,
                item=item,
                outcome=outcome,
                note="Done with the family.",
            )

    def test_new_candidates_reach_the_work_list_and_decisions_are_recorded(self) -> None:
        sections = {s.key: s for s in worklist_for(self.cw)}
        self.assertIn(self.request.number, [i.label for i in sections["tracing.candidates"].items])
        with self.assertRaises(ValidationError):  # a rejection needs its reason
            services.candidate_decide(
                actor=self.cw, request=self.request, person=self.namesake, decision=CandidateStatus.REJECTED
            )
        services.candidate_decide(
            actor=self.cw,
            request=self.request,
            person=self.namesake,
            decision="rejected",
            note="Older, from Kashmir.",
        )
        services.candidate_decide(actor=self.cw, request=self.request, person=self.bilal, decision="proposed")
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, TracingStatus.MATCH_PROPOSED)
        self.assertEqual(self.request.candidates.get(person=self.namesake).status, CandidateStatus.REJECTED)
        self.assertNotIn("tracing.candidates", {s.key for s in worklist_for(self.cw)})

    def test_confirming_links_request_child_and_case_and_keeps_the_other_candidates(self) -> None:
        case = open_case(self.cw, person=self.bilal)
        services.candidate_decide(
            actor=self.cw, request=self.request, person=self.namesake, decision="rejected", note="Older."
        )
        services.match_confirm(
            actor=self.cw, request=self.request, person=self.bilal, note="Photo recognised."
        )
        self.request.refresh_from_db()
        self.assertEqual(
            (self.request.status, self.request.matched_person, self.request.case),
            (TracingStatus.MATCHED, self.bilal, case),
        )
        statuses = dict(self.request.candidates.values_list("person_id", "status"))
        self.assertEqual(statuses[self.bilal.pk], CandidateStatus.CONFIRMED)
        self.assertEqual(statuses[self.namesake.pk], CandidateStatus.REJECTED)
        shown = {c.person: c.status for c in selectors.candidates_for_request(self.cw, self.request)}
        self.assertEqual(shown[self.namesake], CandidateStatus.REJECTED)
        entry = AuditEntry.objects.filter(object_uuid=self.request.uuid, action="update").latest("id")
        self.assertEqual(entry.detail["matched"], str(self.bilal.uuid))
        self.assertNotIn("Bilal", str(entry.detail))
        # A matched request no longer looks for children, nor is offered as a candidate for one.
        self.assertFalse(self.request.keys.exists())
        self.assertNotIn(
            self.request, [c.request for c in selectors.candidates_for_child(self.cw, self.bilal)]
        )
        self.assertIn("tracing.matched", {e.kind for e in person_timeline(self.bilal, self.cw)})
        self.assertIn("tracing.matched", {e.kind for e in events_for(case, self.cw)})
        self.assertIn("tracing", {p.key for p in panels_for(case, self.cw)})

    def test_the_best_interests_decision_is_a_supervisors_and_comes_last(self) -> None:
        services.match_confirm(actor=self.cw, request=self.request, person=self.bilal)
        with self.assertRaises(PermissionDenied):
            services.checklist_record(
                actor=self.cw,
                request=self.request,
                item=ChecklistItem.BEST_INTERESTS,
                outcome="reunify",
                note="x",
            )
        with self.assertRaises(ValidationError):
            services.checklist_record(
                actor=self.sup,
                request=self.request,
                item=ChecklistItem.BEST_INTERESTS,
                outcome="reunify",
                note="x",
            )
        with self.assertRaises(ValidationError):  # the child's view is recorded with its outcome
            services.checklist_record(
                actor=self.cw, request=self.request, item=ChecklistItem.CHILD_VIEWS, note="x"
            )
        self.follow_checklist()
        notice = Notification.objects.get(recipient=self.a["supervisor"], kind="tracing.best_interests")
        self.assertEqual(
            notice.title, f"Tracing request {self.request.number} awaits a best-interests decision"
        )
        self.assertIn(self.request, list(selectors.awaiting_best_interests(self.sup)))
        services.checklist_record(
            actor=self.sup,
            request=self.request,
            item=ChecklistItem.BEST_INTERESTS,
            outcome="reunify",
            note="Visit.",
        )
        with self.assertRaises(ValidationError):  # once only
            services.checklist_record(
                actor=self.cw, request=self.request, item=ChecklistItem.IDENTITY, note="Again."
            )

    def test_the_case_cannot_close_as_reunified_until_the_checklist_is_complete(self) -> None:
        case = open_case(self.cw, person=self.bilal)
        self.assertTrue(closure_blockers(case, "reunified"))  # no confirmed match yet
        self.assertEqual(closure_blockers(case, "objectives_met"), [])
        services.match_confirm(actor=self.cw, request=self.request, person=self.bilal)
        self.assertEqual(len(closure_blockers(case, "reunified")), 4)
        self.follow_checklist()
        blockers = closure_blockers(case, "reunified")
        self.assertEqual(len(blockers), 1)
        self.assertIn("best-interests", blockers[0])
        with self.assertRaises(ValidationError):
            cases.case_close_request(
                actor=self.sup, case=case, outcome="reunified", reason="Back with the mother."
            )
        with self.assertRaises(ValidationError):
            services.reunification_record(actor=self.cw, request=self.request)
        services.checklist_record(
            actor=self.sup,
            request=self.request,
            item=ChecklistItem.BEST_INTERESTS,
            outcome="reunify",
            note="Visit.",
        )
        self.assertIn("Record the reunification", closure_blockers(case, "reunified")[0])
        services.reunification_record(
            actor=self.cw,
            request=self.request,
            reunified_on=datetime.date.today() - datetime.timedelta(days=1),
        )
        self.assertEqual(closure_blockers(case, "reunified"), [])
        cases.case_close_request(
            actor=self.sup, case=case, outcome="reunified", reason="Back with the mother."
        )
        case.refresh_from_db()
        self.assertFalse(case.is_open)

    def test_a_decision_not_to_reunify_blocks_the_reunification(self) -> None:
        services.match_confirm(actor=self.cw, request=self.request, person=self.bilal)
        self.follow_checklist()
        services.checklist_record(
            actor=self.sup,
            request=self.request,
            item=ChecklistItem.BEST_INTERESTS,
            outcome="do_not_reunify",
            note="The family cannot keep the child safe yet.",
        )
        with self.assertRaises(ValidationError):
            services.reunification_record(actor=self.cw, request=self.request)
        services.tracing_request_close(
            actor=self.cw, request=self.request, reason="Not in the child's interests."
        )
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, TracingStatus.CLOSED)

    def test_a_withdrawn_match_clears_its_checklist_and_looks_again(self) -> None:
        services.match_confirm(actor=self.cw, request=self.request, person=self.namesake)
        self.follow_checklist()
        with self.assertRaises(ValidationError):
            services.match_withdraw(actor=self.cw, request=self.request, reason=" ")
        services.match_withdraw(
            actor=self.cw, request=self.request, reason="The mother did not recognise him."
        )
        self.request.refresh_from_db()
        self.assertEqual((self.request.status, self.request.matched_person), (TracingStatus.OPEN, None))
        self.assertFalse(self.request.checklist.exists())
        self.assertEqual(self.request.candidates.get(person=self.namesake).status, CandidateStatus.REJECTED)
        self.assertTrue(self.request.keys.exists())

    def test_another_organisation_cannot_touch_the_request(self) -> None:
        for call in (
            lambda: services.tracing_request_update(actor=self.cw_b, request=self.request, first_name="Ali"),
            lambda: services.candidates_refresh(actor=self.cw_b, request=self.request),
            lambda: services.tracing_request_close(actor=self.cw_b, request=self.request, reason="x"),
        ):
            with self.assertRaises(PermissionDenied):
                call()
        with self.assertRaises(PermissionDenied):  # nor match it with their own child
            services.match_confirm(actor=self.cw, request=self.request, person=self.other_org)

    def test_a_child_registered_after_the_request_reaches_the_review_list_on_the_next_look(self) -> None:
        request = make_request(self.cw, "Zubair", second_name="Qureshi", gender="Masculine", age_years=6)
        self.assertFalse(request.candidates.exists())
        zubair = register_child(self.cw, "Zubair", "Qureshi", age=6)
        out = StringIO()
        call_command("tracing_refresh", stdout=out)
        self.assertEqual(list(request.candidates.values_list("person", flat=True)), [zubair.pk])
        self.assertIn("new candidates to review: 1", out.getvalue())

    def test_changing_the_description_looks_for_candidates_again(self) -> None:
        request = make_request(self.cw, "Saima", gender="Feminine", age_years=7)
        before = set(request.candidates.values_list("person_id", flat=True))
        services.tracing_request_update(
            actor=self.cw, request=request, first_name="Bilal", gender="Masculine", age_years=9
        )
        after = set(request.candidates.values_list("person_id", flat=True))
        self.assertIn(self.bilal.pk, after - before)
        self.assertEqual(request.keys.filter(key__startswith="t:").count(), 1)
