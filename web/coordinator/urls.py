"""The coordinators' pages, under /plan/ (names prefixed "plan_" in the "web" namespace)."""

from django.urls import path

from web.coordinator import planner
from web.coordinator.views import (
    exports,
    history,
    hosts,
    journeys,
    meals,
    people,
    rides,
    roster,
    route,
    rsvps,
)

urlpatterns = [
    path("", journeys.journey_list, name="plan_journeys"),
    path("<slug:slug>/", journeys.dashboard, name="plan_dashboard"),
    path("<slug:slug>/route/<int:route_id>/", route.route_edit, name="plan_route"),
    path("<slug:slug>/route/<int:route_id>/move/", route.route_move, name="plan_route_move"),
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
    path("<slug:slug>/stops/<int:stop_id>/", route.stop_edit, name="plan_stop"),
    path("<slug:slug>/stops/<int:stop_id>/meals/", meals.stop_meals, name="plan_stop_meals"),
    path("<slug:slug>/participants/", people.participant_list, name="plan_participants"),
    path("<slug:slug>/participants/add/", people.participant_edit, name="plan_participant_add"),
    path("<slug:slug>/participants/<int:pk>/", people.participant_edit, name="plan_participant"),
    path(
        "<slug:slug>/participants/<int:pk>/assign/",
        people.participant_assign,
        name="plan_assign",
    ),
    path("<slug:slug>/roster/", roster.roster_import, name="plan_roster"),
    path(
        "<slug:slug>/roster/export.<slug:format>",
        roster.roster_export,
        name="plan_roster_export",
    ),
    path("<slug:slug>/rides/", rides.ride_queue, name="plan_rides"),
    path("<slug:slug>/rsvps/", rsvps.rsvp_list, name="plan_rsvps"),
    path("<slug:slug>/rides/<int:pk>/", rides.ride_decide, name="plan_ride"),
    path("<slug:slug>/hosts/", hosts.host_queue, name="plan_hosts"),
    path("<slug:slug>/history/", history.history, name="plan_history"),
    path("<slug:slug>/hosts/<int:pk>/", hosts.host_review, name="plan_host"),
    path("<slug:slug>/export/<slug:document>.csv", exports.export_csv, name="plan_export_csv"),
    path("<slug:slug>/notify/", exports.notify_riders, name="plan_notify"),
]
