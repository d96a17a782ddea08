"""/api/: journeys, and under /api/journeys/<slug>/ everything about one journey."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api import roster, views

app_name = "api"

journeys = SimpleRouter()
journeys.register("journeys", views.JourneyViewSet, basename="journey")

# Everything below belongs to one journey: /api/journeys/<journey_slug>/<resource>/
in_journey = SimpleRouter()
in_journey.register("routes", views.RouteViewSet, basename="route")
in_journey.register("stops", views.StopViewSet, basename="stop")
in_journey.register("activities", views.ActivityViewSet, basename="activity")
in_journey.register("legs", views.LegViewSet, basename="leg")
in_journey.register("lodgings", views.LodgingViewSet, basename="lodging")
in_journey.register("vehicles", views.VehicleViewSet, basename="vehicle")
in_journey.register(
    "participants/import", roster.ParticipantImportViewSet, basename="participant-import"
)
in_journey.register("participants", views.ParticipantViewSet, basename="participant")
in_journey.register("seats", views.SeatAssignmentViewSet, basename="seat")
in_journey.register("beds", views.BedAssignmentViewSet, basename="bed")
in_journey.register("hosts", views.HostAllyViewSet, basename="host")
in_journey.register("host-applications", views.HostApplicationViewSet, basename="host-application")
in_journey.register("problems", views.ProblemViewSet, basename="problem")
in_journey.register("exports", views.ExportViewSet, basename="export")

urlpatterns = [
    path("", include(journeys.urls)),
    path("journeys/<slug:journey_slug>/", include(in_journey.urls)),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/itinerary/", views.MyItineraryView.as_view(), name="me-itinerary"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
