"""API v1 for cases: scoped like the pages, HTCDS value names in and out, approvals decided by supervisors."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.test import APIClient

from hifazat.cases import services
from hifazat.cases.models import Approval, Case
from hifazat.cases.testing import register_person
from hifazat.cases.tests.base import CaseTestCase
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role


class ApiTests(CaseTestCase):
    def api(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def test_the_list_and_the_detail_are_scoped(self) -> None:
        listed = self.api(self.a[Role.CASEWORKER]).get("/api/v1/cases/").json()
        self.assertEqual([c["number"] for c in listed["results"]], [self.case.number])
        self.assertEqual(self.api(self.b[Role.SUPERVISOR]).get("/api/v1/cases/").json()["results"], [])
        self.assertEqual(
            self.api(self.b[Role.SUPERVISOR]).get(f"/api/v1/cases/{self.case.uuid}/").status_code, 404
        )
        self.assertEqual(
            self.api(self.colleague_user).get(f"/api/v1/cases/{self.case.uuid}/").status_code, 404
        )
        self.assertEqual(self.api(self.a[Role.ANALYST]).get("/api/v1/cases/").status_code, 403)
        detail = self.api(self.a[Role.SUPERVISOR]).get(f"/api/v1/cases/{self.case.uuid}/")
        self.assertEqual(detail.json()["status"], "Active")
        self.assertTrue(AuditEntry.objects.filter(action="read", object_uuid=self.case.uuid).exists())

    def test_open_a_case_and_record_its_victim_context_with_value_names(self) -> None:
        person = register_person(self.caseworker, "Zainab")
        client = self.api(self.a[Role.CASEWORKER])
        opened = client.post(
            "/api/v1/cases/", {"person": str(person.uuid), "origin": "walk_in"}, format="json"
        )
        self.assertEqual(opened.status_code, 201, opened.content)
        case = Case.objects.get(uuid=opened.json()["id"])
        changed = client.patch(
            f"/api/v1/cases/{case.uuid}/",
            {
                "methods_of_control": ["DebtBondage"],
                "relationship_to_trafficker": "Unaquainted",
                "summary": "New",
            },
            format="json",
        )
        self.assertEqual(changed.status_code, 200, changed.content)
        self.assertEqual(changed.json()["methods_of_control"], ["DebtBondage"])
        refused = client.patch(
            f"/api/v1/cases/{case.uuid}/", {"methods_of_control": ["Chains"]}, format="json"
        )
        self.assertEqual(refused.status_code, 400)
        other = register_person(self.actor(self.b[Role.CASEWORKER]), "Fatima")
        self.assertEqual(
            client.post(
                "/api/v1/cases/", {"person": str(other.uuid), "origin": "walk_in"}, format="json"
            ).status_code,
            404,
        )

    def test_sub_records_through_the_services(self) -> None:
        client = self.api(self.a[Role.CASEWORKER])
        base = f"/api/v1/cases/{self.case.uuid}"
        today = timezone.localdate().isoformat()
        for path, data in (
            ("comments", {"body": "Visited."}),
            ("events", {"event_type": "Transit", "place": "Rawalpindi", "country": "PK"}),
            ("perpetrators", {"roles": ["Exploiter"], "alias": "Shahji", "phone": "0345-8123456"}),
            ("support-plans", {"plan_type": "Health", "objectives": "Treatment"}),
            ("services", {"service": "medical", "delivered_on": today}),
            ("follow-ups", {"due_on": today, "purpose": "Visit"}),
        ):
            response = client.post(f"{base}/{path}/", data, format="json")
            self.assertEqual(response.status_code, 201, (path, response.content))
            self.assertEqual(len(client.get(f"{base}/{path}/").json()["results"]), 1, path)
        self.assertEqual(client.get(f"{base}/perpetrators/").json()["results"][0]["phone"], "+923458123456")
        refused = client.post(
            f"{base}/support-plans/", {"plan_type": "Housing", "objectives": "x"}, format="json"
        )
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(self.api(self.b[Role.CASEWORKER]).get(f"{base}/comments/").status_code, 404)
        self.assertEqual(
            self.api(self.colleague_user).post(f"{base}/comments/", {"body": "x"}, format="json").status_code,
            404,
        )

    def test_approvals_are_listed_and_decided_by_supervisors(self) -> None:
        approval = services.case_close_request(
            actor=self.caseworker, case=self.case, outcome="other", reason="Moved."
        )
        url = f"/api/v1/approvals/{approval.uuid}/decide/"
        self.assertEqual(
            self.api(self.a[Role.CASEWORKER]).post(url, {"approved": True}, format="json").status_code, 403
        )
        self.assertEqual(
            self.api(self.b[Role.SUPERVISOR]).post(url, {"approved": True}, format="json").status_code, 404
        )
        supervisor = self.api(self.a[Role.SUPERVISOR])
        listed = supervisor.get("/api/v1/approvals/?decision=pending").json()["results"]
        self.assertEqual([a["id"] for a in listed], [str(approval.uuid)])
        self.assertEqual(supervisor.post(url, {"approved": False}, format="json").status_code, 400)
        decided = supervisor.post(url, {"approved": True}, format="json")
        self.assertEqual(decided.json()["decision"], "approved")
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "Closed")
        self.assertEqual(Approval.objects.get(pk=approval.pk).decided_by, self.a[Role.SUPERVISOR])
