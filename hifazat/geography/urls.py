from django.urls import path

from hifazat.geography import views

app_name = "geography"

urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/<uuid:uuid>/", views.site_detail, name="site_detail"),
    path("areas/", views.area_list, name="area_list"),
    path("geography/import/", views.import_start, name="import_start"),
    path("geography/import/<uuid:uuid>/", views.import_detail, name="import_detail"),
    path("geography/import/<uuid:uuid>/commit/", views.import_commit, name="import_commit"),
]
