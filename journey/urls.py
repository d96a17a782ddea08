from django.urls import path

from journey import views

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
]
