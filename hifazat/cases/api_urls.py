"""The cases part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from hifazat.cases import api

urlpatterns = [
    path("cases/", api.CaseList.as_view(), name="case_list"),
    path("cases/<uuid:uuid>/", api.CaseDetail.as_view(), name="case_detail"),
    path("cases/<uuid:uuid>/comments/", api.CaseComments.as_view(), name="case_comment_list"),
    path("cases/<uuid:uuid>/events/", api.CaseEvents.as_view(), name="case_event_list"),
    path("cases/<uuid:uuid>/perpetrators/", api.CasePerpetrators.as_view(), name="case_perpetrator_list"),
    path("cases/<uuid:uuid>/support-plans/", api.CasePlans.as_view(), name="case_plan_list"),
    path("cases/<uuid:uuid>/services/", api.CaseServices.as_view(), name="case_service_list"),
    path("cases/<uuid:uuid>/follow-ups/", api.CaseFollowUps.as_view(), name="case_followup_list"),
    path("cases/events/<uuid:uuid>/", api.CaseEventDetail.as_view(), name="case_event_detail"),
    path(
        "cases/perpetrators/<uuid:uuid>/", api.CasePerpetratorDetail.as_view(), name="case_perpetrator_detail"
    ),
    path("cases/support-plans/<uuid:uuid>/", api.CasePlanDetail.as_view(), name="case_plan_detail"),
    path("cases/services/<uuid:uuid>/", api.CaseServiceDetail.as_view(), name="case_service_detail"),
    path("cases/follow-ups/<uuid:uuid>/", api.CaseFollowUpDetail.as_view(), name="case_followup_detail"),
    path("approvals/", api.ApprovalList.as_view(), name="case_approval_list"),
    path("approvals/<uuid:uuid>/decide/", api.ApprovalDecide.as_view(), name="case_approval_decide"),
]
