"""The tracing part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from hifazat.tracing import api

urlpatterns = [
    path("tracing/requests/", api.TracingRequestList.as_view(), name="tracing_request_list"),
    path("tracing/requests/<uuid:uuid>/", api.TracingRequestDetail.as_view(), name="tracing_request_detail"),
    path(
        "tracing/requests/<uuid:uuid>/candidates/",
        api.TracingRequestCandidates.as_view(),
        name="tracing_request_candidates",
    ),
    path(
        "tracing/requests/<uuid:uuid>/decide/",
        api.TracingCandidateDecide.as_view(),
        name="tracing_candidate_decide",
    ),
    path(
        "tracing/requests/<uuid:uuid>/confirm/",
        api.TracingMatchConfirm.as_view(),
        name="tracing_match_confirm",
    ),
    path("tracing/requests/<uuid:uuid>/checklist/", api.TracingChecklist.as_view(), name="tracing_checklist"),
    path(
        "tracing/children/<uuid:uuid>/candidates/",
        api.TracingChildCandidates.as_view(),
        name="tracing_child_candidates",
    ),
]
