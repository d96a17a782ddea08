"""Drivers' navigation files: a vehicle's route as GPX (read back with gpxpy) and KML (read
back with xml.etree), for the coordinators and, through their secret link, a rider's own."""

import xml.etree.ElementTree as ET
from datetime import UTC
from decimal import Decimal

import gpxpy
import pytest
from django.urls import reverse

from journey.exporters import ExportError, ExportRequest, get_exporter
from journey.itinerary import Audience
from journey.plan import load_plan
from journey.tokens import revoke_participant_token
from tests.factories import (
    JourneyFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    UserFactory,
    VehicleFactory,
    local,
)

PT, AZ, MT, CT = "America/Los_Angeles", "America/Phoenix", "America/Denver", "America/Chicago"
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture
def world(db, add_stop):
    """Two vehicles on two routes of one journey, a rider in each, and another journey."""
    journey = JourneyFactory(slug="caravan", name="Caravan & Co", is_published=True)
    coordinator = UserFactory(username="coord")
    journey.coordinators.add(coordinator)
    north = RouteFactory(journey=journey, name="North", color="#b5179e")
    stops = {
        "la": add_stop(
            north,
            "Los Angeles",
            local(PT, 2027, 3, 1, 12),
            local(PT, 2027, 3, 2, 8),
            venue="Placita Olvera",
            address="845 N Alameda St",
        ),
        "phoenix": add_stop(north, "Phoenix", local(AZ, 2027, 3, 2, 16), local(AZ, 2027, 3, 3, 8)),
        "tucson": add_stop(
            north, "Tucson", local(AZ, 2027, 3, 3, 10), local(AZ, 2027, 3, 3, 14), is_public=False
        ),
        "houston": add_stop(
            north,
            "Houston",
            local(CT, 2027, 3, 3, 15),
            local(CT, 2027, 3, 3, 16),
            status="cancelled",
        ),
        "el_paso": add_stop(north, "El Paso", local(MT, 2027, 3, 3, 20), local(MT, 2027, 3, 4, 9)),
    }
    south = RouteFactory(journey=journey, name="South")
    stops["san_antonio"] = add_stop(
        south, "San Antonio", local(CT, 2027, 3, 1, 9), local(CT, 2027, 3, 1, 18)
    )
    stops["new_orleans"] = add_stop(
        south, "New Orleans", local(CT, 2027, 3, 2, 9), local(CT, 2027, 3, 2, 18)
    )
    bus = VehicleFactory(journey=journey, route=north, name="Bus 1")
    van = VehicleFactory(journey=journey, route=south, name="Van 2")
    rider_user = UserFactory(username="rider")
    bus_rider = ParticipantFactory(journey=journey, route=north, user=rider_user)
    van_rider = ParticipantFactory(journey=journey, route=south)
    SeatAssignmentFactory(
        participant=bus_rider, vehicle=bus, from_stop=stops["phoenix"], to_stop=stops["el_paso"]
    )
    bus_rider.join_stop = stops["phoenix"]
    bus_rider.save()
    SeatAssignmentFactory(
        participant=van_rider,
        vehicle=van,
        from_stop=stops["san_antonio"],
        to_stop=stops["new_orleans"],
    )
    other = JourneyFactory(slug="elsewhere")
    other.coordinators.add(UserFactory(username="other-coord"))
    return {
        "journey": journey,
        "stops": stops,
        "bus": bus,
        "van": van,
        "bus_rider": bus_rider,
        "van_rider": van_rider,
        "other_vehicle": VehicleFactory(journey=other, name="Elsewhere bus"),
        "users": {
            "coordinator": coordinator,
            "rider": rider_user,
            "coordinator of another journey": UserFactory(username="other-coord"),
            "anonymous": None,
        },
    }


def team_url(world, vehicle, format):
    return reverse(
        f"journey:team_route_{format}",
        kwargs={"slug": world["journey"].slug, "vehicle_id": vehicle.pk},
    )


def rider_url(rider, format):
    return reverse(f"journey:route_{format}", kwargs={"token": rider.secret_token})


def expected(world, *names):
    """(name, latitude, longitude) of these stops, as the files should list them."""
    rows = []
    for name in names:
        stop = world["stops"][name]
        rows.append((stop.place_name, float(stop.latitude), float(stop.longitude)))
    return rows


