"""Pages of a campaign's activities: sessions with their register and knowledge check, printed materials and
where they went, radio spots, and phone message exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import act, refusal_text, submitted
from hifazat.people.search import person_search
from hifazat.people.selectors import persons_visible_to

from . import delivery, exports, selectors, services
from .forms import (
    AttendeeForm,
    AttendeeSearchForm,
    DeliveryReportForm,
    DistributionForm,
    ExportForm,
    ExportFormatForm,
    MaterialForm,
    RadioSpotForm,
    ScoresForm,
    SessionForm,
    session_initial,
)
from .models import Channel, Material, MessageVersion
from .views import _context, abilities, campaign_for


def _organisations(campaign):
    from hifazat.accounts.models import Organisation

    return Organisation.objects.filter(pk__in=selectors.campaign_organisation_ids(campaign)).order_by("name")


def _must(flag: bool) -> None:
    if not flag:
        raise PermissionDenied


@requires("campaigns.view")
def campaign_activities(request, uuid):
    campaign = campaign_for(request, uuid)
    sessions = (
        campaign.sessions.select_related("site", "facilitator")
        .annotate(linked=Count("attendances", filter=Q(attendances__person__isnull=False)))
        .order_by("-held_on", "-id")
    )
    materials = campaign.materials.annotate(distributed=Sum("distributions__quantity")).order_by(
        "kind", "title"
    )
    context = _context(
        request,
        campaign,
        "activities",
        sessions=sessions,
        materials=materials,
        radio_spots=campaign.radio_spots.select_related("area").order_by("-first_aired_on"),
        exports=selectors.exports_visible_to(request.actor).filter(campaign=campaign),
    )
    return render(request, "campaigns/campaign_activities.html", context)


def _session_form(request, campaign, **kwargs):
    return SessionForm(
        request.POST or None,
        campaign=campaign,
        sites=selectors.campaign_sites(campaign),
        organisations=_organisations(campaign),
        **kwargs,
    )


@requires("campaigns.record_activity")
@require_http_methods(["GET", "POST"])
def session_create(request, uuid):
    campaign = campaign_for(request, uuid)
    _must(abilities(request.actor, campaign)["can_record"])
    form = _session_form(request, campaign, initial={"facilitator": request.actor.organisation.uuid})
    if response := submitted(
        request,
        form,
        lambda data: services.session_record(actor=request.actor, campaign=campaign, **data),
        done=_("The session is recorded. Now link the attendees who are registered."),
        then=lambda session: session,
    ):
        return response
    return render(
        request, "campaigns/session_form.html", _context(request, campaign, "activities", form=form)
    )


@requires("campaigns.record_activity")
@require_http_methods(["GET", "POST"])
def session_edit(request, uuid):
    session = get_visible_or_404(selectors.sessions_visible_to(request.actor), uuid)
    campaign = session.campaign
    _must(abilities(request.actor, campaign)["can_record"])
    form = _session_form(request, campaign, initial=session_initial(session))
    if response := submitted(
        request,
        form,
        lambda data: services.session_update(actor=request.actor, session=session, **data),
        done=_("The session is saved."),
        then=session,
    ):
        return response
    context = _context(request, campaign, "activities", form=form, session=session)
    return render(request, "campaigns/session_form.html", context)


@requires("campaigns.view")
def session_detail(request, uuid):
    """A session: headcount, the registered people on its register (those the user may see), the knowledge
    check. Others' attendees are counted, not named."""
    session = get_visible_or_404(selectors.sessions_visible_to(request.actor), uuid)
    rows = session.attendances.select_related("person__household__site")
    linked = [row for row in rows if row.person_id]
    visible = set(
        persons_visible_to(request.actor)
        .filter(pk__in=[row.person_id for row in linked])
        .values_list("pk", flat=True)
    )
    context = _context(
        request,
        session.campaign,
        "activities",
        session=session,
        attendees=[row for row in linked if row.person_id in visible],
        others=len(linked) - len(visible),
        unlinked_scores=[row for row in rows if not row.person_id],
        search_form=AttendeeSearchForm(),
        scores_form=ScoresForm(),
    )
    return render(request, "campaigns/session_detail.html", context)


