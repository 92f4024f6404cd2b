"""API tokens: issued once, stored as a hash, ended by expiry, a password change or a second-factor reset.

The key is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 of it is enough to make the stored
value useless to a reader of the database: there is nothing to guess from. The first characters are kept in the
clear so that a user can tell their tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from hifazat.accounts.models import ApiToken, User


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(user: User) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key, which is not stored anywhere: the caller shows it once. Services
    call this (``accounts.services.api_token_rotate``), and tests through ``core.testing.api_client``."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=timezone.now() + timedelta(days=settings.HIFAZAT_API_TOKEN_DAYS),
    )
    return token, key


def tokens_revoke(user: User) -> int:
    """Delete every API token of ``user``; the number deleted."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, checked against the stored hash. An unknown or expired token, an inactive
    user, and a user whose role needs a second factor but who has no confirmed device are refused with 401."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.expires_at <= timezone.now():
            raise AuthenticationFailed(_("This token has expired. Issue a new one on your account page."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if user.requires_two_factor() and not user_has_device(user, confirmed=True):
            raise AuthenticationFailed(
                _("Your role needs a second factor: sign in and set up your authenticator first.")
            )
        return user, token
