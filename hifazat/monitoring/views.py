"""Pages of reports: the form, the triage queue (a reporter's own list), the report page and what focal points do
from it, and the photographs, served only to those who may see the report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import act, page_of
from hifazat.monitoring import services
from hifazat.monitoring.forms import (
    CampaignFocusForm,
    CloseForm,
    LinkPersonForm,
    LinkReportsForm,
    OpenCaseForm,
    PersonSearchForm,
    PoliceForm,
    ReportFilterForm,
    ReportForm,
    TriageForm,
)
from hifazat.monitoring.models import (
    EntityKind,
    InvolvedRole,
    Mention,
    Priority,
    Report,
    ReportAttachment,
    Reporter,
)
from hifazat.monitoring.selectors import persons_linkable_by, reports_visible_to
from hifazat.people.search import person_search


@requires("monitoring.report")
def report_list(request):
    """For focal points and supervisors, the network's triage queue (new first); for a reporter, their own
    reports."""
    form = ReportFilterForm(request.GET or None)
    reports = reports_visible_to(request.actor)
    triage = request.actor.can("monitoring.view")
    # A reporter's list has no filters: one by a trace would tell them which of their reports name it.
    if triage and form.is_valid():
        data = form.cleaned_data
        for name in ("status", "kind", "source", "priority", "site"):
            if data[name]:
                reports = reports.filter(**{name: data[name]})
        if data["assigned"] == "me":
            reports = reports.filter(assignee=request.user)
        elif data["assigned"] == "nobody":
            reports = reports.filter(assignee__isnull=True)
        if data["date_from"]:
            reports = reports.filter(occurred_on__gte=data["date_from"])
        if data["date_to"]:
            reports = reports.filter(occurred_on__lte=data["date_to"])
        if data["entity"]:
            reports = reports.filter(mentions__entity__uuid=data["entity"])
    if triage:
        # New reports first, then by priority (urgent first) and date.
        reports = reports.annotate(
            alert_count=Count("alerts", distinct=True),
            status_rank=Case(*[When(status=s, then=i) for i, s in enumerate(Report.Status.values)]),
            priority_rank=Case(
                *[When(priority=p, then=i) for i, p in enumerate(reversed(Priority.values))], default=9
            ),
        ).order_by("status_rank", "priority_rank", "-occurred_on", "-id")
    return render_page_or_partial(
        request,
        "monitoring/report_list.html",
        "monitoring/_report_rows.html",
        {"form": form, "page": page_of(request, reports), "triage": triage},
    )


@requires("monitoring.report")
@require_http_methods(["GET", "POST"])
def report_create(request):
    """The report form, light enough for a phone. A network reporter not yet in a network is told so."""
    actor = request.actor
    if (
        not actor.can("monitoring.report_unregistered")
        and not Reporter.objects.filter(user=actor.user, is_active=True).exists()
    ):
        return render(request, "monitoring/not_registered.html")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_submit(
                actor=actor,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                site=data["site"],
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                traces=form.traces(),
                people=form.people(),
                photos=[f.read() for f in data["photos"]],
            )
        except ValidationError as error:
            form.add_error("photos" if "image" in getattr(error, "error_dict", {}) else None, error.messages)
        else:
            messages.success(
                request, _("Thank you. Your report %(number)s is recorded.") % {"number": report.number}
            )
            return redirect(report)
    return render(request, "monitoring/report_form.html", {"form": form})


def _visible_report(request, uuid, *, audit: bool = False) -> Report:
    return get_visible_or_404(reports_visible_to(request.actor), uuid, actor=request.actor, audit=audit)


@requires("monitoring.report")
def report_detail(request, uuid):
    """Everything about a report the user may see. For focal points and supervisors, what they can do with it.
    The read is audited: a report names people."""
    return _render_detail(request, uuid)


def _render_detail(request, uuid, *, bound: dict | None = None):
    """The report page; ``bound`` holds a triage or closing form refused because someone else changed the report
    meanwhile: shown again as the user filled it in, below the message saying so."""
    report = _visible_report(request, uuid, audit=True)
    actor = request.actor
    triage = actor.can("monitoring.triage") and report.network_id == actor.organisation.pk
    people = list(report.people.select_related("person__household__site"))
    if not triage:
        people = [p for p in people if p.name or p.description]
    context = {
        "report": report,
        "people": people,
        # Someone who may not triage (a reporter) sees only what the report says as it was written: a trace's
        # normalised entity, its first written form and the registered person linked to someone described
        # come from other reports and the registry, and would tell them what others reported (issue 15).
        "own_traces": [
            (label, written) for kind, label in EntityKind.choices for written in report.traces.get(kind, [])
        ],
        "attachments": report.attachments.all(),
        "triage": triage,
        "can_add_photo": triage or (report.reporter_id and report.reporter.user_id == actor.user.pk),
    }
    if triage:
        context["mentions"] = list(
            Mention.objects.filter(report=report)
            .select_related("entity")
            .annotate(reports=Count("entity__mentions"))
            .order_by("entity__kind", "id")
        )
        linked = [p.person for p in people if p.person_id]
        cluster = reports_visible_to(actor).filter(cluster=report.cluster).exclude(pk=report.pk)
        context.update(
            {
                "alerts": report.alerts.order_by("-last_seen_on"),
                "actions": report.actions.select_related("created_by", "site"),
                "cluster_size": cluster.count(),
                "triage_form": TriageForm(
                    organisation=actor.organisation,
                    initial={
                        "priority": report.priority or None,
                        "credibility": report.credibility,
                        "assignee": report.assignee.uuid if report.assignee_id else None,
                        "version": report.version,
                    },
                ),
                "close_form": CloseForm(initial={"version": report.version}),
                "police_form": PoliceForm(),
                "campaign_form": CampaignFocusForm(
                    initial={"site": report.site.uuid if report.site_id else None}
                ),
                "link_form": LinkReportsForm(),
                "search_form": PersonSearchForm(),
                "case_form": OpenCaseForm(people=linked, organisation=actor.organisation)
                if linked and actor.can("cases.open")
                else None,
                "can_open_case": actor.can("cases.open"),
            }
        )
        context.update(bound or {})
    return render(request, "monitoring/report_detail.html", context)


def _triage_report(request, uuid) -> Report:
    if not request.actor.can("monitoring.triage"):
        raise PermissionDenied
    return _visible_report(request, uuid)


@requires("monitoring.triage")
@require_POST
def report_triage(request, uuid):
    report = _triage_report(request, uuid)
    return act(
        request,
        TriageForm(request.POST, organisation=request.actor.organisation),
        lambda data: services.report_triage(actor=request.actor, report=report, **data),
        done=_("The report is triaged."),
        back=report,
        invalid=_("Choose a priority and a credibility grade."),
        conflict=lambda form: _render_detail(request, uuid, bound={"triage_form": form}),
    )


@requires("monitoring.triage")
@require_POST
def report_close(request, uuid):
    report = _triage_report(request, uuid)
    return act(
        request,
        CloseForm(request.POST),
        lambda data: services.report_close(actor=request.actor, report=report, **data),
        done=_("The report is closed."),
        back=report,
        invalid=_("Choose an outcome."),
        conflict=lambda form: _render_detail(request, uuid, bound={"close_form": form}),
    )


@requires("monitoring.triage")
@require_POST
def report_police(request, uuid):
    report = _triage_report(request, uuid)
    form = PoliceForm(request.POST)
    if not form.is_valid():  # every field is optional: nothing to say
        return redirect(report)
    return act(
        request,
        form,
        lambda data: services.report_alert_police(actor=request.actor, report=report, **data),
        done=_("Recorded: the police unit was alerted."),
        back=report,
    )


@requires("monitoring.triage")
@require_POST
def report_campaign(request, uuid):
    report = _triage_report(request, uuid)
    return act(
        request,
        CampaignFocusForm(request.POST),
        lambda data: services.report_campaign_focus(actor=request.actor, report=report, **data),
        done=_("The campaign team is asked to focus on the site."),
        back=report,
        invalid=_("Choose a site."),
    )


@requires("monitoring.triage")
@require_POST
def report_link(request, uuid):
    report = _triage_report(request, uuid)
    form = LinkReportsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the numbers of the reports to link."))
        return redirect(report)
    numbers = form.numbers_list()
    others = list(reports_visible_to(request.actor).filter(number__in=numbers))
    missing = set(numbers) - {o.number for o in others}
    if missing:
        messages.error(
            request,
            _("No report of yours has the number %(numbers)s.") % {"numbers": ", ".join(sorted(missing))},
        )
        return redirect(report)
    return act(
        request,
        form,
        lambda data: services.report_link_reports(
            actor=request.actor, report=report, others=others, note=data["note"]
        ),
        done=_("The reports are linked."),
        back=report,
    )


@requires("monitoring.triage")
def report_people(request, uuid):
    """Registered people whose name matches, to link to the report (an htmx fragment of the report page)."""
    report = _triage_report(request, uuid)
    form = PersonSearchForm(request.GET or None)
    people = []
    if form.is_valid():
        registry = persons_linkable_by(request.actor).filter(organisation_id=report.network_id)
        people = list(person_search(registry, form.cleaned_data["q"]).select_related("household__site")[:10])
    # Linking to someone the report describes, rather than adding a person: the description stays beside them.
    involved = None
    if form.is_valid() and form.cleaned_data["involved"]:
        involved = report.people.filter(uuid=form.cleaned_data["involved"], person__isnull=True).first()
    return render_page_or_partial(
        request,
        "monitoring/person_search.html",
        "monitoring/_person_results.html",
        {
            "report": report,
            "form": form,
            "people": people,
            "involved": involved,
            "roles": InvolvedRole.choices,
            "searched": form.is_valid(),
        },
    )


@requires("monitoring.triage")
@require_POST
def report_link_person(request, uuid):
    report = _triage_report(request, uuid)
    form = LinkPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person."))
        return redirect(report)
    person = get_visible_or_404(persons_linkable_by(request.actor), form.cleaned_data["person"])
    involved = None
    if form.cleaned_data["involved"]:
        involved = report.people.filter(uuid=form.cleaned_data["involved"]).first()
        if involved is None:
            raise Http404
    return act(
        request,
        form,
        lambda data: services.report_link_person(
            actor=request.actor, report=report, person=person, role=data["role"], involved=involved
        ),
        done=_("The registered person is linked to the report."),
        back=report,
    )


@requires("monitoring.triage")
@require_POST
def report_open_case(request, uuid):
    report = _triage_report(request, uuid)
    linked = [p.person for p in report.people.select_related("person") if p.person_id]
    form = OpenCaseForm(request.POST, people=linked, organisation=request.actor.organisation)
    if not form.is_valid():
        messages.error(request, _("Link a registered person to the report first."))
        return redirect(report)
    person = next(p for p in linked if str(p.uuid) == form.cleaned_data["person"])
    return act(
        request,
        form,
        lambda data: services.report_open_case(
            actor=request.actor,
            report=report,
            person=person,
            summary=data["summary"],
            caseworker=data["caseworker"],
        ),
        done=lambda case: _("Case %(number)s is opened.") % {"number": case.number},
        back=report,
    )


@requires("monitoring.report")
@require_POST
def report_photo(request, uuid):
    report = _visible_report(request, uuid)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photograph."))
        return redirect(report)
    return act(
        request,
        None,
        lambda _data: services.attachment_add(actor=request.actor, report=report, data=upload.read()),
        done=_("The photograph is attached, without its location."),
        back=report,
    )


@requires("monitoring.report")
def attachment(request, uuid):
    """A report's photograph, to someone who may see the report (never as a public file)."""
    photo = get_visible_or_404(
        ReportAttachment.objects.filter(report__in=reports_visible_to(request.actor)), uuid
    )
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{photo.uuid}.jpg"'
    return response
