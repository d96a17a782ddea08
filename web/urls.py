"""The pages people use every day: public journey pages and host registration, the rider's
itinerary, and the coordinators' dashboard. The Django admin stays for power users."""

from django.urls import include, path

app_name = "web"

urlpatterns = [
    path("", include("web.public.urls")),
    path("plan/", include("web.coordinator.urls")),
]
