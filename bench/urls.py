"""Caravana's URLs plus the benchmark's two reference views (bench/views.py)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/hello/", views.hello, name="bench-hello"),
    path(
        "bench/plain-itinerary/<slug:slug>/<int:participant_id>/",
        views.plain_itinerary,
        name="bench-plain-itinerary",
    ),
    path("", include("caravana.urls")),
]
