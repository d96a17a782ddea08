"""Calendar feeds, parsed back with icalendar and with vobject (an independent parser)."""

import struct
from array import array
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine
import vobject

from journey.exporters import ExportRequest, get_exporter
from journey.exporters.ics import vtimezone
from journey.itinerary import Audience
from journey.plan import load_plan
from tests.factories import local
from tests.journey.test_itinerary import CREATED, CT, MT, MTN, PRIVATE, PT, build_scenario

EDITED = CREATED + timedelta(days=3)


@pytest.fixture
def scenario(db):
    return build_scenario()


def export(journey, audience=Audience.TEAM, participant=None, language="en") -> bytes:
    return get_exporter("ics").export(
        load_plan(journey), ExportRequest(audience, participant=participant), language=language
    )


def events(body: bytes) -> dict[str, icalendar.Event]:
    """UID -> event, read with icalendar."""
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def vobject_events(body: bytes) -> dict[str, object]:
    """UID -> event, read with vobject."""
    calendar = vobject.readOne(body.decode("utf-8"))
    return {e.uid.value: e for e in calendar.vevent_list}


def zones_renamed(body: bytes) -> bytes:
    """The feed with every TZID renamed to one no library knows.

    Parsers resolve a known IANA name from their own database and ignore the
    VTIMEZONE; under an unknown name they must build the zone from our
    VTIMEZONE block, as ical.js (Thunderbird) does. This checks those blocks.
    """
    for tzid in (PT, MT, MTN, CT):
        body = body.replace(f"TZID:{tzid}".encode(), f"TZID:Caravana {tzid[8:]}".encode())
        body = body.replace(f"TZID={tzid}".encode(), f"TZID=Caravana {tzid[8:]}".encode())
    return body


