from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from hifazat.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/<uuid:uuid>/", views.OrganisationDetail.as_view(), name="organisation_detail"),
    path("areas/", views.AreaList.as_view(), name="area_list"),
    path("areas/<uuid:uuid>/", views.AreaDetail.as_view(), name="area_detail"),
    path("sites/", views.SiteList.as_view(), name="site_list"),
    path("sites/<uuid:uuid>/", views.SiteDetail.as_view(), name="site_detail"),
    path("jobs/", views.JobList.as_view(), name="job_list"),
    path("jobs/<uuid:uuid>/", views.JobDetail.as_view(), name="job_detail"),
    # Each part keeps its endpoints beside its code (``<part>/api.py``, ``<part>/api_urls.py``), in this namespace.
    path("", include("hifazat.people.api_urls")),
    path("", include("hifazat.screening.api_urls")),
    path("", include("hifazat.notifications.api_urls")),
    path("", include("hifazat.cases.api_urls")),
    path("", include("hifazat.referrals.api_urls")),
    path("", include("hifazat.tracing.api_urls")),
    path("", include("hifazat.monitoring.api_urls")),
    path("", include("hifazat.campaigns.api_urls")),
    path("", include("hifazat.livelihoods.api_urls")),
]
