"""Sign-in protection: lockout, two-factor login, session limits, password policy."""

from __future__ import annotations

import re
import time

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hifazat.accounts import services
from hifazat.accounts.middleware import LOGIN_AT_KEY
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase

PASSWORD = "tent-village-chattar-plain"


class LoginTests(HifazatTestCase):
    def setUp(self) -> None:
        self.caseworker = self.a[Role.CASEWORKER]
        self.caseworker.set_password(PASSWORD)
        self.caseworker.save()

    def sign_in(self, password: str, ip: str = "10.1.1.1", username: str | None = None):
        return Client(REMOTE_ADDR=ip).post(
            "/accounts/login/", {"username": username or self.caseworker.username, "password": password}
        )

    def test_wrong_password_is_refused_and_audited_without_the_username(self) -> None:
        response = self.sign_in("wrong-password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "do not match")
        entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
        self.assertEqual(entry.ip, "10.1.1.1")
        self.assertIsNone(entry.user)
        self.assertNotIn(self.caseworker.username, str(entry.detail))

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_username_from_that_address(self) -> None:
        for _ in range(3):
            self.sign_in("wrong-password")
        locked = self.sign_in(PASSWORD)
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Too many failed sign-ins", status_code=429)
        # The right password from another address still works: one user's lockout does not shut an office out.
        other = self.sign_in(PASSWORD, ip="10.9.9.9")
        self.assertEqual(other.status_code, 302)

    @override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=45 / 60)
    def test_the_lockout_page_says_for_how_long_in_english_and_urdu(self) -> None:
        for _ in range(2):
            self.sign_in("wrong-password")
        locked = self.sign_in(PASSWORD)
        self.assertContains(locked, "Try again in 45 minutes", status_code=429)
        urdu = Client(REMOTE_ADDR="10.1.1.1", HTTP_ACCEPT_LANGUAGE="ur").post(
            "/accounts/login/", {"username": self.caseworker.username, "password": PASSWORD}
        )
        self.assertContains(urdu, "45 منٹ بعد دوبارہ کوشش کریں", status_code=429)

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_the_lockout_page_is_the_same_whether_or_not_the_username_exists(self) -> None:
        pages = []
        for username in (self.caseworker.username, "nobody-by-this-name"):
            for _ in range(2):
                self.sign_in("wrong-password", username=username)
            locked = self.sign_in("wrong-password", username=username)
            self.assertEqual(locked.status_code, 429)
            self.assertNotContains(locked, username, status_code=429)
            pages.append(locked.content.decode())
        self.assertIn("Try again in 30 minutes", pages[0])  # HIFAZAT_LOCKOUT_MINUTES's default
        self.assertEqual(_without_csrf(pages[0]), _without_csrf(pages[1]))

    def test_correct_password_signs_in_and_is_audited(self) -> None:
        response = self.sign_in(PASSWORD)
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
        self.assertEqual(
            (entry.user, entry.organisation, entry.role), (self.caseworker, self.org_a, "caseworker")
        )


def _without_csrf(page: str) -> str:
    """The page without its per-request tokens (CSRF token, script nonce)."""
    return re.sub(r'"[A-Za-z0-9+/=_-]{20,}"', '""', page)


class TwoFactorLoginAuditTests(HifazatTestCase):
    """For a role that requires two-factor login, the audit says "logged in" only once the second factor passed."""

    def setUp(self) -> None:
        self.admin.set_password(PASSWORD)
        self.admin.save()
        self.client = Client(REMOTE_ADDR="10.2.2.2")

    def sign_in_with_password(self):
        response = self.client.post(
            "/accounts/login/", {"username": self.admin.username, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        return response

    def code_for(self, device: TOTPDevice) -> str:
        return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"

    def test_a_password_without_the_second_factor_leaves_no_login_entry(self) -> None:
        TOTPDevice.objects.create(user=self.admin, confirmed=True)
        self.sign_in_with_password()
        self.assertEqual(self.client.get("/users/").status_code, 302)  # still owes the second factor
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists())
        pending = AuditEntry.objects.get(action=AuditEntry.Action.TWO_FACTOR, user=self.admin)
        self.assertEqual(pending.detail, {"step": "password", "second_factor": "pending"})
        self.assertEqual(pending.ip, "10.2.2.2")

    def test_a_wrong_code_leaves_no_login_entry(self) -> None:
        TOTPDevice.objects.create(user=self.admin, confirmed=True)
        self.sign_in_with_password()
        self.client.post("/accounts/two-factor/", {"token": "000000"})
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists())

    def test_login_is_recorded_when_the_second_factor_is_verified(self) -> None:
        device = TOTPDevice.objects.create(user=self.admin, confirmed=True)
        self.sign_in_with_password()
        response = self.client.post("/accounts/two-factor/", {"token": self.code_for(device)})
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
        self.assertEqual(
            (entry.user, entry.organisation, entry.role, entry.ip, entry.detail),
            (self.admin, self.org_a, "administrator", "10.2.2.2", {"second_factor": "verified"}),
        )
        pending = AuditEntry.objects.get(action=AuditEntry.Action.TWO_FACTOR, detail__step="password")
        self.assertLess(pending.id, entry.id)

    def test_login_is_recorded_when_a_first_authenticator_is_enrolled(self) -> None:
        self.sign_in_with_password()
        self.client.get("/accounts/two-factor/")
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists())
        device = TOTPDevice.objects.get(user=self.admin, confirmed=False)
        self.client.post("/accounts/two-factor/", {"token": self.code_for(device)})
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, user=self.admin).count(), 1
        )

    def test_a_user_without_two_factor_is_logged_in_at_the_password_step_only_once(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        caseworker.set_password(PASSWORD)
        caseworker.save()
        client = Client()
        client.post("/accounts/login/", {"username": caseworker.username, "password": PASSWORD})
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, user=caseworker).count(), 1
        )
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.TWO_FACTOR).exists())
        # Enrolling an authenticator of their own free will later is not a second sign-in.
        client.get("/accounts/two-factor/")
        device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
        client.post("/accounts/two-factor/", {"token": self.code_for(device)})
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, user=caseworker).count(), 1
        )