def unfolded(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


def uids(s, audience, participant=None):
    return sorted(events(export(s.journey, audience, participant)))


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


# --- what each feed holds ------------------------------------------------------------


def test_each_audience_gets_its_own_events(scenario):
    s = scenario
    stop = {key: f"stop-{stop.pk}@caravana" for key, stop in s.stops.items()}
    activity = {key: f"activity-{a.pk}@caravana" for key, a in s.activities.items()}
    lodging = {key: f"lodging-{lo.pk}@caravana" for key, lo in s.lodgings.items()}
    legs = {
        (leg.origin.city, leg.destination.city): f"leg-{leg.pk}@caravana"
        for leg in s.route.legs.select_related("origin", "destination")
    }
    rider_nights = [
        f"night-{s.rider.pk}-20260301-{s.lodgings['phoenix'].pk}@caravana",
        f"night-{s.rider.pk}-20260302-{s.lodgings['el_paso'].pk}@caravana",
    ]

    assert uids(s, Audience.PUBLIC) == sorted(
        [stop[k] for k in ("la", "phoenix", "el_paso", "houston")]
        + [legs[("Los Angeles", "Phoenix")], legs[("Phoenix", "El Paso")]]
        + [activity["vigil"], activity["rally"]]
    )
    assert uids(s, Audience.TEAM) == sorted(
        list(stop.values()) + list(legs.values()) + list(activity.values()) + list(lodging.values())
    )
    assert uids(s, Audience.PERSONAL, s.rider) == sorted(
        [
            stop["phoenix"],
            stop["el_paso"],
            legs["Phoenix", "El Paso"],
            activity["vigil"],
            activity["counsel"],
            *rider_nights,
        ]
    )


def test_the_calendar_names_itself_and_its_zone(scenario):
    calendar = icalendar.Calendar.from_ical(export(scenario.journey))

    assert str(calendar["X-WR-CALNAME"]) == "TPS Journey (team)"
    assert str(calendar["X-WR-TIMEZONE"]) == PT
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.errors == []


def test_a_stop_event_has_location_geo_and_description(scenario):
    event = events(export(scenario.journey))[f"stop-{scenario.stops['phoenix'].pk}@caravana"]

    assert str(event["SUMMARY"]) == "Caravan at Phoenix, AZ"
    assert str(event["LOCATION"]) == "Wesley Bolin Plaza, 12 Depot Yard, Phoenix, AZ"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (33.448376, -112.074036)
    assert str(event["DESCRIPTION"]) == (
        "Overnight\nArrival: Mar 1, 20:30 MST\nDeparture: Mar 2, 09:00 MST\n"
        "Bring water.\nTeam notes: GATE-CODE-4471"
    )
    assert str(event["STATUS"]) == "TENTATIVE"


def test_a_leg_event_tells_distance_driving_time_and_vehicle(scenario):
    s = scenario
    leg = s.route.legs.get(origin=s.stops["phoenix"])

    event = events(export(s.journey))[f"leg-{leg.pk}@caravana"]

    assert str(event["SUMMARY"]) == "Drive: Phoenix, AZ → El Paso, TX"
    assert str(event["DESCRIPTION"]) == (
        "Departs Mar 2, 09:00 MST, arrives Mar 2, 18:00 MST\n"
        "Distance: 381 mi\n"
        "Driving time: 5 h 50 min, plus 30 min of rest breaks\n"
        "Vehicle: Bus Aztlan, CRV-0042\n"
        "Drivers: Dagoberto"
    )
    assert str(event["LOCATION"]) == "Wesley Bolin Plaza, 12 Depot Yard, Phoenix, AZ"


def test_the_team_feed_marks_cancelled_stops(scenario):
    event = events(export(scenario.journey))[f"stop-{scenario.stops['tucson'].pk}@caravana"]

    assert (str(event["SUMMARY"]), str(event["STATUS"])) == (
        "Cancelled: caravan at Tucson, AZ",
        "CANCELLED",
    )


# --- privacy ---------------------------------------------------------------------------


@pytest.mark.parametrize("what", sorted(PRIVATE))
def test_the_public_feed_leaks_nothing_private(scenario, what):
    public = unfolded(export(scenario.journey, Audience.PUBLIC))

    assert PRIVATE[what] not in public


def test_the_planted_private_values_do_reach_the_team_feed(scenario):
    team = unfolded(export(scenario.journey)).replace("\\,", ",")
    expected_in_team = [
        "lodging name",
        "lodging address",
        "driver name",
        "stop private note",
        "activity private note",
        "private activity",
        "non-public stop",
        "cancelled stop",
        "vehicle",
        "plate",
        "parking address",
    ]

    assert [what for what in expected_in_team if PRIVATE[what] not in team] == []


# --- time zones --------------------------------------------------------------------------

WHEN = [
    # (stop key, property, UTC instant)
    ("phoenix", "dtstart", "2026-03-02 03:30"),  # Phoenix keeps MST (UTC-7) all year
    ("el_paso", "dtstart", "2026-03-03 01:00"),  # El Paso is on Mountain time (Denver)
    ("houston", "dtstart", "2026-03-07 16:00"),  # 10:00 CST, the day before the change
    ("houston", "dtend", "2026-03-08 15:00"),  # 10:00 CDT, the day of the change
]


@pytest.mark.parametrize(("key", "prop", "expected"), WHEN)
def test_stop_times_read_right_with_icalendar(scenario, key, prop, expected):
    event = events(export(scenario.journey))[f"stop-{scenario.stops[key].pk}@caravana"]

    assert utc(event.decoded(prop)) == expected


@pytest.mark.parametrize(("key", "prop", "expected"), WHEN)
def test_stop_times_read_right_with_vobject(scenario, key, prop, expected):
    event = vobject_events(export(scenario.journey))[f"stop-{scenario.stops[key].pk}@caravana"]

    assert utc(getattr(event, prop).value) == expected


@pytest.mark.parametrize(("key", "prop", "expected"), WHEN)
def test_stop_times_read_right_from_our_vtimezone_blocks(scenario, key, prop, expected):
    body = zones_renamed(export(scenario.journey))
    uid = f"stop-{scenario.stops[key].pk}@caravana"

    ours, theirs = events(body)[uid], vobject_events(body)[uid]

    assert ours[prop].params["TZID"].startswith("Caravana ")
    assert (utc(ours.decoded(prop)), utc(getattr(theirs, prop).value)) == (expected, expected)


def test_a_leg_driven_through_the_dst_change_reads_right(journey, route, add_stop):
    # Leaves Houston 01:30 CST (07:30 UTC); clocks jump from 02:00 to 03:00;
    # arrives 03:30 CDT (08:30 UTC): one hour of driving.
    houston = add_stop(route, "Houston", local(CT, 2026, 3, 7, 18), local(CT, 2026, 3, 8, 1, 30))
    add_stop(route, "San Antonio", local(CT, 2026, 3, 8, 3, 30), local(CT, 2026, 3, 8, 12))
    leg = route.legs.get(origin=houston)
    uid = f"leg-{leg.pk}@caravana"

    body = export(journey)

    read = [
        (utc(event.decoded("dtstart")), utc(event.decoded("dtend")))
        for event in (events(body)[uid], events(zones_renamed(body))[uid])
    ] + [
        (utc(event.dtstart.value), utc(event.dtend.value))
        for event in (vobject_events(body)[uid], vobject_events(zones_renamed(body))[uid])
    ]
    assert read == [("2026-03-08 07:30", "2026-03-08 08:30")] * 4


def test_a_leg_starts_in_its_origins_zone_and_ends_in_its_destinations(scenario):
    s = scenario
    leg = s.route.legs.get(origin=s.stops["la"])

    event = events(export(s.journey))[f"leg-{leg.pk}@caravana"]

    assert (event["DTSTART"].params["TZID"], event["DTEND"].params["TZID"]) == (PT, MT)
    assert (utc(event.decoded("dtstart")), utc(event.decoded("dtend"))) == (
        "2026-03-01 17:00",
        "2026-03-02 03:30",
    )


@pytest.mark.parametrize(
    ("audience", "zones"),
    [
        (Audience.PUBLIC, [CT, MTN, PT, MT]),
        (Audience.TEAM, [CT, MTN, PT, MT]),
        (Audience.PERSONAL, [MTN, MT]),
    ],
)
def test_one_vtimezone_for_each_zone_used_and_no_other(scenario, audience, zones):
    participant = scenario.rider if audience == Audience.PERSONAL else None
    calendar = icalendar.Calendar.from_ical(export(scenario.journey, audience, participant))

    assert [tz.tz_name for tz in calendar.timezones] == zones
    assert calendar.get_used_tzids() == set(zones)


def test_time_zone_blocks_cover_the_journeys_year_only(scenario):
    calendar = icalendar.Calendar.from_ical(export(scenario.journey))
    chicago = next(tz for tz in calendar.timezones if tz.tz_name == CT)

    assert [(sub.name, sub.DTSTART.isoformat()) for sub in chicago.subcomponents] == [
        ("STANDARD", "2026-01-01T00:00:00"),
        ("DAYLIGHT", "2026-03-08T03:00:00"),
        ("STANDARD", "2026-11-01T02:00:00"),
    ]


def test_time_zone_blocks_are_built_once_per_process():
    vtimezone.cache_clear()

    first = vtimezone(CT, 2026, 2026)
    again = vtimezone(CT, 2026, 2026)

    assert again is first
    assert vtimezone.cache_info().hits == 1


# --- updates ------------------------------------------------------------------------------


def stamps(body):
    return {
        uid: (int(e["SEQUENCE"]), e.decoded("LAST-MODIFIED")) for uid, e in events(body).items()
    }


def test_exports_are_identical_while_nothing_changes(scenario):
    first = export(scenario.journey)
    with time_machine.travel(EDITED, tick=False):
        second = export(scenario.journey)

    assert second == first


def test_editing_a_stop_updates_its_event_and_the_legs_touching_it(scenario):
    s = scenario
    before = stamps(export(s.journey))
    with time_machine.travel(EDITED, tick=False):
        s.stops["phoenix"].departure += timedelta(hours=1)
        s.stops["phoenix"].save()

    after = stamps(export(s.journey))

    changed = sorted(uid for uid in after if after[uid] != before[uid])
    legs = sorted(
        f"leg-{leg.pk}@caravana"
        for leg in s.route.legs.filter(origin=s.stops["phoenix"])
        | s.route.legs.filter(destination=s.stops["phoenix"])
    )
    assert changed == sorted([f"stop-{s.stops['phoenix'].pk}@caravana", *legs])
    assert sorted(after) == sorted(before)
    for uid in changed:
        assert after[uid][0] == before[uid][0] + 3 * 24 * 3600
        assert after[uid][1] == EDITED


# --- personal feed ---------------------------------------------------------------------------


def test_the_personal_feed_reminds_before_each_departure(scenario):
    s = scenario
    leg = s.route.legs.get(origin=s.stops["phoenix"])
    calendar = icalendar.Calendar.from_ical(export(s.journey, Audience.PERSONAL, s.rider))

    alarms = [
        (str(event["UID"]), alarm["TRIGGER"].dt, str(alarm["ACTION"]))
        for event in calendar.walk("VEVENT")
        for alarm in event.walk("VALARM")
    ]

    assert alarms == [(f"leg-{leg.pk}@caravana", timedelta(minutes=-60), "DISPLAY")]


def test_the_personal_feed_says_where_they_sleep(scenario):
    s = scenario
    uid = f"night-{s.rider.pk}-20260301-{s.lodgings['phoenix'].pk}@caravana"

    body = export(s.journey, Audience.PERSONAL, s.rider)

    event = vobject_events(body)[uid]
    assert event.summary.value == "Sleep: Sanctuary Hall (417 Quiet Alley)"
    assert event.location.value == "Sanctuary Hall, 417 Quiet Alley, Phoenix, AZ"
    assert (utc(event.dtstart.value), utc(event.dtend.value)) == (
        "2026-03-02 03:30",
        "2026-03-02 16:00",
    )


def write_mo(path, messages: dict[str, str]) -> None:
    """A minimal compiled gettext catalog (the format msgfmt writes)."""
    messages = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode(), messages[key].encode()
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_table, value_table = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, id_offset + key_start]
        value_table += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(
        header + array("i", key_table).tobytes() + array("i", value_table).tobytes() + ids + strs
    )


def test_the_personal_feed_speaks_the_riders_language(scenario, settings, tmp_path):
    # The project's Spanish catalog is not written yet: this one holds two of its messages.
    write_mo(
        tmp_path / "es" / "LC_MESSAGES" / "django.mo",
        {
            "Drive: %(origin)s → %(destination)s": "Trayecto: %(origin)s → %(destination)s",
            "%(journey)s: my itinerary": "%(journey)s: mi itinerario",
        },
    )
    settings.LOCALE_PATHS = [tmp_path]
    s = scenario
    leg = s.route.legs.get(origin=s.stops["phoenix"])

    spanish = icalendar.Calendar.from_ical(
        get_exporter("ics").export(
            load_plan(s.journey),
            ExportRequest(Audience.PERSONAL, participant=s.rider),
            language=s.rider.language,
        )
    )

    event = next(e for e in spanish.walk("VEVENT") if str(e["UID"]) == f"leg-{leg.pk}@caravana")
    assert str(event["SUMMARY"]) == "Trayecto: Phoenix, AZ → El Paso, TX"
    assert str(spanish["X-WR-CALNAME"]) == "TPS Journey: mi itinerario"
