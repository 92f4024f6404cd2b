"""Writes to organisations, users and memberships. Each takes ``actor=``, runs in one transaction, validates
with ``full_clean`` and leaves one audit entry."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hifazat.accounts.models import ApiToken, Membership, Organisation, User
from hifazat.accounts.tokens import token_create, tokens_revoke
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role

A = AuditEntry.Action


@transaction.atomic
def organisation_create(
    *,
    actor: Actor | None,
    name: str,
    org_type: str,
    short_name: str = "",
    country: str = "PK",
    hosts_system: bool = False,
) -> Organisation:
    """Add an organisation. Only administrators of the hosting organisation may; ``actor=None`` is the
    bootstrap of an empty installation (the ``hifazat bootstrap`` command and the demo's first step)."""
    if actor is not None:
        require(actor, "organisations.manage")
        if not (actor.organisation and actor.organisation.hosts_system):
            raise PermissionDenied("only the hosting organisation's administrators add organisations")
    elif Organisation.objects.exists():
        raise PermissionDenied("an organisation can be added without an actor only to an empty installation")
    organisation = Organisation(
        name=name,
        org_type=org_type,
        short_name=short_name,
        country=country,
        hosts_system=hosts_system,
        created_by=actor.user if actor else None,
        modified_by=actor.user if actor else None,
    )
    organisation.full_clean()
    organisation.save()
    audit(actor, A.CREATE, organisation)
    return organisation


@transaction.atomic
def organisation_update(*, actor: Actor, organisation: Organisation, **data) -> Organisation:
    """Change an organisation's details: its own administrators, or the hosting organisation's."""
    require(actor, "organisations.manage")
    if organisation != actor.organisation and not (actor.organisation and actor.organisation.hosts_system):
        raise PermissionDenied("administrators change their own organisation only")
    allowed = {"name", "short_name", "org_type", "country", "is_active"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"fields that cannot be changed here: {sorted(unknown)}")
    changed = changed_fields(organisation, data)
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.modified_by = actor.user
    organisation.full_clean()
    organisation.save()
    audit(actor, A.UPDATE, organisation, fields=changed)
    return organisation


def _check_manages(actor: Actor, organisation: Organisation) -> None:
    """Administrators manage their own organisation's users. The hosting organisation's administrators also
    manage those of an organisation that has no administrator of its own (a donor with one viewer, say)."""
    require(actor, "users.manage")
    if actor.organisation == organisation:
        return
    if (
        actor.organisation is not None
        and actor.organisation.hosts_system
        and not organisation.memberships.filter(role=Role.ADMINISTRATOR, is_active=True).exists()
    ):
        return
    raise PermissionDenied("administrators manage the users of their own organisation")


@transaction.atomic
def user_create(
    *,
    actor: Actor | None,
    organisation: Organisation,
    role: str,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
) -> User:
    """Create a user with their membership. ``password=None`` leaves the account without a usable password
    (to be set by the user through a reset). ``actor=None`` only for the first administrator of an
    organisation created by bootstrap."""
    if actor is not None:
        _check_manages(actor, organisation)
    elif organisation.memberships.exists() or role != Role.ADMINISTRATOR:
        raise PermissionDenied("without an actor, only an organisation's first administrator can be created")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        created_by=actor.user if actor else None,
        modified_by=actor.user if actor else None,
    )
    membership.full_clean()
    membership.save()
    audit(actor, A.CREATE, user, role=role, organisation=str(organisation.uuid))
    return user


@transaction.atomic
def user_update(
    *, actor: Actor, user: User, role: str | None = None, is_active: bool | None = None, **data
) -> User:
    """Change a user's details, role or whether they may sign in. An administrator cannot lock themselves out
    (remove their own administrator role or deactivate themselves)."""
    membership = user.active_membership() or user.memberships.filter(organisation=actor.organisation).first()
    if membership is None:
        raise PermissionDenied("this user is not a member of your organisation")
    _check_manages(actor, membership.organisation)
    if user == actor.user and (is_active is False or (role is not None and role != Role.ADMINISTRATOR)):
        raise ValidationError("You cannot remove your own administrator role or deactivate yourself.")
    allowed = {"first_name", "last_name", "email", "phone", "preferred_language"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"fields that cannot be changed here: {sorted(unknown)}")
    changed = changed_fields(user, data)
    for field, value in data.items():
        setattr(user, field, value)
    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        membership.is_active = is_active
        changed.append("is_active")
    if role is not None and role != membership.role:
        membership.role = role
        changed.append("role")
    user.full_clean(exclude=["password"])
    user.save()
    membership.modified_by = actor.user
    membership.full_clean()
    membership.save()
    user.__dict__.pop("_active_membership", None)
    audit(actor, A.UPDATE, user, fields=sorted(changed))
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> User:
    """Set a password: the user's own, or one of their organisation's users by an administrator. Every API token
    of the user stops working: a token must not outlive the password of the session that issued it."""
    if user != actor.user:
        membership = user.active_membership()
        if membership is None:
            raise PermissionDenied("this user has no active membership")
        _check_manages(actor, membership.organisation)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoked = tokens_revoke(user)
    audit(actor, A.UPDATE, user, fields=["password"], api_tokens_revoked=revoked)
    return user


@transaction.atomic
def totp_device_start(*, actor: Actor) -> TOTPDevice:
    """A new, unconfirmed authenticator for the acting user; it counts only once a code from it is verified."""
    TOTPDevice.objects.filter(user=actor.user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor.user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: Actor, device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` with a code from it. Earlier authenticators of the user are removed."""
    if device.user_id != actor.user.pk or not device.verify_token(token):
        audit(actor, A.TWO_FACTOR, actor.user, step="enrol", ok=False)
        return False
    TOTPDevice.objects.filter(user=actor.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(actor, A.TWO_FACTOR, actor.user, step="enrol", ok=True)
    return True


@transaction.atomic
def two_factor_reset(*, actor: Actor, user: User) -> None:
    """Remove a user's second factors (a lost phone): authenticators and backup codes alike, and their API tokens.
    They enrol again at their next sign-in and then issue a new token."""
    membership = user.active_membership()
    if membership is None:
        raise PermissionDenied("this user has no active membership")
    _check_manages(actor, membership.organisation)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # its backup codes (StaticToken) go with it
    revoked = tokens_revoke(user)
    audit(actor, A.TWO_FACTOR, user, step="reset", api_tokens_revoked=revoked)


@transaction.atomic
def api_token_rotate(*, actor: Actor, second_factor_passed: bool) -> tuple[ApiToken, str]:
    """Replace the acting user's API token; the old one stops working at once. Returns the new token and its key,
    which is stored only as a hash: show it once. A user whose role needs a second factor gets a token only from
    a session that gave it (``second_factor_passed``), so that a token cannot go around it."""
    if not actor.can("api.use"):
        raise PermissionDenied
    if actor.user.requires_two_factor() and not second_factor_passed:
        raise PermissionDenied("give your second factor before issuing an API token")
    tokens_revoke(actor.user)
    token, key = token_create(actor.user)
    audit(actor, A.UPDATE, actor.user, fields=["api_token"])
    return token, key
