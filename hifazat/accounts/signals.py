"""Sign-in, sign-out and failed sign-in go to the audit log. A failed attempt records the address, never the
username typed (it may be a password typed in the wrong box).

A user whose role requires two-factor login has not signed in when their password is accepted: that step is
recorded as a two-factor step with the second factor pending, and the LOGIN entry is written by
``accounts.views.two_factor`` once the second factor is verified, so the audit never says that someone signed in
who never passed it."""

import time

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hifazat.accounts.middleware import LOGIN_AT_KEY
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    ip = get_client_ip_address(request) if request is not None else None
    if request is not None:
        request.session[LOGIN_AT_KEY] = time.time()
    actor = Actor.for_user(user, ip=ip)
    if user.requires_two_factor():
        audit(actor, AuditEntry.Action.TWO_FACTOR, user, step="password", second_factor="pending")
    else:
        audit(actor, AuditEntry.Action.LOGIN, user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        ip = get_client_ip_address(request) if request is not None else None
        audit(Actor.for_user(user, ip=ip), AuditEntry.Action.LOGOUT, user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    ip = get_client_ip_address(request) if request is not None else None
    audit(None, AuditEntry.Action.LOGIN_FAILED, object_kind="accounts.user", ip=ip)
