"""The screening part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from hifazat.screening import api

urlpatterns = [
    path("people/<uuid:uuid>/screenings/", api.PersonScreenings.as_view(), name="person_screenings"),
    path("screenings/<uuid:uuid>/", api.ScreeningDetail.as_view(), name="screening_detail"),
    path("follow-ups/", api.FollowUpQueue.as_view(), name="followup_queue"),
]
