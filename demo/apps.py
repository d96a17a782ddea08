from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo journey (``manage.py load_demo``): data and a builder, apart from the domain."""

    name = "demo"
    verbose_name = "Demo"
