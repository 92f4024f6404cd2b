"""API tokens: stored as a hash, shown once, ended by expiry, a password change or a second-factor reset, and
never a way around the second factor. The password change asks for the current password first."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hifazat.accounts import services
from hifazat.accounts.models import ApiToken
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase

PASSWORD = "tent-village-chattar-plain"
NEW_PASSWORD = "monsoon-river-neelum-bridge"


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


class TokenStorageTests(HifazatTestCase):
    def test_the_key_is_shown_once_and_only_its_hash_and_prefix_are_stored(self) -> None:
        user = self.a[Role.CASEWORKER]
        response = self.client_for(user).post("/profile/api-token/")
        key = response.context["token"]
        self.assertContains(response, key)
        token = ApiToken.objects.get(user=user)
        self.assertEqual(token.key_hash, hashlib.sha256(key.encode()).hexdigest())
        self.assertEqual(token.prefix, key[:8])
        stored = list(ApiToken.objects.values_list("prefix", "key_hash"))
        self.assertNotIn(key, str(stored))
        self.assertEqual(api(key).get("/api/v1/sites/").status_code, 200)
        # The profile page names the token by its prefix, never in full.
        profile = self.client_for(user).get("/profile/")
        self.assertContains(profile, key[:8])
        self.assertNotContains(profile, key)

    @override_settings(HIFAZAT_API_TOKEN_DAYS=7)
    def test_a_token_expires_after_the_configured_days_and_is_then_refused_with_401(self) -> None:
        user = self.a[Role.CASEWORKER]
        token, key = services.api_token_rotate(actor=self.actor(user), second_factor_passed=False)
        self.assertAlmostEqual(
            token.expires_at, timezone.now() + timedelta(days=7), delta=timedelta(minutes=1)
        )
        self.assertEqual(api(key).get("/api/v1/sites/").status_code, 200)
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save(update_fields=["expires_at"])
        refused = api(key).get("/api/v1/sites/")
        self.assertEqual(refused.status_code, 401)
        self.assertIn("expired", refused.json()["detail"])


class TokenSecondFactorTests(HifazatTestCase):
    def test_a_session_without_the_second_factor_is_not_issued_a_token(self) -> None:
        supervisor = self.a[Role.SUPERVISOR]
        with self.assertRaises(PermissionDenied):
            services.api_token_rotate(actor=self.actor(supervisor), second_factor_passed=False)
        response = self.client_for(supervisor, verified=False).post("/profile/api-token/")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ApiToken.objects.filter(user=supervisor).exists())
        # Verified, the same supervisor gets one.
        issued = self.client_for(supervisor).post("/profile/api-token/")
        self.assertEqual(issued.status_code, 200)
        self.assertEqual(api(issued.context["token"]).get("/api/v1/sites/").status_code, 200)

    def test_a_token_of_a_user_who_needs_two_factor_but_has_no_device_is_refused(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        _, key = services.api_token_rotate(actor=self.actor(caseworker), second_factor_passed=False)
        self.assertEqual(api(key).get("/api/v1/sites/").status_code, 200)
        with override_settings(TWO_FACTOR_ROLES=["administrator", "supervisor", "caseworker"]):
            self.assertEqual(api(key).get("/api/v1/sites/").status_code, 401)
            TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
            self.assertEqual(api(key).get("/api/v1/sites/").status_code, 200)


class PasswordChangeTests(HifazatTestCase):
    def setUp(self) -> None:
        self.user = self.a[Role.CASEWORKER]
        self.user.set_password(PASSWORD)
        self.user.save(update_fields=["password"])

    def change(self, old: str):
        return self.client_for(self.user).post(
            "/profile/",
            {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    def test_a_wrong_current_password_is_refused_and_changes_nothing(self) -> None:
        key = services.api_token_rotate(actor=self.actor(self.user), second_factor_passed=False)[1]
        response = self.change("not-my-password")
        self.assertEqual(response.status_code, 200)
        self.assertIn("old_password", response.context["form"].errors)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(PASSWORD))
        self.assertEqual(api(key).get("/api/v1/sites/").status_code, 200)

    def test_changing_ones_password_revokes_every_api_token(self) -> None:
        first = services.api_token_rotate(actor=self.actor(self.user), second_factor_passed=False)[1]
        second = self.token_client(self.user)
        response = self.change(PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))
        self.assertEqual(api(first).get("/api/v1/sites/").status_code, 401)
        self.assertEqual(second.get("/api/v1/sites/").status_code, 401)
        self.assertFalse(ApiToken.objects.filter(user=self.user).exists())
        entry = AuditEntry.objects.filter(object_uuid=self.user.uuid, action="update").latest("id")
        self.assertEqual((entry.detail["fields"], entry.detail["api_tokens_revoked"]), (["password"], 2))

    def test_an_administrator_resetting_a_password_revokes_the_users_tokens(self) -> None:
        client = self.token_client(self.user)
        services.user_set_password(actor=self.actor(self.admin), user=self.user, password=NEW_PASSWORD)
        self.assertEqual(client.get("/api/v1/sites/").status_code, 401)


class TwoFactorResetTests(HifazatTestCase):
    def test_a_reset_removes_authenticators_backup_codes_and_api_tokens(self) -> None:
        supervisor = self.a[Role.SUPERVISOR]
        TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
        backup = StaticDevice.objects.create(user=supervisor, name="backup codes", confirmed=True)
        StaticToken.objects.create(device=backup, token="12345678")
        client = self.token_client(supervisor)
        self.assertEqual(client.get("/api/v1/sites/").status_code, 200)
        response = self.client_for(self.admin).post(f"/users/{supervisor.uuid}/reset-two-factor/")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=supervisor).exists())
        self.assertFalse(StaticDevice.objects.filter(user=supervisor).exists())
        self.assertFalse(StaticToken.objects.filter(token="12345678").exists())
        self.assertIsNone(match_token(supervisor, "12345678"))
        self.assertEqual(client.get("/api/v1/sites/").status_code, 401)
        entry = AuditEntry.objects.filter(action="two_factor", detail__step="reset").get()
        self.assertEqual(entry.detail["api_tokens_revoked"], 1)
