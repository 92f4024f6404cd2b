from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from hifazat.api import people, views

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
    path("people/<uuid:uuid>/", people.PersonDetail.as_view(), name="person_detail"),
    path("people/<uuid:uuid>/consents/", people.ConsentList.as_view(), name="consent_list"),
    path("jobs/", views.JobList.as_view(), name="job_list"),
    path("jobs/<uuid:uuid>/", views.JobDetail.as_view(), name="job_detail"),
]
