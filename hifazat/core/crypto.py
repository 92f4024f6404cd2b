"""Encryption of identifying fields at rest, with a blind index for exact search.

A value (a phone number, an identity number) is stored twice: encrypted (Fernet: AES-128-CBC with HMAC-SHA256),
and as a keyed hash of its normalised form (HMAC-SHA256), which the database can index and compare but not read.
Exact search hashes the query the same way. The keys come from ``HIFAZAT_FIELD_KEYS`` (the first encrypts, all
decrypt, so keys can be rotated) and ``HIFAZAT_INDEX_KEY``; they are never stored in the database.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "HIFAZAT_FIELD_KEYS must be comma-separated Fernet keys (32 url-safe base64-encoded bytes each), "
            "for example from `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        ) from None


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "a stored value cannot be decrypted with HIFAZAT_FIELD_KEYS: is a key missing?"
        ) from None


def blind_index(kind: str, normalised: str) -> str:
    """A keyed hash of ``normalised`` for ``kind`` (phone, identity number). Empty for an empty value."""
    if not normalised:
        return ""
    key = hashlib.sha256(settings.FIELD_INDEX_KEY.encode() + b"\0" + kind.encode()).digest()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
