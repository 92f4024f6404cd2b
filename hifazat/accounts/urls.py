from django.contrib.auth import views as auth_views
from django.urls import path

from hifazat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("profile/", views.profile, name="profile"),
    path("profile/api-token/", views.api_token, name="api_token"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:uuid>/", views.user_detail, name="user_detail"),
    path("users/<uuid:uuid>/edit/", views.user_edit, name="user_edit"),
    path("users/<uuid:uuid>/reset-two-factor/", views.user_reset_two_factor, name="user_reset_two_factor"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:uuid>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:uuid>/edit/", views.organisation_edit, name="organisation_edit"),
]
