"""The people part's API endpoints (the registry, consent, duplicates), included under /api/v1/ in the ``api``
namespace."""

from django.urls import path

from hifazat.people import api

urlpatterns = [
    path("households/", api.HouseholdList.as_view(), name="household_list"),
    path("households/<uuid:uuid>/", api.HouseholdDetail.as_view(), name="household_detail"),
    path("people/", api.PersonList.as_view(), name="person_list"),
    path("people/check-duplicates/", api.DuplicateCheck.as_view(), name="duplicate_check"),
    path("people/<uuid:uuid>/", api.PersonDetail.as_view(), name="person_detail"),
    path("duplicates/", api.SuspicionList.as_view(), name="suspicion_list"),
    path("duplicates/<uuid:uuid>/merge/", api.SuspicionMerge.as_view(), name="suspicion_merge"),
    path("merges/<uuid:uuid>/undo/", api.MergeUndo.as_view(), name="merge_undo"),
    path("people/<uuid:uuid>/consents/", api.ConsentList.as_view(), name="consent_list"),
]
