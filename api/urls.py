"""/api/: journeys, and under /api/journeys/<slug>/ everything about one journey."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.views.exports import ExportViewSet
from api.views.hosts import HostAllyViewSet, HostApplicationViewSet
from api.views.journeys import JourneyViewSet
from api.views.me import MeView, MyItineraryView, TokenView
from api.views.people import (
    BedAssignmentViewSet,
    LodgingViewSet,
    ParticipantViewSet,
    SeatAssignmentViewSet,
    VehicleViewSet,
)
from api.views.problems import ProblemViewSet
from api.views.roster import ParticipantImportViewSet
from api.views.routes import RouteViewSet
from api.views.stops import ActivityViewSet, LegViewSet, StopViewSet

app_name = "api"

journeys = SimpleRouter()
journeys.register("journeys", JourneyViewSet, basename="journey")

# Everything below belongs to one journey: /api/journeys/<journey_slug>/<resource>/
in_journey = SimpleRouter()
in_journey.register("routes", RouteViewSet, basename="route")
in_journey.register("stops", StopViewSet, basename="stop")
in_journey.register("activities", ActivityViewSet, basename="activity")
in_journey.register("legs", LegViewSet, basename="leg")
in_journey.register("lodgings", LodgingViewSet, basename="lodging")
in_journey.register("vehicles", VehicleViewSet, basename="vehicle")
in_journey.register("participants/import", ParticipantImportViewSet, basename="participant-import")
in_journey.register("participants", ParticipantViewSet, basename="participant")
in_journey.register("seats", SeatAssignmentViewSet, basename="seat")
in_journey.register("beds", BedAssignmentViewSet, basename="bed")
in_journey.register("hosts", HostAllyViewSet, basename="host")
in_journey.register("host-applications", HostApplicationViewSet, basename="host-application")
in_journey.register("problems", ProblemViewSet, basename="problem")
in_journey.register("exports", ExportViewSet, basename="export")

urlpatterns = [
    path("", include(journeys.urls)),
    path("journeys/<slug:journey_slug>/", include(in_journey.urls)),
    path("me/", MeView.as_view(), name="me"),
    path("me/itinerary/", MyItineraryView.as_view(), name="me-itinerary"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
