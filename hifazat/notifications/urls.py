from django.urls import path

from hifazat.notifications import views

app_name = "notifications"

urlpatterns = [
    path("work/", views.work, name="work"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<uuid:uuid>/open/", views.notification_open, name="notification_open"),
]
