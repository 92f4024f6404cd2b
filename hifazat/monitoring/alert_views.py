"""Pages of alerts: the list for focal points and supervisors, an alert with its rule and evidence, and taking it
on, acknowledging and resolving it."""

from __future__ import annotations

from django.db.models import Case, Count, When
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import act, page_of
from hifazat.monitoring import services
from hifazat.monitoring.forms import AlertAssignForm, AlertFilterForm, AlertResolveForm
from hifazat.monitoring.models import Alert, Priority
from hifazat.monitoring.selectors import alerts_visible_to, persons_linkable_by, reports_visible_to


@requires("alerts.view")
def alert_list(request):
    """Alerts not yet resolved, the most severe and most recent first, unless asked otherwise."""
    form = AlertFilterForm(request.GET or None)
    alerts = alerts_visible_to(request.actor).annotate(report_count=Count("reports"))
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        if data["rule"]:
            alerts = alerts.filter(rule=data["rule"])
        if data["mine"]:
            alerts = alerts.filter(owner=request.user)
    if status == "":
        alerts = alerts.exclude(status=Alert.Status.RESOLVED)
    elif status != "all":
        alerts = alerts.filter(status=status)
    alerts = alerts.annotate(
        severity_rank=Case(*[When(severity=p, then=i) for i, p in enumerate(reversed(Priority.values))])
    ).order_by("severity_rank", "-last_seen_on", "-id")
    page = page_of(request, alerts)
    return render_page_or_partial(
        request, "monitoring/alert_list.html", "monitoring/_alert_rows.html", {"form": form, "page": page}
    )


@requires("alerts.view")
def alert_detail(request, uuid):
    alert = get_visible_or_404(alerts_visible_to(request.actor), uuid, actor=request.actor, audit=True)
    reports = reports_visible_to(request.actor).filter(alerts=alert).order_by("occurred_on", "id")
    person = (
        persons_linkable_by(request.actor)
        .filter(pk=alert.person_id)
        .select_related("household__site")
        .first()
    )
    can_manage = request.actor.can("alerts.manage") and alert.status != Alert.Status.RESOLVED
    return render(
        request,
        "monitoring/alert_detail.html",
        {
            "alert": alert,
            "reports": reports,
            "person": person,
            "can_manage": can_manage,
            "can_view_person": request.actor.can("people.view"),
            "assign_form": AlertAssignForm(
                organisation=request.actor.organisation,
                initial={"owner": alert.owner.uuid if alert.owner_id else request.user.uuid},
            )
            if can_manage
            else None,
            "resolve_form": AlertResolveForm() if can_manage else None,
        },
    )


def _managed(request, uuid) -> Alert:
    return get_visible_or_404(alerts_visible_to(request.actor), uuid)


@requires("alerts.manage")
@require_POST
def alert_assign(request, uuid):
    alert = _managed(request, uuid)
    return act(
        request,
        AlertAssignForm(request.POST, organisation=request.actor.organisation),
        lambda data: services.alert_assign(actor=request.actor, alert=alert, owner=data["owner"]),
        done=_("The alert has an owner."),
        back=alert,
        invalid=_("Choose an owner."),
    )


@requires("alerts.manage")
@require_POST
def alert_acknowledge(request, uuid):
    alert = _managed(request, uuid)
    return act(
        request,
        None,
        lambda _data: services.alert_acknowledge(actor=request.actor, alert=alert),
        done=_("The alert is acknowledged."),
        back=alert,
    )


@requires("alerts.manage")
@require_POST
def alert_resolve(request, uuid):
    alert = _managed(request, uuid)
    return act(
        request,
        AlertResolveForm(request.POST),
        lambda data: services.alert_resolve(actor=request.actor, alert=alert, resolution=data["resolution"]),
        done=_("The alert is resolved."),
        back=alert,
        invalid=_("Say what was done."),
    )
