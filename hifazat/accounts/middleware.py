"""Per-request account checks: session limits, the acting membership, and two-factor login."""

from __future__ import annotations

import time
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hifazat.core.audit import Actor

LOGIN_AT_KEY = "hifazat_login_at"

# Paths a user who still owes their second factor may reach.
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


class SessionLimitMiddleware:
    """Ends a session after ``HIFAZAT_SESSION_MAX_HOURS`` whatever the activity. The idle limit is the session
    cookie's age, renewed on every request (``SESSION_SAVE_EVERY_REQUEST``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class MembershipMiddleware:
    """Sets ``request.actor``: the signed-in user as a member of their organisation, with their address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = get_client_ip_address(request)
        request.actor = (
            Actor.for_user(request.user, ip=request.client_ip) if request.user.is_authenticated else None
        )
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A user whose role needs a second factor reaches nothing but the sign-in pages until they have given it.

    Enrolment comes first for a user with no confirmed authenticator. The API's session authentication is held
    to the same rule by ``hifazat.api.permissions``; API tokens are issued only to verified sessions.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.requires_two_factor()
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return self.get_response(request)  # the API permission answers 403 in the API's own format
            return redirect_to_login(request.get_full_path(), login_url="accounts:two_factor")
        return self.get_response(request)
