from django.urls import path

from journey import backup_views, views

app_name = "journey"

urlpatterns = [
    path("journeys/<slug:slug>/calendar.ics", views.public_feed, name="public_feed"),
    path("journeys/<slug:slug>/team.ics", views.team_feed, name="team_feed"),
    path(
        "journeys/<slug:slug>/team/<str:token>.ics",
        views.team_feed_by_token,
        name="team_feed_by_token",
    ),
    path("my/<str:token>/calendar.ics", views.personal_feed, name="personal_feed"),
    # PDF documents
    path("journeys/<slug:slug>/booklet.pdf", views.public_booklet, name="public_booklet"),
    path("journeys/<slug:slug>/team/booklet.pdf", views.team_booklet, name="team_booklet"),
    path("journeys/<slug:slug>/team/rooming.pdf", views.team_rooming_list, name="team_rooming"),
    path("journeys/<slug:slug>/team/manifest.pdf", views.team_manifest, name="team_manifest"),
    path(
        "journeys/<slug:slug>/team/stops/<int:stop_id>/day-sheet.pdf",
        views.host_day_sheet_pdf,
        name="host_day_sheet",
    ),
    path(
        "host/<str:token>/day-sheet.pdf",
        views.host_link_day_sheet_pdf,
        name="host_link_day_sheet",
    ),
    path("my/<str:token>/itinerary.pdf", views.personal_itinerary_pdf, name="personal_pdf"),
    # Navigation files: a vehicle's route (coordinators), a rider's own (secret link)
    path(
        "journeys/<slug:slug>/team/vehicles/<int:vehicle_id>/route.gpx",
        views.team_vehicle_route,
        {"format": "gpx"},
        name="team_route_gpx",
    ),
    path(
        "journeys/<slug:slug>/team/vehicles/<int:vehicle_id>/route.kml",
        views.team_vehicle_route,
        {"format": "kml"},
        name="team_route_kml",
    ),
    path("my/<str:token>/route.gpx", views.personal_route, {"format": "gpx"}, name="route_gpx"),
    path("my/<str:token>/route.kml", views.personal_route, {"format": "kml"}, name="route_kml"),
    path("journeys/<slug:slug>/team/backup.json", backup_views.journey_backup, name="team_backup"),
]
