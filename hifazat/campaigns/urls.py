from django.urls import path

from . import activities, public, views

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
    path("campaigns/<uuid:uuid>/activities/", activities.campaign_activities, name="campaign_activities"),
    path("campaigns/<uuid:uuid>/sessions/new/", activities.session_create, name="session_create"),
    path("campaigns/sessions/<uuid:uuid>/", activities.session_detail, name="session_detail"),
    path("campaigns/sessions/<uuid:uuid>/edit/", activities.session_edit, name="session_edit"),
    path("campaigns/sessions/<uuid:uuid>/find/", activities.attendee_search, name="attendee_search"),
    path("campaigns/sessions/<uuid:uuid>/attendees/", activities.attendee_add, name="attendee_add"),
    path("campaigns/sessions/<uuid:uuid>/scores/", activities.scores_add, name="scores_add"),
    path("campaigns/attendances/<uuid:uuid>/remove/", activities.attendee_remove, name="attendee_remove"),
    path("campaigns/<uuid:uuid>/materials/new/", activities.material_create, name="material_create"),
    path(
        "campaigns/materials/<uuid:uuid>/distribute/",
        activities.distribution_create,
        name="distribution_create",
    ),
    path("campaigns/<uuid:uuid>/radio/new/", activities.radio_create, name="radio_create"),
    path("campaigns/<uuid:uuid>/exports/new/", activities.export_create, name="export_create"),
    path("campaigns/exports/<uuid:uuid>/", activities.export_detail, name="export_detail"),
    path("campaigns/exports/<uuid:uuid>/download/", activities.export_download, name="export_download"),
]
