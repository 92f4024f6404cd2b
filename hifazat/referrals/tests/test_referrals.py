"""Referrals: consent gating and the supervisor's override, the receiver's answers, overdue alerts, scoping."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.notifications.models import Notification
from hifazat.notifications.selectors import worklist_for
from hifazat.people import services as people
from hifazat.people.services import ConsentRequired
from hifazat.referrals import services
from hifazat.referrals.models import Referral, ReferralEvent, ReferralStatus
from hifazat.referrals.selectors import incoming_referrals, outgoing_referrals, referrals_visible_to
from hifazat.referrals.tasks import referrals_check_overdue
from hifazat.referrals.tests.base import ReferralTestCase


class ConsentTests(ReferralTestCase):
    def test_a_referral_without_consent_is_refused_and_nothing_is_sent(self) -> None:
        with self.assertRaises(ConsentRequired):
            self.refer()
        self.assertFalse(Referral.objects.exists())
        self.assertFalse(Notification.objects.filter(recipient=self.b[Role.CASEWORKER]).exists())

    def test_a_declined_or_withdrawn_consent_blocks_the_referral(self) -> None:
        people.consent_record(
            actor=self.caseworker, person=self.person, purpose="referral", status="declined"
        )
        with self.assertRaises(ConsentRequired):
            self.refer()
        self.consent()
        people.consent_record(
            actor=self.caseworker, person=self.person, purpose="referral", status="withdrawn"
        )
        with self.assertRaises(ConsentRequired):
            self.refer()

    def test_consent_to_screening_is_not_consent_to_referral(self) -> None:
        self.consent(purpose="screening")
        with self.assertRaises(ConsentRequired):
            self.refer()

    def test_with_consent_the_referral_is_sent_due_by_its_urgency_and_the_receiver_is_told(self) -> None:
        self.consent()
        referral = self.refer(urgency="urgent")
        self.assertEqual(referral.status, ReferralStatus.SENT)
        self.assertEqual(referral.number, f"A-RF-{timezone.now().year}-0001")
        self.assertEqual(referral.due_at - referral.sent_at, datetime.timedelta(hours=24))
        routine = self.refer(urgency="routine")
        self.assertEqual(routine.due_at - routine.sent_at, datetime.timedelta(days=7))
        told = Notification.objects.filter(
            kind="referral.received", title=f"Referral {referral.number} received"
        )
        self.assertEqual(
            set(told.values_list("recipient__username", flat=True)), {"b-caseworker", "b-supervisor"}
        )
        self.assertEqual(list(referral.events.values_list("kind", flat=True)), ["sent"])
        entry = AuditEntry.objects.get(object_uuid=referral.uuid, action="create")
        self.assertEqual(entry.detail["consent_override"], False)
        self.assertNotIn("Nasreen", str(entry.detail))

    def test_a_supervisor_overrides_missing_consent_with_a_written_reason_and_the_audit_names_it(
        self,
    ) -> None:
        with self.assertRaises(ConsentRequired):
            self.refer(actor=self.supervisor, override_reason="   ")
        referral = self.refer(
            actor=self.supervisor,
            override_reason="She is injured and cannot speak; a doctor must see her today.",
        )
        self.assertEqual(referral.status, ReferralStatus.SENT)
        self.assertTrue(referral.consent_override)
        self.assertEqual(referral.override_by, self.a[Role.SUPERVISOR])
        self.assertIsNone(referral.snapshot["consent"])
        entry = AuditEntry.objects.get(object_uuid=referral.uuid, action="create")
        self.assertEqual((entry.user, entry.detail["consent_override"]), (self.a[Role.SUPERVISOR], True))

    def test_a_caseworker_giving_a_reason_without_consent_waits_for_a_supervisor(self) -> None:
        referral = self.refer(override_reason="She cannot sign today.")
        self.assertEqual(referral.status, ReferralStatus.AWAITING_APPROVAL)
        self.assertFalse(referral.consent_override)
        self.assertIsNone(referral.sent_at)
        self.assertFalse(incoming_referrals(self.b_caseworker).exists())
        self.assertFalse(Notification.objects.filter(kind="referral.received").exists())

    def test_a_transfer_needs_consent_for_referral_or_for_sharing_with_the_receiver(self) -> None:
        with self.assertRaises(ConsentRequired):
            self.refer(actor=self.supervisor, is_transfer=True)
        self.consent("sharing", shared_with=self.org_a)  # sharing with someone else is not enough
        with self.assertRaises(ConsentRequired):
            self.refer(actor=self.supervisor, is_transfer=True)
        self.consent("sharing", shared_with=self.org_b)
        referral = self.refer(actor=self.supervisor, is_transfer=True)
        self.assertEqual(
            (referral.status, referral.approved_by), (ReferralStatus.SENT, self.a[Role.SUPERVISOR])
        )

    def test_consent_for_sharing_alone_does_not_allow_a_plain_referral(self) -> None:
        self.consent("sharing", shared_with=self.org_b)
        with self.assertRaises(ConsentRequired):
            self.refer()

    def test_a_caseworkers_transfer_waits_for_a_supervisor_even_with_consent(self) -> None:
        self.consent()
        referral = self.refer(is_transfer=True)
        self.assertEqual(referral.status, ReferralStatus.AWAITING_APPROVAL)
        self.assertEqual(
            list(referral.events.values_list("kind", "sender_only")), [("approval_requested", True)]
        )
        with self.assertRaisesMessage(ValidationError, "transfer under way"):
            self.refer(actor=self.supervisor, is_transfer=True)


class ReferralRulesTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()

    def test_roles_without_referrals_and_other_organisations_cases_are_refused(self) -> None:
        for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.CAMPAIGN_COORDINATOR, Role.NETWORK_REPORTER):
            with self.assertRaises(PermissionDenied):
                self.refer(actor=self.actor(self.a[role]))
        with self.assertRaises(PermissionDenied):
            self.refer(actor=self.b_caseworker)
        other = self.actor(make_user(self.org_a, Role.CASEWORKER, "a-other-caseworker"))
        with self.assertRaises(PermissionDenied):  # not their case
            self.refer(actor=other)
        self.assertFalse(Referral.objects.exists())

    def test_a_referral_goes_to_another_organisation_to_a_service_the_provider_offers(self) -> None:
        with self.assertRaisesMessage(ValidationError, "another organisation"):
            self.refer(provider=self.own_provider, service="shelter")
        with self.assertRaisesMessage(ValidationError, "does not offer"):
            self.refer(service="shelter")
        self.clinic.accepting_referrals = False
        self.clinic.save(update_fields=["accepting_referrals"])
        with self.assertRaisesMessage(ValidationError, "does not accept referrals now"):
            self.refer()

    def test_reason_urgency_and_parts_are_checked(self) -> None:
        with self.assertRaisesMessage(ValidationError, "HTCDS"):
            self.refer(reason="Because")
        with self.assertRaises(ValidationError):
            self.refer(shared_parts=[])
        with self.assertRaises(ValidationError):
            self.refer(shared_parts=["everything"])
        with self.assertRaisesMessage(ValidationError, "Write this part"):
            self.refer(shared_parts=["name_age", "notes"], notes="  ")

    def test_decline_without_a_reason_is_refused(self) -> None:
        referral = self.refer()
        with self.assertRaises(ValidationError):
            services.referral_decline(actor=self.b_caseworker, referral=referral, reason="  ")
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.SENT)
        services.referral_decline(
            actor=self.b_caseworker, referral=referral, reason="No female doctor this week."
        )
        referral.refresh_from_db()
        self.assertEqual(
            (referral.status, referral.decline_reason), ("declined", "No female doctor this week.")
        )
        self.assertTrue(
            Notification.objects.filter(recipient=self.a[Role.CASEWORKER], kind="referral.declined").exists()
        )

    def test_only_the_receiving_organisation_answers_and_only_in_order(self) -> None:
        referral = self.refer()
        with self.assertRaises(PermissionDenied):
            services.referral_accept(actor=self.caseworker, referral=referral)
        with self.assertRaisesMessage(ValidationError, "cannot change"):
            services.referral_complete(actor=self.b_caseworker, referral=referral, outcome="Seen.")
        services.referral_accept(actor=self.b_caseworker, referral=referral, note="Come on Monday.")
        with self.assertRaises(ValidationError):
            services.referral_decline(actor=self.b_caseworker, referral=referral, reason="Changed our mind.")
        with self.assertRaisesMessage(ValidationError, "outcome"):
            services.referral_complete(actor=self.b_caseworker, referral=referral, outcome=" ")
        services.referral_complete(
            actor=self.b_caseworker, referral=referral, outcome="Treated; no lasting harm."
        )
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.COMPLETED)
        self.assertEqual(
            list(referral.events.values_list("kind", flat=True)), ["sent", "accepted", "completed"]
        )
        self.assertEqual(
            set(
                Notification.objects.filter(recipient=self.a[Role.CASEWORKER]).values_list("title", flat=True)
            ),
            {f"Referral {referral.number} accepted", f"Referral {referral.number} completed"},
        )

    def test_the_police_unit_records_its_reference_number_and_the_outcome(self) -> None:
        referral = self.refer(provider=self.police, service="police")
        services.referral_accept(actor=self.b_caseworker, referral=referral)
        with self.assertRaisesMessage(ValidationError, "reference number"):
            services.referral_complete(actor=self.b_caseworker, referral=referral, outcome="FIR registered.")
        services.referral_complete(
            actor=self.b_caseworker,
            referral=referral,
            outcome="FIR registered; two suspects arrested.",
            reference="ATU/ISB/2006/0112",
        )
        referral.refresh_from_db()
        self.assertEqual(referral.receiver_reference, "ATU/ISB/2006/0112")
        self.assertEqual(
            list(referral.events.values_list("kind", "note")),
            [
                ("sent", ""),
                ("accepted", ""),
                ("reference", "ATU/ISB/2006/0112"),
                ("completed", "FIR registered; two suspects arrested."),
            ],
        )

    def test_an_accepted_referral_opens_a_case_at_the_receiver_from_the_shared_parts_once(self) -> None:
        referral = self.refer(shared_parts=["name_age", "phone", "support_needed"])
        with self.assertRaises(ValidationError):  # not accepted yet
            services.referral_open_case(actor=self.b_caseworker, referral=referral)
        services.referral_accept(actor=self.b_caseworker, referral=referral)
        case = services.referral_open_case(actor=self.b_caseworker, referral=referral)
        self.assertEqual(
            (case.organisation, case.origin, case.origin_uuid),
            (self.org_b, "incoming_referral", referral.uuid),
        )
        person = case.person
        self.assertNotEqual(person.pk, self.person.pk)
        self.assertEqual(
            (person.organisation, person.full_name, person.age), (self.org_b, "Nasreen Bibi", 32)
        )
        self.assertEqual(person.phone, "+923001234567")
        self.assertEqual(list(person.consents.values_list("purpose", flat=True)), ["registration"])
        self.assertEqual(case.summary, "Medical check after an injury in the quake.")
        with self.assertRaisesMessage(ValidationError, "already"):
            services.referral_open_case(actor=self.b_caseworker, referral=referral)
        self.assertIn("case_opened", referral.events.values_list("kind", flat=True))

    def test_without_the_name_shared_the_receiver_registers_the_person_themselves(self) -> None:
        referral = self.refer(shared_parts=["support_needed"])
        services.referral_accept(actor=self.b_caseworker, referral=referral)
        with self.assertRaisesMessage(ValidationError, "does not share the person's name"):
            services.referral_open_case(actor=self.b_caseworker, referral=referral)


class SnapshotTests(ReferralTestCase):
    def test_the_snapshot_holds_exactly_the_chosen_parts_encrypted_at_rest(self) -> None:
        self.consent()
        referral = self.refer(shared_parts=["name_age", "support_needed"])
        self.assertEqual(set(referral.snapshot), {"name_age", "support_needed", "consent"})
        self.assertEqual(referral.snapshot["name_age"]["first_name"], "Nasreen")
        stored = Referral.objects.values_list("snapshot_encrypted", flat=True).get()
        self.assertNotIn("Nasreen", stored)
        self.assertNotIn("injury", stored)

    def test_a_later_change_at_the_sender_does_not_reach_the_receiver(self) -> None:
        self.consent()
        referral = self.refer(shared_parts=["name_age", "phone"])
        people.person_update(
            actor=self.caseworker, person=self.person, phone="0333-7654321", first_name="Nasrin"
        )
        referral.refresh_from_db()
        self.assertEqual(referral.snapshot["phone"], "+923001234567")
        self.assertEqual(referral.snapshot["name_age"]["first_name"], "Nasreen")

    def test_the_screening_summary_carries_the_result_and_red_flags_never_the_answers(self) -> None:
        from hifazat.screening import indicators
        from hifazat.screening import services as screening
        from hifazat.screening.testing import answers_for

        self.consent("screening")
        self.consent()
        catalogue = indicators.current_catalogue()
        screening.screening_record(
            actor=self.caseworker,
            person=self.person,
            answers=answers_for(catalogue, subject_is_child=False, lure_offer_work="yes"),
        )
        referral = self.refer(shared_parts=["screening"])
        summary = referral.snapshot["screening"]
        self.assertEqual(summary["band"], "urgent")
        self.assertTrue(summary["red_flags"])
        self.assertEqual(set(summary), {"screened_on", "band", "score", "red_flags"})


class OverdueTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()
        self.referral = self.refer(urgency="urgent", sent_at=timezone.now() - datetime.timedelta(days=3))
        self.on_time = self.refer(urgency="routine")

    def overdue_notices(self):
        return Notification.objects.filter(kind="referral.overdue").order_by("recipient__username")

    def test_overdue_referrals_are_marked_once_and_both_sides_told(self) -> None:
        self.assertTrue(self.referral.is_overdue)
        self.assertEqual(services.referrals_mark_overdue(), 1)
        self.assertEqual(
            list(self.overdue_notices().values_list("recipient__username", "title")),
            [
                ("a-caseworker", f"Referral {self.referral.number} is overdue"),
                ("b-supervisor", f"Referral {self.referral.number} is overdue"),
            ],
        )
        self.referral.refresh_from_db()
        self.assertIsNotNone(self.referral.overdue_since)
        # Again, by the command and by the task: nobody is told twice.
        out = io.StringIO()
        call_command("referrals_check_overdue", stdout=out)
        self.assertIn("0 referrals", out.getvalue())
        self.assertEqual(referrals_check_overdue.enqueue().return_value, 0)
        self.assertEqual(self.overdue_notices().count(), 2)
        self.assertEqual(self.referral.events.filter(kind=ReferralEvent.Kind.OVERDUE).count(), 1)
        self.on_time.refresh_from_db()
        self.assertIsNone(self.on_time.overdue_since)

    def test_an_answered_referral_is_not_overdue(self) -> None:
        services.referral_accept(actor=self.b_caseworker, referral=self.referral)
        self.assertEqual(services.referrals_mark_overdue(), 0)
        self.assertFalse(self.overdue_notices().exists())

    def test_the_work_lists_show_the_overdue_referral_to_both_sides(self) -> None:
        services.referrals_mark_overdue()
        with translation.override("en"):
            incoming = {s.key: s for s in worklist_for(self.b_caseworker)}["incoming_referrals"]
        self.assertEqual(incoming.total, 2)
        first = incoming.items[0]
        self.assertTrue(first.overdue)
        self.assertIn("Overdue", first.detail)
        self.assertIn(self.referral.number, first.label)
        self.assertNotIn("Nasreen", f"{first.label} {first.detail}")
        waiting = {s.key: s for s in worklist_for(self.caseworker)}["referrals_awaiting_response"]
        self.assertEqual(
            [i.label.split(" ")[0] for i in waiting.items], [self.referral.number, self.on_time.number]
        )
        self.assertNotIn("incoming_referrals", {s.key for s in worklist_for(self.caseworker)})
        self.assertEqual(worklist_for(self.actor(self.a[Role.ANALYST])), [])


class ScopingTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()
        self.referral = self.refer()
        self.org_c = make_organisation("Organisation C")
        self.c_supervisor = self.actor(make_user(self.org_c, Role.SUPERVISOR, "c-supervisor"))

    def test_an_uninvolved_organisation_sees_nothing(self) -> None:
        self.assertFalse(referrals_visible_to(self.c_supervisor).exists())
        self.assertFalse(incoming_referrals(self.c_supervisor).exists())

    def test_the_sender_sees_it_as_outgoing_and_the_receiver_as_incoming(self) -> None:
        self.assertEqual(list(outgoing_referrals(self.caseworker)), [self.referral])
        self.assertFalse(incoming_referrals(self.caseworker).exists())
        self.assertEqual(list(incoming_referrals(self.b_caseworker)), [self.referral])
        self.assertFalse(outgoing_referrals(self.b_supervisor).exists())

    def test_a_caseworker_sees_their_own_cases_referrals_a_supervisor_all_of_them(self) -> None:
        other = self.actor(make_user(self.org_a, Role.CASEWORKER, "a-other-caseworker"))
        self.assertFalse(referrals_visible_to(other).exists())
        self.assertEqual(list(referrals_visible_to(self.supervisor)), [self.referral])

    def test_the_receiver_never_sees_a_referral_before_it_is_sent_or_after_approval_is_refused(self) -> None:
        waiting = self.refer(is_transfer=True)
        self.assertNotIn(waiting, referrals_visible_to(self.b_supervisor))
        Referral.objects.filter(pk=waiting.pk).update(status=ReferralStatus.CANCELLED)
        self.assertNotIn(waiting, referrals_visible_to(self.b_supervisor))
        self.assertIn(waiting, referrals_visible_to(self.supervisor))


class ApprovalTests(ReferralTestCase):
    """A caseworker's override request and transfers go through the cases part's supervisor approvals."""

    def approval(self, referral):
        from hifazat.cases.models import Approval

        return Approval.objects.get(target_uuid=referral.uuid)

    def decide(self, referral, *, approved: bool, note: str = ""):
        from hifazat.cases.services import approval_decide

        return approval_decide(
            actor=self.supervisor, approval=self.approval(referral), approved=approved, note=note
        )

    def test_a_supervisor_approves_an_override_with_a_written_reason_and_it_is_sent(self) -> None:
        referral = self.refer(override_reason="She is in hospital and cannot sign; the doctor asked for us.")
        approval = self.approval(referral)
        self.assertEqual((approval.kind, approval.case), ("referral.consent_override", self.case))
        self.assertTrue(
            Notification.objects.filter(recipient=self.a[Role.SUPERVISOR], kind="approval.requested").exists()
        )
        with self.assertRaisesMessage(ValidationError, "reason for sending without"):
            self.decide(referral, approved=True)
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.AWAITING_APPROVAL)  # the refused handler undid it
        self.decide(referral, approved=True, note="Urgent medical need; she asked for help before fainting.")
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.SENT)
        self.assertTrue(referral.consent_override)
        self.assertEqual(referral.override_by, self.a[Role.SUPERVISOR])
        entry = AuditEntry.objects.get(
            object_uuid=referral.uuid, action="update", user=self.a[Role.SUPERVISOR]
        )
        self.assertEqual((entry.detail["approved"], entry.detail["consent_override"]), (True, True))
        self.assertEqual(
            list(referral.events.values_list("kind", "sender_only")),
            [("approval_requested", True), ("approved", True), ("sent", False)],
        )
        self.assertIn(referral, incoming_referrals(self.b_caseworker))
        self.assertTrue(
            Notification.objects.filter(recipient=self.a[Role.CASEWORKER], kind="referral.approved").exists()
        )

    def test_a_refused_request_is_not_sent_and_the_caseworker_is_told(self) -> None:
        referral = self.refer(override_reason="She cannot sign today.")
        self.decide(referral, approved=False, note="Ask her again tomorrow; it is not urgent.")
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.CANCELLED)
        self.assertFalse(incoming_referrals(self.b_supervisor).exists())
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.a[Role.CASEWORKER], title=f"Referral {referral.number} was not approved"
            ).exists()
        )

    def test_consent_recorded_meanwhile_makes_the_override_unnecessary(self) -> None:
        referral = self.refer(override_reason="She cannot sign today.")
        self.consent()
        self.decide(referral, approved=True)
        referral.refresh_from_db()
        self.assertEqual((referral.status, referral.consent_override), (ReferralStatus.SENT, False))

    def test_an_approved_transfer_accepted_by_the_receiver_closes_the_case_as_referred(self) -> None:
        self.consent()
        referral = self.refer(is_transfer=True, reason="MigrationOrChangeOfLocation")
        self.assertEqual(self.approval(referral).kind, "referral.transfer")
        self.decide(referral, approved=True)
        referral.refresh_from_db()
        self.assertEqual(
            (referral.status, referral.approved_by), (ReferralStatus.SENT, self.a[Role.SUPERVISOR])
        )
        self.case.refresh_from_db()
        self.assertTrue(self.case.is_open)
        services.referral_accept(actor=self.b_supervisor, referral=referral)
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "ClosedReferred")
        self.assertIn(referral.number, self.case.reason_for_closure)
        self.assertIn("case_transferred", referral.events.values_list("kind", flat=True))
        with self.assertRaisesMessage(ValidationError, "closed"):
            self.refer()

    def test_a_declined_transfer_leaves_the_case_open(self) -> None:
        self.consent()
        referral = self.refer(actor=self.supervisor, is_transfer=True)
        services.referral_decline(
            actor=self.b_supervisor, referral=referral, reason="We have no caseworker in Islamabad."
        )
        self.case.refresh_from_db()
        self.assertTrue(self.case.is_open)
