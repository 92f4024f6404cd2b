"""The tracing pages and API: who is refused, scoping across organisations, consent gating, and the flow from
request to reunification."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.tracing.models import ChecklistItem, TracingRequest, TracingStatus
from hifazat.tracing.testing import make_request
from hifazat.tracing.tests.base import TracingTestCase

REFUSED = [
    Role.ADMINISTRATOR,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
]


class PageTests(TracingTestCase):
    def setUp(self) -> None:
        self.request = make_request(self.cw, "Bilal", second_name="Tanoli", gender="Masculine", age_years=9)
        self.client_cw = self.client_for(self.a[Role.CASEWORKER])

    def test_who_is_refused(self) -> None:
        detail = reverse("tracing:request_detail", args=[self.request.uuid])
        api = reverse("api:tracing_request_list")
        for role in REFUSED:
            client = self.client_for(self.a[role])
            self.assertEqual(client.get(detail).status_code, 403, role)
            self.assertEqual(client.post(api, {"inquirer_name": "x"}).status_code, 403, role)
        self.assertEqual(self.client.get(detail).status_code, 302)
        self.assertEqual(self.client.get(api).status_code, 401)

    def test_another_organisation_gets_404(self) -> None:
        client = self.client_for(self.b[Role.SUPERVISOR])
        for url in (
            reverse("tracing:request_detail", args=[self.request.uuid]),
            reverse("tracing:checklist", args=[self.request.uuid]),
            reverse("tracing:child_detail", args=[self.bilal.uuid]),
            reverse("api:tracing_request_detail", args=[self.request.uuid]),
            reverse("api:tracing_request_candidates", args=[self.request.uuid]),
            reverse("api:tracing_child_candidates", args=[self.bilal.uuid]),
        ):
            self.assertEqual(client.get(url).status_code, 404, url)
        response = client.post(
            reverse("tracing:match_confirm", args=[self.request.uuid]), {"person": str(self.bilal.uuid)}
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(client.get(reverse("tracing:request_list")), self.request.number)

    def test_the_request_page_ranks_candidates_with_their_explanation_and_never_a_child_without_consent(
        self,
    ) -> None:
        response = self.client_cw.get(reverse("tracing:request_detail", args=[self.request.uuid]))
        self.assertContains(response, str(self.bilal.uuid))
        self.assertContains(response, "The same first name")
        self.assertContains(response, "Likely match")
        for person in self.hidden:
            self.assertNotContains(response, str(person.uuid))
        body = response.content.decode()
        self.assertLess(body.index(str(self.bilal.uuid)), body.index(str(self.namesake.uuid)))
        self.assertTrue(
            AuditEntry.objects.filter(
                object_uuid=self.request.uuid, action="read", user=self.a[Role.CASEWORKER]
            )
        )

    def test_unlikely_candidates_are_folded_and_cannot_be_confirmed_in_one_click(self) -> None:
        response = self.client_cw.get(reverse("tracing:request_detail", args=[self.request.uuid]))
        body = response.content.decode()
        bands = {c.person.pk: c.match.band for c in response.context["candidates"]}
        self.assertEqual(bands.get(self.bilal.pk), "likely")
        unlikely = response.context["unlikely"]
        self.assertTrue(unlikely, "the test registry should give at least one unlikely candidate")
        self.assertTrue(all(c.match.band == "unlikely" for c in unlikely))
        folded = body[body.index('id="unlikely-candidates"') :]
        shown = body[: body.index('id="unlikely-candidates"')]
        self.assertIn(str(self.bilal.uuid), shown)
        for candidate in unlikely:
            self.assertIn(str(candidate.person.uuid), folded)
            self.assertNotIn(str(candidate.person.uuid), shown)
        # Confirming is offered beside the likely child, never beside an unlikely one (propose first).
        self.assertEqual(shown.count("Confirm the match"), len(response.context["candidates"]))
        self.assertNotIn("Confirm the match", folded)
        self.assertIn("Propose as the match", folded)

    def test_a_proposed_unlikely_candidate_comes_out_of_the_fold(self) -> None:
        response = self.client_cw.get(reverse("tracing:request_detail", args=[self.request.uuid]))
        child = response.context["unlikely"][0].person
        self.client_cw.post(
            reverse("tracing:candidate_decide", args=[self.request.uuid]),
            {"person": str(child.uuid), "decision": "proposed", "version": self.request.version},
        )
        response = self.client_cw.get(reverse("tracing:request_detail", args=[self.request.uuid]))
        self.assertIn(child.pk, [c.person.pk for c in response.context["candidates"]])
        self.assertNotIn(child.pk, [c.person.pk for c in response.context["unlikely"]])

    def test_the_request_page_and_its_explanation_are_in_urdu_for_urdu_readers(self) -> None:
        url = reverse("tracing:request_detail", args=[self.request.uuid])
        response = self.client_cw.get(url, HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(response, "ممکنہ بچے")
        self.assertContains(response, "پہلا نام ایک ہی ہے")
        self.assertContains(response, 'dir="rtl"')

    def test_the_childs_page_lists_requests_and_searches_nothing_without_consent(self) -> None:
        response = self.client_cw.get(reverse("tracing:child_detail", args=[self.bilal.uuid]))
        self.assertContains(response, self.request.number)
        response = self.client_cw.get(reverse("tracing:child_detail", args=[self.no_consent.uuid]))
        self.assertContains(response, "not searched in family tracing")
        self.assertNotContains(response, self.request.number)
        listed = self.client_cw.get(reverse("tracing:child_list"))
        self.assertContains(listed, str(self.bilal.uuid))
        self.assertNotContains(listed, str(self.no_consent.uuid))

    def test_a_request_is_recorded_from_the_form(self) -> None:
        response = self.client_cw.post(
            reverse("tracing:request_create"),
            {
                "received_on": timezone.localdate().isoformat(),
                "inquirer_name": "Shamim Bibi",
                "inquirer_relationship": "mother",
                "phone": "0300-1234567",
                "first_name_ur": "صائمہ",
                "gender": "Feminine",
                "age_years": "7",
                "origin_area": str(self.areas["mansehra"].uuid),
                "inquirer_consent": "on",
            },
        )
        created = TracingRequest.objects.exclude(pk=self.request.pk).get(inquirer_name="Shamim Bibi")
        self.assertRedirects(response, reverse("tracing:request_detail", args=[created.uuid]))
        self.assertEqual(created.inquirer_phone, "+923001234567")
        self.assertNotIn("1234567", created.inquirer_phone_encrypted)
        self.assertTrue(created.birthdate_is_estimate)
        self.assertEqual(created.candidates.order_by("-score").first().person, self.saima)

    def test_the_form_refuses_a_request_without_the_inquirers_agreement_or_a_name(self) -> None:
        response = self.client_cw.post(
            reverse("tracing:request_create"),
            {"received_on": "2005-11-02", "inquirer_name": "Shamim Bibi", "inquirer_relationship": "mother"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.context["form"].errors), {"first_name", "inquirer_consent"})
        self.assertFalse(TracingRequest.objects.filter(inquirer_name="Shamim Bibi").exists())

    def test_from_candidate_to_reunification_through_the_pages(self) -> None:
        detail = reverse("tracing:request_detail", args=[self.request.uuid])
        decide = reverse("tracing:candidate_decide", args=[self.request.uuid])
        self.client_cw.post(
            decide, {"person": str(self.namesake.uuid), "decision": "rejected", "note": "Older."}
        )
        response = self.client_cw.post(
            reverse("tracing:match_confirm", args=[self.request.uuid]), {"person": str(self.bilal.uuid)}
        )
        checklist = reverse("tracing:checklist", args=[self.request.uuid])
        self.assertRedirects(response, checklist)
        for item, outcome in (
            ("identity_verified", ""),
            ("relationship_verified", ""),
            ("child_views_heard", "wants"),
        ):
            self.client_cw.post(checklist, {"item": item, "outcome": outcome, "note": "With the family."})
        page = self.client_cw.get(checklist)
        self.assertContains(page, "Waiting for a supervisor")
        supervisor = self.client_for(self.a[Role.SUPERVISOR])
        supervisor.post(
            checklist, {"item": ChecklistItem.BEST_INTERESTS, "outcome": "reunify", "note": "Visit."}
        )
        self.client_cw.post(
            reverse("tracing:reunify", args=[self.request.uuid]), {"reunified_on": "2006-01-10"}
        )
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, TracingStatus.REUNIFIED)
        response = self.client_cw.get(detail)
        self.assertContains(response, 'Reunified on <bdi dir="ltr">2006-01-10</bdi>.')
        self.assertContains(response, "Not the person sought")  # the rejected candidate stays visible

    def test_a_caseworker_cannot_record_the_best_interests_decision(self) -> None:
        self.client_cw.post(
            reverse("tracing:match_confirm", args=[self.request.uuid]), {"person": str(self.bilal.uuid)}
        )
        checklist = reverse("tracing:checklist", args=[self.request.uuid])
        for item, outcome in (
            ("identity_verified", ""),
            ("relationship_verified", ""),
            ("child_views_heard", "wants"),
        ):
            self.client_cw.post(checklist, {"item": item, "outcome": outcome, "note": "Done."})
        self.client_cw.post(checklist, {"item": "best_interests", "outcome": "reunify", "note": "Mine."})
        self.assertFalse(self.request.checklist.filter(item="best_interests").exists())


class ApiTests(TracingTestCase):
    def setUp(self) -> None:
        self.api = self.client_for(self.a[Role.CASEWORKER])

    def test_a_request_created_through_the_api_has_ranked_explained_candidates(self) -> None:
        response = self.api.post(
            reverse("api:tracing_request_list"),
            {
                "inquirer_name": "Akbar Tanoli",
                "inquirer_relationship": "father",
                "inquirer_consent": True,
                "first_name": "Bilaal",
                "parentage_name": "Akbar",
                "gender": "Masculine",
                "age_years": 10,
                "origin_area": "PK20101",
                "phone": "0345 7654321",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["inquirer_phone"], "+923457654321")
        candidates = self.api.get(reverse("api:tracing_request_candidates", args=[body["id"]])).json()[
            "candidates"
        ]
        self.assertEqual(candidates[0]["person"], str(self.bilal.uuid))
        self.assertEqual(
            [c["field"] for c in candidates[0]["match"]["comparisons"]],
            [
                "given_name",
                "family_name",
                "father_name",
                "age",
                "sex",
                "origin",
                "separation_place",
                "separation_date",
            ],
        )
        self.assertTrue(all(c["explanation"] for c in candidates[0]["match"]["comparisons"]))
        hidden = {str(p.uuid) for p in self.hidden}
        self.assertFalse(hidden & {c["person"] for c in candidates})

    def test_confirm_and_checklist_through_the_api_and_consent_refusal(self) -> None:
        request = make_request(self.cw, "Bilal", second_name="Tanoli", age_years=9)
        confirm = reverse("api:tracing_match_confirm", args=[request.uuid])
        refused = self.api.post(
            confirm, {"person": str(self.no_consent.uuid)}, content_type="application/json"
        )
        self.assertEqual(refused.status_code, 403)
        self.assertIn("consent", refused.json()["detail"])
        response = self.api.post(confirm, {"person": str(self.bilal.uuid)}, content_type="application/json")
        self.assertEqual(response.json()["matched_person"], str(self.bilal.uuid))
        checklist = reverse("api:tracing_checklist", args=[request.uuid])
        response = self.api.post(
            checklist, {"item": "identity_verified", "note": "Photo."}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual([i["done"] for i in response.json()["items"]], [True, False, False, False])
        early = self.api.post(checklist, {"reunified_on": "2006-01-10"}, content_type="application/json")
        self.assertEqual(early.status_code, 400)
        # A body that is no JSON object is refused saying so, not a server error (found by the API fuzzing).
        for body in ("null", "[]", '"reunified_on"'):
            with self.subTest(body=body):
                wrong = self.api.post(checklist, body, content_type="application/json")
                self.assertEqual(wrong.status_code, 400)

    def test_the_childs_candidate_requests_and_a_child_without_consent(self) -> None:
        request = make_request(self.cw, "Bilal", second_name="Tanoli", age_years=9)
        found = self.api.get(reverse("api:tracing_child_candidates", args=[self.bilal.uuid])).json()
        self.assertEqual((found["traceable"], found["candidates"][0]["request"]), (True, str(request.uuid)))
        hidden = self.api.get(reverse("api:tracing_child_candidates", args=[self.declined.uuid])).json()
        self.assertEqual(hidden, {"traceable": False, "candidates": []})
