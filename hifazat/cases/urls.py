from django.urls import path

from hifazat.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/open/person/<uuid:uuid>/", views.case_open, name="case_open"),
    path(
        "cases/open/screening/<uuid:uuid>/", views.case_open_from_screening, name="case_open_from_screening"
    ),
    path("cases/approvals/", views.approval_list, name="approval_list"),
    path("cases/approvals/<uuid:uuid>/decide/", views.approval_decide, name="approval_decide"),
    path("cases/plans/<uuid:uuid>/end/", views.plan_end, name="plan_end"),
    path("cases/follow-ups/<uuid:uuid>/close/", views.followup_close, name="followup_close"),
    path("cases/events/<uuid:uuid>/edit/", views.record_edit, {"kind": "event"}, name="event_edit"),
    path("cases/events/<uuid:uuid>/remove/", views.record_remove, {"kind": "event"}, name="event_remove"),
    path(
        "cases/perpetrators/<uuid:uuid>/edit/",
        views.record_edit,
        {"kind": "perpetrator"},
        name="perpetrator_edit",
    ),
    path(
        "cases/perpetrators/<uuid:uuid>/remove/",
        views.record_remove,
        {"kind": "perpetrator"},
        name="perpetrator_remove",
    ),
    path("cases/plans/<uuid:uuid>/edit/", views.record_edit, {"kind": "plan"}, name="plan_edit"),
    path("cases/plans/<uuid:uuid>/remove/", views.record_remove, {"kind": "plan"}, name="plan_remove"),
    path("cases/services/<uuid:uuid>/edit/", views.record_edit, {"kind": "service"}, name="service_edit"),
    path(
        "cases/services/<uuid:uuid>/remove/", views.record_remove, {"kind": "service"}, name="service_remove"
    ),
    path("cases/follow-ups/<uuid:uuid>/edit/", views.record_edit, {"kind": "followup"}, name="followup_edit"),
    path(
        "cases/follow-ups/<uuid:uuid>/remove/",
        views.record_remove,
        {"kind": "followup"},
        name="followup_remove",
    ),
    path("cases/<uuid:uuid>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:uuid>/summary/", views.case_summary, name="case_summary"),
    path("cases/<uuid:uuid>/status/", views.case_status, name="case_status"),
    path("cases/<uuid:uuid>/assign/", views.case_assign, name="case_assign"),
    path("cases/<uuid:uuid>/transfer/", views.case_transfer, name="case_transfer"),
    path("cases/<uuid:uuid>/trafficking-status/", views.case_trafficking_status, name="trafficking_status"),
    path("cases/<uuid:uuid>/close/", views.case_close, name="case_close"),
    path("cases/<uuid:uuid>/reopen/", views.case_reopen, name="case_reopen"),
    path("cases/<uuid:uuid>/victim-context/", views.victim_context, name="victim_context"),
    path("cases/<uuid:uuid>/events/", views.historic_event_create, name="historic_event_create"),
    path("cases/<uuid:uuid>/perpetrators/", views.perpetrator_create, name="perpetrator_create"),
    path("cases/<uuid:uuid>/comments/", views.comment_create, name="comment_create"),
    path("cases/<uuid:uuid>/plans/", views.plan_create, name="plan_create"),
    path("cases/<uuid:uuid>/services/", views.service_create, name="service_create"),
    path("cases/<uuid:uuid>/follow-ups/", views.followup_create, name="followup_create"),
]
