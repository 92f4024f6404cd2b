"""Two people editing one case at once: only changed fields are written, a stale edit is refused with a clear
answer (the page again with the typed text, 409 on the API), and nothing is silently reverted."""

from __future__ import annotations

import contextlib

import pytest

from hifazat.cases import record_services, services
from hifazat.cases.models import Case, CaseHistory
from hifazat.cases.testing import open_case, register_person
from hifazat.cases.tests.base import CaseTestCase
from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.core.testing import signed_in_client as _client
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict

CONFLICT = str(CONFLICT_MESSAGE).split(",")[0]


class StaleEditTests(CaseTestCase):
    def test_a_summary_edit_from_an_older_version_is_refused_and_changes_nothing(self) -> None:
        seen = self.case.version
        services.case_update(
            actor=self.supervisor, case=self.case, summary="Supervisor's summary", version=seen
        )
        stale = Case.objects.get(pk=self.case.pk)
        with self.assertRaises(EditConflict):
            services.case_update(
                actor=self.caseworker, case=stale, summary="Caseworker's summary", version=seen
            )
        self.case.refresh_from_db()
        self.assertEqual(self.case.summary, "Supervisor's summary")
        self.assertEqual(self.case.version, seen + 1)

    def test_victim_context_saved_from_a_copy_loaded_before_a_summary_edit_does_not_revert_the_summary(
        self,
    ) -> None:
        first, second = Case.objects.get(pk=self.case.pk), Case.objects.get(pk=self.case.pk)
        services.case_update(actor=self.supervisor, case=first, summary="Supervisor's summary")
        with contextlib.suppress(EditConflict):  # refusing is right; writing the old summary back is not
            record_services.victim_context_update(
                actor=self.caseworker, case=second, recruitment_place="Multan"
            )
        self.case.refresh_from_db()
        self.assertEqual(self.case.summary, "Supervisor's summary")

    def test_an_assignment_from_a_stale_copy_conflicts_instead_of_being_reverted_later(self) -> None:
        first, second = Case.objects.get(pk=self.case.pk), Case.objects.get(pk=self.case.pk)
        services.case_assign(actor=self.supervisor, case=first, caseworker=self.colleague_user)
        with contextlib.suppress(EditConflict):  # refusing is right; writing the old summary back is not
            record_services.case_trafficking_status_set(
                actor=self.supervisor, case=second, status="PossibleVictimOfTrafficking"
            )
        self.case.refresh_from_db()
        self.assertEqual(self.case.caseworker, self.colleague_user)
        self.assertTrue(self.case.history.filter(kind=CaseHistory.Kind.ASSIGNED).exists())

    def test_a_whole_row_save_of_a_case_is_refused(self) -> None:
        with self.assertRaises(TypeError):
            self.case.save()


