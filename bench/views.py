"""Reference views for the benchmark (bench/urls.py); never part of Caravana's URLs.

``hello`` is the cheapest answer the server can give. ``plain_itinerary`` is what a
developer would write by hand for one rider's itinerary without Caravana's layers (no
``load_plan``, no itinerary data classes, no DRF serializers): ``values()`` queries for
the rows of that rider's segment only, a little Python, and ``JsonResponse``. It answers
the same JSON as ``/api/journeys/<slug>/itinerary/`` for that rider (the benchmark
compares the two), so the ratio between them is the price of Caravana's layers. It checks
no permission: it is a yardstick, not a feature.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone

from journey.models import Journey, Leg, RouteStop
from participants.models import BedAssignment, Participant, Role, SeatAssignment, VehicleKind
from stops.models import (
    Activity,
    ActivityKind,
    LodgingKind,
    StopKind,
    StopStatus,
    local_nights,
)


def hello(request):
    """The cheapest answer the same server can give: what every request costs at least."""
    return HttpResponse(b"Hello, world", content_type="text/plain")


STOP_FIELDS = [
    "city",
    "state",
    "country",
    "venue",
    "address",
    "latitude",
    "longitude",
    "timezone",
    "arrival",
    "departure",
    "kind",
    "status",
    "public_notes",
    "updated_at",
]
LODGING_FIELDS = [
    "id",
    "stop_id",
    "name",
    "kind",
    "address",
    "capacity",
    "check_in",
    "check_out",
    "accessibility_notes",
    "updated_at",
]


def _local(moment, zone: ZoneInfo) -> str:
    return timezone.localtime(moment, zone).isoformat()


def _place(city: str, state: str) -> str:
    return f"{city}, {state}" if state else city


def plain_itinerary(request, slug: str, participant_id: int):
    journey = (
        Journey.objects.filter(slug=slug)
        .values(
            "id",
            "slug",
            "name",
            "description",
            "home_timezone",
            "distance_unit",
            "is_published",
            "updated_at",
        )
        .first()
    )
    person = (
        Participant.objects.filter(journey_id=journey["id"] if journey else None, pk=participant_id)
        .values(
            "id",
            "display_name",
            "language",
            "role",
            "route_id",
            "join_stop_id",
            "leave_stop_id",
            "updated_at",
        )
        .first()
    )
    if person is None:
        raise Http404
    route_rows = list(
        RouteStop.objects.filter(route_id=person["route_id"])
        .order_by("position")
        .values("position", "stop_id", *(f"stop__{name}" for name in STOP_FIELDS))
    )
    positions = {row["stop_id"]: row["position"] for row in route_rows}
    active = [row for row in route_rows if row["stop__status"] != StopStatus.CANCELLED]
    active_positions = [row["position"] for row in active]
    start = positions.get(person["join_stop_id"], route_rows[0]["position"] if route_rows else 0)
    end = positions.get(person["leave_stop_id"], route_rows[-1]["position"] if route_rows else 0)
    first, last = bisect_left(active_positions, start), bisect_right(active_positions, end) - 1
    segment = active[first : last + 1]
    stop_ids = [row["stop_id"] for row in segment]
    zones = {row["stop_id"]: ZoneInfo(row["stop__timezone"]) for row in segment}

    activities = defaultdict(list)
    for row in (
        Activity.objects.filter(stop_id__in=stop_ids)
        .order_by("starts_at", "pk")
        .values(
            "id",
            "stop_id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "description",
            "is_public",
            "updated_at",
        )
    ):
        activities[row["stop_id"]].append(row)
    beds = {}
    lodgings = {}
    for row in (
        BedAssignment.objects.filter(participant_id=participant_id, lodging__stop_id__in=stop_ids)
        .order_by("night", "pk")
        .values("night", *(f"lodging__{name}" for name in LODGING_FIELDS))
    ):
        beds[row["night"]] = row["lodging__id"]
        lodgings[row["lodging__id"]] = {name: row[f"lodging__{name}"] for name in LODGING_FIELDS}
    legs = list(
        Leg.objects.filter(route_id=person["route_id"])
        .order_by("position")
        .values(
            "id",
            "position",
            "route__name",
            "computed_distance_km",
            "override_distance_km",
            "computed_driving_minutes",
            "override_driving_minutes",
            "break_minutes",
            "updated_at",
        )
    )
    seats = list(
        SeatAssignment.objects.filter(vehicle__route_id=person["route_id"]).values(
            "participant_id",
            "vehicle_id",
            "from_stop_id",
            "to_stop_id",
            "is_driver",
            "participant__display_name",
            "vehicle__name",
            "vehicle__kind",
            "vehicle__plate",
        )
    )
    contacts = [
        {
            "participant_id": row["id"],
            "name": row["display_name"],
            "phone": row["phone"],
            "email": row["email"],
        }
        for row in Participant.objects.filter(journey_id=journey["id"], role=Role.COORDINATOR)
        .exclude(phone="")
        .order_by("display_name", "pk")
        .values("id", "display_name", "phone", "email")
    ]

    # Who rides which vehicle on each leg of the segment (legs by index among active stops).
    on_leg = defaultdict(lambda: defaultdict(list))
    for seat in seats:
        low = positions.get(seat["from_stop_id"])
        high = positions.get(seat["to_stop_id"])
        if low is None or high is None:
            continue
        begin, stop = bisect_left(active_positions, low), bisect_right(active_positions, high) - 1
        for index in range(max(begin, first), min(stop, last)):
            on_leg[index][seat["vehicle_id"]].append(seat)

    stops_out = {}
    for row in segment:
        zone = zones[row["stop_id"]]
        stop_activities = [
            {
                "id": a["id"],
                "stop_id": a["stop_id"],
                "kind": a["kind"],
                "kind_label": str(ActivityKind(a["kind"]).label),
                "title": a["title"],
                "starts_at": _local(a["starts_at"], zone),
                "ends_at": _local(a["ends_at"], zone),
                "timezone": row["stop__timezone"],
                "venue": a["venue"],
                "address": a["address"],
                "place_name": _place(row["stop__city"], row["stop__state"]),
                "description": a["description"],
                "is_public": a["is_public"],
                "is_cancelled": False,
                "private_notes": "",
            }
            for a in activities[row["stop_id"]]
        ]
        stop_lodgings = [
            {
                "id": lo["id"],
                "stop_id": lo["stop_id"],
                "name": lo["name"],
                "kind": lo["kind"],
                "kind_label": str(LodgingKind(lo["kind"]).label),
                "address": lo["address"],
                "place_name": _place(row["stop__city"], row["stop__state"]),
                "capacity": lo["capacity"],
                "check_in": _local(lo["check_in"], zone),
                "check_out": _local(lo["check_out"], zone),
                "timezone": row["stop__timezone"],
                "accessibility_notes": lo["accessibility_notes"],
                "notes": "",
                "nights": [
                    n.isoformat() for n in local_nights(lo["check_in"], lo["check_out"], zone)
                ],
            }
            for lo in lodgings.values()
            if lo["stop_id"] == row["stop_id"]
        ]
        stops_out[row["stop_id"]] = {
            "id": row["stop_id"],
            "city": row["stop__city"],
            "state": row["stop__state"],
            "country": row["stop__country"],
            "place_name": _place(row["stop__city"], row["stop__state"]),
            "venue": row["stop__venue"],
            "address": row["stop__address"],
            "latitude": float(row["stop__latitude"]),
            "longitude": float(row["stop__longitude"]),
            "timezone": row["stop__timezone"],
            "arrival": _local(row["stop__arrival"], zone),
            "departure": _local(row["stop__departure"], zone),
            "kind": row["stop__kind"],
            "kind_label": str(StopKind(row["stop__kind"]).label),
            "status": row["stop__status"],
            "is_cancelled": False,
            "nights": [
                n.isoformat()
                for n in local_nights(row["stop__arrival"], row["stop__departure"], zone)
            ],
            "public_notes": row["stop__public_notes"],
            "private_notes": "",
            "activities": stop_activities,
            "lodgings": stop_lodgings,
        }

    legs_out, vehicles = [], {}
    for index in range(first, last):
        leg, origin, destination = legs[index], segment[index - first], segment[index - first + 1]
        mine = {
            seat["vehicle_id"]
            for rows in on_leg[index].values()
            for seat in rows
            if seat["participant_id"] == participant_id
        }
        riding = []
        for vehicle_id in mine:
            rows = on_leg[index][vehicle_id]
            vehicle = {
                "id": vehicle_id,
                "name": rows[0]["vehicle__name"],
                "kind": rows[0]["vehicle__kind"],
                "kind_label": str(VehicleKind(rows[0]["vehicle__kind"]).label),
                "plate": rows[0]["vehicle__plate"],
            }
            vehicles.setdefault(vehicle_id, vehicle)
            riding.append(
                {
                    "vehicle": vehicle,
                    "drivers": sorted(
                        s["participant__display_name"] for s in rows if s["is_driver"]
                    ),
                    "passengers": sum(1 for s in rows if not s["is_driver"]),
                }
            )
        distance = leg["override_distance_km"]
        minutes = leg["override_driving_minutes"]
        legs_out.append(
            {
                "id": leg["id"],
                "route_id": person["route_id"],
                "route_name": leg["route__name"],
                "position": leg["position"],
                "origin_id": origin["stop_id"],
                "origin_name": stops_out[origin["stop_id"]]["place_name"],
                "destination_id": destination["stop_id"],
                "destination_name": stops_out[destination["stop_id"]]["place_name"],
                "departure": stops_out[origin["stop_id"]]["departure"],
                "arrival": stops_out[destination["stop_id"]]["arrival"],
                "distance_km": distance if distance is not None else leg["computed_distance_km"],
                "driving_minutes": minutes
                if minutes is not None
                else leg["computed_driving_minutes"],
                "break_minutes": leg["break_minutes"],
                "vehicles": sorted(riding, key=lambda v: v["vehicle"]["name"]),
            }
        )

    nights = []
    for row in segment:
        stop_id = row["stop_id"]
        for night in local_nights(row["stop__arrival"], row["stop__departure"], zones[stop_id]):
            bed = beds.get(night)
            nights.append(
                {
                    "date": night.isoformat(),
                    "stop_id": stop_id,
                    "lodging_ids": [bed] if bed is not None else [],
                    "bed": bed,
                    "headcount": None,
                }
            )
    dates = [stop[key][:10] for stop in stops_out.values() for key in ("arrival", "departure")]
    dates += [leg["arrival"][:10] for leg in legs_out] + [night["date"] for night in nights]
    dates += [
        item[key][:10]
        for stop in stops_out.values()
        for item, key in [(a, "starts_at") for a in stop["activities"]]
        + [(a, "ends_at") for a in stop["activities"]]
        + [(lo, "check_in") for lo in stop["lodgings"]]
        + [(lo, "check_out") for lo in stop["lodgings"]]
    ]
    stamps = [journey["updated_at"], person["updated_at"]]
    stamps += [row["stop__updated_at"] for row in segment]
    stamps += [legs[index]["updated_at"] for index in range(first, last)]
    stamps += [a["updated_at"] for stop_id in stop_ids for a in activities[stop_id]]
    stamps += [lo["updated_at"] for lo in lodgings.values()]
    return JsonResponse(
        {
            "journey": {**journey, "updated_at": journey["updated_at"].isoformat()},
            "audience": "personal",
            "participant": {key: person[key] for key in ("id", "display_name", "language", "role")},
            "stops": list(stops_out.values()),
            "legs": legs_out,
            "nights": nights,
            "vehicles": list(vehicles.values()),
            "contacts": contacts,
            "timezones": sorted({row["stop__timezone"] for row in segment}),
            "first_date": min(dates, default=None),
            "last_date": max(dates, default=None),
            "last_modified": max(stamps).isoformat(),
        }
    )
