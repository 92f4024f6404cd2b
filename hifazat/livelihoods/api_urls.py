"""The livelihoods part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from hifazat.livelihoods import api

urlpatterns = [
    path("programmes/", api.ProgrammeList.as_view(), name="programme_list"),
    path("programmes/<uuid:uuid>/", api.ProgrammeDetail.as_view(), name="programme_detail"),
    path("programmes/<uuid:uuid>/rules/", api.ProgrammeRules.as_view(), name="programme_rules"),
    path("programmes/<uuid:uuid>/ranking/", api.ProgrammeRanking.as_view(), name="programme_ranking"),
    path(
        "programmes/<uuid:uuid>/enrolments/", api.ProgrammeEnrolments.as_view(), name="programme_enrolments"
    ),
    path("programmes/<uuid:uuid>/skips/", api.ProgrammeSkips.as_view(), name="programme_skips"),
    path("programmes/<uuid:uuid>/figures/", api.ProgrammeFigures.as_view(), name="programme_figures"),
    path(
        "livelihood-enrolments/<uuid:uuid>/",
        api.EnrolmentDetail.as_view(),
        name="livelihood_enrolment_detail",
    ),
    path(
        "livelihood-enrolments/<uuid:uuid>/end/", api.EnrolmentEnd.as_view(), name="livelihood_enrolment_end"
    ),
    path(
        "livelihood-enrolments/<uuid:uuid>/support/",
        api.EnrolmentSupport.as_view(),
        name="livelihood_support",
    ),
    path("livelihood-visits/<uuid:uuid>/", api.VisitDetail.as_view(), name="livelihood_visit_detail"),
    path("cases/<uuid:uuid>/livelihood-referrals/", api.CaseReferrals.as_view(), name="livelihood_referrals"),
]
