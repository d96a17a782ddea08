from django.contrib import admin
from django.urls import include, path

from caravana.throttle import login_throttled

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's sign-in, refused for a while after too many failures (caravana.throttle).
    path("admin/login/", login_throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("journey.urls")),
    path("", include("web.urls")),
]

# The database unreachable outside a view (a session being saved): 503, as in the views.
handler500 = "caravana.middleware.server_error"
