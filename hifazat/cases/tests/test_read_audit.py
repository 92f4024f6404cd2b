"""Reads of cases leave audit entries: the case list (page and API: model, count, filter names), and a case's
perpetrators (their numbers are decrypted for the reader) and comments through the API."""

from __future__ import annotations

from rest_framework.test import APIClient

from hifazat.cases import record_services
from hifazat.cases.tests.base import CaseTestCase
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role


class CaseReadAuditTests(CaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        record_services.perpetrator_add(
            actor=self.caseworker,
            case=self.case,
            roles=["RecruiterOrIntermediary"],
            alias="Agent",
            phone="0300 7654321",
        )
        record_services.case_comment_add(actor=self.caseworker, case=self.case, body="Visited the family.")
        self.reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ)
        self.before = self.reads.count()

    def api(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def new_reads(self):
        return list(self.reads.order_by("id")[self.before :])

    def test_the_case_list_page_is_audited_with_the_filter_names(self) -> None:
        response = self.client_for(self.a[Role.CASEWORKER]).get(f"/cases/?number={self.case.number}")
        self.assertContains(response, self.case.number)
        [entry] = self.new_reads()
        self.assertEqual(entry.object_type, "cases.case")
        self.assertEqual(
            entry.detail["filters"], ["number", "status"]
        )  # the status filter is "open" by default
        self.assertNotIn(self.case.number, str(entry.detail))
        self.assertEqual((entry.detail["count"], entry.detail["total"]), (1, 1))

    def test_the_case_list_in_the_api_is_audited(self) -> None:
        response = self.api(self.a[Role.CASEWORKER]).get("/api/v1/cases/?status=open")
        self.assertEqual(response.json()["count"], 1)
        [entry] = self.new_reads()
        self.assertEqual(entry.object_type, "cases.case")
        self.assertEqual(entry.detail, {"count": 1, "total": 1, "filters": ["status"]})

    def test_reading_perpetrators_and_comments_is_audited_on_the_case(self) -> None:
        outsider = self.api(self.b[Role.SUPERVISOR]).get(f"/api/v1/cases/{self.case.uuid}/perpetrators/")
        self.assertEqual(outsider.status_code, 404)
        self.assertEqual(self.new_reads(), [])  # a refused read leaves none
        client = self.api(self.a[Role.CASEWORKER])
        perpetrators = client.get(f"/api/v1/cases/{self.case.uuid}/perpetrators/")
        self.assertEqual(perpetrators.json()["results"][0]["phone"], "+923007654321")
        comments = client.get(f"/api/v1/cases/{self.case.uuid}/comments/")
        self.assertEqual(comments.status_code, 200)
        first, second = self.new_reads()
        self.assertEqual((first.object_type, first.object_uuid), ("cases.case", self.case.uuid))
        self.assertEqual(first.detail, {"records": "perpetrators", "count": 1})
        self.assertEqual(
            (second.object_uuid, second.detail), (self.case.uuid, {"records": "comments", "count": 1})
        )
