"""Livelihood pages: who is refused first, scoping across organisations, then what the officer sees and does."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hifazat.cases.record_services import support_plan_add
from hifazat.cases.services import case_open
from hifazat.core.roles import Role
from hifazat.livelihoods.models import Enrolment, ProgrammeReferral, SelectionRule, Skip
from hifazat.livelihoods.tests.base import LivelihoodTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}


class PageTestCase(LivelihoodTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.gul = self.widow_with_children("T-1", "Gul")
        self.screened(self.gul, "urgent")
        self.amina = self.widow_with_children("T-2", "Amina")
        self.prog = self.programme(capacity=1)
        self.standard_rules(self.prog)
        self.officer_client = self.client_for(self.a[Role.LIVELIHOOD_OFFICER])


class RefusalTests(PageTestCase):
    def test_roles_without_livelihoods_are_refused_and_anonymous_users_sent_to_sign_in(self) -> None:
        enrolment = self.enrol(self.prog, self.gul)
        pages = [
            "/livelihoods/",
            f"/livelihoods/{self.prog.uuid}/",
            f"/livelihoods/{self.prog.uuid}/ranking/",
            f"/livelihoods/enrolments/{enrolment.uuid}/",
        ]
        for role in (
            Role.ADMINISTRATOR,
            Role.MONITORING_FOCAL_POINT,
            Role.NETWORK_REPORTER,
            Role.ANALYST,
            Role.DONOR_VIEWER,
        ):
            client = self.client_for(self.a[role])
            for url in pages:
                self.assertEqual(client.get(url).status_code, 403, (role, url))
        for url in pages:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_a_caseworker_sees_programmes_but_neither_ranks_nor_enrols(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        self.assertEqual(client.get(f"/livelihoods/{self.prog.uuid}/").status_code, 200)
        self.assertEqual(client.get(f"/livelihoods/{self.prog.uuid}/ranking/").status_code, 403)
        response = client.post(
            f"/livelihoods/{self.prog.uuid}/enrol/",
            {
                "household": self.gul.household.uuid,
                "person": self.gul.uuid,
                "agreed": "on",
                "agreed_by": "self",
                "on": self.today,
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Enrolment.objects.exists())

    def test_another_organisation_gets_404_for_programmes_enrolments_and_rules(self) -> None:
        enrolment = self.enrol(self.prog, self.gul)
        rule = SelectionRule.objects.filter(programme=self.prog).first()
        client = self.client_for(self.b[Role.LIVELIHOOD_OFFICER])
        for url in (
            f"/livelihoods/{self.prog.uuid}/",
            f"/livelihoods/{self.prog.uuid}/ranking/",
            f"/livelihoods/enrolments/{enrolment.uuid}/",
            f"/livelihoods/enrolments/{enrolment.uuid}/support/",
            f"/livelihoods/visits/{enrolment.visits.first().uuid}/",
            f"/api/v1/programmes/{self.prog.uuid}/",
            f"/api/v1/livelihood-enrolments/{enrolment.uuid}/",
        ):
            self.assertEqual(client.get(url).status_code, 404, url)
        self.assertEqual(client.post(f"/livelihoods/rules/{rule.uuid}/delete/").status_code, 404)
        self.assertNotContains(client.get("/livelihoods/"), self.prog.name)
        self.assertTrue(SelectionRule.objects.filter(pk=rule.pk).exists())


class OfficerTests(PageTestCase):
    def test_the_programme_page_says_the_rules_in_english_and_urdu_and_carries_the_chart_data(self) -> None:
        response = self.officer_client.get(f"/livelihoods/{self.prog.uuid}/")
        self.assertContains(
            response, "Priority 1: households where a member&#x27;s latest risk screening is high or urgent."
        )
        self.assertContains(response, 'lang="ur"')
        self.assertContains(response, 'id="outcome-chart-data"')
        self.assertContains(response, "chartjs/chart.umd.min.js")

    def test_creating_a_programme_through_the_form(self) -> None:
        response = self.officer_client.post(
            "/livelihoods/new/",
            {
                "name": "Livestock for widows",
                "kind": "livestock",
                "capacity": "20",
                "budget_per_participant": "40000",
                "currency": "PKR",
                "starts_on": "2006-03-01",
                "ends_on": "2006-12-31",
                "household_limit": "one_at_a_time",
                "followup_months": "3, 6, 12",
                "funder": str(self.org_b.uuid),
            },
        )
        programme = self.officer.organisation.implemented_programmes.get(name="Livestock for widows")
        self.assertRedirects(response, f"/livelihoods/{programme.uuid}/")
        self.assertEqual((programme.followup_months, programme.funder), ([3, 6, 12], self.org_b))

    def test_adding_a_rule_through_the_form(self) -> None:
        response = self.officer_client.post(
            f"/livelihoods/{self.prog.uuid}/rules/new/",
            {
                "purpose": "priority",
                "condition": "vulnerability",
                "groups": ["separated_or_widowed_woman"],
                "rank": "1",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            list(
                self.prog.rules.filter(purpose="priority")
                .order_by("rank")
                .values_list("condition", flat=True)
            ),
            ["vulnerability", "screening_band", "vulnerability", "vulnerability"],
        )
        bad = self.officer_client.post(
            f"/livelihoods/{self.prog.uuid}/rules/new/", {"purpose": "priority", "condition": "age"}
        )
        self.assertContains(bad, "Give a lowest age, a highest age, or both.")

    def test_the_ranked_list_shows_reasons_and_uses_few_queries(self) -> None:
        for n in range(30):
            self.widow_with_children(f"X-{n}", f"Widow {n}")
        url = f"/livelihoods/{self.prog.uuid}/ranking/"
        with CaptureQueriesContext(connection) as queries:
            response = self.officer_client.get(url, **HTMX)
        self.assertLess(len(queries), 25)
        self.assertContains(
            response, "Priority 2: households with a member in the group “Widowed single parent”."
        )
        rows = response.content.decode().split("<tr data-household=")
        self.assertIn(str(self.gul.household.uuid), rows[1])  # urgent screening: first
        self.assertContains(self.officer_client.get(url + "?page=2", **HTMX), "Page 2 of 2")

    def test_enrolling_from_the_ranked_list_and_the_waiting_list(self) -> None:
        url = f"/livelihoods/{self.prog.uuid}/enrol/"
        self.assertContains(self.officer_client.get(f"{url}?household={self.gul.household.uuid}"), "Gul")
        response = self.officer_client.post(
            url,
            {
                "household": self.gul.household.uuid,
                "person": self.gul.uuid,
                "agreed": "on",
                "agreed_by": "self",
                "on": self.today,
                "income_before": "3000",
            },
        )
        self.assertRedirects(response, f"/livelihoods/{self.prog.uuid}/ranking/")
        response = self.officer_client.post(
            url,
            {
                "household": self.amina.household.uuid,
                "person": self.amina.uuid,
                "agreed": "on",
                "agreed_by": "self",
                "on": self.today,
            },
            follow=True,
        )
        self.assertContains(response, "the household is on the waiting list")
        self.assertEqual(
            list(Enrolment.objects.order_by("pk").values_list("status", flat=True)), ["active", "waiting"]
        )

    def test_a_departure_without_a_reason_is_refused_on_the_page(self) -> None:
        url = f"/livelihoods/{self.prog.uuid}/enrol/"
        page = self.officer_client.get(f"{url}?household={self.amina.household.uuid}")
        self.assertContains(page, "1 household ranked higher is waiting or not yet decided")
        response = self.officer_client.post(
            url,
            {
                "household": self.amina.household.uuid,
                "person": self.amina.uuid,
                "agreed": "on",
                "agreed_by": "self",
                "on": self.today,
            },
        )
        self.assertContains(response, "give the reason for enrolling this one first")
        self.assertFalse(Enrolment.objects.exists())

    def test_passing_over_from_the_ranked_list(self) -> None:
        url = f"/livelihoods/{self.prog.uuid}/skip/"
        self.officer_client.post(url, {"household": self.gul.household.uuid, "reason": ""})
        self.assertFalse(Skip.objects.exists())
        self.officer_client.post(url, {"household": self.gul.household.uuid, "reason": "Moved to Lahore"})
        self.assertEqual(Skip.objects.get().reason, "Moved to Lahore")
        self.assertContains(
            self.officer_client.get(f"/livelihoods/{self.prog.uuid}/ranking/"), "Moved to Lahore"
        )

    def test_support_and_a_visit_through_the_forms(self) -> None:
        enrolment = self.enrol(self.prog, self.gul, income_before=Decimal("3000"))
        response = self.officer_client.post(
            f"/livelihoods/enrolments/{enrolment.uuid}/support/",
            {
                "kind": "grant",
                "delivered_on": self.today,
                "amount": "26000",
                "currency": "PKR",
                "verified_by": self.a[Role.SUPERVISOR].uuid,
            },
            follow=True,
        )
        self.assertContains(response, "over the budget per participant")
        visit = enrolment.visits.first()
        self.officer_client.post(
            f"/livelihoods/visits/{visit.uuid}/",
            {
                "status": "done",
                "visited_on": self.today,
                "income": "7000",
                "activity_running": "true",
                "employment": "self_employed",
            },
        )
        visit.refresh_from_db()
        self.assertEqual(
            (visit.status, visit.income, visit.activity_running), ("done", Decimal("7000"), True)
        )
        detail = self.officer_client.get(f"/livelihoods/{self.prog.uuid}/")
        self.assertContains(detail, "7000.0")  # in the chart's data


class CaseLinkTests(PageTestCase):
    def test_a_caseworker_refers_from_a_case_and_the_household_shows_as_referred(self) -> None:
        case = case_open(actor=self.caseworker, person=self.amina, origin="walk_in")
        health = support_plan_add(
            actor=self.caseworker, case=case, plan_type="Health", objectives="Clinic visits"
        )
        plan = support_plan_add(
            actor=self.caseworker, case=case, plan_type="Livelihood", objectives="Own income"
        )
        client = self.client_for(self.a[Role.CASEWORKER])
        refused = client.post(
            f"/livelihoods/support-plans/{health.uuid}/refer/", {"programme": self.prog.uuid}
        )
        self.assertContains(refused, "Only a livelihood support plan refers to a livelihood programme.")
        self.assertEqual(
            self.client_for(self.b[Role.CASEWORKER])
            .get(f"/livelihoods/support-plans/{plan.uuid}/refer/")
            .status_code,
            404,
        )
        client.post(
            f"/livelihoods/support-plans/{plan.uuid}/refer/",
            {"programme": self.prog.uuid, "note": "lost her shop"},
        )
        referral = ProgrammeReferral.objects.get()
        self.assertEqual(
            (referral.person, referral.status, referral.support_plan), (self.amina, "open", plan)
        )
        ranking = self.officer_client.get(f"/livelihoods/{self.prog.uuid}/ranking/?show=referred")
        self.assertContains(ranking, f"Referred by case {case.number}")
        self.assertNotContains(ranking, "Gul")
        enrolment = self.enrol(self.prog, self.amina, departure_reason="referred by her caseworker")
        referral.refresh_from_db()
        self.assertEqual((referral.status, enrolment.referral), ("enrolled", referral))

    def test_the_case_panel_shows_enrolment_and_outcomes(self) -> None:
        from hifazat.cases.panels import panels_for

        case = case_open(actor=self.caseworker, person=self.gul, origin="walk_in")
        plan = support_plan_add(
            actor=self.caseworker, case=case, plan_type="Livelihood", objectives="Own income"
        )
        enrolment = self.enrol(self.prog, self.gul, income_before=Decimal("2500"))
        from hifazat.livelihoods import services

        services.visit_record(
            actor=self.officer, visit=enrolment.visits.first(), visited_on=self.today, income=Decimal("6000")
        )
        panel = next(p for p in panels_for(case, self.caseworker) if p.key == "livelihoods")
        self.assertEqual([e.pk for e in panel.context["enrolments"]], [enrolment.pk])
        self.assertEqual(panel.context["enrolments"][0].visits.all()[0].income, Decimal("6000"))
        self.assertEqual(panel.context["plans"], [plan])
        html = self.client_for(self.a[Role.CASEWORKER]).get(f"/cases/{case.uuid}/")
        self.assertContains(html, f"/livelihoods/support-plans/{plan.uuid}/refer/")
        self.assertContains(html, "6000")


class UrduTests(PageTestCase):
    def test_the_pages_read_in_urdu_with_the_rules_in_english_below(self) -> None:
        enrolment = self.enrol(self.prog, self.gul, income_before=Decimal("3000"))
        urdu = {"HTTP_ACCEPT_LANGUAGE": "ur"}
        page = self.officer_client.get(f"/livelihoods/{self.prog.uuid}/", **urdu)
        self.assertContains(page, "ترجیح 1: وہ گھرانے جن کے کسی فرد کی تازہ ترین خطرے کی جانچ")
        self.assertContains(page, "Priority 1: households where a member")  # the other language, below
        self.assertContains(page, 'dir="rtl"')
        for url in (
            f"/livelihoods/{self.prog.uuid}/ranking/",
            f"/livelihoods/enrolments/{enrolment.uuid}/",
            f"/livelihoods/{self.prog.uuid}/enrol/?household={self.amina.household.uuid}",
        ):
            self.assertContains(self.officer_client.get(url, **urdu), "روزگار")


class WorkListTests(PageTestCase):
    def test_overdue_visits_and_open_referrals_are_on_the_officers_work_list(self) -> None:
        import datetime

        from hifazat.livelihoods.hooks import worklist

        earlier = self.programme(name="Earlier", starts_on=self.today - datetime.timedelta(days=150))
        self.enrol(earlier, self.gul, on=self.today - datetime.timedelta(days=120))
        sections = {s.key: s for s in worklist(self.officer)}
        self.assertEqual(sections["livelihoods.visits"].total, 1)  # the 3-month visit, overdue
        self.assertTrue(sections["livelihoods.visits"].items[0].overdue)
        self.assertEqual(worklist(self.caseworker), [])
        self.assertEqual(worklist(self.actor(self.b[Role.LIVELIHOOD_OFFICER])), [])