def gpx_waypoints(content: bytes):
    gpx = gpxpy.parse(content.decode("utf-8"))
    waypoints = [(w.name, w.latitude, w.longitude) for w in gpx.waypoints]
    routes = [
        (route.name, [(p.name, p.latitude, p.longitude) for p in route.points])
        for route in gpx.routes
    ]
    return gpx, waypoints, routes


def kml_placemarks(content: bytes):
    """(folder name, [(placemark name, latitude, longitude)], line coordinates) per folder."""
    root = ET.fromstring(content)
    folders = []
    for folder in root.iter(f"{KML}Folder"):
        points, line = [], []
        for placemark in folder.iter(f"{KML}Placemark"):
            point = placemark.find(f"{KML}Point/{KML}coordinates")
            if point is not None:
                longitude, latitude, _height = point.text.strip().split(",")
                name = placemark.find(f"{KML}name").text
                points.append((name, float(latitude), float(longitude)))
            path = placemark.find(f"{KML}LineString/{KML}coordinates")
            if path is not None:
                line = [tuple(float(v) for v in pair.split(",")[:2]) for pair in path.text.split()]
        folders.append((folder.find(f"{KML}name").text, points, line))
    return folders


# --- what the files hold --------------------------------------------------------------------


def test_a_coordinator_gets_a_vehicles_route_as_gpx_every_stop_in_order(client, world):
    client.force_login(world["users"]["coordinator"])

    response = client.get(team_url(world, world["bus"], "gpx"))

    gpx, waypoints, routes = gpx_waypoints(response.content)
    stops = expected(world, "la", "phoenix", "tucson", "el_paso")  # Houston is cancelled
    assert (response.status_code, response["Content-Type"]) == (200, "application/gpx+xml")
    assert response["Content-Disposition"] == 'attachment; filename="caravan-bus-1-route.gpx"'
    assert (gpx.name, waypoints, routes) == ("Caravan & Co: Bus 1", stops, [("Bus 1", stops)])
    la = gpx.waypoints[0]
    assert (la.time, la.comment, la.description) == (
        local(PT, 2027, 3, 1, 12).astimezone(UTC),
        "Arrive Mar 1, 12:00 PST · leave Mar 2, 08:00 PST",
        "Arrive Mar 1, 12:00 PST · leave Mar 2, 08:00 PST · Placita Olvera, 845 N Alameda St",
    )


def test_a_coordinator_gets_a_vehicles_route_as_kml_every_stop_in_order(client, world):
    client.force_login(world["users"]["coordinator"])

    response = client.get(team_url(world, world["bus"], "kml"))

    stops = expected(world, "la", "phoenix", "tucson", "el_paso")
    line = [(longitude, latitude) for _name, latitude, longitude in stops]
    assert response["Content-Type"] == "application/vnd.google-earth.kml+xml"
    assert kml_placemarks(response.content) == [("Bus 1", stops, line)]
    root = ET.fromstring(response.content)
    spans = [
        (span.find(f"{KML}begin").text, span.find(f"{KML}end").text)
        for span in root.iter(f"{KML}TimeSpan")
    ]
    assert spans[1] == ("2027-03-02T16:00:00-07:00", "2027-03-03T08:00:00-07:00")  # Phoenix


@pytest.mark.parametrize("format", ["gpx", "kml"])
def test_a_rider_gets_their_own_part_of_their_vehicles_route(client, world, format):
    response = client.get(rider_url(world["bus_rider"], format))

    mine = expected(world, "phoenix", "tucson", "el_paso")  # joins at Phoenix
    if format == "gpx":
        _gpx, waypoints, routes = gpx_waypoints(response.content)
        assert (waypoints, routes) == (mine, [("Bus 1", mine)])
    else:
        line = [(longitude, latitude) for _name, latitude, longitude in mine]
        assert kml_placemarks(response.content) == [("Bus 1", mine, line)]
    assert b"San Antonio" not in response.content  # the other vehicle's route
    assert b"Los Angeles" not in response.content  # before they join
    assert response["Cache-Control"] == "private, no-store"


