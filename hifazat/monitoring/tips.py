"""Protection of the public tip form against floods and robots, without knowing anything about the sender.

No address, cookie or fingerprint is read or kept, and the form needs no cookie at all (it is exempt from Django's
cookie-based CSRF check: the page sends no referrer, so a browser posts it with ``Origin: null``). Instead:

- every form carries a **signed, time-stamped token** (a random nonce, the time it was handed out and the proof of
  work it asks for, signed with the secret key): a tip needs a token this server issued, at least
  ``MIN_FILL_SECONDS`` and at most ``MAX_AGE_SECONDS`` old, so a robot posting at once or an old form is refused;
  the token is **spent** by the tip it brings (``claim``), and has a few attempts for corrections;
- a **proof of work**: the page's script (``static/monitoring/tip.js``) finds a ``work`` such that
  ``sha256(token + work)`` starts with ``HIFAZAT_TIP_WORK_BITS`` zero bits (14 by default: a fraction of a second
  on a cheap phone); a script sending thousands of tips pays for each;
- a **budget per site** per ten minutes (``HIFAZAT_TIP_BUDGET``, 60 by default), and one for the tips that name no
  site: a flood about one camp cannot silence the others. When a budget runs out the network's focal points and
  supervisors are told once for that window (an in-app notification);
- a **honeypot** field that people do not see and robots fill in.

The cache keys name only a hash of the token's nonce, a site's internal id and the time window. With several web
processes the cache must be shared (the scale-out's Redis cache) for the budgets to hold across them.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hifazat.monitoring import rules, services
from hifazat.notifications.services import notify

SALT = "hifazat.monitoring.tip-form"
MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 3 * 3600
ATTEMPTS_PER_TOKEN = 5
WINDOW_SECONDS = 600
MAX_WORK_LENGTH = 32
NO_SITE = "none"


class TipRefused(Exception):
    """Why a tip was not taken: ``reason`` is a code (``token``, ``too_fast``, ``work``, ``used``, ``busy``,
    ``honeypot``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def work_bits() -> int:
    """How many leading zero bits the proof of work needs (0 to 24)."""
    return settings.HIFAZAT_TIP_WORK_BITS


def issue_token(now: float | None = None, bits: int | None = None) -> str:
    return signing.dumps(
        {
            "n": secrets.token_urlsafe(16),
            "t": int(now or time.time()),
            "w": work_bits() if bits is None else bits,
        },
        salt=SALT,
    )


def has_work(token: str, work: str, bits: int) -> bool:
    """Whether ``sha256(token + work)`` starts with ``bits`` zero bits (``work`` a short string of digits)."""
    if not work or len(work) > MAX_WORK_LENGTH or not (work.isascii() and work.isdigit()):
        return False
    digest = hashlib.sha256((token + work).encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0


def solve(token: str, bits: int | None = None) -> str:
    """The work for ``token``, as the page's script finds it (tests, benchmarks and the demo use this)."""
    if bits is None:
        bits = int(signing.loads(token, salt=SALT)["w"])
    return next(str(n) for n in itertools.count() if has_work(token, str(n), bits))


def _nonce_key(nonce: str, what: str) -> str:
    return f"monitoring:tip:{what}:{hashlib.sha256(nonce.encode()).hexdigest()[:32]}"


def _window(now: float) -> int:
    return int(now // WINDOW_SECONDS)


def _budget_key(bucket: str, window: int, what: str = "count") -> str:
    return f"monitoring:tip:{what}:{bucket}:{window}"


def _budget() -> int:
    return settings.HIFAZAT_TIP_BUDGET


def bucket_for(site) -> str:
    """The budget a tip counts against: its site's, or the one shared by tips that name no site."""
    return f"site{site.pk}" if site is not None else NO_SITE


def check(token: str, work: str = "", *, honeypot: str = "", now: float | None = None) -> str:
    """The token's nonce if a tip with it may be considered now; otherwise ``TipRefused``. Counts the attempt."""
    now = now or time.time()
    if honeypot:
        raise TipRefused("honeypot")
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
        nonce, issued, bits = str(data["n"]), int(data["t"]), int(data["w"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TipRefused("token") from None
    if now - issued < MIN_FILL_SECONDS:
        raise TipRefused("too_fast")
    if now - issued > MAX_AGE_SECONDS:
        raise TipRefused("token")
    if not has_work(token, work, bits):
        raise TipRefused("work")
    attempts = _nonce_key(nonce, "attempts")
    cache.add(attempts, 0, MAX_AGE_SECONDS)
    if cache.incr(attempts) > ATTEMPTS_PER_TOKEN or cache.get(_nonce_key(nonce, "used")):
        raise TipRefused("used")
    return nonce


def claim(nonce: str, site, now: float | None = None) -> None:
    """Spend the token and one unit of the site's budget, just before the tip is stored; ``TipRefused`` if the
    token was spent already (also by a request racing this one) or the budget for this window is used up."""
    now = now or time.time()
    if not cache.add(_nonce_key(nonce, "used"), 1, MAX_AGE_SECONDS):
        raise TipRefused("used")
    window, bucket = _window(now), bucket_for(site)
    key = _budget_key(bucket, window)
    cache.add(key, 0, WINDOW_SECONDS * 2)
    if cache.incr(key) > _budget():
        # Once per site and window, however many tips are turned away.
        if cache.add(_budget_key(bucket, window, "told"), 1, WINDOW_SECONDS * 2):
            _tell_watchers(site, (window + 1) * WINDOW_SECONDS)
        raise TipRefused("busy")


def _tell_watchers(site, until: float) -> None:
    """An in-app notification to the host organisation's focal points and supervisors: the tip form is refusing
    tips for this site (or for tips naming no site) until the window ends. Codes and times only."""
    network = services.host_organisation()
    if network is None:
        return
    ends = timezone.localtime(datetime.datetime.fromtimestamp(until, tz=datetime.UTC))
    url = reverse("monitoring:report_list") + "?source=tip"
    # Written in the installation's language, not in the language of the tip that ran into the limit.
    with translation.override(settings.LANGUAGE_CODE):
        if site is not None:
            url += f"&site={site.uuid}"
            title = _(
                "The tip form's budget for site %(code)s is used up: its tips are turned away until %(time)s."
            ) % {"code": site.code, "time": ends.strftime("%H:%M")}
        else:
            title = _(
                "The tip form's budget for tips naming no site is used up: they are turned away until %(time)s."
            ) % {"time": ends.strftime("%H:%M")}
    notify(
        recipients=rules.network_watchers(network),
        kind="monitoring.tip_budget",
        title=title,
        url=url,
        organisation=network,
    )
