"""The referrals part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from hifazat.referrals import api

urlpatterns = [
    path("service-providers/", api.ProviderList.as_view(), name="provider_list"),
    path("service-providers/<uuid:uuid>/", api.ProviderDetail.as_view(), name="provider_detail"),
    path("referral-pathways/", api.PathwayList.as_view(), name="pathway_list"),
    path("referral-pathways/<uuid:uuid>/", api.PathwayDetail.as_view(), name="pathway_detail"),
    path("referrals/", api.ReferralList.as_view(), name="referral_list"),
    path("referrals/<uuid:uuid>/", api.ReferralDetail.as_view(), name="referral_detail"),
    path("referrals/<uuid:uuid>/respond/", api.ReferralRespond.as_view(), name="referral_respond"),
    path("referrals/<uuid:uuid>/withdraw/", api.ReferralWithdraw.as_view(), name="referral_withdraw"),
]
