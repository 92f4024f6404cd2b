"""Recording a screening: who is refused, consent, follow-ups, trafficking status."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people.services import ConsentRequired
from hifazat.screening import services
from hifazat.screening.indicators import Subject
from hifazat.screening.models import Screening
from hifazat.screening.tests.base import ScreeningTestCase


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class RecordingTests(ScreeningTestCase):
    def test_roles_without_screening_run_are_refused(self) -> None:
        person = self.widow()
        for role in (
            Role.ADMINISTRATOR,
            Role.MONITORING_FOCAL_POINT,
            Role.NETWORK_REPORTER,
            Role.CAMPAIGN_COORDINATOR,
            Role.LIVELIHOOD_OFFICER,
            Role.ANALYST,
            Role.DONOR_VIEWER,
        ):
            with self.assertRaises(PermissionDenied, msg=role):
                self.screen(person, actor=self.actor(self.a[role]))
        self.assertFalse(Screening.objects.exists())

    def test_another_organisations_person_is_refused(self) -> None:
        person = self.widow()
        with self.assertRaises(PermissionDenied):
            self.screen(person, actor=self.actor(self.b[Role.CASEWORKER]))
        self.assertFalse(Screening.objects.exists())

    def test_screening_needs_consent_and_a_withdrawal_refuses_the_next_one(self) -> None:
        person = self.widow(consent=False)
        with self.assertRaises(ConsentRequired):
            self.screen(person)
        self.consent(person)
        self.screen(person)
        self.consent(person, "withdrawn")
        with self.assertRaises(ConsentRequired):
            self.screen(person)
        self.assertEqual(Screening.objects.filter(person=person).count(), 1)

    def test_a_declined_consent_refuses_too(self) -> None:
        person = self.widow(consent=False)
        self.consent(person, "declined")
        with self.assertRaises(ConsentRequired):
            self.screen(person)

    def test_a_screening_records_answers_version_score_reasons_and_an_audit_without_values(self) -> None:
        person = self.widow()
        screening = self.screen(person, ind_no_documents="yes", lure_offer_marriage="yes")
        self.assertEqual(screening.answers["ind_no_documents"], "yes")
        # Asked and kept: the questions the skip logic leaves in for a woman who was never taken away for work.
        asked = self.catalogue.relevant_questions(Subject.of(person), screening.answers)
        self.assertEqual(set(screening.answers), {q.id for q in asked})
        self.assertEqual((screening.score, screening.band), (5, "urgent"))
        self.assertEqual(
            screening.reasons,
            [
                {"question": "ind_no_documents", "answer": "yes", "weight": 2, "factor": "risk"},
                {"question": "lure_offer_marriage", "answer": "yes", "weight": 3, "factor": "risk"},
            ],
        )
        self.assertEqual(
            screening.red_flags, [{"flag": "outside_offer", "questions": ["lure_offer_marriage"]}]
        )
        self.assertEqual(screening.catalogue_version.checksum, self.catalogue.checksum)
        self.assertEqual(
            (screening.screened_by, screening.organisation), (self.a[Role.CASEWORKER], self.org_a)
        )
        self.assertFalse(screening.subject_was_child)
        entry = AuditEntry.objects.get(object_uuid=screening.uuid)
        self.assertEqual(entry.action, "create")
        self.assertEqual(
            entry.detail,
            {
                "person": str(person.uuid),
                "catalogue_version": "2",
                "answers": 34,
                "follow_ups": 2,
                "rescreenings_closed": 0,
            },
        )

    def test_missing_unknown_and_invalid_answers_are_refused_by_question(self) -> None:
        person = self.widow()
        answers = self.answers(person)
        del answers["hh_meals"]
        with self.assertRaisesMessage(ValidationError, "1 questions have no answer: hh_meals"):
            services.screening_record(actor=self.caseworker, person=person, answers=answers)
        with self.assertRaisesMessage(
            ValidationError, "questions not in catalogue 2 for this person: ch_begging"
        ):
            services.screening_record(
                actor=self.caseworker, person=person, answers={**self.answers(person), "ch_begging": "no"}
            )
        with self.assertRaisesMessage(ValidationError, "not among the options of: hh_debt"):
            services.screening_record(
                actor=self.caseworker, person=person, answers={**self.answers(person), "hh_debt": "bank"}
            )
        self.assertFalse(Screening.objects.exists())

    def test_a_child_is_screened_with_the_child_questions(self) -> None:
        child = self.child()
        screening = self.screen(child, ch_begging="yes")
        self.assertTrue(screening.subject_was_child)
        self.assertIn("ch_begging", screening.answers)
        self.assertEqual(screening.band, "urgent")
        self.assertEqual(screening.red_flags, [{"flag": "child_exploitation", "questions": ["ch_begging"]}])


class FollowUpTests(ScreeningTestCase):
    def plan(self, screening: Screening) -> list[tuple[str, str, datetime.date]]:
        return [(f.kind, f.priority, f.due_on) for f in screening.followups.order_by("due_on")]

    def test_urgent_gets_a_visit_in_two_days_and_a_rescreening_in_thirty(self) -> None:
        screening = self.screen(self.widow(), lure_offer_work="yes")
        self.assertEqual(
            self.plan(screening), [("follow_up", "urgent", days(2)), ("rescreening", "urgent", days(30))]
        )
        self.assertEqual({f.assigned_to for f in screening.followups.all()}, {self.a[Role.CASEWORKER]})
        self.assertEqual({f.status for f in screening.followups.all()}, {"open"})

    def test_high_gets_a_visit_in_seven_days_and_a_rescreening_in_sixty(self) -> None:
        screening = self.screen(
            self.widow(),
            fl_works="yes",
            fl_deception="yes",
            fl_isolation="yes",
            fl_debt_bondage="yes",
            fl_abusive_conditions="yes",
        )
        self.assertEqual(screening.band, "high")
        self.assertEqual(
            self.plan(screening), [("follow_up", "high", days(7)), ("rescreening", "high", days(60))]
        )

    def test_medium_gets_a_rescreening_in_ninety_days_and_low_nothing(self) -> None:
        person = self.widow()
        medium = self.screen(person, ind_no_documents="yes", hh_debt="lender")
        self.assertEqual(self.plan(medium), [("rescreening", "medium", days(90))])
        low = self.screen(person)
        self.assertEqual((low.band, self.plan(low)), ("low", []))

    def test_a_new_screening_closes_the_open_rescreening(self) -> None:
        person = self.widow()
        first = self.screen(person, lure_offer_work="yes")
        second = self.screen(person, lure_offer_work="yes")
        rescreening = first.followups.get(kind="rescreening")
        self.assertEqual((rescreening.status, rescreening.closed_by_screening), ("done", second))
        self.assertEqual(first.followups.get(kind="follow_up").status, "open")  # the visit is still to do
        self.assertEqual(AuditEntry.objects.get(object_uuid=second.uuid).detail["rescreenings_closed"], 1)

    def test_completing_and_cancelling_a_follow_up(self) -> None:
        screening = self.screen(self.widow(), lure_offer_work="yes")
        visit, rescreening = screening.followups.order_by("due_on")
        for role in (Role.ANALYST, Role.CAMPAIGN_COORDINATOR):
            with self.assertRaises(PermissionDenied):
                services.followup_complete(actor=self.actor(self.a[role]), followup=visit)
        with self.assertRaises(PermissionDenied):
            services.followup_complete(actor=self.actor(self.b[Role.CASEWORKER]), followup=visit)
        done = services.followup_complete(actor=self.caseworker, followup=visit, note="visited the tent")
        self.assertEqual(
            (done.status, done.closed_by, done.note), ("done", self.a[Role.CASEWORKER], "visited the tent")
        )
        self.assertIsNotNone(done.closed_at)
        with self.assertRaises(ValidationError):
            services.followup_complete(actor=self.caseworker, followup=visit)
        with self.assertRaises(ValidationError):
            services.followup_cancel(actor=self.supervisor, followup=rescreening, note=" ")
        cancelled = services.followup_cancel(
            actor=self.supervisor, followup=rescreening, note="moved to Lahore"
        )
        self.assertEqual(cancelled.status, "cancelled")
        entry = AuditEntry.objects.filter(object_uuid=rescreening.uuid).get()
        self.assertEqual(entry.detail, {"fields": ["status", "note"]})


class TraffickingStatusTests(ScreeningTestCase):
    def test_only_a_supervisor_sets_it_and_their_organisation_is_recorded(self) -> None:
        person = self.widow()
        screening = self.screen(person, rec_recruited="yes", dst_confined="yes", dst_debt_bondage="yes")
        for actor in (
            self.caseworker,
            self.actor(self.a[Role.ADMINISTRATOR]),
            self.actor(self.b[Role.SUPERVISOR]),
        ):
            with self.assertRaises(PermissionDenied):
                services.trafficking_status_set(
                    actor=actor, person=person, status="PossibleVictimOfTrafficking", screening=screening
                )
        person.refresh_from_db()
        self.assertEqual(person.trafficking_status, "")
        services.trafficking_status_set(
            actor=self.supervisor, person=person, status="PossibleVictimOfTrafficking", screening=screening
        )
        person.refresh_from_db()
        screening.refresh_from_db()
        self.assertEqual(
            (person.trafficking_status, person.trafficking_status_by),
            ("PossibleVictimOfTrafficking", self.org_a),
        )
        self.assertEqual(
            (screening.trafficking_status, screening.trafficking_status_by),
            ("PossibleVictimOfTrafficking", self.a[Role.SUPERVISOR]),
        )
        self.assertIsNotNone(screening.trafficking_status_at)
        entry = AuditEntry.objects.filter(object_uuid=person.uuid, action="update").get()
        self.assertEqual(
            entry.detail,
            {"fields": ["trafficking_status", "trafficking_status_by"], "screening": str(screening.uuid)},
        )
        self.assertNotIn("Victim", str(entry.detail))

    def test_the_status_must_be_an_htcds_value_and_the_screening_the_persons_own(self) -> None:
        person = self.widow()
        other = self.child()
        screening = self.screen(person)
        with self.assertRaises(ValidationError):
            services.trafficking_status_set(
                actor=self.supervisor, person=person, status="Victim", screening=screening
            )
        with self.assertRaises(ValidationError):
            services.trafficking_status_set(
                actor=self.supervisor, person=other, status="NotAVictimOfTrafficking", screening=screening
            )
