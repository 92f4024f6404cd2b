from django.urls import path

from hifazat.screening import views

app_name = "screening"

urlpatterns = [
    path("screening/", views.screening_list, name="screening_list"),
    path("screening/person/<uuid:uuid>/new/", views.screening_create, name="screening_create"),
    path("screening/<uuid:uuid>/", views.screening_detail, name="screening_detail"),
    path("screening/<uuid:uuid>/trafficking-status/", views.trafficking_status, name="trafficking_status"),
    path("screening/follow-ups/", views.followup_list, name="followup_list"),
    path("screening/follow-ups/<uuid:uuid>/close/", views.followup_close, name="followup_close"),
]
