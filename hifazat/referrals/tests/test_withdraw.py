"""The sender withdraws a referral: who is refused, then the withdrawal (audited, the receiver told, the shared
parts erased), and what the receiver can no longer do with it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.notifications.models import Notification
from hifazat.referrals import services
from hifazat.referrals.models import Referral, ReferralEvent, ReferralStatus
from hifazat.referrals.tests.base import ReferralTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}
SUPPORT = "Medical check after an injury in the quake."
REASON = "She was admitted to the district hospital yesterday instead."
WITHOUT_SEND = (
    Role.ADMINISTRATOR,
    Role.MONITORING_FOCAL_POINT,
    Role.NETWORK_REPORTER,
    Role.CAMPAIGN_COORDINATOR,
    Role.LIVELIHOOD_OFFICER,
    Role.ANALYST,
    Role.DONOR_VIEWER,
)


class WithdrawTestCase(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()
        self.referral = self.refer(support_needed=SUPPORT)
        self.page = f"/referrals/{self.referral.uuid}/withdraw/"
        self.api = f"/api/v1/referrals/{self.referral.uuid}/withdraw/"

    def assert_still_sent(self) -> None:
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.SENT)
        self.assertEqual(self.referral.snapshot["support_needed"], SUPPORT)
        self.assertFalse(self.referral.events.filter(kind=ReferralEvent.Kind.WITHDRAWN).exists())


class WhoIsRefusedTests(WithdrawTestCase):
    def test_the_receiver_gets_404_on_the_page_and_the_api_and_is_refused_by_the_service(self) -> None:
        for role in (Role.CASEWORKER, Role.SUPERVISOR):
            client = self.client_for(self.b[role])
            self.assertEqual(client.post(self.page, {"reason": REASON}).status_code, 404, role)
            api = self.token_client(self.b[role])
            response = api.post(self.api, {"reason": REASON}, content_type="application/json")
            self.assertEqual(response.status_code, 404, role)
        with self.assertRaises(PermissionDenied):
            services.referral_withdraw(actor=self.b_supervisor, referral=self.referral, reason=REASON)
        self.assert_still_sent()

    def test_another_organisation_gets_404(self) -> None:
        org_c = make_organisation("Organisation C")
        user = make_user(org_c, Role.CASEWORKER, "c-caseworker")
        self.assertEqual(self.client_for(user).post(self.page, {"reason": REASON}).status_code, 404)
        response = self.token_client(user).post(self.api, {"reason": REASON}, content_type="application/json")
        self.assertEqual(response.status_code, 404)
        self.assert_still_sent()

    def test_a_caseworker_of_the_sender_who_cannot_see_the_case_gets_404(self) -> None:
        other = make_user(self.org_a, Role.CASEWORKER, "a-caseworker-2")
        self.assertEqual(self.client_for(other).post(self.page, {"reason": REASON}).status_code, 404)
        with self.assertRaises(PermissionDenied):
            services.referral_withdraw(actor=self.actor(other), referral=self.referral, reason=REASON)
        self.assert_still_sent()

    def test_roles_without_the_permission_to_send_are_refused(self) -> None:
        for role in WITHOUT_SEND:
            self.assertEqual(
                self.client_for(self.a[role]).post(self.page, {"reason": REASON}).status_code, 403
            )
            response = self.token_client(self.a[role]).post(
                self.api, {"reason": REASON}, content_type="application/json"
            )
            self.assertEqual(response.status_code, 403, role)
            with self.assertRaises(PermissionDenied):
                services.referral_withdraw(
                    actor=self.actor(self.a[role]), referral=self.referral, reason=REASON
                )
        self.assertEqual(self.client.post(self.page, {"reason": REASON}).status_code, 302)  # to sign in
        self.assert_still_sent()

    def test_a_withdrawal_without_a_reason_is_refused_on_the_page_the_api_and_the_service(self) -> None:
        response = self.client_for(self.a[Role.CASEWORKER]).post(self.page, {"reason": "  "})
        self.assertContains(response, "This field is required")
        api = self.token_client(self.a[Role.CASEWORKER])
        refused = api.post(self.api, {"reason": ""}, content_type="application/json")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("reason", refused.json())
        with self.assertRaises(ValidationError):
            services.referral_withdraw(actor=self.caseworker, referral=self.referral, reason=" ")
        self.assert_still_sent()


class WithdrawalTests(WithdrawTestCase):
    def test_the_sender_sees_the_form_and_the_receiver_does_not(self) -> None:
        url = f"/referrals/{self.referral.uuid}/"
        sender_page = self.client_for(self.a[Role.CASEWORKER]).get(url)
        self.assertContains(sender_page, self.page)
        self.assertContains(sender_page, 'name="version"')
        self.assertNotContains(self.client_for(self.b[Role.CASEWORKER]).get(url), self.page)

    def test_the_sender_withdraws_a_sent_referral_from_the_page_audited_and_the_receiver_told(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.post(self.page, {"reason": REASON, "version": self.referral.version}, **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Redirect"], f"/referrals/{self.referral.uuid}/")
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.WITHDRAWN)
        self.assertEqual(self.referral.withdraw_reason, REASON)
        self.assertIsNotNone(self.referral.withdrawn_at)
        self.assertEqual(self.referral.snapshot, {})  # the copy of what was shared is erased
        event = self.referral.events.get(kind=ReferralEvent.Kind.WITHDRAWN)
        self.assertEqual((event.by, event.note, event.sender_only), (self.a[Role.CASEWORKER], REASON, False))
        entry = AuditEntry.objects.get(object_uuid=self.referral.uuid, action="update")
        self.assertEqual(entry.detail["fields"], ["status", "withdraw_reason", "snapshot_encrypted"])
        self.assertNotIn(REASON, str(entry.detail))  # names, never values
        for role in (Role.SUPERVISOR, Role.CASEWORKER):
            self.assertTrue(
                Notification.objects.filter(recipient=self.b[role], kind="referral.withdrawn").exists(), role
            )
        self.assertContains(
            client.get(f"/referrals/{self.referral.uuid}/"), "the copy of what was shared is erased"
        )

    def test_the_receiver_cannot_accept_or_read_the_shared_parts_afterwards(self) -> None:
        services.referral_withdraw(actor=self.caseworker, referral=self.referral, reason=REASON)
        self.referral.refresh_from_db()
        receiver = self.client_for(self.b[Role.CASEWORKER])
        page = receiver.get(f"/referrals/{self.referral.uuid}/")
        self.assertContains(page, "The sender withdrew this referral")
        self.assertContains(page, REASON)
        self.assertNotContains(page, SUPPORT)
        self.assertNotContains(page, "Nasreen")
        self.assertNotContains(page, f"/referrals/{self.referral.uuid}/accept/")
        refused = receiver.post(
            f"/referrals/{self.referral.uuid}/accept/", {"version": self.referral.version}
        )
        self.assertContains(refused, "withdrawn: it cannot change so")
        api = self.token_client(self.b[Role.CASEWORKER])
        read = api.get(f"/api/v1/referrals/{self.referral.uuid}/").json()
        self.assertEqual((read["status"], read["shared"]), ("withdrawn", {}))
        answer = api.post(
            f"/api/v1/referrals/{self.referral.uuid}/respond/",
            {"action": "accept"},
            content_type="application/json",
        )
        self.assertEqual(answer.status_code, 400)
        with self.assertRaises(ValidationError):
            services.referral_accept(actor=self.b_caseworker, referral=self.referral)
        opened = receiver.get(f"/referrals/{self.referral.uuid}/open-case/")
        self.assertRedirects(opened, f"/referrals/{self.referral.uuid}/", fetch_redirect_response=False)
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.WITHDRAWN)
        self.assertIsNone(self.referral.responded_at)

    def test_an_accepted_referral_is_withdrawn_through_the_api_and_whoever_accepted_it_is_told(self) -> None:
        accepter = make_user(self.org_b, Role.CASEWORKER, "b-caseworker-2")
        self.referral = services.referral_accept(actor=self.actor(accepter), referral=self.referral)
        accepter.memberships.update(role=Role.ANALYST)  # no longer among those who answer referrals
        api = self.token_client(self.a[Role.SUPERVISOR])
        response = api.post(
            self.api, {"reason": REASON, "version": self.referral.version}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["status"], response.json()["shared"]), ("withdrawn", {}))
        self.assertTrue(Notification.objects.filter(recipient=accepter, kind="referral.withdrawn").exists())
        self.assertTrue(
            Notification.objects.filter(recipient=self.b[Role.SUPERVISOR], kind="referral.withdrawn").exists()
        )
        with self.assertRaises(ValidationError):
            services.referral_complete(actor=self.b_caseworker, referral=self.referral, outcome="Treated.")

    def test_finished_referrals_cannot_be_withdrawn(self) -> None:
        declined = self.refer()
        services.referral_decline(actor=self.b_caseworker, referral=declined, reason="Full this month.")
        completed = self.refer()
        services.referral_accept(actor=self.b_caseworker, referral=completed)
        services.referral_complete(actor=self.b_caseworker, referral=completed, outcome="Treated.")
        services.referral_withdraw(actor=self.caseworker, referral=self.referral, reason=REASON)
        for referral in (declined, completed, self.referral):
            with self.assertRaises(ValidationError):
                services.referral_withdraw(actor=self.caseworker, referral=referral, reason=REASON)
        self.assertEqual(ReferralEvent.objects.filter(kind=ReferralEvent.Kind.WITHDRAWN).count(), 1)

    def test_a_referral_awaiting_approval_and_an_accepted_transfer_cannot_be_withdrawn(self) -> None:
        waiting = self.refer(provider=self.police, service="police", is_transfer=True)
        self.assertEqual(waiting.status, ReferralStatus.AWAITING_APPROVAL)
        with self.assertRaisesMessage(ValidationError, "awaiting a supervisor's approval"):
            services.referral_withdraw(actor=self.caseworker, referral=waiting, reason=REASON)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, ReferralStatus.AWAITING_APPROVAL)
        Referral.objects.filter(pk=waiting.pk).update(status=ReferralStatus.CANCELLED)  # clear the way
        transfer = self.refer(actor=self.supervisor, provider=self.police, service="police", is_transfer=True)
        services.referral_accept(actor=self.b_caseworker, referral=transfer, reference="FIR 12")
        with self.assertRaisesMessage(ValidationError, "accepted this transfer"):
            services.referral_withdraw(actor=self.supervisor, referral=transfer, reason=REASON)
        transfer.refresh_from_db()
        self.assertEqual(transfer.status, ReferralStatus.ACCEPTED)
