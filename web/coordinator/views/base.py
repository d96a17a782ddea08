"""What every coordinators' page shares: the login check and finding the journey and route.

Every page asks the access model (``journey.access``) for ``journey.change``: anyone else
gets 404 (the journey's existence is not revealed); an anonymous visitor is sent to the login
page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required as _login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from journey.access import request_access
from journey.models import Journey, Route


def login_required(view):
    """Signed in, and never kept by a cache: these pages hold names, phones and addresses."""
    return never_cache(_login_required(view))


def _journey(request, slug: str) -> Journey:
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not request_access(request, journey).can("journey.change"):
        raise Http404
    return journey


def _route(journey: Journey, route_id: int) -> Route:
    route = Route.objects.filter(pk=route_id, journey=journey).first()
    if route is None:
        raise Http404
    route.journey = journey
    return route
