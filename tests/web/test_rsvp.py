"""Public RSVPs: the form, capacity and waiting list, the emails, the lists, retention."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from journey.tokens import rotate_host_token
from participants.retention import purge_expired
from stops.models import Rsvp, RsvpStatus
from stops.rsvps import rsvp
from tests.factories import (
    ActivityFactory,
    HostAllyFactory,
    JourneyFactory,
    StopFactory,
    UserFactory,
)

AZ = ZoneInfo("America/Phoenix")


@pytest.fixture
def rally(db):
    journey = JourneyFactory(slug="caravan", is_published=True, end_date=date(2026, 3, 3))
    stop = StopFactory(journey=journey, city="Phoenix", timezone="America/Phoenix")
    return ActivityFactory(stop=stop, title="Rally at the capitol", is_public=True, capacity=5)


def url(activity) -> str:
    return reverse("web:rsvp", kwargs={"slug": activity.stop.journey.slug, "pk": activity.pk})


def answer(**changes) -> dict:
    data = {
        "name": "Lupita",
        "email": "lupita@example.org",
        "phone": "",
        "party_size": "2",
        "website": "",
    }
    return {**data, **changes}


def test_the_public_page_links_the_rsvp_form_of_public_activities_only(client, rally):
    ActivityFactory(stop=rally.stop, title="Team meeting", is_public=False)

    page = client.get(reverse("web:journey", kwargs={"slug": "caravan"})).content.decode()

    assert page.count("/rsvp/") == 1
    assert url(rally) in page


def test_a_visitor_rsvps_and_is_confirmed_in_spanish(
    client, rally, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(rally), answer(), HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    saved = Rsvp.objects.get()
    assert (saved.name, saved.party_size, saved.language, saved.status) == (
        "Lupita",
        2,
        "es",
        RsvpStatus.CONFIRMED,
    )
    [message] = mail.outbox
    assert message.to == ["lupita@example.org"]
    assert message.subject == "Nos vemos en Rally at the capitol"
    assert "Sus lugares están confirmados" in message.body


def test_capacity_fills_then_the_waiting_list(rally):
    first = rsvp(
        activity=rally, data={"name": "A", "email": "a@example.org", "party_size": 4}, language="en"
    )
    second = rsvp(
        activity=rally, data={"name": "B", "phone": "+16025550100", "party_size": 2}, language="en"
    )
    third = rsvp(
        activity=rally, data={"name": "C", "phone": "+16025550101", "party_size": 1}, language="en"
    )

    assert [first.status, second.status, third.status] == [
        RsvpStatus.CONFIRMED,
        RsvpStatus.WAITLISTED,
        RsvpStatus.CONFIRMED,
    ]


def test_a_party_larger_than_the_capacity_is_refused_and_nothing_saved(client, rally):
    response = client.post(url(rally), answer(party_size="6"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "party_size": ["At most 5 people fit at this activity."]
    }
    assert Rsvp.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"email": "", "phone": ""}, {"email": ["Give an email address or a phone number."]}),
        ({"name": ""}, {"name": ["Tell us what to call you."]}),
        ({"party_size": "0"}, {"party_size": ["Ensure this value is greater than or equal to 1."]}),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"phone": "call me"}, {"phone": ["Write a phone number, for example +1 602 555 0123."]}),
    ],
)
def test_field_errors_save_nothing(client, rally, changes, errors):
    response = client.post(url(rally), answer(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert Rsvp.objects.count() == 0


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(client, rally):
    response = client.post(url(rally), answer(website="http://spam.example"))

    assert response.status_code == 200
    assert Rsvp.objects.count() == 0


@pytest.mark.parametrize(
    "hidden", ["private activity", "private stop", "other journey", "unpublished"]
)
def test_no_rsvp_form_for_what_is_not_public(client, rally, hidden):
    activity = rally
    if hidden == "private activity":
        activity.is_public = False
        activity.save()
    elif hidden == "private stop":
        activity.stop.is_public = False
        activity.stop.save()
    elif hidden == "unpublished":
        activity.stop.journey.is_published = False
        activity.stop.journey.save()
    target = url(activity)
    if hidden == "other journey":
        JourneyFactory(slug="other", is_published=True)
        target = reverse("web:rsvp", kwargs={"slug": "other", "pk": activity.pk})

    assert client.get(target).status_code == 404
    assert client.post(target, answer()).status_code == 404
    assert Rsvp.objects.count() == 0


def test_the_form_is_rate_limited(client, rally, settings):
    settings.CARAVANA_FORM_RATE_PER_ADDRESS = 1

    client.post(url(rally), answer())
    response = client.post(url(rally), answer(name="Again"))

    assert response.status_code == 429
    assert list(Rsvp.objects.values_list("name", flat=True)) == ["Lupita"]


def test_the_reminder_goes_once_the_day_before(rally):
    rally.starts_at = datetime(2026, 3, 2, 10, tzinfo=AZ)
    rally.ends_at = rally.starts_at + timedelta(hours=2)
    rally.stop.departure = rally.ends_at + timedelta(hours=1)
    rally.stop.save()
    rally.save()
    rsvp(
        activity=rally, data={"name": "A", "email": "a@example.org", "party_size": 1}, language="ht"
    )
    rsvp(
        activity=rally, data={"name": "B", "phone": "+16025550100", "party_size": 1}, language="en"
    )
    two_days_before = datetime(2026, 2, 28, 20, tzinfo=AZ)
    day_before = datetime(2026, 3, 1, 8, tzinfo=AZ)

    from stops.rsvps import send_reminders

    assert send_reminders(now=two_days_before) == 0
    assert send_reminders(now=day_before) == 1
    assert send_reminders(now=day_before + timedelta(hours=1)) == 0
    [message] = mail.outbox
    assert message.to == ["a@example.org"]
    assert message.extra_headers["Content-Language"] == "ht"


def test_the_reminder_command_runs(rally, capsys):
    call_command("send_rsvp_reminders")

    assert capsys.readouterr().out == "0 reminders sent.\n"


def test_rsvps_are_erased_with_the_journeys_retention(rally):
    rsvp(
        activity=rally, data={"name": "A", "email": "a@example.org", "party_size": 1}, language="en"
    )
    journey = rally.stop.journey
    last_day = journey.end_date + timedelta(days=journey.retention_days)

    purge_expired(today=last_day)
    assert Rsvp.objects.count() == 1
    result = purge_expired(today=last_day + timedelta(days=1))

    assert Rsvp.objects.count() == 0
    assert result.erased == [journey]


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 200), ("other", 404), ("anonymous", 302)]
)
def test_only_the_coordinators_see_the_list(client, rally, who, status):
    rsvp(
        activity=rally,
        data={"name": "Lupita", "phone": "+16025550177", "party_size": 3},
        language="en",
    )
    journey = rally.stop.journey
    if who == "coordinator":
        user = UserFactory(username="coord")
        journey.coordinators.add(user)
        client.force_login(user)
    elif who == "other":
        user = UserFactory(username="elsewhere")
        JourneyFactory(slug="elsewhere").coordinators.add(user)
        client.force_login(user)

    response = client.get(reverse("web:plan_rsvps", kwargs={"slug": journey.slug}))

    assert response.status_code == status
    assert ("+16025550177" in response.content.decode()) == (status == 200)


def test_the_host_page_lists_who_comes_without_their_contacts(client, rally):
    rsvp(
        activity=rally,
        data={"name": "Lupita", "phone": "+16025550177", "party_size": 3},
        language="en",
    )
    rsvp(
        activity=rally,
        data={"name": "Big group", "phone": "+16025550178", "party_size": 5},
        language="en",
    )
    host = HostAllyFactory(
        journey=rally.stop.journey, stop=rally.stop, status="approved", contact_name="Rosa"
    )
    rotate_host_token(host=host)

    page = client.get(reverse("web:host_page", kwargs={"token": host.secret_token}))

    text = page.content.decode()
    assert page.status_code == 200
    assert "3 people said they come" in text  # the waitlisted group of 5 is not counted
    # The activity's host sees who comes (the issue: coordinators and the activity's host see
    # the list), with the waiting list marked; phones stay with the coordinators.
    assert ("Lupita · 3" in text, "Big group · 5 · On the waiting list" in text) == (True, True)
    assert ("+16025550177" in text, "+16025550178" in text) == (False, False)


def test_a_party_that_no_longer_fits_is_told_it_waits(
    client, rally, django_capture_on_commit_callbacks
):
    rsvp(
        activity=rally, data={"name": "A", "phone": "+16025550100", "party_size": 4}, language="en"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(rally), answer(), HTTP_ACCEPT_LANGUAGE="ht")

    assert response.status_code == 200
    assert "Ou sou lis datant lan" in response.content.decode()
    assert Rsvp.objects.get(name="Lupita").status == RsvpStatus.WAITLISTED
    [message] = mail.outbox
    assert message.subject == "Ou sou lis datant lan: Rally at the capitol"
