"""Who may use the API: the same rules as the pages."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from hifazat.core.audit import Actor


def api_actor(request) -> Actor | None:
    """The actor of an API request. Token authentication happens in DRF, after the page middleware, so the
    actor is built here from the authenticated user."""
    cached = getattr(request, "_hifazat_actor", None)
    if cached is not None:
        return cached
    user = request.user
    if not user or not user.is_authenticated:
        return None
    actor = Actor.for_user(user, ip=get_client_ip_address(request._request))
    request._hifazat_actor = actor
    return actor


class IsMemberAndVerified(BasePermission):
    """Signed in, an active member whose role may use the API, and, where the role requires it, verified by a
    second factor in this session. Tokens are issued only in verified sessions (``accounts.services.api_token_rotate``)
    and refused while their user owes a second factor they have no device for (``accounts.tokens``)."""

    message = (
        "Sign in as an active member of an organisation; your role may need two-factor verification first."
    )

    def has_permission(self, request, view) -> bool:
        actor = api_actor(request)
        if actor is None or not actor.can("api.use"):
            return False
        if (
            isinstance(request.successful_authenticator, SessionAuthentication)
            and request.user.requires_two_factor()
        ):
            return request.user.is_verified()
        return True


class ActionPermission(BasePermission):
    """The view's ``required_actions``: a map from HTTP method to the permission-matrix action it needs."""

    def has_permission(self, request, view) -> bool:
        if request.method not in view.allowed_methods:
            return True  # the view answers 405 Method Not Allowed
        action = view.required_actions.get(request.method, view.required_actions.get("*"))
        actor = api_actor(request)
        return action is not None and actor is not None and actor.can(action)
