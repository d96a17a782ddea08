"""A login is linked to a participant only by the person's own acceptance: signed in, they open
their own secret link and press "Link this itinerary to my account"."""

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Participant
from tests.factories import UserFactory

BUTTON = "Link this itinerary to my account"


@pytest.fixture
def driver(trip):
    assert trip.driver.user is None
    return trip.driver


@pytest.fixture
def person(db):
    return UserFactory(username="dago", email="dago@example.org")


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def page(client, participant):
    return client.get(reverse("web:my_itinerary", args=[participant.secret_token]))


def claim(client, participant):
    url = reverse("web:claim_itinerary", args=[participant.secret_token])
    return client.post(url, follow=True)


def test_a_signed_in_rider_links_their_own_itinerary(driver, person):
    client = signed_in(person)

    before = page(client, driver)
    response = claim(client, driver)
    mine = client.get(reverse("web:me"))

    driver.refresh_from_db()
    assert BUTTON in before.content.decode()
    assert driver.user == person
    assert [str(m) for m in response.context["messages"]] == [
        "This itinerary is now linked to your account."
    ]
    assert (mine.status_code, mine.context["participant"]) == (200, driver)
    assert BUTTON not in response.content.decode()  # nothing left to link


def test_an_anonymous_visitor_is_not_offered_the_link_and_cannot_claim(client, driver):
    response = page(client, driver)
    claimed = client.post(reverse("web:claim_itinerary", args=[driver.secret_token]))

    driver.refresh_from_db()
    assert BUTTON not in response.content.decode()
    assert (claimed.status_code, driver.user) == (302, None)
    assert claimed.headers["Location"].startswith(reverse("admin:login"))


def test_a_second_person_cannot_take_a_linked_itinerary(driver, person):
    claim(signed_in(person), driver)
    thief = signed_in(UserFactory(username="thief"))

    offered = page(thief, driver)
    response = claim(thief, driver)

    driver.refresh_from_db()
    assert driver.user == person
    assert BUTTON not in offered.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        "This itinerary is already linked to another account. Ask a coordinator."
    ]
    assert "dago" not in response.content.decode()


def test_claiming_twice_changes_nothing(driver, person):
    client = signed_in(person)
    claim(client, driver)

    claim(client, driver)

    assert Participant.objects.filter(user=person).count() == 1


def test_the_claim_needs_the_csrf_token(driver, person):
    client = signed_in(person, enforce_csrf_checks=True)

    response = client.post(reverse("web:claim_itinerary", args=[driver.secret_token]))

    driver.refresh_from_db()
    assert (response.status_code, driver.user) == (403, None)


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_a_live_secret_link_can_be_claimed(client, driver, person, method):
    client = signed_in(person)
    url = reverse("web:claim_itinerary", args=["not-a-token"])

    response = getattr(client, method)(url)

    driver.refresh_from_db()
    assert (response.status_code, driver.user) == ((405 if method == "get" else 404), None)
