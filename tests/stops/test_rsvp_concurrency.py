"""Visitors taking the last places of a rally at the same moment: the activity row is locked,
so the confirmed people never pass the capacity. Needs PostgreSQL (row locks)."""

from __future__ import annotations

import pytest

from stops.models import Rsvp, RsvpStatus
from stops.rsvps import rsvp
from tests.concurrency import run_together
from tests.factories import ActivityFactory, JourneyFactory, StopFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs_postgresql,
]

ATTEMPTS = 12


def test_the_last_places_go_to_exactly_as_many_people_as_fit():
    journey = JourneyFactory(slug="race", is_published=True)
    rally = ActivityFactory(stop=StopFactory(journey=journey), is_public=True, capacity=5)

    def take(i):
        data = {"name": f"Visitor {i}", "phone": f"+1602555{i:04d}", "party_size": 1}
        rsvp(activity=rally, data=data, language="en")

    outcomes = run_together(take, ATTEMPTS)

    assert outcomes == ["ok"] * ATTEMPTS
    statuses = sorted(Rsvp.objects.values_list("status", flat=True))
    assert statuses == [RsvpStatus.CONFIRMED] * 5 + [RsvpStatus.WAITLISTED] * 7
