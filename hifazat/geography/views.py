"""Pages for admin areas and sites, and the CSV import."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.jobs import enqueue_on_commit, job_create, jobs_visible_to
from hifazat.core.models import Job
from hifazat.core.web import page_of
from hifazat.geography import tasks
from hifazat.geography.forms import AreaFilterForm, ImportForm, SiteFilterForm
from hifazat.geography.selectors import areas_visible_to, sites_in_area, sites_visible_to


@requires("geography.view")
def site_list(request):
    form = SiteFilterForm(request.GET or None)
    sites = sites_visible_to(request.actor)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            sites = sites.filter(
                Q(name__icontains=data["q"]) | Q(name_ur__icontains=data["q"]) | Q(code__icontains=data["q"])
            )
        if data["area"]:
            sites = sites_in_area(sites, data["area"])
        if data["site_type"]:
            sites = sites.filter(site_type=data["site_type"])
    context = {
        "form": form,
        "page": page_of(request, sites.order_by("name")),
        "can_manage": request.actor.can("geography.manage"),
    }
    return render_page_or_partial(request, "geography/site_list.html", "geography/_site_rows.html", context)


@requires("geography.view")
def site_detail(request, uuid):
    site = get_visible_or_404(sites_visible_to(request.actor), uuid)
    district = site.area if site.area.level == 2 else site.area.parent
    neighbours = sites_in_area(sites_visible_to(request.actor), district).exclude(pk=site.pk)
    points = [_point(s, current=False) for s in neighbours if s.latitude is not None]
    if site.latitude is not None:
        points.append(_point(site, current=True))
    context = {
        "site": site,
        "ancestors": [*site.area.ancestors(), site.area],
        "populations": site.populations.all()[:12],
        "map_points": points,
    }
    return render(request, "geography/site_detail.html", context)


def _point(site, *, current: bool) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(site.longitude), float(site.latitude)]},
        "properties": {"name": site.name, "url": f"/sites/{site.uuid}/", "current": current},
    }


@requires("geography.view")
def area_list(request):
    form = AreaFilterForm(request.GET or None)
    areas = areas_visible_to(request.actor).annotate(site_count=Count("sites"))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            areas = areas.filter(
                Q(name__icontains=data["q"])
                | Q(name_ur__icontains=data["q"])
                | Q(pcode__istartswith=data["q"])
            )
        if data["level"] is not None:
            areas = areas.filter(level=data["level"])
    context = {"form": form, "page": page_of(request, areas.order_by("level", "pcode"))}
    return render_page_or_partial(request, "geography/area_list.html", "geography/_area_rows.html", context)


@requires("geography.manage")
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload a CSV file; its dry run starts at once in the background."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file_name, text = form.cleaned_data["file"]
        job = job_create(
            actor=request.actor, kind=form.cleaned_data["kind"], file_name=file_name, payload=text
        )
        enqueue_on_commit(tasks.import_check, str(job.uuid))
        return redirect("geography:import_detail", job.uuid)
    recent = jobs_visible_to(request.actor).filter(kind__startswith="geography.")[:10]
    return render(request, "geography/import_start.html", {"form": form, "recent": recent})


@requires("geography.manage")
def import_detail(request, uuid):
    job = get_visible_or_404(jobs_visible_to(request.actor).filter(kind__startswith="geography."), uuid)
    return render_page_or_partial(
        request, "geography/import_detail.html", "geography/_import_status.html", {"job": job}
    )


@requires("geography.manage")
@require_POST
def import_commit(request, uuid):
    """Write a checked file. Only a job whose dry run found no errors can be committed."""
    job = get_visible_or_404(jobs_visible_to(request.actor).filter(kind__startswith="geography."), uuid)
    # Compare-and-set: a second click, or a second tab, cannot queue the same commit twice.
    if Job.objects.filter(pk=job.pk, status=Job.Status.READY).update(status=Job.Status.QUEUED):
        enqueue_on_commit(tasks.import_commit, str(job.uuid))
    return redirect("geography:import_detail", job.uuid)
