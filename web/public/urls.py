from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    # Until the public journey list exists, the home page is the coordinators' admin.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
]
