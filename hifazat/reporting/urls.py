from django.urls import path

from hifazat.reporting import views

app_name = "reporting"

urlpatterns = [
    path("reporting/", views.dashboard, name="dashboard"),
]
