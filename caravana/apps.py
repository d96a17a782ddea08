from django.apps import AppConfig


class CaravanaConfig(AppConfig):
    """The project package as an app, for what must be wired once at start: the sign-in
    rate limit listens to Django's sign-in signals from here, whichever view signs in."""

    name = "caravana"
    verbose_name = "Caravana"

    def ready(self):
        from caravana import throttle

        throttle.connect_signals()
