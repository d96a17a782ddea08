from django.urls import path

from web.public import host, offline, ride, rsvp, views

urlpatterns = [
    path("", views.home, name="home"),
    path("j/<slug:slug>/", views.journey_page, name="journey"),
    path("j/<slug:slug>/host/", views.host_register, name="host_register"),
    path("j/<slug:slug>/host/thanks/", views.host_thanks, name="host_thanks"),
    path("j/<slug:slug>/ride/", ride.ride_apply, name="ride_apply"),
    path("j/<slug:slug>/ride/thanks/", ride.ride_thanks, name="ride_thanks"),
    path("j/<slug:slug>/activities/<int:pk>/rsvp/", rsvp.rsvp_form, name="rsvp"),
    path("my/<str:token>/", views.my_itinerary, name="my_itinerary"),
    path("my/<str:token>/claim/", views.claim_itinerary, name="claim_itinerary"),
    path("my/<str:token>/manifest.webmanifest", offline.rider_manifest, name="rider_manifest"),
    path("my/<str:token>/sw.js", offline.rider_worker, name="rider_worker"),
    path("host/<str:token>/", host.host_page, name="host_page"),
    path("me/", views.me, name="me"),
    path("me/<int:pk>/", views.me_detail, name="me_detail"),
]
