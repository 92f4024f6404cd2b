from django.urls import path

from hifazat.referrals import directory_views, views

app_name = "referrals"

urlpatterns = [
    path("services/providers/", directory_views.provider_list, name="provider_list"),
    path("services/providers/new/", directory_views.provider_create, name="provider_create"),
    path("services/providers/<uuid:uuid>/", directory_views.provider_detail, name="provider_detail"),
    path("services/providers/<uuid:uuid>/edit/", directory_views.provider_edit, name="provider_edit"),
    path("services/pathways/", directory_views.pathway_list, name="pathway_list"),
    path("services/pathways/new/", directory_views.pathway_create, name="pathway_create"),
    path("services/pathways/<uuid:uuid>/", directory_views.pathway_detail, name="pathway_detail"),
    path("services/pathways/<uuid:uuid>/edit/", directory_views.pathway_edit, name="pathway_edit"),
    path("referrals/sent/", views.referral_list, name="referral_list"),
    path("referrals/incoming/", views.referral_incoming, name="referral_incoming"),
    path("referrals/case/<uuid:uuid>/new/", views.referral_create, name="referral_create"),
    path("referrals/<uuid:uuid>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:uuid>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:uuid>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<uuid:uuid>/complete/", views.referral_complete, name="referral_complete"),
    path("referrals/<uuid:uuid>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("referrals/<uuid:uuid>/open-case/", views.referral_open_case, name="referral_open_case"),
]
