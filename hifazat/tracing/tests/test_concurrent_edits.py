"""Two people changing one tracing request at once: a stale edit is refused with a clear conflict (on the page, in
the API with 409), and an edit of one field never writes back another that someone changed meanwhile. The last
test makes real concurrent requests, on PostgreSQL only (SQLite serialises writers: a race there proves nothing)."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.urls import reverse

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.core.testing import signed_in_client as _client
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict
from hifazat.tracing import services
from hifazat.tracing.models import CandidateStatus, TracingCandidate, TracingRequest, TracingStatus
from hifazat.tracing.testing import make_areas, make_request, register_child
from hifazat.tracing.tests.base import TracingTestCase
from hifazat.tracing.views import _initial

# The message up to its first comma: the rest holds characters that HTML escapes.
CONFLICT = str(CONFLICT_MESSAGE).split(",")[0]


def form_data(tracing: TracingRequest, **changes) -> dict:
    """The edit form as the page fills it in for ``tracing``, with ``changes`` typed over it."""
    data = {}
    for name, value in {**_initial(tracing), **changes}.items():
        if value is None or value is False:
            continue
        data[name] = (
            "on" if value is True else value.isoformat() if isinstance(value, datetime.date) else value
        )
    return data


class StaleEditTests(TracingTestCase):
    def setUp(self) -> None:
        self.request = make_request(self.cw, "Bilal", second_name="Tanoli", gender="Masculine", age_years=9)

    def test_an_edit_from_an_older_version_is_refused_and_changes_nothing(self) -> None:
        seen = self.request.version
        services.tracing_request_update(
            actor=self.sup, request=self.request, description="A scar on his left hand.", version=seen
        )
        # A form loaded before the supervisor's change carries the older version.
        with self.assertRaises(EditConflict):
            services.tracing_request_update(
                actor=self.cw,
                request=TracingRequest.objects.get(pk=self.request.pk),
                description="Tall.",
                version=seen,
            )
        for act in (
            lambda r: services.tracing_request_close(actor=self.cw, request=r, reason="Found.", version=seen),
            lambda r: services.candidate_decide(
                actor=self.cw, request=r, person=self.bilal, decision="proposed", version=seen
            ),
            lambda r: services.match_confirm(actor=self.cw, request=r, person=self.bilal, version=seen),
        ):
            with self.assertRaises(EditConflict):
                act(TracingRequest.objects.get(pk=self.request.pk))
        stored = TracingRequest.objects.get(pk=self.request.pk)
        self.assertEqual(stored.description, "A scar on his left hand.")
        self.assertEqual((stored.status, stored.version), (TracingStatus.OPEN, seen + 1))
        self.assertFalse(TracingCandidate.objects.filter(request=stored).exclude(status="open").exists())

    def test_an_edit_of_one_field_never_writes_back_another_changed_meanwhile(self) -> None:
        first = TracingRequest.objects.get(pk=self.request.pk)
        second = TracingRequest.objects.get(pk=self.request.pk)
        services.tracing_request_update(actor=self.sup, request=first, description="A scar on his left hand.")
        with contextlib.suppress(EditConflict):  # refused, or written without touching the description
            services.tracing_request_update(
                actor=self.cw, request=second, circumstances="Lost at the bus stand."
            )
        stored = TracingRequest.objects.get(pk=self.request.pk)
        self.assertEqual(stored.description, "A scar on his left hand.")
        # A decision (a status change) on a copy loaded before the edit: refused, never a revert of the edit.
        third = TracingRequest.objects.get(pk=self.request.pk)
        services.tracing_request_update(actor=self.sup, request=third, mother_name="Parveen Bibi")
        with self.assertRaises(EditConflict):
            services.candidate_decide(actor=self.cw, request=stored, person=self.bilal, decision="proposed")
        stored.refresh_from_db()
        self.assertEqual((stored.mother_name, stored.status), ("Parveen Bibi", TracingStatus.OPEN))

    def test_an_edit_writes_only_the_fields_it_changed(self) -> None:
        other = TracingRequest.objects.get(pk=self.request.pk)
        TracingRequest.objects.filter(pk=self.request.pk).update(closure_reason="set elsewhere")
        services.tracing_request_update(actor=self.cw, request=other, description="Tall.", phone="")
        stored = TracingRequest.objects.get(pk=self.request.pk)
        self.assertEqual((stored.description, stored.closure_reason), ("Tall.", "set elsewhere"))


class ConflictPageAndApiTests(TracingTestCase):
    def setUp(self) -> None:
        self.request = make_request(self.cw, "Bilal", second_name="Tanoli", gender="Masculine", age_years=9)

    def test_a_stale_edit_form_shows_the_conflict_and_keeps_what_was_typed(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        edit = reverse("tracing:request_edit", args=[self.request.uuid])
        typed = form_data(self.request, circumstances="Lost at the Balakot bus stand in the evening.")
        services.tracing_request_update(actor=self.sup, request=self.request, description="A scar.")
        response = client.post(edit, typed)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, CONFLICT)
        self.assertContains(response, "Lost at the Balakot bus stand in the evening.")
        stored = TracingRequest.objects.get(pk=self.request.pk)
        self.assertEqual((stored.circumstances, stored.description), ("", "A scar."))
        # Reloaded, the form carries the new version and the same change goes through.
        fresh = form_data(stored, circumstances="Lost at the Balakot bus stand in the evening.")
        self.assertRedirects(
            client.post(edit, fresh), reverse("tracing:request_detail", args=[self.request.uuid])
        )
        stored.refresh_from_db()
        self.assertEqual(
            (stored.circumstances, stored.description),
            ("Lost at the Balakot bus stand in the evening.", "A scar."),
        )

    def test_a_stale_decision_on_the_page_says_so(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        seen = self.request.version
        services.tracing_request_update(actor=self.sup, request=self.request, description="A scar.")
        response = client.post(
            reverse("tracing:candidate_decide", args=[self.request.uuid]),
            {"person": str(self.bilal.uuid), "decision": "proposed", "version": seen},
            follow=True,
        )
        self.assertContains(response, CONFLICT)
        self.assertFalse(self.request.candidates.filter(status=CandidateStatus.PROPOSED).exists())

    def test_the_api_answers_409_to_a_stale_decision_and_gives_the_version(self) -> None:
        api = self.client_for(self.a[Role.CASEWORKER])
        detail = api.get(reverse("api:tracing_request_detail", args=[self.request.uuid])).json()
        seen = detail["version"]
        self.assertEqual(seen, self.request.version)
        services.tracing_request_update(actor=self.sup, request=self.request, description="A scar.")
        decide = reverse("api:tracing_candidate_decide", args=[self.request.uuid])
        body = {"person": str(self.bilal.uuid), "decision": "proposed", "version": seen}
        response = api.post(decide, body, content_type="application/json")
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("Someone else changed this record", response.json()["detail"])
        self.assertFalse(self.request.candidates.filter(status=CandidateStatus.PROPOSED).exists())
        confirm = reverse("api:tracing_match_confirm", args=[self.request.uuid])
        response = api.post(
            confirm, {"person": str(self.bilal.uuid), "version": seen}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 409)
        # With the version read now, the decision is made.
        body["version"] = seen + 1
        response = api.post(decide, body, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["request_status"], response.json()["version"]), ("match_proposed", seen + 2)
        )


# --- Real concurrent requests (PostgreSQL) ----------------------------------------------------------------------

ROUNDS = 20


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_edit_on_the_page_and_a_decision_through_the_api_at_once_never_lose_a_change_silently() -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    caseworker = make_user(organisation, Role.CASEWORKER, "a-caseworker")
    supervisor = make_user(organisation, Role.SUPERVISOR, "a-supervisor")
    areas = make_areas()
    child = register_child(Actor.for_user(caseworker), "Bilal", "Tanoli", age=9, origin=areas["balakot"])
    tracing = make_request(Actor.for_user(caseworker), "Bilal", second_name="Tanoli", age_years=9)
    page, api = _client(caseworker), _client(supervisor)
    edit = reverse("tracing:request_edit", args=[tracing.uuid])
    decide = reverse("api:tracing_candidate_decide", args=[tracing.uuid])
    outcomes = {"both": 0, "edit": 0, "decision": 0}
    for round_ in range(ROUNDS):
        tracing = TracingRequest.objects.get(pk=tracing.pk)
        decision = "proposed" if round_ % 2 == 0 else "open"
        note = f"round {round_}: the edit"
        typed = form_data(tracing, description=note)
        body = {"person": str(child.uuid), "decision": decision, "version": tracing.version}
        edited, decided = run_at_once(
            lambda typed=typed: page.post(edit, typed),
            lambda body=body: api.post(decide, body, content_type="application/json"),
        )
        edit_won = edited.status_code == 302
        decision_won = decided.status_code == 200
        if not edit_won:
            assert edited.status_code == 200 and CONFLICT in edited.content.decode(), (
                round_,
                edited.status_code,
            )
        if not decision_won:
            assert decided.status_code == 409, (round_, decided.status_code, decided.content[:300])
        assert edit_won or decision_won, round_
        stored = TracingRequest.objects.get(pk=tracing.pk)
        candidate = TracingCandidate.objects.get(request=stored, person=child) if decision_won else None
        if edit_won:
            assert stored.description == note, round_
        if decision_won:
            assert candidate.status == decision, round_
            expected = TracingStatus.MATCH_PROPOSED if decision == "proposed" else TracingStatus.OPEN
            assert stored.status == expected, round_
        assert stored.version == tracing.version + int(edit_won) + int(decision_won), round_
        outcomes["both" if edit_won and decision_won else "edit" if edit_won else "decision"] += 1
    assert sum(outcomes.values()) == ROUNDS
