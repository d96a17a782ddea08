"""What each role reads: no other participant's phone, no names for hosts, nothing of
another journey."""

import json

import pytest
from django.urls import reverse


def in_a(world, name, **kwargs):
    return reverse(f"api:{name}", kwargs={"journey_slug": world.a.slug, **kwargs})


def test_a_rider_sees_their_own_record_and_only_the_name_and_role_of_others(world):
    response = world.client("rider").get(in_a(world, "participant-list"))

    assert response.json()["results"] == [
        {"id": world.driver.pk, "display_name": "Dagoberto", "role": "driver"},
        {
            "id": world.rider.pk,
            "accessibility_needs": "",
            "dietary_needs": "vegetarian",
            "display_name": "Xiomara",
            "email": "",
            "emergency_contact_name": "Rosalind Ruiz",
            "emergency_contact_phone": "+1 555 0142",
            "full_name": "Xiomara Quetzal Ruiz",
            "join_stop": None,
            "language": "es",
            "leave_stop": None,
            "medical_notes": "",
            "notes": "",
            "phone": "+1 555 0199",
            "role": "rider",
            "route": world.route.pk,
        },
    ]


def test_a_driver_cannot_read_a_riders_phone(world):
    url = in_a(world, "participant-detail", pk=world.rider.pk)

    response = world.client("driver").get(url)

    assert response.json() == {"id": world.rider.pk, "display_name": "Xiomara", "role": "rider"}


def test_a_coordinator_reads_every_field(world):
    url = in_a(world, "participant-detail", pk=world.rider.pk)

    data = world.client("coordinator").get(url).json()

    assert (data["phone"], data["user"], data["emergency_contact_phone"]) == (
        "+1 555 0199",
        "xiomara",
        "+1 555 0142",
    )


def test_filters_on_participants_are_ignored_for_riders(world):
    # Filtering by a field the rider cannot see would tell them its value.
    url = in_a(world, "participant-list") + f"?route={world.route.pk}&ordering=role"

    response = world.client("rider").get(url)

    assert [p["display_name"] for p in response.json()["results"]] == ["Dagoberto", "Xiomara"]


@pytest.mark.parametrize(
    ("role", "name", "row"),
    [
        ("coordinator_b", "participant-detail", "rider"),
        ("coordinator_b", "seat-detail", "seat"),
        ("coordinator", "participant-detail", "other_participant"),
        ("coordinator", "lodging-detail", "other_lodging"),
        ("rider", "seat-detail", "driver_seat"),
    ],
)
def test_rows_outside_what_a_role_may_see_are_not_found(world, role, name, row):
    pk = {
        "rider": world.rider.pk,
        "seat": world.seats["rider"].pk,
        "other_participant": world.other["participant"].pk,
        "other_lodging": world.other["lodging"].pk,
        "driver_seat": world.seats["driver"].pk,
    }[row]

    response = world.client(role).get(in_a(world, name, pk=pk))

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_the_public_sees_public_stops_without_address_or_private_notes(world):
    response = world.client("anonymous").get(in_a(world, "stop-list"))

    results = response.json()["results"]
    assert [s["city"] for s in results] == ["Los Angeles", "Phoenix", "El Paso"]
    assert sorted(results[1]) == [
        "arrival",
        "city",
        "country",
        "created_at",
        "departure",
        "id",
        "in_border_zone",
        "is_public",
        "kind",
        "latitude",
        "longitude",
        "public_notes",
        "routes",
        "state",
        "status",
        "timezone",
        "updated_at",
        "venue",
    ]


def test_the_public_sees_only_public_activities(world):
    response = world.client("coordinator_b").get(in_a(world, "activity-list"))

    assert [a["title"] for a in response.json()["results"]] == ["Rally"]


def test_a_route_lists_only_the_stops_a_visitor_may_see(world):
    url = in_a(world, "route-detail", pk=world.route.pk)
    stops = world.stops

    public = world.client("anonymous").get(url).json()["stops"]
    team = world.client("coordinator").get(url).json()["stops"]

    assert public == [stops["la"].pk, stops["phoenix"].pk, stops["el_paso"].pk]
    assert team == [stops[k].pk for k in ("la", "phoenix", "tucson", "el_paso")]


def test_a_rider_sees_the_lodging_they_sleep_in(world):
    response = world.client("rider").get(in_a(world, "lodging-list"))

    assert [(lo["name"], lo["address"]) for lo in response.json()["results"]] == [
        ("Sanctuary Hall", "417 Quiet Alley")
    ]
    assert "notes" not in response.json()["results"][0]


def test_the_host_sheet_counts_needs_without_names_or_phones(world):
    url = in_a(world, "stop-host-sheet", pk=world.stops["phoenix"].pk)

    response = world.client("host").get(url)

    body = json.dumps(response.json())
    assert response.json()["nights"] == [
        {
            "date": "2026-03-01",
            "headcount": 2,
            "dietary_needs": [{"need": "halal", "count": 1}, {"need": "vegetarian", "count": 1}],
            "accessibility_needs": [],
        }
    ]
    leaked = [v for v in ("Xiomara", "Dagoberto", "+1 555 0199", "Rosalind") if v in body]
    assert leaked == []


def test_a_host_may_not_read_the_sheet_of_a_stop_they_do_not_serve(world):
    url = in_a(world, "stop-host-sheet", pk=world.stops["el_paso"].pk)

    assert world.client("host").get(url).status_code == 403


def test_a_pending_host_is_no_host(world):
    world.host.status = "pending"
    world.host.save()

    response = world.client("host").get(in_a(world, "host-list"))

    assert response.status_code == 404


def test_my_itinerary_is_mine(world):
    response = world.client("rider").get(reverse("api:me-itinerary"))

    [itinerary] = response.json()
    assert (itinerary["audience"], itinerary["participant"]["display_name"]) == (
        "personal",
        "Xiomara",
    )
    assert [n["bed"] for n in itinerary["nights"]] == [world.lodgings["phoenix"].pk, None]


def test_my_itinerary_of_a_journey_i_do_not_ride_is_not_found(world):
    url = reverse("api:me-itinerary") + "?journey=caravan-b"

    assert world.client("rider").get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "audience"),
    [("coordinator", "team"), ("rider", "personal"), ("host", "public"), ("anonymous", "public")],
)
def test_the_journey_itinerary_is_the_fullest_a_role_may_see(world, role, audience):
    url = reverse("api:journey-itinerary", kwargs={"slug": world.a.slug})

    response = world.client(role).get(url)

    assert (response.status_code, response.json()["audience"]) == (200, audience)


@pytest.mark.parametrize(
    ("role", "query", "status"),
    [
        ("rider", "?audience=team", 403),
        ("host", "?audience=personal", 403),
        ("anonymous", "?audience=personal", 401),
        ("coordinator", "?audience=everything", 400),
        ("coordinator", "?audience=personal", 400),
    ],
)
def test_an_itinerary_a_role_may_not_have_is_refused(world, role, query, status):
    url = reverse("api:journey-itinerary", kwargs={"slug": world.a.slug}) + query

    assert world.client(role).get(url).status_code == status


def test_a_rider_may_not_read_another_riders_itinerary(world):
    url = reverse("api:journey-itinerary", kwargs={"slug": world.a.slug})

    response = world.client("rider").get(f"{url}?participant={world.driver.pk}")

    assert response.status_code == 404
