from django.urls import path

from hifazat.tracing import views

app_name = "tracing"

urlpatterns = [
    path("tracing/", views.request_list, name="request_list"),
    path("tracing/new/", views.request_create, name="request_create"),
    path("tracing/children/", views.child_list, name="child_list"),
    path("tracing/children/<uuid:uuid>/", views.child_detail, name="child_detail"),
    path("tracing/<uuid:uuid>/", views.request_detail, name="request_detail"),
    path("tracing/<uuid:uuid>/edit/", views.request_edit, name="request_edit"),
    path("tracing/<uuid:uuid>/look-again/", views.request_refresh, name="request_refresh"),
    path("tracing/<uuid:uuid>/decide/", views.candidate_decide, name="candidate_decide"),
    path("tracing/<uuid:uuid>/confirm/", views.match_confirm, name="match_confirm"),
    path("tracing/<uuid:uuid>/withdraw-match/", views.match_withdraw, name="match_withdraw"),
    path("tracing/<uuid:uuid>/checklist/", views.checklist, name="checklist"),
    path("tracing/<uuid:uuid>/reunify/", views.reunify, name="reunify"),
    path("tracing/<uuid:uuid>/close/", views.request_close, name="request_close"),
]
