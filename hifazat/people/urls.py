from django.urls import path

from hifazat.people import review_views, views

app_name = "people"

urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<uuid:uuid>/", views.household_detail, name="household_detail"),
    path("households/<uuid:uuid>/edit/", views.household_edit, name="household_edit"),
    path("households/<uuid:uuid>/members/new/", views.person_create, name="person_create"),
    path("people/", views.person_list, name="person_list"),
    path("people/duplicates/", review_views.duplicate_list, name="duplicate_list"),
    path("people/duplicates/<uuid:uuid>/", review_views.duplicate_detail, name="duplicate_detail"),
    path("people/merges/<uuid:uuid>/", review_views.merge_detail, name="merge_detail"),
    path("people/<uuid:uuid>/", views.person_detail, name="person_detail"),
    path("people/<uuid:uuid>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:uuid>/consent/", views.consent_create, name="consent_create"),
    path("people/<uuid:uuid>/vulnerabilities/", views.vulnerability_create, name="vulnerability_create"),
]
