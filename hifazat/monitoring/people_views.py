"""Pages about people in the network: the reporters (with their reliability grades) and the camp exits of
registered people."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import page_of, submitted
from hifazat.monitoring import exit_services, services
from hifazat.monitoring.forms import ExitForm, PersonSearchForm, ReporterEditForm, ReporterForm
from hifazat.monitoring.selectors import (
    exits_visible_to,
    persons_linkable_by,
    reporter_candidates,
    reporters_visible_to,
)
from hifazat.people.search import person_search


@requires("monitoring.manage_reporters")
def reporter_list(request):
    reporters = reporters_visible_to(request.actor).prefetch_related("sites")
    return render(request, "monitoring/reporter_list.html", {"page": page_of(request, reporters)})


@requires("monitoring.manage_reporters")
@require_http_methods(["GET", "POST"])
def reporter_create(request):
    form = ReporterForm(request.POST or None, candidates=reporter_candidates(request.actor))
    if response := submitted(
        request,
        form,
        lambda data: services.reporter_register(actor=request.actor, **data),
        done=lambda reporter: _("%(name)s is a reporter of your network.") % {"name": reporter},
        then="monitoring:reporter_list",
    ):
        return response
    return render(request, "monitoring/reporter_form.html", {"form": form})


@requires("monitoring.manage_reporters")
@require_http_methods(["GET", "POST"])
def reporter_detail(request, uuid):
    """A reporter, their reports' count, and their grade and coverage to keep up to date."""
    reporter = get_visible_or_404(reporters_visible_to(request.actor), uuid)
    initial = {
        "kind": reporter.kind,
        "sites": list(reporter.sites.all()),
        "reliability": reporter.reliability,
        "reliability_note": reporter.reliability_note,
        "is_active": reporter.is_active,
    }
    form = ReporterEditForm(request.POST or None, initial=initial)
    if response := submitted(
        request,
        form,
        lambda data: services.reporter_update(actor=request.actor, reporter=reporter, **data),
        done=_("The reporter is updated."),
        then=reporter,
    ):
        return response
    recent = reporter.reports.order_by("-occurred_on")[:10]
    return render(
        request, "monitoring/reporter_detail.html", {"reporter": reporter, "form": form, "recent": recent}
    )


@requires("monitoring.record_exit")
def exit_list(request):
    """The exit register, and a search for the person whose departure is to be recorded."""
    form = PersonSearchForm(request.GET or None)
    people = []
    if form.is_valid():
        people = list(
            person_search(persons_linkable_by(request.actor), form.cleaned_data["q"]).select_related(
                "household__site"
            )[:10]
        )
    return render_page_or_partial(
        request,
        "monitoring/exit_list.html",
        "monitoring/_exit_people.html",
        {
            "form": form,
            "people": people,
            "searched": form.is_valid(),
            "page": page_of(request, exits_visible_to(request.actor)),
        },
    )


@requires("monitoring.record_exit")
@require_http_methods(["GET", "POST"])
def exit_create(request, uuid):
    person = get_visible_or_404(persons_linkable_by(request.actor).select_related("household__site"), uuid)
    form = ExitForm(request.POST or None)
    if response := submitted(
        request,
        form,
        lambda data: exit_services.exit_record(actor=request.actor, person=person, **data),
        done=_exit_said,
        then="monitoring:exit_list",
    ):
        return response
    return render(request, "monitoring/exit_form.html", {"form": form, "person": person})


def _exit_said(exit_) -> str | tuple[int, str]:
    if not exit_.report_id:
        return _("The exit is recorded.")
    return messages.WARNING, _(
        "The exit is recorded. A child left alone or with a non-relative: report %(number)s and an alert were raised."
    ) % {"number": exit_.report.number}
