"""The coordinators' pages, under /plan/ (names prefixed "plan_" in the "web" namespace)."""

from django.urls import path

from web.coordinator import meals, planner, ride_queue, roster, views

urlpatterns = [
    path("", views.journey_list, name="plan_journeys"),
    path("<slug:slug>/", views.dashboard, name="plan_dashboard"),
    path("<slug:slug>/route/<int:route_id>/", views.route_edit, name="plan_route"),
    path("<slug:slug>/route/<int:route_id>/move/", views.route_move, name="plan_route_move"),
    path(
        "<slug:slug>/route/<int:route_id>/planner/",
        planner.route_planner,
        name="plan_route_planner",
    ),
    path(
        "<slug:slug>/route/<int:route_id>/planner/accept/",
        planner.route_planner_accept,
        name="plan_route_planner_accept",
    ),
    path("<slug:slug>/stops/<int:stop_id>/", views.stop_edit, name="plan_stop"),
    path("<slug:slug>/stops/<int:stop_id>/meals/", meals.stop_meals, name="plan_stop_meals"),
    path("<slug:slug>/participants/", views.participant_list, name="plan_participants"),
    path("<slug:slug>/participants/add/", views.participant_edit, name="plan_participant_add"),
    path("<slug:slug>/participants/<int:pk>/", views.participant_edit, name="plan_participant"),
    path(
        "<slug:slug>/participants/<int:pk>/assign/",
        views.participant_assign,
        name="plan_assign",
    ),
    path("<slug:slug>/roster/", roster.roster_import, name="plan_roster"),
    path(
        "<slug:slug>/roster/export.<slug:format>",
        roster.roster_export,
        name="plan_roster_export",
    ),
    path("<slug:slug>/rides/", ride_queue.ride_queue, name="plan_rides"),
    path("<slug:slug>/rides/<int:pk>/", ride_queue.ride_decide, name="plan_ride"),
    path("<slug:slug>/hosts/", views.host_queue, name="plan_hosts"),
    path("<slug:slug>/history/", views.history, name="plan_history"),
    path("<slug:slug>/hosts/<int:pk>/", views.host_review, name="plan_host"),
    path("<slug:slug>/export/<slug:document>.csv", views.export_csv, name="plan_export_csv"),
    path("<slug:slug>/notify/", views.notify_riders, name="plan_notify"),
]
