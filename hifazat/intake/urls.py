from django.urls import include, path

from hifazat.intake import collect, views

app_name = "intake"

urlpatterns = [
    path("intake/forms/", views.form_list, name="form_list"),
    path("intake/forms/<uuid:uuid>/", views.form_detail, name="form_detail"),
    path("intake/forms/<uuid:uuid>/active/", views.form_toggle, name="form_toggle"),
    path("intake/submissions/", views.submission_list, name="submission_list"),
    path("intake/submissions/<uuid:uuid>/", views.submission_detail, name="submission_detail"),
    path("intake/submissions/<uuid:uuid>/retry/", views.submission_retry, name="submission_retry"),
    path("intake/collect/", views.collect_setup, name="collect_setup"),
    path("", include("hifazat.intake.sheet_urls")),  # the spreadsheet import of households and people
    # OpenRosa for ODK Collect: the server URL is ``/collect/<token>`` (the user's Collect key); Collect appends
    # ``/formList`` and ``/submission`` exactly. Downloads are named in the form list and manifest.
    path("collect/<uuid:uuid>/formList", collect.form_list, name="openrosa_form_list"),
    path("collect/<uuid:uuid>/submission", collect.submission, name="openrosa_submission"),
    path("collect/forms/<uuid:uuid>/form.xml", collect.form_download, name="openrosa_form"),
    path("collect/forms/<uuid:uuid>/manifest", collect.manifest, name="openrosa_manifest"),
    path("collect/media/<uuid:uuid>", collect.media_download, name="openrosa_media"),
]
