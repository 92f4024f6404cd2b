"""Draft screenings: who is refused first, then saving part way, resuming on another device or by a colleague,
edits that race, recording and discarding. A draft is not a screening: it has no band and sets no follow-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import needs_postgresql, run_at_once, signed_in_client
from hifazat.core.versioning import EditConflict
from hifazat.people.services import ConsentRequired
from hifazat.screening import services
from hifazat.screening.models import FollowUp, Screening, ScreeningDraft
from hifazat.screening.selectors import drafts_visible_to, screenings_visible_to
from hifazat.screening.tests.base import ScreeningTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}


class DraftTestCase(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.person = self.widow()
        self.url = f"/screening/person/{self.person.uuid}/new/"
        self.checksum = self.catalogue.checksum

    def section_answers(self, number: int, **chosen: str) -> dict[str, str]:
        """The form fields of section ``number`` (from 1), neutral unless chosen."""
        answers = self.answers(self.person, **chosen)
        section = self.catalogue.sections_for(subject_is_child=False)[number - 1]
        return {f"q_{q.id}": answers[q.id] for q in section.questions}

    def post(self, client, move: str, section: int, version: int | None = None, **fields: str):
        data = {"section": str(section), "checksum": self.checksum, "move": move, **fields}
        data["version"] = "" if version is None else str(version)
        return client.post(self.url, data, **HTMX)


class DraftRefusalTests(DraftTestCase):
    def test_outside_the_organisation_a_draft_is_a_404_and_never_listed(self) -> None:
        services.screening_draft_save(
            actor=self.caseworker, person=self.person, answers={"ind_no_documents": "yes"}, section=1
        )
        draft = ScreeningDraft.objects.get()
        for role in (Role.CASEWORKER, Role.SUPERVISOR):
            client = self.client_for(self.b[role])
            self.assertEqual(client.get(self.url).status_code, 404)
            saved = self.post(client, "save", 1, draft.version, **self.section_answers(1, ind_health="yes"))
            self.assertEqual(saved.status_code, 404)
            self.assertEqual(self.post(client, "discard", 1, draft.version).status_code, 404)
            self.assertNotContains(client.get("/screening/"), self.person.full_name)
        for role in (Role.ANALYST, Role.CAMPAIGN_COORDINATOR, Role.ADMINISTRATOR):
            self.assertEqual(self.client_for(self.a[role]).get(self.url).status_code, 403)
            self.assertFalse(drafts_visible_to(self.actor(self.a[role])).exists())
        self.assertFalse(drafts_visible_to(self.actor(self.b[Role.CASEWORKER])).exists())
        draft.refresh_from_db()
        self.assertEqual((draft.version, draft.answers), (1, {"ind_no_documents": "yes"}))

    def test_the_services_refuse_other_organisations_and_roles(self) -> None:
        draft = services.screening_draft_save(actor=self.caseworker, person=self.person, answers={})
        outsider = self.actor(self.b[Role.CASEWORKER])
        with self.assertRaises(PermissionDenied):
            services.screening_draft_save(actor=outsider, person=self.person, answers={})
        with self.assertRaises(PermissionDenied):
            services.screening_draft_discard(actor=outsider, draft=draft)
        with self.assertRaises(PermissionDenied):
            services.screening_draft_save(
                actor=self.actor(self.a[Role.ANALYST]), person=self.person, answers={}, draft=draft
            )
        self.assertTrue(ScreeningDraft.objects.filter(pk=draft.pk).exists())

    def test_no_draft_without_consent_to_screening(self) -> None:
        person = self.child(consent=False)
        with self.assertRaises(ConsentRequired):
            services.screening_draft_save(actor=self.caseworker, person=person, answers={})
        self.assertFalse(ScreeningDraft.objects.exists())


class DraftTests(DraftTestCase):
    def test_saved_part_way_it_is_kept_on_the_server_and_is_not_a_screening(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        first = self.post(client, "next", 1, **self.section_answers(1, ind_no_documents="yes"))
        self.assertEqual(first.context["step"], 2)
        draft = ScreeningDraft.objects.get()  # moving on saved it
        saved = self.post(
            client,
            "save",
            2,
            draft.version,
            **self.section_answers(1, ind_no_documents="yes"),
            q_hh_debt="lender",
        )
        self.assertContains(saved, "Saved as a draft at")
        draft.refresh_from_db()
        self.assertEqual(
            draft.answers,
            {
                **{k[2:]: v for k, v in self.section_answers(1, ind_no_documents="yes").items()},
                "hh_debt": "lender",
            },
        )
        self.assertEqual((draft.section, draft.version, draft.organisation), (2, 2, self.org_a))
        # Not a screening: no band, no follow-up, nothing in the list of screenings.
        self.assertFalse(Screening.objects.exists())
        self.assertFalse(FollowUp.objects.exists())
        self.assertFalse(screenings_visible_to(self.caseworker).exists())
        entries = AuditEntry.objects.filter(object_uuid=draft.uuid).order_by("id")
        self.assertEqual([e.action for e in entries], ["create", "update"])
        self.assertEqual(entries[1].detail["fields"], ["answers", "modified_by"])  # still section 2
        self.assertNotIn("lender", str([e.detail for e in entries]))  # names and counts, never answers

    def test_a_colleague_resumes_it_from_the_person_page_and_the_list_with_the_answers_kept(self) -> None:
        services.screening_draft_save(
            actor=self.caseworker,
            person=self.person,
            answers={**{k[2:]: v for k, v in self.section_answers(1).items()}, "ind_no_documents": "yes"},
            section=2,
        )
        colleague = self.client_for(self.a[Role.SUPERVISOR])  # another person, another device
        person_page = colleague.get(f"/people/{self.person.uuid}/")
        self.assertContains(person_page, "Resume the screening")
        listed = colleague.get("/screening/")
        self.assertContains(listed, "Drafts to finish")
        self.assertContains(listed, self.url)
        resumed = colleague.get(self.url)
        self.assertContains(resumed, "saved as a draft")
        self.assertContains(resumed, "Section 2 of 7: The household")
        self.assertContains(resumed, 'name="version" value="1"')
        self.assertContains(resumed, '<input type="hidden" name="q_ind_no_documents" value="yes"', html=False)
        back = colleague.get(self.url + "?section=1")
        self.assertContains(
            back,
            'value="yes" class="btn-check" autocomplete="off" id="id_q_ind_no_documents_0" checked',
            html=False,
        )

    def test_answers_to_questions_not_asked_are_not_stored_in_the_draft(self) -> None:
        draft = services.screening_draft_save(
            actor=self.caseworker,
            person=self.person,
            answers={"rec_recruited": "no", "rec_violence": "yes", "ind_health": "yes"},
        )
        self.assertEqual(draft.answers, {"rec_recruited": "no", "ind_health": "yes"})

    def test_recording_finishes_the_draft(self) -> None:
        draft = services.screening_draft_save(
            actor=self.caseworker, person=self.person, answers={}, section=8
        )
        answers = self.answers(self.person, lure_offer_work="yes")
        fields = {f"q_{k}": v for k, v in answers.items()}
        client = self.client_for(self.a[Role.CASEWORKER])
        response = self.post(client, "finish", 8, draft.version, **fields)
        screening = Screening.objects.get()
        self.assertEqual(response["HX-Redirect"], f"/screening/{screening.uuid}/")
        self.assertEqual(screening.band, "urgent")
        self.assertFalse(ScreeningDraft.objects.exists())
        self.assertEqual(AuditEntry.objects.get(object_uuid=screening.uuid).detail["draft"], str(draft.uuid))
        self.assertEqual(
            AuditEntry.objects.filter(object_uuid=draft.uuid).order_by("id").last().action, "delete"
        )
        self.assertNotContains(client.get(f"/people/{self.person.uuid}/"), "Resume the screening")

    def test_discarding_removes_it_and_records_nothing(self) -> None:
        draft = services.screening_draft_save(actor=self.caseworker, person=self.person, answers={})
        client = self.client_for(self.a[Role.CASEWORKER])
        self.assertContains(client.get(self.url), "Discard the draft")
        response = self.post(client, "discard", 1, draft.version)
        self.assertEqual(response["HX-Redirect"], f"/people/{self.person.uuid}/")
        self.assertFalse(ScreeningDraft.objects.exists())
        self.assertFalse(Screening.objects.exists())
        self.assertEqual(
            AuditEntry.objects.filter(object_uuid=draft.uuid).order_by("id").last().action, "delete"
        )


class DraftConflictTests(DraftTestCase):
    def test_a_save_from_an_older_version_is_refused_and_the_newer_answers_kept(self) -> None:
        draft = services.screening_draft_save(
            actor=self.caseworker, person=self.person, answers={"ind_health": "no"}
        )
        services.screening_draft_save(
            actor=self.supervisor, person=self.person, answers={"ind_health": "yes"}, draft=draft, version=1
        )
        with self.assertRaises(EditConflict):
            services.screening_draft_save(
                actor=self.caseworker,
                person=self.person,
                answers={"ind_health": "unknown"},
                draft=draft,
                version=1,
            )
        page = self.post(
            self.client_for(self.a[Role.CASEWORKER]),
            "save",
            1,
            1,
            **self.section_answers(1, ind_health="unknown"),
        )
        self.assertContains(page, "Someone else changed this record")
        self.assertContains(
            page,
            'value="unknown" class="btn-check" autocomplete="off" id="id_q_ind_health_2" checked',
            html=False,
        )
        draft.refresh_from_db()
        self.assertEqual((draft.answers, draft.version), ({"ind_health": "yes"}, 2))

    def test_two_first_saves_keep_the_first_and_refuse_the_second(self) -> None:
        services.screening_draft_save(actor=self.caseworker, person=self.person, answers={"ind_health": "no"})
        with self.assertRaises(EditConflict):
            services.screening_draft_save(
                actor=self.supervisor, person=self.person, answers={"ind_health": "yes"}
            )
        self.assertEqual(ScreeningDraft.objects.get().answers, {"ind_health": "no"})

    def test_finishing_a_draft_someone_changed_or_removed_meanwhile_is_refused(self) -> None:
        draft = services.screening_draft_save(actor=self.caseworker, person=self.person, answers={})
        services.screening_draft_save(
            actor=self.supervisor, person=self.person, answers={"ind_health": "yes"}, draft=draft, version=1
        )
        fields = {f"q_{k}": v for k, v in self.answers(self.person).items()}
        client = self.client_for(self.a[Role.CASEWORKER])
        stale = self.post(client, "finish", 8, 1, **fields)
        self.assertContains(stale, "Someone else changed this record")
        self.assertFalse(Screening.objects.exists())
        services.screening_draft_discard(actor=self.supervisor, draft=draft, version=2)
        gone = self.post(client, "finish", 8, 2, **fields)
        self.assertContains(gone, "Someone else changed this record")
        self.assertFalse(Screening.objects.exists())


def _draft_race_setup():
    from hifazat.core.audit import Actor
    from hifazat.core.testing import make_organisation, make_user
    from hifazat.people import services as people
    from hifazat.people.testing import make_site
    from hifazat.screening import indicators

    org = make_organisation("Organisation A", hosts_system=True)
    first, second = (make_user(org, Role.CASEWORKER, name) for name in ("caseworker-1", "caseworker-2"))
    actor = Actor.for_user(first)
    household = people.household_register(actor=actor, site=make_site(), shelter_number="T-14")
    person = people.person_register(
        actor=actor, household=household, first_name="Nasreen", gender="Feminine", age_years=32
    )
    people.consent_record(actor=actor, person=person, purpose="screening", status="given")
    return first, second, person, indicators.current_catalogue().checksum


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_saving_one_draft_at_once_never_lose_an_answer_silently() -> None:
    first, second, person, checksum = _draft_race_setup()
    url = f"/screening/person/{person.uuid}/new/"
    clients = (signed_in_client(first), signed_in_client(second))
    seen, stored = None, None
    for round_ in range(6):
        # Both change the answer (a save that changes nothing writes nothing, and needs no conflict).
        values = tuple(v for v in ("yes", "no", "unknown") if v != stored)[:2]
        responses = run_at_once(
            *(
                lambda c=c, v=v: c.post(
                    url,
                    {
                        "section": "1",
                        "checksum": checksum,
                        "move": "save",
                        "version": "" if seen is None else str(seen),  # noqa: B023 (called in this round)
                        "q_ind_health": v,
                    },
                    **HTMX,
                )
                for c, v in zip(clients, values, strict=True)
            )
        )
        told = [
            "conflict"
            if b"Someone else changed" in r.content
            else "saved"
            if b"Saved as a draft" in r.content
            else r
            for r in responses
        ]
        assert sorted(told) == ["conflict", "saved"], (round_, told)
        draft = ScreeningDraft.objects.get()
        assert draft.answers == {"ind_health": values[told.index("saved")]}, (round_, told)
        seen, stored = draft.version, draft.answers["ind_health"]