class StalePageAndApiTests(CaseTestCase):
    def test_a_stale_summary_form_shows_the_conflict_and_keeps_the_typed_text(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        seen = self.case.version
        services.case_update(actor=self.supervisor, case=self.case, summary="Changed meanwhile")
        response = client.post(self.url("summary"), {"summary": "My careful new summary", "version": seen})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, CONFLICT, status_code=409)
        self.assertContains(response, "My careful new summary", status_code=409)
        self.case.refresh_from_db()
        self.assertEqual(self.case.summary, "Changed meanwhile")

    def test_a_stale_assignment_is_refused_on_the_page(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        seen = self.case.version
        services.case_update(actor=self.caseworker, case=self.case, summary="Changed meanwhile")
        response = client.post(self.url("assign"), {"caseworker": self.colleague_user.pk, "version": seen})
        self.assertContains(response, CONFLICT, status_code=409)
        self.case.refresh_from_db()
        self.assertEqual(self.case.caseworker, self.a[Role.CASEWORKER])

    def test_the_api_answers_409_to_a_patch_from_an_older_version(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        url = f"/api/v1/cases/{self.case.uuid}/"
        seen = client.get(url).json()["version"]
        services.case_update(actor=self.supervisor, case=self.case, summary="Changed meanwhile")
        response = client.patch(
            url, {"summary": "From the API", "version": seen}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 409)
        self.case.refresh_from_db()
        self.assertEqual(self.case.summary, "Changed meanwhile")
        fresh = client.get(url).json()["version"]
        response = client.patch(
            url, {"summary": "From the API", "version": fresh}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["summary"], "From the API")


# --- Real concurrent requests (PostgreSQL) ---------------------------------------------------------------------

ROUNDS = 20


def _outcome(response) -> str:
    if response.status_code == 302:
        return "saved"
    if response.status_code == 409 and CONFLICT in response.content.decode():
        return "conflict"
    return f"{response.status_code}: {response.content.decode()[:300]}"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_summary_edit_and_an_assignment_at_once_never_lose_a_change_without_a_conflict() -> None:
    org = make_organisation("Organisation A", hosts_system=True)
    caseworker = make_user(org, Role.CASEWORKER, "a-caseworker")
    other_worker = make_user(org, Role.CASEWORKER, "a-caseworker-2")
    editor = make_user(org, Role.SUPERVISOR, "a-supervisor")
    assigner = make_user(org, Role.SUPERVISOR, "a-supervisor-2")
    case = open_case(Actor.for_user(caseworker), register_person(Actor.for_user(caseworker)))
    editing, assigning = _client(editor), _client(assigner)
    summary_url, assign_url = f"/cases/{case.uuid}/summary/", f"/cases/{case.uuid}/assign/"
    tally = {"both saved": 0, "one conflict": 0}
    for round_ in range(ROUNDS):
        case.refresh_from_db()
        seen, summary = case.version, f"Supervisor's summary, round {round_}"
        to = other_worker if case.caseworker_id == caseworker.pk else caseworker
        edit, assign = run_at_once(
            lambda s=summary, v=seen: editing.post(summary_url, {"summary": s, "version": v}),
            lambda t=to, v=seen: assigning.post(assign_url, {"caseworker": t.pk, "version": v}),
        )
        outcomes = (_outcome(edit), _outcome(assign))
        case.refresh_from_db()
        assert all(o in ("saved", "conflict") for o in outcomes), outcomes
        # A change is there exactly when its request was told it was saved: never lost silently.
        assert (case.summary == summary) == (outcomes[0] == "saved"), (round_, outcomes)
        assert (case.caseworker_id == to.pk) == (outcomes[1] == "saved"), (round_, outcomes)
        assert "saved" in outcomes, outcomes
        tally["both saved" if outcomes == ("saved", "saved") else "one conflict"] += 1
    # Both carried the same version, so every round one of them must have been told of the conflict.
    assert tally["one conflict"] == ROUNDS, tally


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_api_summary_edits_and_page_assignments_at_once_without_versions_lose_nothing() -> None:
    """Without a version (a script that does not send one), the compare-and-swap still refuses the race."""
    org = make_organisation("Organisation A", hosts_system=True)
    caseworker = make_user(org, Role.CASEWORKER, "a-caseworker")
    other_worker = make_user(org, Role.CASEWORKER, "a-caseworker-2")
    editor = make_user(org, Role.SUPERVISOR, "a-supervisor")
    assigner = make_user(org, Role.SUPERVISOR, "a-supervisor-2")
    case = open_case(Actor.for_user(caseworker), register_person(Actor.for_user(caseworker)))
    editing, assigning = _client(editor), _client(assigner)
    for round_ in range(ROUNDS):
        case.refresh_from_db()
        summary = f"Summary {round_}"
        to = other_worker if case.caseworker_id == caseworker.pk else caseworker
        edit, assign = run_at_once(
            lambda s=summary: editing.patch(
                f"/api/v1/cases/{case.uuid}/", {"summary": s}, content_type="application/json"
            ),
            lambda t=to: assigning.post(f"/cases/{case.uuid}/assign/", {"caseworker": t.pk}),
        )
        assert edit.status_code in (200, 409), edit.content[:300]
        assert _outcome(assign) in ("saved", "conflict"), _outcome(assign)
        case.refresh_from_db()
        assert (case.summary == summary) == (edit.status_code == 200), round_
        assert (case.caseworker_id == to.pk) == (_outcome(assign) == "saved"), round_
