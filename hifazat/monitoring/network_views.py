"""The network pages (clusters of linked reports, the graph around one report, a trace looked up) and the map of
reports by site for a period."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from hifazat.core.access import get_visible_or_404, requires
from hifazat.monitoring.forms import EntitySearchForm, MapForm
from hifazat.monitoring.graph import network_graph
from hifazat.monitoring.normalise import VALUE
from hifazat.monitoring.selectors import entity_lookup, reports_visible_to

CLUSTERS_SHOWN = 30


@requires("monitoring.view")
def network(request):
    """The largest clusters of linked reports, and a trace looked up: which reports name this phone number?"""
    reports = reports_visible_to(request.actor)
    clusters = list(
        reports.order_by()
        .values("cluster")
        .annotate(
            size=Count("id"),
            sites=Count("site", distinct=True),
            first=Min("occurred_on"),
            last=Max("occurred_on"),
        )
        .filter(size__gt=1)
        .order_by("-size", "-last")[:CLUSTERS_SHOWN]
    )
    latest = {}
    for row in reports.filter(cluster__in=[c["cluster"] for c in clusters]).order_by(
        "cluster", "-occurred_on", "-id"
    ):
        latest.setdefault(row.cluster, row)
    for cluster in clusters:
        cluster["report"] = latest.get(cluster["cluster"])
    form = EntitySearchForm(request.GET or None)
    entity, found, searched = None, [], False
    if form.is_valid():
        searched = True
        value = VALUE[form.cleaned_data["kind"]](form.cleaned_data["text"])
        entity = entity_lookup(request.actor, form.cleaned_data["kind"], value) if value else None
        if entity is not None:
            found = list(reports.filter(mentions__entity=entity).order_by("-occurred_on"))
    return render(
        request,
        "monitoring/network.html",
        {"clusters": clusters, "form": form, "entity": entity, "found": found, "searched": searched},
    )


@requires("monitoring.view")
def report_network(request, uuid):
    """The graph of the report's cluster, centred on the report, drawn on the server as SVG."""
    report = get_visible_or_404(reports_visible_to(request.actor), uuid)
    graph = network_graph(request.actor, report)
    return render(request, "monitoring/report_network.html", {"report": report, "graph": graph})


@requires("monitoring.view")
def report_map(request):
    """Reports by site for a chosen period (the last 90 days of reports unless asked), on the offline map."""
    form = MapForm(request.GET or None)
    reports = reports_visible_to(request.actor)
    date_from, date_to = form.period()
    if date_to is None:
        date_to = reports.aggregate(last=Max("occurred_on"))["last"] or timezone.localdate()
    if date_from is None:
        date_from = date_to - datetime.timedelta(days=90)
    reports = reports.filter(occurred_on__range=(date_from, date_to))
    if form.is_valid() and form.cleaned_data["kind"]:
        reports = reports.filter(kind=form.cleaned_data["kind"])
    rows = list(
        reports.filter(site__isnull=False)
        .order_by()
        .values("site__uuid", "site__name", "site__code", "site__latitude", "site__longitude")
        .annotate(count=Count("id"), alerts=Count("alerts", distinct=True))
        .order_by("-count", "site__name")
    )
    list_url = reverse("monitoring:report_list")
    points = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(r["site__longitude"]), float(r["site__latitude"])],
            },
            "properties": {
                "name": r["site__name"],
                "count": r["count"],
                "url": f"{list_url}?site={r['site__uuid']}&date_from={date_from}&date_to={date_to}",
            },
        }
        for r in rows
        if r["site__latitude"] is not None
    ]
    return render(
        request,
        "monitoring/report_map.html",
        {
            "form": form,
            "rows": rows,
            "points": points,
            "date_from": date_from,
            "date_to": date_to,
            "without_site": reports.filter(site__isnull=True).count(),
        },
    )