@requires("campaigns.record_activity")
def attendee_search(request, uuid):
    """People the user may see, found by name, to link to the session's register (htmx fragment)."""
    session = get_visible_or_404(selectors.sessions_visible_to(request.actor), uuid)
    _must(abilities(request.actor, session.campaign)["can_record"])
    form = AttendeeSearchForm(request.GET)
    found = []
    if form.is_valid() and form.cleaned_data["q"]:
        on_register = session.attendances.filter(person__isnull=False).values("person_id")
        found = list(
            person_search(persons_visible_to(request.actor), form.cleaned_data["q"])
            .exclude(pk__in=on_register)
            .select_related("household__site")
            .prefetch_related("vulnerabilities")[:10]
        )
    context = {
        "session": session,
        "found": found,
        "searched": form.is_valid() and bool(form.cleaned_data["q"]),
    }
    return render_page_or_partial(
        request, "campaigns/attendee_search.html", "campaigns/_attendee_found.html", context
    )


@requires("campaigns.record_activity")
@require_POST
def attendee_add(request, uuid):
    session = get_visible_or_404(selectors.sessions_visible_to(request.actor), uuid)
    form = AttendeeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person and give scores as numbers."))
        return redirect(session)
    person = get_visible_or_404(persons_visible_to(request.actor), form.cleaned_data["person"])
    return act(
        request,
        form,
        lambda data: services.attendee_add(
            actor=request.actor,
            session=session,
            person=person,
            pre_score=data["pre_score"],
            post_score=data["post_score"],
        ),
        done=_("%(name)s is on the register.") % {"name": person.full_name},
        back=session,
    )


@requires("campaigns.record_activity")
@require_POST
def attendee_remove(request, uuid):
    attendance = get_visible_or_404(selectors.attendances_visible_to(request.actor), uuid)
    session = attendance.session
    services.attendee_remove(actor=request.actor, attendance=attendance)
    messages.success(request, _("The row is taken off the register."))
    return redirect(session)


@requires("campaigns.record_activity")
@require_POST
def scores_add(request, uuid):
    session = get_visible_or_404(selectors.sessions_visible_to(request.actor), uuid)
    return act(
        request,
        ScoresForm(request.POST),
        lambda data: services.scores_record(actor=request.actor, session=session, scores=data["lines"]),
        done=lambda added: _("%(n)s scores are recorded.") % {"n": added},
        back=session,
    )


# --- Materials and radio --------------------------------------------------------------------------------------


@requires("campaigns.manage")
@require_http_methods(["GET", "POST"])
def material_create(request, uuid):
    campaign = campaign_for(request, uuid)
    _must(abilities(request.actor, campaign)["can_manage"])
    form = MaterialForm(request.POST or None, campaign=campaign)
    if response := submitted(
        request,
        form,
        lambda data: services.material_create(actor=request.actor, campaign=campaign, **data),
        done=_("The material is recorded."),
        then=reverse("campaigns:campaign_activities", args=[campaign.uuid]),
    ):
        return response
    context = _context(request, campaign, "activities", form=form, heading=_("A printed material"))
    return render(request, "campaigns/activity_form.html", context)


@requires("campaigns.record_activity")
@require_http_methods(["GET", "POST"])
def distribution_create(request, uuid):
    material = get_visible_or_404(
        Material.objects.filter(campaign__in=selectors.campaigns_visible_to(request.actor)), uuid
    )
    campaign = material.campaign
    _must(abilities(request.actor, campaign)["can_record"])
    form = DistributionForm(request.POST or None, sites=selectors.campaign_sites(campaign))
    if response := submitted(
        request,
        form,
        lambda data: services.distribution_record(actor=request.actor, material=material, **data),
        done=_("The distribution is recorded."),
        then=reverse("campaigns:campaign_activities", args=[campaign.uuid]),
    ):
        return response
    heading = _("Copies of %(title)s handed out") % {"title": material.title}
    context = _context(request, campaign, "activities", form=form, heading=heading)
    return render(request, "campaigns/activity_form.html", context)


