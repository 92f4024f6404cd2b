"""Routes of the spreadsheet import of households and people, included by ``intake.urls``."""

from django.urls import path

from hifazat.intake import sheet_views

urlpatterns = [
    path("intake/sheets/", sheet_views.sheet_start, name="sheet_start"),
    path("intake/sheets/template.csv", sheet_views.sheet_template, name="sheet_template"),
    path("intake/sheets/<uuid:uuid>/", sheet_views.sheet_detail, name="sheet_detail"),
    path("intake/sheets/<uuid:uuid>/commit/", sheet_views.sheet_commit, name="sheet_commit"),
]
