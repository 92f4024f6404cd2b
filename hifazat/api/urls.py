from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from hifazat.api import duplicates, people, screening, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/<uuid:uuid>/", views.OrganisationDetail.as_view(), name="organisation_detail"),
    path("areas/", views.AreaList.as_view(), name="area_list"),
    path("areas/<uuid:uuid>/", views.AreaDetail.as_view(), name="area_detail"),
    path("sites/", views.SiteList.as_view(), name="site_list"),
    path("sites/<uuid:uuid>/", views.SiteDetail.as_view(), name="site_detail"),
    path("households/", people.HouseholdList.as_view(), name="household_list"),
    path("households/<uuid:uuid>/", people.HouseholdDetail.as_view(), name="household_detail"),
    path("people/", people.PersonList.as_view(), name="person_list"),
    path("people/check-duplicates/", duplicates.DuplicateCheck.as_view(), name="duplicate_check"),
    path("people/<uuid:uuid>/", people.PersonDetail.as_view(), name="person_detail"),
    path("duplicates/", duplicates.SuspicionList.as_view(), name="suspicion_list"),
    path("duplicates/<uuid:uuid>/merge/", duplicates.SuspicionMerge.as_view(), name="suspicion_merge"),
    path("merges/<uuid:uuid>/undo/", duplicates.MergeUndo.as_view(), name="merge_undo"),
    path("people/<uuid:uuid>/consents/", people.ConsentList.as_view(), name="consent_list"),
    path("people/<uuid:uuid>/screenings/", screening.PersonScreenings.as_view(), name="person_screenings"),
    path("screenings/<uuid:uuid>/", screening.ScreeningDetail.as_view(), name="screening_detail"),
    path("follow-ups/", screening.FollowUpQueue.as_view(), name="followup_queue"),
    path("jobs/", views.JobList.as_view(), name="job_list"),
    path("jobs/<uuid:uuid>/", views.JobDetail.as_view(), name="job_detail"),
    # Each later part keeps its endpoints beside its code, in the same namespace.
    path("", include("hifazat.notifications.api_urls")),
    path("", include("hifazat.cases.api_urls")),
    path("", include("hifazat.referrals.api_urls")),
    path("", include("hifazat.tracing.api_urls")),
    path("", include("hifazat.monitoring.api_urls")),
    path("", include("hifazat.campaigns.api_urls")),
    path("", include("hifazat.livelihoods.api_urls")),
]
