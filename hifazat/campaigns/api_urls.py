"""The campaigns part's API endpoints, included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("campaigns/", api.CampaignList.as_view(), name="campaign_list"),
    path("campaigns/<uuid:uuid>/", api.CampaignDetail.as_view(), name="campaign_detail"),
    path("campaigns/<uuid:uuid>/figures/", api.CampaignFigures.as_view(), name="campaign_figures"),
    path("campaigns/<uuid:uuid>/gaps/", api.CampaignGaps.as_view(), name="campaign_gaps"),
    path("campaigns/<uuid:uuid>/messages/", api.CampaignMessages.as_view(), name="campaign_messages"),
    path("campaigns/<uuid:uuid>/sessions/", api.CampaignSessions.as_view(), name="campaign_sessions"),
    path("campaigns/<uuid:uuid>/exports/", api.CampaignExports.as_view(), name="campaign_exports"),
    path(
        "campaign-messages/<uuid:uuid>/versions/",
        api.MessageVersions.as_view(),
        name="campaign_message_versions",
    ),
    path(
        "campaign-versions/<uuid:uuid>/review/", api.VersionReview.as_view(), name="campaign_version_review"
    ),
    path(
        "campaign-sessions/<uuid:uuid>/attendees/",
        api.SessionAttendees.as_view(),
        name="campaign_session_attendees",
    ),
    path("campaign-exports/<uuid:uuid>/", api.ExportDetail.as_view(), name="campaign_export_detail"),
    path("campaign-sms-length/", api.SmsLength.as_view(), name="campaign_sms_length"),
]