class TwoFactorTests(HifazatTestCase):
    def test_administrator_without_second_factor_reaches_only_the_two_factor_page(self) -> None:
        client = self.client_for(self.admin, verified=False)
        response = client.get("/users/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/two-factor/"))
        # The API, through the same session, refuses too.
        self.assertEqual(client.get("/api/v1/sites/").status_code, 403)  # signed in, but not verified

    def test_administrator_enrols_an_authenticator_and_then_gets_in(self) -> None:
        client = self.client_for(self.admin, verified=False)
        page = client.get("/accounts/two-factor/")
        self.assertContains(page, "<svg")  # the QR code to scan
        device = TOTPDevice.objects.get(user=self.admin, confirmed=False)
        wrong = client.post("/accounts/two-factor/", {"token": "000000"})
        self.assertContains(wrong, "not right")
        device.refresh_from_db()
        self.assertEqual(device.throttling_failure_count, 1)  # django-otp slows down guessing
        device.throttle_reset()  # as if the user waited out the delay
        code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
        response = client.post("/accounts/two-factor/", {"token": f"{code:06d}"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(client.get("/users/").status_code, 200)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertTrue(
            AuditEntry.objects.filter(action="two_factor", detail__step="enrol", detail__ok=True).exists()
        )

    def test_supervisor_is_held_to_two_factor_and_caseworker_is_not(self) -> None:
        supervisor = self.client_for(self.a[Role.SUPERVISOR], verified=False)
        self.assertEqual(supervisor.get("/sites/").status_code, 302)
        caseworker = self.client_for(self.a[Role.CASEWORKER], verified=False)
        self.assertEqual(caseworker.get("/sites/").status_code, 200)

    @override_settings(TWO_FACTOR_ROLES=["administrator", "supervisor", "caseworker"])
    def test_more_roles_can_be_required_to_use_two_factor(self) -> None:
        caseworker = self.client_for(self.a[Role.CASEWORKER], verified=False)
        self.assertEqual(caseworker.get("/sites/").status_code, 302)

    def test_administrator_resets_a_lost_authenticator(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        TOTPDevice.objects.create(user=caseworker, confirmed=True)
        response = self.client_for(self.admin).post(f"/users/{caseworker.uuid}/reset-two-factor/")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=caseworker).exists())


class SessionLimitTests(HifazatTestCase):
    @override_settings(SESSION_ABSOLUTE_SECONDS=3600)
    def test_a_session_ends_after_the_absolute_limit_whatever_the_activity(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        self.assertEqual(client.get("/sites/").status_code, 200)
        session = client.session
        session[LOGIN_AT_KEY] = time.time() - 3601
        session.save()
        response = client.get("/sites/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_idle_limit_is_the_cookie_age_renewed_on_each_request(self) -> None:
        from django.conf import settings

        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)
        self.assertEqual(settings.SESSION_COOKIE_AGE, settings.SESSION_IDLE_SECONDS)


class PasswordPolicyTests(HifazatTestCase):
    def test_short_and_common_passwords_are_refused(self) -> None:
        with self.assertRaises(ValidationError):
            validate_password("short1!")
        with self.assertRaises(ValidationError):
            validate_password("password1234")  # on the common-passwords list
        validate_password("monsoon-tent-village-7")

    def test_user_create_refuses_a_weak_password_and_writes_nothing(self) -> None:
        with self.assertRaises(ValidationError):
            services.user_create(
                actor=self.actor(self.admin),
                organisation=self.org_a,
                role=Role.CASEWORKER,
                username="new-worker",
                password="12345678",
            )
        self.assertFalse(self.org_a.memberships.filter(user__username="new-worker").exists())
