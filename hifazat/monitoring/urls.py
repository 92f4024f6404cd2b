from django.urls import path

from hifazat.monitoring import alert_views, network_views, people_views, public_views, views

app_name = "monitoring"

urlpatterns = [
    # The public's anonymous tips: a short address for leaflets and the awareness page.
    path("tip/", public_views.tip, name="tip"),
    path("tip/thanks/", public_views.tip_thanks, name="tip_thanks"),
    path("monitoring/reports/", views.report_list, name="report_list"),
    path("monitoring/reports/new/", views.report_create, name="report_create"),
    path("monitoring/reports/<uuid:uuid>/", views.report_detail, name="report_detail"),
    path("monitoring/reports/<uuid:uuid>/triage/", views.report_triage, name="report_triage"),
    path("monitoring/reports/<uuid:uuid>/close/", views.report_close, name="report_close"),
    path("monitoring/reports/<uuid:uuid>/police/", views.report_police, name="report_police"),
    path("monitoring/reports/<uuid:uuid>/campaign/", views.report_campaign, name="report_campaign"),
    path("monitoring/reports/<uuid:uuid>/link/", views.report_link, name="report_link"),
    path("monitoring/reports/<uuid:uuid>/people/", views.report_people, name="report_people"),
    path("monitoring/reports/<uuid:uuid>/people/link/", views.report_link_person, name="report_link_person"),
    path("monitoring/reports/<uuid:uuid>/case/", views.report_open_case, name="report_open_case"),
    path("monitoring/reports/<uuid:uuid>/photos/", views.report_photo, name="report_photo"),
    path("monitoring/reports/<uuid:uuid>/network/", network_views.report_network, name="report_network"),
    path("monitoring/photos/<uuid:uuid>/", views.attachment, name="attachment"),
    path("monitoring/network/", network_views.network, name="network"),
    path("monitoring/map/", network_views.report_map, name="report_map"),
    path("monitoring/alerts/", alert_views.alert_list, name="alert_list"),
    path("monitoring/alerts/<uuid:uuid>/", alert_views.alert_detail, name="alert_detail"),
    path("monitoring/alerts/<uuid:uuid>/owner/", alert_views.alert_assign, name="alert_assign"),
    path(
        "monitoring/alerts/<uuid:uuid>/acknowledge/", alert_views.alert_acknowledge, name="alert_acknowledge"
    ),
    path("monitoring/alerts/<uuid:uuid>/resolve/", alert_views.alert_resolve, name="alert_resolve"),
    path("monitoring/reporters/", people_views.reporter_list, name="reporter_list"),
    path("monitoring/reporters/new/", people_views.reporter_create, name="reporter_create"),
    path("monitoring/reporters/<uuid:uuid>/", people_views.reporter_detail, name="reporter_detail"),
    path("monitoring/exits/", people_views.exit_list, name="exit_list"),
    path("monitoring/exits/person/<uuid:uuid>/", people_views.exit_create, name="exit_create"),
]