def test_the_rider_of_the_other_vehicle_gets_only_theirs(client, world):
    response = client.get(rider_url(world["van_rider"], "gpx"))

    _gpx, _waypoints, routes = gpx_waypoints(response.content)
    assert routes == [("Van 2", expected(world, "san_antonio", "new_orleans"))]
    assert b"Phoenix" not in response.content


# --- who may have them ----------------------------------------------------------------------


@pytest.mark.parametrize("format", ["gpx", "kml"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("rider", 404),
        ("coordinator of another journey", 404),
        ("anonymous", 404),
    ],
)
def test_a_vehicles_route_is_for_the_journeys_coordinators(client, world, format, who, status):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)

    response = client.get(team_url(world, world["van"], format))

    assert response.status_code == status


def test_a_vehicle_of_another_journey_is_not_found_for_a_coordinator(client, world):
    client.force_login(world["users"]["coordinator"])

    response = client.get(team_url(world, world["other_vehicle"], "gpx"))

    assert response.status_code == 404


@pytest.mark.parametrize("format", ["gpx", "kml"])
def test_a_revoked_link_opens_no_route(client, world, format):
    url = rider_url(world["bus_rider"], format)
    revoke_participant_token(participant=world["bus_rider"])

    response = client.get(url)

    assert response.status_code == 404


def test_the_rules_refuse_a_vehicle_of_another_journey_even_to_a_coordinator(world):
    from journey.access import access_for_user
    from journey.exporters.serve import ExportTarget

    access = access_for_user(world["users"]["coordinator"], world["journey"])
    exporter = get_exporter("gpx", "route")
    ours = ExportTarget(exporter, ExportRequest(Audience.TEAM, vehicle=world["bus"]), "en", "f")
    theirs = ExportTarget(
        exporter, ExportRequest(Audience.TEAM, vehicle=world["other_vehicle"]), "en", "f"
    )

    assert (access.can("export.read", ours), access.can("export.read", theirs)) == (True, False)


def test_a_personal_route_takes_no_vehicle(world):
    wanted = ExportRequest(Audience.PERSONAL, participant=world["van_rider"], vehicle=world["bus"])

    with pytest.raises(ExportError) as error:
        get_exporter("gpx", "route").export(load_plan(world["journey"]), wanted, language="en")

    assert str(error.value) == (
        "Only the team export is made per vehicle; a personal one follows its rider."
    )


def test_the_team_file_without_a_vehicle_holds_every_vehicle(world):
    content = get_exporter("kml", "route").export(
        load_plan(world["journey"]), ExportRequest(Audience.TEAM), language="en"
    )

    assert [(name, len(points)) for name, points, _line in kml_placemarks(content)] == [
        ("Bus 1", 4),
        ("Van 2", 2),
    ]


def test_coordinates_are_the_stops_own(world):
    world["stops"]["phoenix"].latitude = Decimal("33.500001")
    world["stops"]["phoenix"].save()

    content = get_exporter("gpx", "route").export(
        load_plan(world["journey"]),
        ExportRequest(Audience.TEAM, vehicle=world["bus"]),
        language="en",
    )

    assert gpx_waypoints(content)[1][1] == ("Phoenix, AZ", 33.500001, -112.074036)


def test_the_export_command_writes_one_vehicles_route(world, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "bus.gpx"
    call_command(
        "export_itinerary",
        "caravan",
        "--format",
        "gpx",
        "--vehicle",
        str(world["bus"].pk),
        "-o",
        str(target),
    )

    _gpx, _waypoints, routes = gpx_waypoints(target.read_bytes())
    assert routes == [("Bus 1", expected(world, "la", "phoenix", "tucson", "el_paso"))]


def test_each_vehicle_gets_its_own_file_from_the_export_cache(client, world, settings):
    settings.CARAVANA_EXPORT_CACHE_SECONDS = 3600
    client.force_login(world["users"]["coordinator"])

    bus = client.get(team_url(world, world["bus"], "gpx"))
    van = client.get(team_url(world, world["van"], "gpx"))

    assert [gpx_waypoints(r.content)[2][0][0] for r in (bus, van)] == ["Bus 1", "Van 2"]
    assert bus["ETag"] != van["ETag"]
