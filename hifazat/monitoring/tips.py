"""Protection of the public tip form against floods and robots, without knowing anything about the sender.

No address, cookie-based identity or fingerprint is read or kept. Instead:

- every form carries a **signed, time-stamped token** (a random nonce and the time it was handed out, signed with
  the secret key): a tip needs a token this server issued, at least ``MIN_FILL_SECONDS`` and at most
  ``MAX_AGE_SECONDS`` old (a robot posting at once, or replaying an old form, is refused);
- each token has a **budget** in the cache: a few attempts, and one accepted tip;
- the whole form has a **global budget** per ten minutes (``HIFAZAT_TIP_BUDGET``, 60 by default), whoever sends;
- a **honeypot** field that people do not see and robots fill in.

The cache keys name only a hash of the token's nonce and the time window. With several web processes the cache
must be shared (the scale-out's Redis cache) for the budgets to hold across them.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "hifazat.monitoring.tip-form"
MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 3 * 3600
ATTEMPTS_PER_TOKEN = 5
WINDOW_SECONDS = 600


class TipRefused(Exception):
    """Why a tip was not taken: ``reason`` is a code (``token``, ``too_fast``, ``used``, ``busy``, ``honeypot``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def issue_token(now: float | None = None) -> str:
    return signing.dumps({"n": secrets.token_urlsafe(16), "t": int(now or time.time())}, salt=SALT)


def _nonce_key(nonce: str, what: str) -> str:
    return f"monitoring:tip:{what}:{hashlib.sha256(nonce.encode()).hexdigest()[:32]}"


def _global_key(now: float) -> str:
    return f"monitoring:tip:window:{int(now // WINDOW_SECONDS)}"


def _budget() -> int:
    return int(getattr(settings, "HIFAZAT_TIP_BUDGET", 60))


def check(token: str, *, honeypot: str = "", now: float | None = None) -> str:
    """The token's nonce if a tip with it may be taken now; otherwise ``TipRefused``. Counts the attempt."""
    now = now or time.time()
    if honeypot:
        raise TipRefused("honeypot")
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
        nonce, issued = str(data["n"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TipRefused("token") from None
    if now - issued < MIN_FILL_SECONDS:
        raise TipRefused("too_fast")
    if now - issued > MAX_AGE_SECONDS:
        raise TipRefused("token")
    attempts = _nonce_key(nonce, "attempts")
    cache.add(attempts, 0, MAX_AGE_SECONDS)
    if cache.incr(attempts) > ATTEMPTS_PER_TOKEN or cache.get(_nonce_key(nonce, "used")):
        raise TipRefused("used")
    if (cache.get(_global_key(now)) or 0) >= _budget():
        raise TipRefused("busy")
    return nonce


def accepted(nonce: str, now: float | None = None) -> None:
    """Spend the token and one unit of the global budget: call once the tip is stored."""
    now = now or time.time()
    cache.set(_nonce_key(nonce, "used"), 1, MAX_AGE_SECONDS)
    window = _global_key(now)
    cache.add(window, 0, WINDOW_SECONDS * 2)
    cache.incr(window)
