from django.urls import path

from hifazat.livelihoods import participant_views, views

app_name = "livelihoods"

urlpatterns = [
    path("livelihoods/", views.programme_list, name="programme_list"),
    path("livelihoods/new/", views.programme_create, name="programme_create"),
    path("livelihoods/figures/", views.figures_list, name="figures_list"),
    path("livelihoods/figures/<uuid:uuid>/", views.programme_figures_detail, name="programme_figures"),
    path("livelihoods/<uuid:uuid>/", views.programme_detail, name="programme_detail"),
    path("livelihoods/<uuid:uuid>/edit/", views.programme_edit, name="programme_edit"),
    path("livelihoods/<uuid:uuid>/rules/new/", views.rule_create, name="rule_create"),
    path("livelihoods/rules/<uuid:uuid>/delete/", views.rule_delete, name="rule_delete"),
    path("livelihoods/<uuid:uuid>/ranking/", views.programme_ranking, name="programme_ranking"),
    path("livelihoods/<uuid:uuid>/skip/", views.household_skip, name="household_skip"),
    path("livelihoods/<uuid:uuid>/enrol/", participant_views.enrolment_create, name="enrolment_create"),
    path("livelihoods/enrolments/<uuid:uuid>/", participant_views.enrolment_detail, name="enrolment_detail"),
    path("livelihoods/enrolments/<uuid:uuid>/end/", participant_views.enrolment_end, name="enrolment_end"),
    path(
        "livelihoods/enrolments/<uuid:uuid>/support/",
        participant_views.support_create,
        name="support_create",
    ),
    path("livelihoods/visits/<uuid:uuid>/", participant_views.visit_record, name="visit_record"),
    path(
        "livelihoods/support-plans/<uuid:uuid>/refer/",
        participant_views.referral_create,
        name="referral_create",
    ),
]
