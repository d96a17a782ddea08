"""Exports through the API: the registry's formats, each for the audiences a role may have."""

import icalendar
import pytest
from django.urls import reverse

from journey.exporters import exporters
from journey.itinerary import Audience


def export_url(world, identifier, query=""):
    kwargs = {"journey_slug": world.a.slug, "identifier": identifier}
    return reverse("api:export-detail", kwargs=kwargs) + query


def events(response) -> list[str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("role", "audiences"),
    [
        ("anonymous", {Audience.PUBLIC}),
        ("rider", {Audience.PUBLIC, Audience.PERSONAL}),
        ("host", {Audience.PUBLIC, Audience.HOST}),
        ("coordinator", set(Audience)),
    ],
)
def test_the_list_offers_every_registered_export_a_role_may_have(world, role, audiences):
    expected = [cls.identifier() for cls in exporters() if cls.audiences & audiences]
    url = reverse("api:export-list", kwargs={"journey_slug": world.a.slug})

    response = world.client(role).get(url)

    assert [row["identifier"] for row in response.json()] == expected


def test_the_team_calendar_for_a_coordinator(world):
    response = world.client("coordinator").get(export_url(world, "ics-calendar"))

    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    assert response["Content-Disposition"] == 'attachment; filename="caravan-a-calendar.ics"'
    assert "Closed meeting with counsel" in events(response)


def test_the_public_calendar_has_no_private_activity(world):
    response = world.client("anonymous").get(export_url(world, "ics-calendar"))

    assert "Closed meeting with counsel" not in events(response)
    assert "Rally" in events(response)


def test_the_rooming_list_for_a_coordinator(world):
    response = world.client("coordinator").get(export_url(world, "csv-rooming"))

    rows = response.content.decode("utf-8-sig").splitlines()
    assert (response.status_code, rows[2]) == (
        200,
        '2026-03-01,"Phoenix, AZ",Sanctuary Hall,417 Quiet Alley,Xiomara,'
        "Xiomara Quetzal Ruiz,'+1 555 0199,vegetarian,",
    )


@pytest.mark.parametrize(("role", "status"), [("rider", 403), ("host", 403), ("anonymous", 401)])
def test_the_rooming_list_is_for_the_team_only(world, role, status):
    assert world.client(role).get(export_url(world, "csv-rooming")).status_code == status


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?audience=team", 403),
        ("?audience=nobody", 400),
        (f"?participant={10**30}", 404),
        ("?stop=abc", 400),
        ("?stop=%C2%B2", 400),  # "²": a digit to str.isdigit, not a number
        ("?stop=%D9%A1", 400),  # an Arabic-Indic one, which int() would read as 1
        (f"?stop={9 * 10**19}", 404),
    ],
)
def test_a_rider_asking_for_more_is_refused(world, query, status):
    assert world.client("rider").get(export_url(world, "ics-calendar", query)).status_code == status


def test_an_unknown_export_is_not_found(world):
    assert world.client("coordinator").get(export_url(world, "doc-novel")).status_code == 404
