"""Sign-in with a second factor, the user's own profile, and administrators' management of their users and
organisation."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from hifazat.accounts import services
from hifazat.accounts.forms import (
    LoginForm,
    OrganisationForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from hifazat.accounts.panels import panels_for
from hifazat.accounts.selectors import organisations_visible_to, users_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.audit import audit
from hifazat.core.models import AuditEntry
from hifazat.core.web import page_of, submitted


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The second sign-in step: enrol an authenticator app the first time, then give a code from it."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request, reverse("core:home")))
    enrolling = not user_has_device(user, confirmed=True)
    device = None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or services.totp_device_start(
            actor=request.actor
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if enrolling:
            matched = (
                device
                if services.totp_device_confirm(actor=request.actor, device=device, token=token)
                else None
            )
        else:
            # An authenticator code or a single-use backup code; django-otp throttles repeated failures.
            matched = match_token(user, token)
            audit(request.actor, AuditEntry.Action.TWO_FACTOR, user, step="verify", ok=matched is not None)
        if matched is not None:
            otp_login(request, matched)
            if user.requires_two_factor():
                # Signed in only now: the password step was recorded as pending (accounts.signals.on_login).
                audit(request.actor, AuditEntry.Action.LOGIN, user, second_factor="verified")
            return redirect(_next_url(request, reverse("core:home")))
        form.add_error("token", _("That code is not right, or has expired. Try the newest code."))
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request, "")}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, dark="#111", light="#fff"
        )
        context["secret"] = _base32(device.bin_key)
    return render(request, "accounts/two_factor.html", context)


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in user's own page: password (the current one first, so that an unattended session cannot
    take the account over) and API token."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            actor=request.actor, user=request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed. Your API token no longer works."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "membership": request.user.active_membership(),
            "api_tokens": request.user.api_tokens.all(),
        },
    )


@requires("api.use")
@require_POST
def api_token(request):
    """Issue a new personal API token and show it once; only its hash is kept."""
    token, key = services.api_token_rotate(
        actor=request.actor, second_factor_passed=request.user.is_verified()
    )
    return render(request, "accounts/api_token.html", {"token": key, "expires_at": token.expires_at})


# --- Administrators: their organisation's users -------------------------------------------------------------


@requires("users.manage")
def user_list(request):
    users = users_visible_to(request.actor).order_by("username")
    page = page_of(request, users)
    return render(request, "accounts/user_list.html", {"page": page})


@requires("users.manage")
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            actor=request.actor,
            organisation=request.actor.organisation,
            role=data["role"],
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
        )
        messages.success(request, _("The user has been created."))
        return redirect("accounts:user_detail", user.uuid)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New user")})


@requires("users.manage")
def user_detail(request, uuid):
    user = get_visible_or_404(users_visible_to(request.actor), uuid, actor=request.actor, audit=True)
    membership = user.memberships.filter(organisation=request.actor.organisation).first()
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/user_detail.html",
        {"person": user, "membership": membership, "has_device": has_device},
    )


@requires("users.manage")
@require_http_methods(["GET", "POST"])
def user_edit(request, uuid):
    user = get_visible_or_404(users_visible_to(request.actor), uuid)
    membership = user.memberships.filter(organisation=request.actor.organisation).first()
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "role": membership.role,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if response := submitted(
        request,
        form,
        lambda data: services.user_update(actor=request.actor, user=user, **data),
        done=_("The user has been changed."),
        then=reverse("accounts:user_detail", args=[user.uuid]),
    ):
        return response
    return render(
        request, "accounts/user_form.html", {"form": form, "title": _("Change user"), "person": user}
    )


@requires("users.manage")
@require_POST
def user_reset_two_factor(request, uuid):
    user = get_visible_or_404(users_visible_to(request.actor), uuid)
    services.two_factor_reset(actor=request.actor, user=user)
    messages.success(
        request, _("The authenticator has been removed; the user enrols again at their next sign-in.")
    )
    return redirect("accounts:user_detail", user.uuid)


# --- Organisations ------------------------------------------------------------------------------------------


@requires("organisations.view")
def organisation_list(request):
    organisations = organisations_visible_to(request.actor)
    page = page_of(request, organisations)
    can_add = request.actor.can("organisations.manage") and request.actor.organisation.hosts_system
    return render(request, "accounts/organisation_list.html", {"page": page, "can_add": can_add})


@requires("organisations.view")
def organisation_detail(request, uuid):
    organisation = get_visible_or_404(organisations_visible_to(request.actor), uuid)
    can_edit = request.actor.can("organisations.manage") and (
        organisation == request.actor.organisation or request.actor.organisation.hosts_system
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": can_edit,
            "panels": panels_for(organisation, request.actor),
        },
    )


@requires("organisations.manage")
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if not request.actor.organisation.hosts_system:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(actor=request.actor, **form.cleaned_data)
        messages.success(request, _("The organisation has been added."))
        return redirect("accounts:organisation_detail", organisation.uuid)
    return render(request, "accounts/organisation_form.html", {"form": form, "title": _("New organisation")})


@requires("organisations.manage")
@require_http_methods(["GET", "POST"])
def organisation_edit(request, uuid):
    organisation = get_visible_or_404(organisations_visible_to(request.actor), uuid)
    if organisation != request.actor.organisation and not request.actor.organisation.hosts_system:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        organisation.refresh_from_db()  # the ModelForm changed the instance in place while validating
        services.organisation_update(actor=request.actor, organisation=organisation, **data)
        messages.success(request, _("The organisation has been changed."))
        return redirect("accounts:organisation_detail", organisation.uuid)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "title": _("Change organisation")}
    )
