"""The public's anonymous tip form: no sign-in, English and Urdu, light for a slow phone connection.

Nothing that could identify the sender is read or stored, and nothing is left on the sender's phone: the views
never look at the address or the headers, the service audits the tip without a user or an address, no session is
started (no messages framework: the thanks page is a page of its own), and no cookie is set at all. The form is
exempt from Django's cookie-based CSRF check (the page sends no referrer, so browsers post it with
``Origin: null``); the signed, time-limited, single-use token with its proof of work (``tips``) protects it
instead, and the budgets are per site. The language is chosen by ``?lang=`` in the address (a plain link on the
page), not by the language cookie. ``tests/test_tips.py`` checks every table, log line, cache key and cookie of
real requests.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hifazat.monitoring import services, tips
from hifazat.monitoring.forms import TipForm


def in_chosen_language(view):
    """Answer in the language that ``?lang=`` names (one of ``LANGUAGES``), else as the browser asks."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.GET.get("lang", "")
        if language not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper


def _in_this_language(url: str) -> str:
    return f"{url}?lang={translation.get_language()}"


def _form_page(request, form: TipForm, *, status: int = 200, notice: str = ""):
    # Every rendering gets a fresh token (and so needs fresh work), whatever the one posted was.
    bits = tips.work_bits()
    token = tips.issue_token(bits=bits)
    if form.is_bound:
        data = form.data.copy()
        data["token"], data["work"] = token, ""
        form.data = data
    else:
        form.initial["token"] = token
    context = {"form": form, "notice": notice, "work_bits": bits}
    return render(request, "monitoring/tip_form.html", context, status=status)


@csrf_exempt  # no cookie on a tipster's phone: the signed single-use token with its proof of work guards the form
@never_cache
@require_http_methods(["GET", "POST"])
@in_chosen_language
def tip(request):
    if request.method == "GET":
        return _form_page(request, TipForm())
    form = TipForm(request.POST)
    try:
        nonce = tips.check(
            request.POST.get("token", ""),
            request.POST.get("work", ""),
            honeypot=request.POST.get("website", ""),
        )
    except tips.TipRefused as refused:
        if refused.reason == "honeypot":
            return redirect(_in_this_language(reverse("monitoring:tip_thanks")))  # a robot learns nothing
        if refused.reason == "used":
            return render(request, "monitoring/tip_busy.html", status=429)
        return _form_page(request, form, status=400, notice=refused.reason)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        tips.claim(nonce, data["site"])
    except tips.TipRefused:
        return render(request, "monitoring/tip_busy.html", status=429)
    try:
        services.tip_submit(
            kind=data["kind"],
            description=data["description"],
            occurred_on=data["occurred_on"],
            site=data["site"],
            place=data["place"],
            traces=form.traces(),
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _form_page(request, form, status=400)
    return redirect(_in_this_language(reverse("monitoring:tip_thanks")))


@never_cache
@require_GET
@in_chosen_language
def tip_thanks(request):
    return render(request, "monitoring/tip_thanks.html")
