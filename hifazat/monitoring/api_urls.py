"""The monitoring part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from hifazat.monitoring import api

urlpatterns = [
    path("monitoring/reports/", api.ReportList.as_view(), name="report_list"),
    path("monitoring/reports/<uuid:uuid>/", api.ReportDetail.as_view(), name="report_detail"),
    path("monitoring/reports/<uuid:uuid>/triage/", api.ReportTriage.as_view(), name="report_triage"),
    path("monitoring/reports/<uuid:uuid>/network/", api.ReportNetwork.as_view(), name="report_network"),
    path("monitoring/alerts/", api.AlertList.as_view(), name="alert_list"),
    path("monitoring/alerts/<uuid:uuid>/", api.AlertDetail.as_view(), name="alert_detail"),
]
