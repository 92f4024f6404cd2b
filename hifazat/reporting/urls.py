from django.urls import path

from hifazat.reporting import donor_views, export_views, views

app_name = "reporting"

urlpatterns = [
    path("reporting/", views.dashboard, name="dashboard"),
    path("reporting/figures.hxl", views.dashboard_export, name="dashboard_export"),
    path("reporting/exports/", export_views.exports_page, name="exports"),
    path("reporting/exports/cases/", export_views.case_export_start, name="case_export_start"),
    path("reporting/exports/cases/<uuid:uuid>/", export_views.case_export_detail, name="case_export_detail"),
    path(
        "reporting/exports/cases/<uuid:uuid>/download/",
        export_views.case_export_download,
        name="case_export_download",
    ),
    path("reporting/exports/who-what-where/", export_views.who_what_where, name="who_what_where"),
    path("reporting/donor/", donor_views.donor_reports, name="donor_reports"),
    path("reporting/donor/campaigns/<uuid:uuid>/", donor_views.donor_campaign_pdf, name="donor_campaign_pdf"),
    path(
        "reporting/donor/programmes/<uuid:uuid>/", donor_views.donor_programme_pdf, name="donor_programme_pdf"
    ),
]
