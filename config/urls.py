from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("hifazat.core.urls")),
    path("", include("hifazat.accounts.urls")),
    path("", include("hifazat.geography.urls")),
    path("", include("hifazat.people.urls")),
    path("", include("hifazat.screening.urls")),
    path("", include("hifazat.notifications.urls")),
    path("", include("hifazat.cases.urls")),
    path("", include("hifazat.referrals.urls")),
    path("", include("hifazat.tracing.urls")),
    path("", include("hifazat.monitoring.urls")),
    path("", include("hifazat.campaigns.urls")),
    path("", include("hifazat.livelihoods.urls")),
    path("", include("hifazat.intake.urls")),
    path("", include("hifazat.reporting.urls")),
    path("api/v1/", include("hifazat.api.urls")),
]
