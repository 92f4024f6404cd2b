"""Two officers acting on one enrolment at once: a stale ending is refused with a clear conflict (on the page, in
the API with 409), and never writes back a change made meanwhile (another officer's ending, a promotion from the
waiting list). The last test makes real concurrent requests, on PostgreSQL only (SQLite serialises writers)."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.core.testing import signed_in_client as _client
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict
from hifazat.livelihoods import services
from hifazat.livelihoods.models import Enrolment, ProgrammeKind
from hifazat.livelihoods.tests.base import LivelihoodTestCase
from hifazat.people import services as people
from hifazat.people.testing import make_site

# The message up to its first comma: the rest holds characters that HTML escapes.
CONFLICT = str(CONFLICT_MESSAGE).split(",")[0]


class EnrolmentEditTestCase(LivelihoodTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.second_officer = self.actor(make_user(self.org_a, Role.LIVELIHOOD_OFFICER, "a-officer-2"))
        self.prog = self.programme(capacity=1)
        self.active = self.enrol(self.prog, self.member(self.household("T-1"), "Gul"))
        self.waiting = self.enrol(
            self.prog, self.member(self.household("T-2"), "Amina"), departure_reason="committee"
        )

    def fresh(self, enrolment: Enrolment) -> Enrolment:
        return Enrolment.objects.get(pk=enrolment.pk)


class StaleEditTests(EnrolmentEditTestCase):
    def test_taking_a_household_off_the_waiting_list_after_it_was_promoted_is_refused(self) -> None:
        seen = self.waiting.version
        self.assertEqual(self.waiting.status, Enrolment.Status.WAITING)
        services.enrolment_end(actor=self.officer, enrolment=self.active, status="withdrawn", reason="Moved.")
        promoted = self.fresh(self.waiting)
        self.assertEqual((promoted.status, promoted.version), (Enrolment.Status.ACTIVE, seen + 1))
        with self.assertRaises(EditConflict):
            services.enrolment_end(
                actor=self.second_officer,
                enrolment=promoted,
                status="withdrawn",
                reason="Gone.",
                version=seen,
            )
        stored = self.fresh(self.waiting)
        self.assertEqual((stored.status, stored.end_reason, stored.version), ("active", "", seen + 1))

    def test_an_ending_never_writes_back_another_officers_ending_or_a_promotion(self) -> None:
        first, second = self.fresh(self.active), self.fresh(self.active)
        services.enrolment_end(actor=self.officer, enrolment=first, status="completed")
        with contextlib.suppress(EditConflict):
            services.enrolment_end(
                actor=self.second_officer, enrolment=second, status="withdrawn", reason="Moved away."
            )
        self.assertEqual(self.fresh(self.active).status, Enrolment.Status.COMPLETED)
        self.assertEqual(self.fresh(self.waiting).status, Enrolment.Status.WAITING)  # no place was freed
        # A copy of the waiting household loaded before a promotion: ending it does not undo the promotion.
        stale_waiting = self.fresh(self.waiting)
        services.programme_update(actor=self.officer, programme=self.prog, capacity=2)
        self.assertEqual(self.fresh(self.waiting).status, Enrolment.Status.ACTIVE)
        with self.assertRaises(EditConflict):
            services.enrolment_end(
                actor=self.second_officer, enrolment=stale_waiting, status="withdrawn", reason="Gone."
            )
        stored = self.fresh(self.waiting)
        self.assertEqual((stored.status, stored.ended_on), (Enrolment.Status.ACTIVE, None))
        self.assertEqual(stored.visits.count(), 2)

    def test_a_visit_and_a_programme_change_write_only_their_own_fields(self) -> None:
        visit = self.active.visits.order_by("due_on").first()
        self.prog.refresh_from_db()
        stale = self.prog.__class__.objects.get(pk=self.prog.pk)
        self.prog.__class__.objects.filter(pk=self.prog.pk).update(description="Set elsewhere.")
        services.programme_update(actor=self.officer, programme=stale, name="Tailoring, second round")
        self.prog.refresh_from_db()
        self.assertEqual(
            (self.prog.name, self.prog.description), ("Tailoring, second round", "Set elsewhere.")
        )
        moved = visit.due_on + datetime.timedelta(days=7)
        visit.__class__.objects.filter(pk=visit.pk).update(due_on=moved)  # rescheduled meanwhile
        services.visit_record(actor=self.officer, visit=visit, visited_on=self.today, income=Decimal("9000"))
        visit.refresh_from_db()
        self.assertEqual((visit.income, visit.due_on), (Decimal("9000"), moved))


class ConflictPageAndApiTests(EnrolmentEditTestCase):
    def test_a_stale_ending_form_shows_the_conflict_and_keeps_the_typed_reason(self) -> None:
        client = self.client_for(self.a[Role.LIVELIHOOD_OFFICER])
        seen = self.waiting.version
        services.enrolment_end(actor=self.officer, enrolment=self.active, status="withdrawn", reason="Moved.")
        response = client.post(
            reverse("livelihoods:enrolment_end", args=[self.waiting.uuid]),
            {"status": "withdrawn", "reason": "The family went back to their village.", "version": seen},
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, CONFLICT, status_code=409)
        self.assertContains(response, "The family went back to their village.", status_code=409)
        self.assertEqual(self.fresh(self.waiting).status, Enrolment.Status.ACTIVE)
        # The page loaded now carries the new version, and the same ending goes through.
        page = client.get(reverse("livelihoods:enrolment_detail", args=[self.waiting.uuid]))
        self.assertEqual(page.context["end_form"]["version"].value(), seen + 1)
        response = client.post(
            reverse("livelihoods:enrolment_end", args=[self.waiting.uuid]),
            {"status": "withdrawn", "reason": "The family went back to their village.", "version": seen + 1},
        )
        self.assertRedirects(response, reverse("livelihoods:enrolment_detail", args=[self.waiting.uuid]))
        self.assertEqual(self.fresh(self.waiting).status, Enrolment.Status.WITHDRAWN)

    def test_the_api_gives_the_version_and_answers_409_to_a_stale_ending(self) -> None:
        api = self.client_for(self.a[Role.LIVELIHOOD_OFFICER])
        seen = api.get(reverse("api:livelihood_enrolment_detail", args=[self.waiting.uuid])).json()["version"]
        self.assertEqual(seen, self.waiting.version)
        services.enrolment_end(actor=self.officer, enrolment=self.active, status="withdrawn", reason="Moved.")
        end = reverse("api:livelihood_enrolment_end", args=[self.waiting.uuid])
        response = api.post(
            end, {"status": "withdrawn", "reason": "Gone.", "version": seen}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("Someone else changed this record", response.json()["detail"])
        self.assertEqual(self.fresh(self.waiting).status, Enrolment.Status.ACTIVE)
        response = api.post(
            end, {"status": "completed", "version": seen + 1}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["status"], response.json()["version"]), ("completed", seen + 2))


# --- Real concurrent requests (PostgreSQL) ----------------------------------------------------------------------

ROUNDS = 20


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_officers_ending_one_enrolment_at_once_one_wins_and_the_other_is_told() -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    caseworker = Actor.for_user(make_user(organisation, Role.CASEWORKER, "a-caseworker"))
    one = make_user(organisation, Role.LIVELIHOOD_OFFICER, "a-officer")
    other = make_user(organisation, Role.LIVELIHOOD_OFFICER, "a-officer-2")
    today = timezone.localdate()
    programme = services.programme_create(
        actor=Actor.for_user(one),
        name="Tailoring",
        kind=ProgrammeKind.VOCATIONAL_TRAINING,
        capacity=ROUNDS,
        budget_per_participant=Decimal("25000"),
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=180),
        followup_months=[3],
    )
    site = make_site()
    enrolments = []
    for n in range(ROUNDS):
        household = people.household_register(actor=caseworker, site=site, shelter_number=f"T-{n}")
        person = people.person_register(
            actor=caseworker,
            household=household,
            first_name=f"Woman {n}",
            gender="Feminine",
            age_years=30,
            relationship_to_head="head",
        )
        enrolments.append(
            services.enrol(
                actor=Actor.for_user(one),
                programme=programme,
                person=person,
                agreed=True,
                departure_reason="x",
            )
        )
    completing, withdrawing = _client(one), _client(other)
    wins = {"completed": 0, "withdrawn": 0}
    for round_, enrolment in enumerate(enrolments):
        url = reverse("livelihoods:enrolment_end", args=[enrolment.uuid])
        page = reverse("livelihoods:enrolment_detail", args=[enrolment.uuid])
        completed = {"status": "completed", "version": enrolment.version}
        withdrawn = {"status": "withdrawn", "reason": f"round {round_}", "version": enrolment.version}
        answers = run_at_once(
            lambda url=url, completed=completed: completing.post(url, completed),
            lambda url=url, withdrawn=withdrawn: withdrawing.post(url, withdrawn),
        )
        won = [a.status_code == 302 and a["Location"] == page for a in answers]
        told = [a.status_code == 409 and CONFLICT in a.content.decode() for a in answers]
        assert won in ([True, False], [False, True]), (round_, [a.status_code for a in answers])
        assert told == [not w for w in won], round_
        stored = Enrolment.objects.get(pk=enrolment.pk)
        if won[0]:
            assert (stored.status, stored.end_reason) == ("completed", ""), round_
            wins["completed"] += 1
        else:
            assert (stored.status, stored.end_reason) == ("withdrawn", f"round {round_}"), round_
            wins["withdrawn"] += 1
        assert stored.version == enrolment.version + 1, round_
    assert sum(wins.values()) == ROUNDS
