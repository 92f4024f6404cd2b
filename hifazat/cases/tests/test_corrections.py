"""Correcting and removing a case's records (historic events, perpetrators, support plans, services delivered,
follow-ups): who is refused, then that edits and removals work, are audited and appear in the case's history."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.cases import record_services, services
from hifazat.cases.models import CaseFollowUp, CaseHistory, Perpetrator, ServiceDelivery, SupportPlan
from hifazat.cases.selectors import followups_due
from hifazat.cases.tests.base import HTMX, CaseTestCase
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict

TODAY = datetime.date.today()
CONFLICT = str(CONFLICT_MESSAGE).split(",")[0]


class CorrectionTestCase(CaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.plan = record_services.support_plan_add(
            actor=self.caseworker, case=self.case, plan_type="Health", objectives="Treatment"
        )
        self.delivery = record_services.service_record(
            actor=self.caseworker, case=self.case, service="medical", delivered_on=TODAY
        )
        self.followup = record_services.case_followup_add(
            actor=self.caseworker, case=self.case, due_on=TODAY, purpose="Home visit"
        )
        self.event = record_services.historic_event_add(
            actor=self.caseworker, case=self.case, event_type="Recruitment", place="Lahore"
        )
        self.perpetrator = record_services.perpetrator_add(
            actor=self.caseworker,
            case=self.case,
            roles=["RecruiterOrIntermediary"],
            alias="The agent",
            phone="0300 1234567",
        )


class WhoIsRefusedTests(CorrectionTestCase):
    def test_roles_without_cases_edit_are_refused_by_the_services(self) -> None:
        for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.MONITORING_FOCAL_POINT):
            actor = self.actor(self.a[role])
            with self.assertRaises(PermissionDenied):
                record_services.support_plan_update(actor=actor, plan=self.plan, objectives="Other")
            with self.assertRaises(PermissionDenied):
                record_services.case_record_remove(actor=actor, record=self.delivery, reason="Twice")

    def test_another_organisation_and_a_colleagues_case_are_refused(self) -> None:
        with self.assertRaises(PermissionDenied):
            record_services.case_followup_update(
                actor=self.actor(self.b[Role.SUPERVISOR]), followup=self.followup, purpose="Call"
            )
        with self.assertRaises(PermissionDenied):
            record_services.case_record_remove(actor=self.colleague, record=self.event, reason="Twice")

    def test_pages_are_404_outside_the_scope_and_403_without_the_permission(self) -> None:
        urls = [f"/cases/plans/{self.plan.uuid}/edit/", f"/cases/services/{self.delivery.uuid}/remove/"]
        for url in urls:
            self.assertEqual(self.client_for(self.b[Role.SUPERVISOR]).get(url).status_code, 404)
            self.assertEqual(self.client_for(self.colleague_user).post(url, {"reason": "x"}).status_code, 404)
            self.assertEqual(self.client_for(self.a[Role.ANALYST]).get(url).status_code, 403)
        self.assertTrue(ServiceDelivery.objects.filter(pk=self.delivery.pk).exists())

    def test_api_is_404_outside_the_scope(self) -> None:
        url = f"/api/v1/cases/support-plans/{self.plan.uuid}/"
        client = self.client_for(self.b[Role.SUPERVISOR])
        self.assertEqual(client.get(url).status_code, 404)
        response = client.delete(url, {"reason": "x"}, content_type="application/json")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(SupportPlan.objects.filter(pk=self.plan.pk).exists())

    def test_records_of_a_closed_case_cannot_be_corrected_or_removed(self) -> None:
        services.case_close_request(
            actor=self.supervisor, case=self.case, outcome="objectives_met", reason="Support complete"
        )
        self.plan.refresh_from_db()
        with self.assertRaises(ValidationError):
            record_services.support_plan_update(actor=self.supervisor, plan=self.plan, objectives="Other")
        with self.assertRaises(ValidationError):
            record_services.case_record_remove(actor=self.supervisor, record=self.event, reason="Twice")

    def test_a_removal_needs_a_reason(self) -> None:
        with self.assertRaises(ValidationError):
            record_services.case_record_remove(actor=self.caseworker, record=self.event, reason="  ")


class CorrectionTests(CorrectionTestCase):
    def test_a_plan_correction_writes_only_what_changed_and_is_audited_and_in_the_history(self) -> None:
        record_services.support_plan_update(
            actor=self.caseworker, plan=self.plan, version=self.plan.version, objectives="Treatment and rest"
        )
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.objectives, "Treatment and rest")
        line = self.case.history.get(kind=CaseHistory.Kind.RECORD_CHANGED)
        self.assertEqual(
            line.detail, {"record": "support_plan", "id": str(self.plan.uuid), "fields": ["objectives"]}
        )
        entry = AuditEntry.objects.filter(object_uuid=self.plan.uuid, action="update").get()
        self.assertEqual(entry.detail["fields"], ["objectives"])
        self.assertNotIn("Treatment and rest", str(entry.detail))

    def test_a_correction_from_an_older_version_is_refused(self) -> None:
        seen = self.followup.version
        record_services.case_followup_update(
            actor=self.supervisor, followup=self.followup, purpose="Phone call"
        )
        with self.assertRaises(EditConflict):
            record_services.case_followup_update(
                actor=self.caseworker, followup=self.followup, due_on=TODAY, version=seen
            )
        self.followup.refresh_from_db()
        self.assertEqual(self.followup.purpose, "Phone call")

    def test_a_perpetrators_phone_is_encrypted_again_only_when_it_changes(self) -> None:
        stored = self.perpetrator.phone_encrypted
        record_services.perpetrator_update(
            actor=self.caseworker, perpetrator=self.perpetrator, phone="0300 1234567", alias="Agent Saleem"
        )
        self.perpetrator.refresh_from_db()
        self.assertEqual(self.perpetrator.phone_encrypted, stored)
        self.assertEqual(self.perpetrator.alias, "Agent Saleem")
        record_services.perpetrator_update(
            actor=self.caseworker, perpetrator=self.perpetrator, phone="0300 7654321"
        )
        self.perpetrator.refresh_from_db()
        self.assertEqual(self.perpetrator.phone, "+923007654321")
        self.assertNotIn(stored, self.perpetrator.phone_encrypted)

    def test_the_edit_page_corrects_a_service_and_answers_with_the_section(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/cases/services/{self.delivery.uuid}/edit/"
        self.assertContains(client.get(url, **HTMX), 'name="version"')
        response = client.post(
            url,
            {"service": "psychosocial", "delivered_on": TODAY.isoformat(), "version": self.delivery.version},
            **HTMX,
        )
        self.assertContains(response, "Psychosocial support")
        self.assertContains(response, "Corrected.")
        self.delivery.refresh_from_db()
        self.assertEqual(self.delivery.service, "psychosocial")

    def test_a_stale_edit_page_shows_the_conflict_and_keeps_the_typed_text(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        seen = self.plan.version
        record_services.support_plan_update(
            actor=self.supervisor, plan=self.plan, action_plan="Clinic on Monday"
        )
        response = client.post(
            f"/cases/plans/{self.plan.uuid}/edit/",
            {"plan_type": "Health", "objectives": "My typed objectives", "version": seen},
        )
        self.assertContains(response, CONFLICT, status_code=409)
        self.assertContains(response, "My typed objectives", status_code=409)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.action_plan, "Clinic on Monday")

    def test_the_api_corrects_a_followup_and_answers_409_to_an_older_version(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/api/v1/cases/follow-ups/{self.followup.uuid}/"
        seen = client.get(url).json()["version"]
        response = client.patch(
            url, {"purpose": "Phone call", "version": seen}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["purpose"], "Phone call")
        response = client.patch(url, {"purpose": "Visit", "version": seen}, content_type="application/json")
        self.assertEqual(response.status_code, 409)


class RemovalTests(CorrectionTestCase):
    def test_a_removed_followup_leaves_the_lists_but_the_history_keeps_it(self) -> None:
        record_services.case_record_remove(
            actor=self.caseworker, record=self.followup, reason="Entered twice"
        )
        self.assertFalse(self.case.followups.exists())
        self.assertFalse(followups_due(self.caseworker).exists())
        kept = CaseFollowUp.with_removed.get(pk=self.followup.pk)
        self.assertEqual(kept.removal_reason, "Entered twice")
        self.assertEqual(kept.removed_by, self.a[Role.CASEWORKER])
        line = self.case.history.get(kind=CaseHistory.Kind.RECORD_REMOVED)
        self.assertEqual(line.detail["reason"], "Entered twice")
        self.assertTrue(AuditEntry.objects.filter(object_uuid=self.followup.uuid, action="delete").exists())

    def test_the_remove_page_removes_a_perpetrator_and_the_timeline_says_so(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        url = f"/cases/perpetrators/{self.perpetrator.uuid}/remove/"
        response = client.post(url, {"reason": "Wrong case", "version": self.perpetrator.version}, **HTMX)
        self.assertContains(response, "Removed; the case")
        self.assertNotContains(response, "The agent")
        self.assertFalse(Perpetrator.objects.filter(pk=self.perpetrator.pk).exists())
        page = client.get(self.url())
        self.assertContains(page, "Perpetrator removed")
        self.assertContains(page, "Wrong case")

    def test_a_plan_with_services_under_it_is_not_removed(self) -> None:
        record_services.service_update(actor=self.caseworker, delivery=self.delivery, support_plan=self.plan)
        with self.assertRaises(ValidationError):
            record_services.case_record_remove(actor=self.caseworker, record=self.plan, reason="Twice")
        self.assertTrue(SupportPlan.objects.filter(pk=self.plan.pk).exists())

    def test_the_api_removes_a_service_with_a_reason_and_refuses_an_older_version(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/api/v1/cases/services/{self.delivery.uuid}/"
        seen = self.delivery.version
        record_services.service_update(actor=self.supervisor, delivery=self.delivery, note="Clinic visit")
        response = client.delete(url, {"reason": "Twice", "version": seen}, content_type="application/json")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(client.delete(url, {}, content_type="application/json").status_code, 400)
        response = client.delete(
            url, {"reason": "Twice", "version": seen + 1}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(client.get(url).status_code, 404)
        listed = client.get(f"/api/v1/cases/{self.case.uuid}/services/").json()
        self.assertEqual(listed["results"] if isinstance(listed, dict) else listed, [])

    def test_a_removed_record_cannot_be_corrected(self) -> None:
        record_services.case_record_remove(actor=self.caseworker, record=self.event, reason="Twice")
        with self.assertRaises(ValidationError):
            record_services.historic_event_update(actor=self.caseworker, event=self.event, place="Multan")
