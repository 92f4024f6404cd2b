"""API v1 for livelihoods: the same services and scopes as the pages."""

from __future__ import annotations

from hifazat.cases.record_services import support_plan_add
from hifazat.cases.services import case_open
from hifazat.core.roles import Role
from hifazat.livelihoods.models import Enrolment, ProgrammeReferral
from hifazat.livelihoods.tests.base import LivelihoodTestCase


class ApiTests(LivelihoodTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.gul = self.widow_with_children("T-1", "Gul")
        self.screened(self.gul, "urgent")
        self.amina = self.widow_with_children("T-2", "Amina")
        self.prog = self.programme(capacity=1)
        self.standard_rules(self.prog)
        self.api = self.client_for(self.a[Role.LIVELIHOOD_OFFICER])

    def test_creating_a_programme_and_a_rule(self) -> None:
        response = self.api.post(
            "/api/v1/programmes/",
            {
                "name": "Livestock",
                "kind": "livestock",
                "capacity": 5,
                "budget_per_participant": "40000",
                "starts_on": "2006-03-01",
                "ends_on": "2006-12-31",
                "followup_months": [3, 6],
                "funder": str(self.org_b.uuid),
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        uuid = response.json()["id"]
        rule = self.api.post(
            f"/api/v1/programmes/{uuid}/rules/",
            {"purpose": "priority", "condition": "screening_band", "values": ["high", "urgent"]},
            content_type="application/json",
        )
        self.assertEqual(
            rule.json()["sentence"],
            "Priority 1: households where a member's latest risk screening is high or urgent.",
        )
        bad = self.api.post(
            f"/api/v1/programmes/{uuid}/rules/",
            {"purpose": "priority", "condition": "sex", "values": ["Other"]},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("values", bad.json())

    def test_the_ranking_enrolment_waiting_list_and_departure(self) -> None:
        ranking = self.api.get(f"/api/v1/programmes/{self.prog.uuid}/ranking/").json()
        self.assertEqual(
            [(r["position"], r["household"], len(r["reasons"])) for r in ranking["results"]],
            [(1, str(self.gul.household.uuid), 3), (2, str(self.amina.household.uuid), 2)],
        )
        url = f"/api/v1/programmes/{self.prog.uuid}/enrolments/"
        refused = self.api.post(
            url, {"person": str(self.amina.uuid), "agreed": True}, content_type="application/json"
        )
        self.assertEqual(refused.status_code, 400)
        self.assertIn("departure_reason", refused.json())
        first = self.api.post(
            url, {"person": str(self.gul.uuid), "agreed": True}, content_type="application/json"
        )
        second = self.api.post(
            url, {"person": str(self.amina.uuid), "agreed": True}, content_type="application/json"
        )
        self.assertEqual((first.json()["status"], second.json()["status"]), ("active", "waiting"))
        end = self.api.post(
            f"/api/v1/livelihood-enrolments/{first.json()['id']}/end/",
            {"status": "withdrawn", "reason": "moved"},
            content_type="application/json",
        )
        self.assertEqual(end.json()["status"], "withdrawn")
        self.assertEqual(Enrolment.objects.get(person=self.amina).status, "active")

    def test_support_and_a_visit(self) -> None:
        enrolment = self.enrol(self.prog, self.gul)
        support = self.api.post(
            f"/api/v1/livelihood-enrolments/{enrolment.uuid}/support/",
            {
                "kind": "grant",
                "delivered_on": str(self.today),
                "amount": "30000",
                "currency": "PKR",
                "verified_by": str(self.a[Role.SUPERVISOR].uuid),
            },
            content_type="application/json",
        )
        self.assertEqual(support.status_code, 201, support.content)
        detail = self.api.get(f"/api/v1/livelihood-enrolments/{enrolment.uuid}/").json()
        self.assertEqual((detail["spent"], detail["over_budget"]), ("30000.00", True))
        visit = enrolment.visits.first()
        recorded = self.api.patch(
            f"/api/v1/livelihood-visits/{visit.uuid}/",
            {"visited_on": str(self.today), "income": "9000", "activity_running": True},
            content_type="application/json",
        )
        self.assertEqual(recorded.json()["status"], "done")

    def test_a_caseworker_refers_through_the_api_and_an_outsider_cannot(self) -> None:
        case = case_open(actor=self.caseworker, person=self.amina, origin="walk_in")
        plan = support_plan_add(
            actor=self.caseworker, case=case, plan_type="Livelihood", objectives="Own income"
        )
        url = f"/api/v1/cases/{case.uuid}/livelihood-referrals/"
        body = {"programme": str(self.prog.uuid), "support_plan": str(plan.uuid)}
        self.assertEqual(
            self.client_for(self.b[Role.CASEWORKER])
            .post(url, body, content_type="application/json")
            .status_code,
            404,
        )
        self.assertEqual(self.api.post(url, body, content_type="application/json").status_code, 403)
        response = self.client_for(self.a[Role.CASEWORKER]).post(url, body, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(ProgrammeReferral.objects.get().support_plan, plan)