@requires("campaigns.record_activity")
@require_http_methods(["GET", "POST"])
def radio_create(request, uuid):
    campaign = campaign_for(request, uuid)
    _must(abilities(request.actor, campaign)["can_record"])
    form = RadioSpotForm(request.POST or None, campaign=campaign)
    if response := submitted(
        request,
        form,
        lambda data: services.radio_spot_record(actor=request.actor, campaign=campaign, **data),
        done=_("The radio spot is recorded."),
        then=reverse("campaigns:campaign_activities", args=[campaign.uuid]),
    ):
        return response
    context = _context(request, campaign, "activities", form=form, heading=_("A radio spot"))
    return render(request, "campaigns/activity_form.html", context)


# --- Phone message exports ------------------------------------------------------------------------------------


@requires("campaigns.export_audience")
@require_http_methods(["GET", "POST"])
def export_create(request, uuid):
    """Prepare the audience of a text message: a background job writes the CSV for RapidPro."""
    campaign = campaign_for(request, uuid)
    _must(abilities(request.actor, campaign)["can_export"])
    with_sms = campaign.messages.filter(
        versions__channel=Channel.SMS, versions__status=MessageVersion.Status.APPROVED
    ).distinct()
    form = ExportForm(
        request.POST or None, campaign=campaign, messages=with_sms, sites=selectors.campaign_sites(campaign)
    )
    if response := submitted(
        request,
        form,
        lambda data: exports.export_start(actor=request.actor, **data),
        done=_("The audience is being prepared."),
        then=lambda export: export,
    ):
        return response
    return render(request, "campaigns/export_form.html", _context(request, campaign, "activities", form=form))


@requires("campaigns.export_audience")
def export_detail(request, uuid):
    """The export's progress (polled by htmx while it runs), its counts, and the one download for its maker."""
    export = get_visible_or_404(selectors.exports_visible_to(request.actor), uuid)
    context = _context(
        request,
        export.campaign,
        "activities",
        export=export,
        job=export.job,
        mine=export.created_by_id == request.user.pk,
        format_form=ExportFormatForm(),
        delivery=delivery.delivery_counts(export) if export.downloaded_at else None,
        delivery_form=DeliveryReportForm(),
    )
    return render_page_or_partial(
        request, "campaigns/export_detail.html", "campaigns/_export_status.html", context
    )


@requires("campaigns.export_audience")
@require_POST
def export_download(request, uuid):
    export = get_visible_or_404(selectors.exports_visible_to(request.actor), uuid)
    form = ExportFormatForm(request.POST or {"file_format": "csv"})
    if not form.is_valid():
        messages.error(request, _("Choose CSV or XLSX."))
        return redirect(export)
    file_format = form.cleaned_data["file_format"]
    try:
        name, content = exports.export_download(actor=request.actor, export=export, file_format=file_format)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(export)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("campaigns.export_audience")
@require_POST
def export_delivery_record(request, uuid):
    """Upload a delivery report for a handed-over export; back to the export's page with what it confirmed."""
    export = get_visible_or_404(selectors.exports_visible_to(request.actor), uuid)
    return act(
        request,
        DeliveryReportForm(request.POST, request.FILES),
        lambda data: delivery.export_delivery_record(
            actor=request.actor, export=export, report=data["report"]
        ),
        done=lambda result: (
            _(
                "%(confirmed)s more people confirmed as having received the message (%(delivered)s delivered in the "
                "report, %(outside)s of them to numbers not in this export)."
            )
            % {"confirmed": result.confirmed, "delivered": result.delivered, "outside": result.not_in_export}
        ),
        back=export,
    )
