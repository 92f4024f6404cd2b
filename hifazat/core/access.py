"""Access helpers: turn a UUID from a URL into a record the user may see, or a 404.

An outsider gets the same 404 for a record outside their scope as for one that does not exist, so they cannot
learn that it exists. Views never call ``.objects.get(pk=...)`` on user input; they call ``get_visible_or_404``
with the model's ``*_visible_to`` queryset.
"""

from __future__ import annotations

import uuid as uuid_module
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from hifazat.core.audit import Actor, audit_read

M = TypeVar("M", bound=models.Model)


class ExplainedRefusal(PermissionDenied):
    """A refusal whose reason the user is told (``reason``), where a bare 403 would leave them guessing: the
    person's consent not in force (``people.services.ConsentRequired``). The API answers it 403 with the reason
    (``api.exceptions``); pages say it."""

    reason: str = ""


def get_visible_or_404(
    queryset: models.QuerySet[M],
    uuid: str | uuid_module.UUID,
    *,
    actor: Actor | None = None,
    audit: bool = False,
) -> M:
    """The record with ``uuid`` in ``queryset`` (already scoped to the user), or ``Http404``.

    With ``audit=True`` the read is written to the audit log: use it for a person's, a case's or a user's record.
    """
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
        obj = queryset.get(uuid=key)
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404 from None
    if audit:
        if actor is None:
            raise ValueError("an audited read needs the actor")
        audit_read(actor, obj)
    return obj


def require(actor: Actor | None, action: str) -> Actor:
    """The actor, if the permission matrix lets their role do ``action``; otherwise ``PermissionDenied`` (403).
    Views and services alike call it first."""
    if actor is None or not actor.can(action):
        raise PermissionDenied(f"role {getattr(actor, 'role', None)!r} may not {action}")
    return actor


def requires(action: str):
    """View decorator: sign-in required (redirect to it), then the permission matrix (403 when refused)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(getattr(request, "actor", None), action)
            return view(request, *args, **kwargs)

        wrapped.required_action = action  # read by the route-matrix test
        return wrapped

    return decorator
