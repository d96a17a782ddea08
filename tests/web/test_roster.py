"""The roster pages: upload, preview (nothing written), confirm, result; export; access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import Participant
from tests.factories import JourneyFactory, UserFactory
from tests.web.conftest import SECRETS

ROSTER = (
    "nombre,teléfono,idioma,sube en,baja en\n"
    'Ximena,602-555-0111,Español,"Phoenix, AZ",El Paso\n'
    "Driver Dan,,English,,\n"
)


def urls(trip) -> dict[str, str]:
    slug = trip.journey.slug
    return {
        "roster": reverse("web:plan_roster", kwargs={"slug": slug}),
        "csv": reverse("web:plan_roster_export", kwargs={"slug": slug, "format": "csv"}),
        "xlsx": reverse("web:plan_roster_export", kwargs={"slug": slug, "format": "xlsx"}),
    }


def visitor(trip, who):
    if who == "coordinator":
        return trip.coordinator_user
    if who == "rider":
        return trip.rider_user
    user = UserFactory(username="elsewhere")
    JourneyFactory(slug="elsewhere").coordinators.add(user)
    return user


def upload(client, trip, text: str, **extra):
    file = SimpleUploadedFile("roster.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(urls(trip)["roster"], {"file": file, **extra})


def names(trip) -> list[str]:
    return sorted(
        Participant.objects.filter(journey=trip.journey).values_list("display_name", flat=True)
    )


@pytest.mark.parametrize("page", ["roster", "csv", "xlsx"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("rider", 404), ("coordinator of another journey", 404)],
)
def test_the_roster_pages_are_for_the_journeys_coordinators(client, trip, page, who, status):
    client.force_login(visitor(trip, who))

    assert client.get(urls(trip)[page]).status_code == status


@pytest.mark.parametrize("page", ["roster", "csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, trip, page):
    assert client.get(urls(trip)[page]).status_code == 302


def test_a_rider_cannot_post_a_roster(client, trip):
    client.force_login(trip.rider_user)
    before = names(trip)

    response = upload(client, trip, ROSTER)

    assert (response.status_code, names(trip)) == (404, before)


def test_the_participants_page_links_to_the_roster(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(reverse("web:plan_participants", kwargs={"slug": trip.journey.slug}))

    assert urls(trip)["roster"].encode() in response.content
    assert urls(trip)["xlsx"].encode() in response.content


def test_upload_previews_then_confirm_saves(client, trip):
    client.force_login(trip.coordinator_user)
    before = names(trip)

    preview = upload(client, trip, ROSTER)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert [r.name for r in result.created] == ["Ximena"]
    assert [(r.name, [c.column for c in r.changes]) for r in result.updated] == [
        ("Driver Dan", ["language"])
    ]
    assert names(trip) == before  # nothing written by the preview
    assert b"Ximena" in preview.content

    payload = preview.context["confirm"].initial["payload"]
    done = client.post(urls(trip)["roster"], {"payload": payload})

    assert done.status_code == 200
    assert done.context["result"].saved is True
    ximena = Participant.objects.get(journey=trip.journey, display_name="Ximena")
    assert (ximena.phone, ximena.join_stop, ximena.leave_stop) == (
        "+16025550111",
        trip.phoenix,
        trip.el_paso,
    )


def test_errors_are_shown_and_nothing_can_be_confirmed(client, trip):
    client.force_login(trip.coordinator_user)
    before = names(trip)

    response = upload(client, trip, "name,joins\nAna,Denver\nBea,Tucson\nCruz,Phoenix AZ\n")

    assert response.status_code == 400
    assert [(e.line, e.column) for e in response.context["result"].errors] == [(2, "joins")]
    assert response.context["confirm"] is None
    assert b"Denver is not a stop of the route Main." in response.content
    assert names(trip) == before


@pytest.mark.parametrize("tamper", ["edited", "other user", "other journey"])
def test_a_confirmation_must_be_the_previewed_file_for_this_journey_and_coordinator(
    client, trip, tamper
):
    client.force_login(trip.coordinator_user)
    payload = upload(client, trip, ROSTER).context["confirm"].initial["payload"]
    before = names(trip)
    url = urls(trip)["roster"]
    if tamper == "edited":
        payload = payload[:-3] + ("AAA" if payload[-3:] != "AAA" else "BBB")
    elif tamper == "other user":
        other = UserFactory(username="co2")
        trip.journey.coordinators.add(other)
        client.force_login(other)
    else:
        other = JourneyFactory(slug="second")
        other.coordinators.add(trip.coordinator_user)
        url = reverse("web:plan_roster", kwargs={"slug": "second"})

    response = client.post(url, {"payload": payload})

    assert response.status_code == 400
    assert names(trip) == before
    assert Participant.objects.filter(journey__slug="second").count() == 0


def test_the_export_holds_the_riders_contact_for_the_coordinator_only(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(urls(trip)["csv"])

    assert response["Cache-Control"].startswith("private, no-store")
    assert response["Content-Disposition"].startswith('attachment; filename="caravan-roster-')
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("name,full_name,role,language,phone,email,route")
    assert SECRETS["rider full name"] in text
    client.force_login(trip.rider_user)
    assert SECRETS["rider full name"] not in client.get(urls(trip)["csv"]).content.decode()


def test_an_unknown_export_format_is_not_found(client, trip):
    client.force_login(trip.coordinator_user)
    url = reverse("web:plan_roster_export", kwargs={"slug": trip.journey.slug, "format": "pdf"})

    assert client.get(url).status_code == 404
