"""Screening pages: who is refused first, then the form section by section, the result, and the queue."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.screening.models import FollowUp, Screening, ScreeningDraft
from hifazat.screening.testing import make_followup, make_screening
from hifazat.screening.tests.base import ScreeningTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}
WITHOUT_SCREENING = (
    Role.ADMINISTRATOR,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
)


class RefusalTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.person = self.widow()
        self.screening = make_screening(self.person, by=self.a[Role.CASEWORKER])
        self.followup = make_followup(self.screening)

    def test_roles_without_screening_are_refused_and_anonymous_users_sent_to_sign_in(self) -> None:
        pages = [
            "/screening/",
            "/screening/follow-ups/",
            f"/screening/person/{self.person.uuid}/new/",
            f"/screening/{self.screening.uuid}/",
        ]
        for role in WITHOUT_SCREENING:
            client = self.client_for(self.a[role])
            for url in pages:
                self.assertEqual(client.get(url).status_code, 403, (role, url))
            self.assertEqual(
                client.post(f"/screening/follow-ups/{self.followup.uuid}/close/").status_code, 403
            )
        for url in pages:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_only_supervisors_may_set_the_trafficking_status(self) -> None:
        url = f"/screening/{self.screening.uuid}/trafficking-status/"
        for role in (Role.CASEWORKER, Role.ADMINISTRATOR, Role.ANALYST):
            response = self.client_for(self.a[role]).post(url, {"status": "PossibleVictimOfTrafficking"})
            self.assertEqual(response.status_code, 403, role)
        self.person.refresh_from_db()
        self.assertEqual(self.person.trafficking_status, "")
        self.assertNotContains(
            self.client_for(self.a[Role.CASEWORKER]).get(f"/screening/{self.screening.uuid}/"), url
        )

    def test_organisation_b_gets_404_for_as_person_screening_and_follow_up(self) -> None:
        for role in (Role.CASEWORKER, Role.SUPERVISOR):
            client = self.client_for(self.b[role])
            for url in (f"/screening/person/{self.person.uuid}/new/", f"/screening/{self.screening.uuid}/"):
                self.assertEqual(client.get(url).status_code, 404, (role, url))
            close = client.post(f"/screening/follow-ups/{self.followup.uuid}/close/", {"outcome": "done"})
            self.assertEqual(close.status_code, 404)
            self.assertNotContains(client.get("/screening/"), self.person.full_name)
            self.assertNotContains(client.get("/screening/follow-ups/"), self.person.full_name)
        status = self.client_for(self.b[Role.SUPERVISOR]).post(
            f"/screening/{self.screening.uuid}/trafficking-status/", {"status": "ActualVictimOfTrafficking"}
        )
        self.assertEqual(status.status_code, 404)
        self.followup.refresh_from_db()
        self.assertEqual(self.followup.status, "open")

    def test_a_malformed_identifier_is_a_404(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        self.assertEqual(client.get("/screening/person/not-a-uuid/new/").status_code, 404)


class ScreeningFormTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client = self.client_for(self.a[Role.CASEWORKER])

    def url(self, person) -> str:
        return f"/screening/person/{person.uuid}/new/"

    def test_without_consent_the_page_says_so_and_records_nothing(self) -> None:
        person = self.widow(consent=False)
        page = self.client.get(self.url(person))
        self.assertContains(page, "There is no consent to screening in force")
        self.assertContains(page, f"/people/{person.uuid}/consent/")
        self.client.post(self.url(person), {"section": "9", "move": "finish", **self.post_answers(person)})
        self.assertFalse(Screening.objects.exists())

    def post_answers(self, person, **chosen) -> dict[str, str]:
        return {f"q_{key}": value for key, value in self.answers(person, **chosen).items()}

    def test_get_section_n_gives_that_section_alone_to_htmx(self) -> None:
        person = self.widow()
        whole = self.client.get(self.url(person))
        self.assertContains(whole, "<html", html=False)
        self.assertContains(whole, "Section 1 of 7: About the person")  # 8, less one skipped for now
        third = self.client.get(self.url(person) + "?section=3", **HTMX)
        self.assertNotContains(third, "<html")
        self.assertContains(third, "Section 3 of 7: The camp or community")
        self.assertContains(third, 'name="q_com_agents_visit"')
        self.assertNotContains(third, 'name="q_ind_no_documents"')
        self.assertContains(self.client.get(self.url(person) + "?section=99", **HTMX), "Section 7 of 7")

    def test_a_child_gets_the_child_section(self) -> None:
        child = self.child()
        self.assertContains(
            self.client.get(self.url(child) + "?section=9", **HTMX), "Section 6 of 6: About the child"
        )

    def test_section_by_section_keeping_the_answers_then_recorded_as_urgent(self) -> None:
        person = self.widow()
        sections = self.catalogue.sections_for(subject_is_child=False)
        answers = self.post_answers(person, lure_offer_work="yes", ind_no_documents="yes")
        checksum = self.client.get(self.url(person)).context["catalogue"].checksum
        # Moving on without answering stays on the section and says what is missing.
        stay = self.client.post(
            self.url(person), {"section": "1", "checksum": checksum, "move": "next"}, **HTMX
        )
        self.assertContains(stay, "Section 1 of 7")
        self.assertContains(stay, "Choose an answer.", count=len(sections[0].questions))
        # Never recruited or taken away: the place of work (section 7) is skipped, and within the recruitment
        # and forced-labour sections only their first question is asked.
        carried: dict[str, str] = {}
        steps = [1, 2, 3, 4, 5, 6, 8]
        for position, number in enumerate(steps, 1):
            section = sections[number - 1]
            this = {f"q_{q.id}": answers[f"q_{q.id}"] for q in section.questions if not q.relevant}
            last = number == steps[-1]
            response = self.client.post(
                self.url(person),
                {
                    **carried,
                    **this,
                    "section": str(number),
                    "checksum": checksum,
                    "move": "finish" if last else "next",
                    "version": "" if position == 1 else str(position - 1),
                },
                **HTMX,
            )
            carried.update(this)
            if not last:
                self.assertEqual(response.context["step"], steps[position])
                self.assertContains(response, f"Section {position + 1} of 7")
                # The answers so far come back as hidden inputs, to be sent with the next section.
                for name, value in carried.items():
                    self.assertContains(
                        response,
                        f'<input type="hidden" name="{name}" value="{value}" data-question="{name[2:]}">',
                        html=False,
                    )
        screening = Screening.objects.get(person=person)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Redirect"], f"/screening/{screening.uuid}/")
        self.assertEqual((screening.band, screening.score), ("urgent", 5))
        self.assertEqual(screening.answers["ind_no_documents"], "yes")
        self.assertEqual((screening.answers["rec_recruited"], screening.answers["fl_works"]), ("no", "no"))
        self.assertNotIn("rec_deceived_job", screening.answers)
        self.assertFalse(ScreeningDraft.objects.exists())  # the draft kept along the way is gone

    def test_back_shows_the_earlier_section_with_its_answers(self) -> None:
        person = self.widow()
        checksum = self.client.get(self.url(person)).context["catalogue"].checksum
        data = {
            **self.post_answers(person, ind_no_documents="yes"),
            "section": "2",
            "checksum": checksum,
            "move": "back",
        }
        back = self.client.post(self.url(person), data, **HTMX)
        self.assertContains(back, "Section 1 of 7")
        self.assertContains(
            back,
            'name="q_ind_no_documents" value="yes" class="btn-check" autocomplete="off" id="id_q_ind_no_documents_0" checked',
            html=False,
        )

    def test_finishing_with_a_section_unanswered_goes_back_to_it(self) -> None:
        person = self.widow()
        checksum = self.client.get(self.url(person)).context["catalogue"].checksum
        data = self.post_answers(person)
        del data["q_hh_meals"]
        response = self.client.post(
            self.url(person), {**data, "section": "8", "checksum": checksum, "move": "finish"}
        )
        self.assertContains(response, "Section 2 of 7: The household")
        self.assertContains(response, "Choose an answer.", count=1)
        self.assertFalse(Screening.objects.exists())

    def test_a_changed_catalogue_during_the_screening_asks_to_check_again(self) -> None:
        person = self.widow()
        data = {**self.post_answers(person), "section": "8", "checksum": "0" * 64, "move": "finish"}
        response = self.client.post(self.url(person), data, **HTMX)
        self.assertContains(response, "The questions changed while you were screening.")
        self.assertFalse(Screening.objects.exists())

    def test_without_htmx_the_last_section_records_and_redirects(self) -> None:
        person = self.widow()
        checksum = self.client.get(self.url(person)).context["catalogue"].checksum
        data = {**self.post_answers(person), "section": "8", "checksum": checksum, "move": "finish"}
        response = self.client.post(self.url(person), data)
        screening = Screening.objects.get(person=person)
        self.assertRedirects(response, f"/screening/{screening.uuid}/")
        self.assertEqual(screening.band, "low")


class ResultPageTests(ScreeningTestCase):
    def test_the_result_shows_score_band_reasons_and_red_flags_and_the_read_is_audited(self) -> None:
        person = self.widow()
        screening = self.screen(person, lure_offer_work="yes", ind_has_skill="yes", hh_debt="lender")
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/screening/{screening.uuid}/")
        self.assertContains(page, "Urgent")
        self.assertContains(page, "<strong>5</strong>", html=False)
        self.assertContains(page, "Has someone outside the family offered the person")
        self.assertContains(page, "To an employer, recruiter, landlord or moneylender")
        self.assertContains(page, "+3")
        self.assertContains(page, "−1")
        self.assertContains(page, "An offer of work, education or marriage from outside the family")
        self.assertContains(page, "The score alone gives “medium”")
        self.assertContains(page, "Follow-up visit")
        self.assertTrue(AuditEntry.objects.filter(action="read", object_uuid=screening.uuid).exists())

    def test_the_result_in_urdu_shows_the_catalogues_urdu_text(self) -> None:
        screening = self.screen(self.widow(), lure_offer_work="yes")
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(f"/screening/{screening.uuid}/", HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(page, "کیا خاندان سے باہر کسی نے اس شخص")
        self.assertContains(page, "خاندان سے باہر کسی کی طرف سے نوکری، تعلیم یا شادی کی پیشکش")
        self.assertContains(page, "جانچ کا نتیجہ")  # the page's own words, from this part's catalogue
        form = client.get(
            f"/screening/person/{screening.person.uuid}/new/?section=5", HTTP_ACCEPT_LANGUAGE="ur"
        )
        self.assertContains(form, "حصہ 5 (کل 7 میں سے): پیشکشیں اور رابطے")
        self.assertContains(form, "اگلا")

    def test_a_supervisor_sets_the_trafficking_status_from_the_result(self) -> None:
        person = self.widow()
        screening = self.screen(person, rec_recruited="yes", dst_confined="yes")
        client = self.client_for(self.a[Role.SUPERVISOR])
        self.assertContains(client.get(f"/screening/{screening.uuid}/"), "Record the status")
        response = client.post(
            f"/screening/{screening.uuid}/trafficking-status/", {"status": "PossibleVictimOfTrafficking"}
        )
        self.assertRedirects(response, f"/screening/{screening.uuid}/")
        person.refresh_from_db()
        self.assertEqual(
            (person.trafficking_status, person.trafficking_status_by),
            ("PossibleVictimOfTrafficking", self.org_a),
        )
        self.assertContains(client.get(f"/screening/{screening.uuid}/"), "Possible victim of trafficking")

    def test_the_screening_list_filters_by_band(self) -> None:
        person = self.widow()
        self.screen(person, lure_offer_work="yes")
        self.screen(person)
        client = self.client_for(self.a[Role.SUPERVISOR])
        self.assertContains(client.get("/screening/"), "Nasreen Bibi", count=2)
        urgent = client.get("/screening/?band=urgent", **HTMX)
        self.assertContains(urgent, "Nasreen Bibi", count=1)
        self.assertContains(urgent, "Urgent")
        self.assertContains(client.get("/screening/?red_flags=on", **HTMX), "Nasreen Bibi", count=1)


class FollowUpPageTests(ScreeningTestCase):
    def test_the_queue_lists_open_tasks_by_urgency_and_filters(self) -> None:
        person = self.widow()
        urgent = self.screen(person, lure_offer_work="yes")
        overdue = make_followup(urgent, due_in_days=-3)
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get("/screening/follow-ups/")
        self.assertEqual(len(page.context["page"].object_list), 3)
        self.assertEqual(page.context["page"].object_list[0], overdue)
        self.assertContains(page, "Overdue", count=1)
        only_overdue = client.get("/screening/follow-ups/?status=open&overdue=on", **HTMX)
        self.assertEqual(list(only_overdue.context["page"].object_list), [overdue])
        rescreenings = client.get("/screening/follow-ups/?kind=rescreening", **HTMX)
        self.assertEqual([f.kind for f in rescreenings.context["page"].object_list], ["rescreening"])
        mine = client.get("/screening/follow-ups/?status=open&assigned=me")
        self.assertEqual(len(mine.context["page"].object_list), 2)  # the helper's task is nobody's
        # Without a status, the queue shows open tasks: also on a page link that carries no filter.
        overdue.status, overdue.closed_at = "done", overdue.created_at
        overdue.save()
        self.assertEqual(len(client.get("/screening/follow-ups/?page=1").context["page"].object_list), 2)
        self.assertEqual(len(client.get("/screening/follow-ups/?status=").context["page"].object_list), 3)

    def test_closing_a_follow_up_from_the_queue(self) -> None:
        screening = self.screen(self.widow(), lure_offer_work="yes")
        visit = screening.followups.get(kind="follow_up")
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.post(
            f"/screening/follow-ups/{visit.uuid}/close/", {"outcome": "cancelled", "note": ""}
        )
        self.assertRedirects(response, "/screening/follow-ups/")
        visit.refresh_from_db()
        self.assertEqual(visit.status, "open")  # a cancellation needs a reason
        client.post(f"/screening/follow-ups/{visit.uuid}/close/", {"outcome": "done", "note": "visited"})
        visit.refresh_from_db()
        self.assertEqual(visit.status, FollowUp.Status.DONE)
        self.assertNotIn(visit, client.get("/screening/follow-ups/").context["page"].object_list)

    def test_the_queue_page_makes_the_same_number_of_queries_for_one_task_or_many(self) -> None:
        person = self.widow()
        screening = make_screening(person, by=self.a[Role.CASEWORKER])
        make_followup(screening)
        client = self.client_for(self.a[Role.CASEWORKER])
        client.get("/screening/follow-ups/")  # warm the session
        with CaptureQueriesContext(connection) as one:
            client.get("/screening/follow-ups/")
        for _ in range(8):
            make_followup(screening)
        with CaptureQueriesContext(connection) as nine:
            client.get("/screening/follow-ups/")
        self.assertEqual(len(one), len(nine))
