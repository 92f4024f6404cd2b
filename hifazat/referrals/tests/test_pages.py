"""Referral pages and API: who is refused, the form, the receiver's view (the shared parts and nothing else of
the sender's records), the answers, the case page panel."""

from __future__ import annotations

from hifazat.cases.panels import events_for, panels_for
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.referrals import services
from hifazat.referrals.models import Referral, ReferralStatus
from hifazat.referrals.tests.base import CASE_SUMMARY, ReferralTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}
WITHOUT_REFERRALS = (
    Role.ADMINISTRATOR,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
)


class ReceiverSeesOnlyTheSharedPartsTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()
        self.referral = self.refer(shared_parts=["name_age", "support_needed"])
        self.receiver = self.client_for(self.b[Role.CASEWORKER])

    def test_the_receivers_page_shows_the_chosen_parts_and_nothing_else(self) -> None:
        page = self.receiver.get(f"/referrals/{self.referral.uuid}/")
        self.assertContains(page, "Nasreen Bibi")
        self.assertContains(page, "Medical check after an injury in the quake.")
        for hidden in (
            "300-1234567",  # the phone, not shared
            CASE_SUMMARY,
            "H-11 Relief Camp",
            self.case.number,
            str(self.case.uuid),
            str(self.person.uuid),
            "Separated or widowed woman",
        ):
            self.assertNotContains(page, hidden)
        self.assertTrue(
            AuditEntry.objects.filter(
                action="read", object_uuid=self.referral.uuid, user=self.b[Role.CASEWORKER]
            ).exists()
        )

    def test_the_receiver_gets_404_on_the_senders_person_and_case_on_pages_and_api(self) -> None:
        for role in (Role.CASEWORKER, Role.SUPERVISOR):
            client, api = self.client_for(self.b[role]), self.token_client(self.b[role])
            for url in (
                f"/people/{self.person.uuid}/",
                f"/people/{self.person.uuid}/consent/",
                f"/screening/person/{self.person.uuid}/new/",
                f"/referrals/case/{self.case.uuid}/new/",
            ):
                self.assertEqual(client.get(url).status_code, 404, (role, url))
            self.assertEqual(api.get(f"/api/v1/people/{self.person.uuid}/").status_code, 404)
            self.assertEqual(api.get(f"/api/v1/people/{self.person.uuid}/consents/").status_code, 404)
            response = api.post(
                "/api/v1/referrals/",
                {
                    "case": str(self.case.uuid),
                    "provider": str(self.clinic.uuid),
                    "service": "medical",
                    "reason": "Other",
                    "urgency": "routine",
                    "shared_parts": ["name_age"],
                },
                content_type="application/json",
            )
            self.assertEqual(response.status_code, 404)

    def test_the_api_gives_the_receiver_the_snapshot_and_no_way_back_to_the_senders_records(self) -> None:
        data = (
            self.token_client(self.b[Role.CASEWORKER]).get(f"/api/v1/referrals/{self.referral.uuid}/").json()
        )
        self.assertEqual(data["side"], "receiver")
        self.assertNotIn("case", data)
        self.assertEqual(set(data["shared"]), {"name_age", "support_needed", "consent"})
        self.assertNotIn(str(self.person.uuid), str(data))
        self.assertNotIn(str(self.case.uuid), str(data))
        sender = (
            self.token_client(self.a[Role.CASEWORKER]).get(f"/api/v1/referrals/{self.referral.uuid}/").json()
        )
        self.assertEqual((sender["side"], sender["case"]), ("sender", str(self.case.uuid)))

    def test_the_receiver_does_not_see_the_senders_internal_steps_or_override_reason(self) -> None:
        override = self.refer(
            actor=self.supervisor, provider=self.police, service="police", shared_parts=["name_age"]
        )
        Referral.objects.filter(pk=override.pk).update(
            consent_override=True,
            override_reason="Secret reason of the sender",
            override_by=self.a[Role.SUPERVISOR],
        )
        page = self.receiver.get(f"/referrals/{override.uuid}/")
        self.assertNotContains(page, "Secret reason of the sender")
        self.assertContains(
            self.client_for(self.a[Role.SUPERVISOR]).get(f"/referrals/{override.uuid}/"), "Secret reason"
        )


class RefusalTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()
        self.referral = self.refer()

    def test_roles_without_referrals_are_refused_and_anonymous_users_sent_to_sign_in(self) -> None:
        pages = [
            "/referrals/sent/",
            "/referrals/incoming/",
            f"/referrals/{self.referral.uuid}/",
            f"/referrals/case/{self.case.uuid}/new/",
        ]
        for role in WITHOUT_REFERRALS:
            client = self.client_for(self.a[role])
            for url in pages:
                self.assertEqual(client.get(url).status_code, 403, (role, url))
        for url in pages:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_an_uninvolved_organisation_gets_404_and_empty_lists(self) -> None:
        org_c = make_organisation("Organisation C")
        client = self.client_for(make_user(org_c, Role.SUPERVISOR, "c-supervisor"))
        self.assertEqual(client.get(f"/referrals/{self.referral.uuid}/").status_code, 404)
        self.assertEqual(client.post(f"/referrals/{self.referral.uuid}/accept/").status_code, 404)
        self.assertNotContains(client.get("/referrals/incoming/"), self.referral.number)
        self.assertNotContains(client.get("/referrals/sent/"), self.referral.number)
        api = self.token_client(org_c.memberships.get().user)
        self.assertEqual(api.get(f"/api/v1/referrals/{self.referral.uuid}/").status_code, 404)
        self.assertEqual(api.get("/api/v1/referrals/").json()["count"], 0)

    def test_the_sender_cannot_answer_its_own_referral(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        self.assertEqual(client.post(f"/referrals/{self.referral.uuid}/accept/").status_code, 404)
        response = self.token_client(self.a[Role.SUPERVISOR]).post(
            f"/api/v1/referrals/{self.referral.uuid}/respond/",
            {"action": "accept"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.SENT)

    def test_a_decline_without_a_reason_is_refused_on_the_page_and_in_the_api(self) -> None:
        client = self.client_for(self.b[Role.CASEWORKER])
        response = client.post(f"/referrals/{self.referral.uuid}/decline/", {"reason": " "}, follow=True)
        self.assertContains(response, "This field is required")
        api = self.token_client(self.b[Role.CASEWORKER])
        refused = api.post(
            f"/api/v1/referrals/{self.referral.uuid}/respond/",
            {"action": "decline"},
            content_type="application/json",
        )
        self.assertEqual(refused.status_code, 400)
        self.assertIn("reason", refused.json())
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.SENT)


class FormAndAnswerTests(ReferralTestCase):
    def test_without_consent_the_form_says_so_and_a_caseworkers_referral_is_refused(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/referrals/case/{self.case.uuid}/new/"
        page = client.get(url)
        self.assertContains(page, "consent for referral is not in force")
        self.assertContains(page, "ask a supervisor")
        response = client.post(
            url,
            {
                "service": "medical",
                "provider": str(self.clinic.uuid),
                "reason": "AdditionalServicesRequired",
                "urgency": "urgent",
                "shared_parts": ["name_age", "support_needed"],
                "support_needed": "A doctor",
            },
        )
        self.assertContains(response, "Record their consent first")
        self.assertFalse(Referral.objects.exists())

    def test_with_consent_the_form_sends_and_shows_the_pathway(self) -> None:
        from hifazat.referrals import directory_services

        directory_services.pathway_create(
            actor=self.supervisor,
            area=self.area,
            title="A woman at risk",
            steps=[{"service": "medical", "provider": self.clinic}, {"service": "police"}],
        )
        self.consent()
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/referrals/case/{self.case.uuid}/new/"
        page = client.get(url + f"?service=medical&provider={self.clinic.uuid}")
        self.assertContains(page, "A woman at risk")
        self.assertContains(page, "Refer for this step")
        self.assertNotContains(page, "A Safe House")  # one's own organisation's provider is not offered
        # Choosing a service redraws only the provider part: the rest of the form, and what is typed in it, is
        # not sent back to replace what the browser holds.
        reload = client.post(url, {"reload": "1", "service": "police", "notes": "typed"}, **HTMX)
        self.assertContains(reload, "B Anti-Trafficking Unit")
        self.assertNotContains(reload, "B Clinic")
        self.assertContains(reload, '<div id="referral-dependent" data-service="police"')
        self.assertNotContains(reload, "<form")
        self.assertNotContains(reload, 'name="notes"')
        self.assertNotContains(reload, "typed")
        # Without JavaScript, the button under the service redraws the whole form with what was entered.
        plain = client.post(url, {"reload": "1", "service": "police", "notes": "typed"})
        self.assertContains(plain, "B Anti-Trafficking Unit")
        self.assertContains(plain, "typed</textarea>")
        self.assertFalse(Referral.objects.exists())
        response = client.post(
            url,
            {
                "service": "medical",
                "provider": str(self.clinic.uuid),
                "reason": "AdditionalServicesRequired",
                "urgency": "urgent",
                "shared_parts": ["name_age", "support_needed"],
                "support_needed": "A doctor",
            },
            **HTMX,
        )
        referral = Referral.objects.get()
        self.assertEqual(response["HX-Redirect"], f"/referrals/{referral.uuid}/")
        self.assertEqual(referral.status, ReferralStatus.SENT)

    def test_a_supervisor_sends_without_consent_with_a_reason_on_the_form(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        url = f"/referrals/case/{self.case.uuid}/new/"
        self.assertContains(client.get(url), "you may send it anyway")
        client.post(
            url,
            {
                "service": "medical",
                "provider": str(self.clinic.uuid),
                "reason": "AdditionalServicesRequired",
                "urgency": "urgent",
                "shared_parts": ["name_age", "support_needed"],
                "support_needed": "A doctor",
                "override_reason": "Injured, unconscious; no one to consent for her.",
            },
        )
        referral = Referral.objects.get()
        self.assertTrue(referral.consent_override)

    def test_the_receiver_accepts_then_completes_and_the_sender_reads_the_timeline(self) -> None:
        self.consent()
        referral = self.refer()
        receiver = self.client_for(self.b[Role.CASEWORKER])
        page = receiver.get(f"/referrals/{referral.uuid}/")
        self.assertContains(page, "Accept")
        receiver.post(f"/referrals/{referral.uuid}/accept/", {"note": "Monday 9am", "reference": ""})
        receiver.post(f"/referrals/{referral.uuid}/complete/", {"outcome": "Treated.", "reference": ""})
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.COMPLETED)
        sender = self.client_for(self.a[Role.CASEWORKER]).get(f"/referrals/{referral.uuid}/")
        for text in ("Accepted", "Monday 9am", "Completed", "Treated.", self.case.number):
            self.assertContains(sender, text)

    def test_open_a_case_at_the_receiver_from_the_page(self) -> None:
        self.consent()
        referral = self.refer()
        services.referral_accept(actor=self.b_caseworker, referral=referral)
        client = self.client_for(self.b[Role.CASEWORKER])
        self.assertContains(client.get(f"/referrals/{referral.uuid}/"), "Open a case for this person")
        client.post(f"/referrals/{referral.uuid}/open-case/", {"consent_given_by": "self"})
        referral.refresh_from_db()
        self.assertEqual(referral.receiver_case.origin, "incoming_referral")
        self.assertNotContains(
            self.client_for(self.a[Role.SUPERVISOR]).get(f"/referrals/{referral.uuid}/"),
            referral.receiver_case.number,
        )

    def test_a_childs_case_at_the_receiver_needs_a_caregivers_consent_carried_from_the_referral(self) -> None:
        from hifazat.cases.services import case_open
        from hifazat.people import services as people

        child = people.person_register(
            actor=self.caseworker,
            household=self.household,
            first_name="Ayesha",
            gender="Feminine",
            age_years=9,
            consent_given_by="caregiver",
            consent_given_by_name="Nasreen Bibi",
            child_view="agrees",
        )
        self.case = case_open(actor=self.caseworker, person=child, origin="walk_in")
        self.consent(person=child)
        referral = self.refer(shared_parts=["name_age"])
        services.referral_accept(actor=self.b_caseworker, referral=referral)
        client = self.client_for(self.b[Role.CASEWORKER])
        url = f"/referrals/{referral.uuid}/open-case/"
        self.assertContains(client.get(url), 'value="Nasreen Bibi"')  # who consented, carried with the name
        refused = client.post(url, {"consent_given_by": "self"})
        self.assertContains(refused, "a caregiver or guardian decides")
        done = client.post(
            url,
            {
                "consent_given_by": "caregiver",
                "consent_given_by_name": "Nasreen Bibi",
                "child_view": "agrees",
            },
        )
        referral.refresh_from_db()
        self.assertRedirects(done, f"/cases/{referral.receiver_case.uuid}/", fetch_redirect_response=False)
        self.assertEqual(referral.receiver_case.person.age, 9)

    def test_lists_show_sent_and_incoming_referrals_with_few_queries(self) -> None:
        self.consent()
        for _ in range(3):
            self.refer()
        sender = self.client_for(self.a[Role.CASEWORKER])
        with self.assertNumQueries(9):
            page = sender.get("/referrals/sent/", **HTMX)
        self.assertContains(page, "B Clinic", count=3)
        receiver = self.client_for(self.b[Role.SUPERVISOR])
        self.assertContains(receiver.get("/referrals/incoming/?status=sent"), "A-RF-", count=3)
        self.assertNotContains(receiver.get("/referrals/sent/"), "A-RF-")

    def test_the_case_page_panel_and_timeline(self) -> None:
        self.consent()
        referral = self.refer()
        panels = {p.key: p for p in panels_for(self.case, self.caseworker)}
        self.assertEqual(list(panels["referrals"].context["referrals"]), [referral])
        self.assertTrue(panels["referrals"].context["can_refer"])
        self.assertNotIn(
            "referrals", {p.key for p in panels_for(self.case, self.actor(self.a[Role.ANALYST]))}
        )
        events = events_for(self.case, self.caseworker)
        self.assertIn(f"Referral {referral.number}: Sent", [str(e.text) for e in events])


class ApiTests(ReferralTestCase):
    def send(self, user, **extra):
        body = {
            "case": str(self.case.uuid),
            "provider": str(self.police.uuid),
            "service": "police",
            "reason": "AdditionalServicesRequired",
            "urgency": "urgent",
            "shared_parts": ["name_age", "support_needed"],
            "support_needed": "She wants to report the recruiter.",
            **extra,
        }
        return self.token_client(user).post("/api/v1/referrals/", body, content_type="application/json")

    def test_send_needs_consent_then_the_police_unit_answers_with_its_reference(self) -> None:
        refused = self.send(self.a[Role.CASEWORKER])
        self.assertEqual(refused.status_code, 403)
        self.assertIn("consent", refused.json()["detail"])
        self.assertEqual(self.send(self.a[Role.ANALYST]).status_code, 403)
        self.consent()
        sent = self.send(self.a[Role.CASEWORKER])
        self.assertEqual(sent.status_code, 201, sent.content)
        data = sent.json()
        self.assertEqual(
            (data["status"], data["side"], data["case"]), ("sent", "sender", str(self.case.uuid))
        )
        url = f"/api/v1/referrals/{data['id']}/respond/"
        police = self.token_client(self.b[Role.CASEWORKER])
        accepted = police.post(
            url, {"action": "accept", "reference": "ATU/ISB/2006/0112"}, content_type="application/json"
        )
        self.assertEqual(accepted.json()["receiver_reference"], "ATU/ISB/2006/0112")
        missing = police.post(url, {"action": "complete"}, content_type="application/json")
        self.assertEqual(missing.status_code, 400)
        done = police.post(
            url, {"action": "complete", "outcome": "FIR registered."}, content_type="application/json"
        )
        self.assertEqual((done.json()["status"], done.json()["outcome"]), ("completed", "FIR registered."))
        listed = (
            self.token_client(self.b[Role.SUPERVISOR]).get("/api/v1/referrals/?direction=incoming").json()
        )
        self.assertEqual([r["number"] for r in listed["results"]], [data["number"]])
        self.assertNotIn("shared", listed["results"][0])
        mine = self.token_client(self.a[Role.CASEWORKER]).get("/api/v1/referrals/?direction=incoming").json()
        self.assertEqual(mine["count"], 0)

    def test_a_supervisor_overrides_through_the_api_with_a_reason(self) -> None:
        response = self.send(
            self.a[Role.SUPERVISOR], override_reason="A child in the household is in danger tonight."
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(response.json()["consent_override"])
        self.assertIsNone(response.json()["shared"]["consent"])


class UrduTests(ReferralTestCase):
    def test_the_directory_and_the_referral_read_in_urdu(self) -> None:
        self.consent()
        referral = self.refer()
        client = self.client_for(self.b[Role.CASEWORKER])
        client.cookies["django_language"] = "ur"
        self.assertContains(
            client.get("/services/providers/", HTTP_ACCEPT_LANGUAGE="ur"), "خدمات کی ڈائریکٹری"
        )
        page = client.get(f"/referrals/{referral.uuid}/", HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(page, "بھیجنے والے نے کیا بتایا")  # What the sender shared
        self.assertContains(page, "تقریباً 32 سال")  # "about 32 years", from the shared name and age


class QueryCountTests(ReferralTestCase):
    def test_the_api_list_and_the_work_list_do_not_grow_with_the_referrals(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from hifazat.notifications.selectors import worklist_for

        self.consent()
        self.refer()
        api = self.token_client(self.a[Role.SUPERVISOR])
        with CaptureQueriesContext(connection) as one:
            api.get("/api/v1/referrals/")
        with CaptureQueriesContext(connection) as work_one:
            worklist_for(self.b_supervisor)
        for _ in range(4):
            self.refer()
        with CaptureQueriesContext(connection) as five:
            self.assertEqual(api.get("/api/v1/referrals/").json()["count"], 5)
        with CaptureQueriesContext(connection) as work_five:
            worklist_for(self.b_supervisor)
        self.assertEqual(len(five), len(one))
        self.assertEqual(len(work_five), len(work_one))
