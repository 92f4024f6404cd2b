"""The web kit: what every part's views do the same way, written once.

- ``page_of(request, rows)``: one page of a list (``?page=``), ``HIFAZAT_PAGE_SIZE`` rows to a page.
- ``go(request, to)``: a redirect; for an htmx request, the client redirect htmx follows as a whole page.
- ``refusal_text(error)`` and ``form_errors_text(form)``: a service's refusal, or an invalid form's errors, as one
  line for a message.
- ``show_errors(form, error)``: a service's refusal on the form, beside the fields it names.
- ``submitted(...)``: the POST of a page with a form (create, edit): valid form, call the service, say it, go to
  the record; or ``None``, and the caller shows the page again with the form as typed and the reason in it.
- ``act(...)``: a POST that does one thing to a record from its page (a button, a small form) and goes back
  to the page, saying how it went; a stale edit (``EditConflict``) shows the page again, keeping what was typed.

A refusal is a ``ValidationError`` from the service (``EditConflict`` is one). Other refusals a page should say
in words rather than answer with a 403 (the person's consent not in force, ``ConsentRequired``) are named in
``refusals``: ``{ConsentRequired: _("..."), PermissionDenied: _("You may not do this.")}`` (the first class the
error is an instance of gives the text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from hifazat.core.versioning import EditConflict

Refusals = Mapping[type[Exception], Any]


def page_of(request: HttpRequest, rows) -> Page:
    """The page of ``rows`` (a queryset, ordered) that ``?page=`` asks for; the first or last one when it names
    no page."""
    return Paginator(rows, settings.HIFAZAT_PAGE_SIZE).get_page(request.GET.get("page"))


def go(request: HttpRequest, to, *args) -> HttpResponse:
    """Go to ``to`` (a record with ``get_absolute_url``, a URL, or a view name with ``args``). An htmx request
    gets ``HX-Redirect``, so that the browser loads the whole page instead of swapping it into a fragment."""
    url = resolve_url(to, *args)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def refusal_text(error: Exception, refusals: Refusals | None = None) -> str:
    """A service's refusal as one line: the words ``refusals`` gives its kind, or its messages, joined."""
    said = _said(error, refusals)
    if said is not None:
        return str(said)
    return " ".join(error.messages)  # type: ignore[attr-defined]  # a ValidationError


def form_errors_text(form) -> str:
    """An invalid form's errors as one line, for a form posted from a page that cannot show them beside it."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def show_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the fields it names (or above the form: a conflict, or a field the form
    does not show, such as the household), so that the page keeps what was typed and says what is wrong where."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _refused(refusals: Refusals | None) -> tuple[type[Exception], ...]:
    return (ValidationError, *(refusals or {}))


def _said(error: Exception, refusals: Refusals | None) -> Any:
    """The words for ``error`` named in ``refusals``, or ``None`` (a ``ValidationError`` says itself)."""
    for kind, text in (refusals or {}).items():
        if isinstance(error, kind):
            return text
    return None


def _say(request: HttpRequest, done, result) -> None:
    """``done`` (or ``done(result)``) as a success message; a pair ``(level, text)`` says it at that level (a
    warning: recorded, but over the budget)."""
    said = done(result) if callable(done) else done
    if not said:
        return
    level, text = said if isinstance(said, tuple) else (messages.SUCCESS, said)
    messages.add_message(request, level, text)


def _target(then, result):
    return then(result) if callable(then) else then


def submitted(
    request: HttpRequest,
    form,
    write: Callable[[dict], Any],
    *,
    done,
    then,
    refusals: Refusals | None = None,
) -> HttpResponse | None:
    """The POST of a page with a form. Nothing (``None``) unless the request is a POST and the form is valid;
    then ``write(form.cleaned_data)`` (the service). Done: ``done`` said, and on to ``then`` (or ``then(result)``,
    given what ``write`` returned). Refused: the reason on the form (``show_errors``), and ``None``.

    On ``None`` the view renders its page with the form, which now holds what was typed and the reasons::

        form = CampaignForm(request.POST or None)
        if response := submitted(request, form, lambda data: services.campaign_create(actor=actor, **data),
                                 done=_("The campaign is created."), then=lambda campaign: campaign):
            return response
        return render(request, "campaigns/campaign_form.html", {"form": form})
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except _refused(refusals) as error:
        said = _said(error, refusals)
        if said is None:
            show_errors(form, error)
        else:
            form.add_error(None, said)
        return None
    _say(request, done, result)
    return go(request, _target(then, result))


def act(
    request: HttpRequest,
    form,
    write: Callable[[dict | None], Any],
    *,
    done,
    back,
    then=None,
    invalid=None,
    conflict: Callable[[Any], HttpResponse] | None = None,
    refusals: Refusals | None = None,
) -> HttpResponse:
    """A POST that does one thing to a record from its page, then goes back to the page (``back``; ``then`` or
    ``then(result)`` instead once done) saying how it went:

    - ``form`` (``None`` for a bare button) invalid: ``invalid`` as the error (the form's own errors without it);
    - ``write(form.cleaned_data)`` (the service) refused: the reason as the error;
    - refused because someone else changed the record meanwhile (``EditConflict``), when the view gives
      ``conflict``: the page again (``conflict(form)``, 409) with the form as it was typed and the reason in it,
      so that nothing typed is lost;
    - done: ``done`` (or ``done(result)``) as the message.
    """
    if form is not None and not form.is_valid():
        messages.error(request, invalid or form_errors_text(form))
        return go(request, back)
    try:
        result = write(form.cleaned_data if form is not None else None)
    except EditConflict as error:
        if conflict is None:
            messages.error(request, refusal_text(error))
            return go(request, back)
        form.add_error(None, error)
        response = conflict(form)
        response.status_code = 409
        return response
    except _refused(refusals) as error:
        messages.error(request, refusal_text(error, refusals))
        return go(request, back)
    _say(request, done, result)
    return go(request, back if then is None else _target(then, result))
