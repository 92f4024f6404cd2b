from django.urls import path

from . import activity_views, public, views

app_name = "campaigns"

urlpatterns = [
    path("awareness/", public.public, name="public"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/sms-length/", views.sms_length_view, name="sms_length"),
    path("campaigns/<uuid:uuid>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<uuid:uuid>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<uuid:uuid>/launch/", views.campaign_launch, name="campaign_launch"),
    path("campaigns/<uuid:uuid>/figures/", views.campaign_figures, name="campaign_figures"),
    path("campaigns/<uuid:uuid>/gaps/", views.gap_list, name="gap_list"),
    path("campaigns/<uuid:uuid>/messages/", views.campaign_messages, name="campaign_messages"),
    path("campaigns/<uuid:uuid>/messages/new/", views.message_create, name="message_create"),
    path("campaigns/messages/<uuid:uuid>/", views.message_detail, name="message_detail"),
    path("campaigns/messages/<uuid:uuid>/write/", views.version_write, name="version_write"),
    path("campaigns/versions/<uuid:uuid>/submit/", views.version_submit, name="version_submit"),
    path("campaigns/versions/<uuid:uuid>/review/", views.version_review, name="version_review"),
    path("campaigns/<uuid:uuid>/activities/", activity_views.campaign_activities, name="campaign_activities"),
    path("campaigns/<uuid:uuid>/sessions/new/", activity_views.session_create, name="session_create"),
    path("campaigns/sessions/<uuid:uuid>/", activity_views.session_detail, name="session_detail"),
    path("campaigns/sessions/<uuid:uuid>/edit/", activity_views.session_edit, name="session_edit"),
    path("campaigns/sessions/<uuid:uuid>/find/", activity_views.attendee_search, name="attendee_search"),
    path("campaigns/sessions/<uuid:uuid>/attendees/", activity_views.attendee_add, name="attendee_add"),
    path("campaigns/sessions/<uuid:uuid>/scores/", activity_views.scores_add, name="scores_add"),
    path("campaigns/attendances/<uuid:uuid>/remove/", activity_views.attendee_remove, name="attendee_remove"),
    path("campaigns/<uuid:uuid>/materials/new/", activity_views.material_create, name="material_create"),
    path(
        "campaigns/materials/<uuid:uuid>/distribute/",
        activity_views.distribution_create,
        name="distribution_create",
    ),
    path("campaigns/<uuid:uuid>/radio/new/", activity_views.radio_create, name="radio_create"),
    path("campaigns/<uuid:uuid>/exports/new/", activity_views.export_create, name="export_create"),
    path("campaigns/exports/<uuid:uuid>/", activity_views.export_detail, name="export_detail"),
    path("campaigns/exports/<uuid:uuid>/download/", activity_views.export_download, name="export_download"),
    path(
        "campaigns/exports/<uuid:uuid>/delivery/",
        activity_views.export_delivery_record,
        name="export_delivery",
    ),
]
