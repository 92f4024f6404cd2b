"""The public's anonymous tip form: no sign-in, English and Urdu, light for a slow phone connection.

Nothing that could identify the sender is read or stored: the views never look at the address or the headers,
the service audits the tip without a user or an address, no session is started (no messages framework: the
thanks page is a page of its own), and the protection against floods and robots (``tips``) keys its budgets on a
hash of the form's own random token. ``tests/test_tips.py`` checks every table and every log line of a real
request for its address.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hifazat.monitoring import services, tips
from hifazat.monitoring.forms import TipForm


def _form_page(request, form: TipForm, *, status: int = 200, notice: str = ""):
    # Every rendering gets a fresh token, whatever the one posted was.
    data = form.data.copy() if form.is_bound else None
    if data is not None:
        data["token"] = tips.issue_token()
        form.data = data
    else:
        form.initial["token"] = tips.issue_token()
    return render(request, "monitoring/tip_form.html", {"form": form, "notice": notice}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def tip(request):
    if request.method == "GET":
        return _form_page(request, TipForm())
    form = TipForm(request.POST)
    try:
        nonce = tips.check(request.POST.get("token", ""), honeypot=request.POST.get("website", ""))
    except tips.TipRefused as refused:
        if refused.reason == "honeypot":
            return redirect("monitoring:tip_thanks")  # a robot learns nothing
        if refused.reason in ("busy", "used"):
            return render(request, "monitoring/tip_busy.html", status=429)
        return _form_page(request, form, status=400, notice="retry")
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
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
    tips.accepted(nonce)
    return redirect("monitoring:tip_thanks")


@never_cache
def tip_thanks(request):
    return render(request, "monitoring/tip_thanks.html")
