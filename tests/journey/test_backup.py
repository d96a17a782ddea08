"""A journey exported to one JSON file and imported elsewhere comes back whole (docs/backup.md)."""

import copy
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.build import build_demo
from journey import backup
from journey.access import JOURNEY_LOOKUPS, participant_for_token
from journey.backup import EXPORTED_MODELS, BackupError, export_journey
from journey.backup_import import import_journey
from journey.models import Journey, Leg, new_secret_token
from journey.services import append_stop, deferred_leg_refresh
from participants.models import BedAssignment, ItinerarySnapshot, Participant, SeatAssignment
from stops.models import LocalContact, Stop
from tests.factories import (
    PLACES,
    ActivityFactory,
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
    local,
)

User = get_user_model()
NOW = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


# --- helpers ----------------------------------------------------------------------------------


def rows_of(label, journey):
    model = apps.get_model(label)
    path = JOURNEY_LOOKUPS[label]
    return model.objects.filter(**({path: journey} if path else {"pk": journey.pk}))


def tables(journey) -> dict[str, list[dict]]:
    """Every stored row of the journey, read straight from the tables: each primary key
    replaced by the row's position in its table, each reference by the position of the row
    it points to, each user by username; so two copies of a journey compare equal."""
    positions, result = {}, {}
    for label in EXPORTED_MODELS:
        model = apps.get_model(label)
        rows = list(rows_of(label, journey).order_by("pk").values())
        positions[label] = {row["id"]: index for index, row in enumerate(rows)}
        for row in rows:
            row["id"] = positions[label][row["id"]]
            for field in model._meta.concrete_fields:
                value = row[field.attname]
                if not field.is_relation or value is None:
                    continue
                if field.related_model is User:
                    row[field.attname] = User.objects.get(pk=value).username
                else:
                    row[field.attname] = positions[field.related_model._meta.label_lower][value]
        result[label] = rows
    result["coordinators"] = sorted(journey.coordinators.values_list("username", flat=True))
    return result


def normalized(data: dict) -> dict:
    """An exported document with ids replaced by positions and without its date."""
    data = copy.deepcopy(data)
    del data["exported_at"]
    positions = {
        label: {row["id"]: index for index, row in enumerate(rows)}
        for label, rows in data["models"].items()
    }
    for label, rows in data["models"].items():
        model = apps.get_model(label)
        for row in rows:
            row["id"] = positions[label][row["id"]]
            for field in model._meta.concrete_fields:
                target = field.related_model
                if field.is_relation and target is not User and row[field.name] is not None:
                    row[field.name] = positions[target._meta.label_lower][row[field.name]]
    return data


def counts() -> dict[str, int]:
    found = {label: apps.get_model(label).objects.count() for label in EXPORTED_MODELS}
    return found | {"users": User.objects.count()}


def as_file(data: dict) -> dict:
    """What the file gives back: the document through JSON text."""
    return json.loads(json.dumps(data))


def build_journey(slug: str, *, stops: int = 3, coordinator=None) -> Journey:
    """A small journey with a row of every exported model: each stop has an activity, a host
    with a local contact, a lodging and a rider who sleeps there and rides the bus."""
    journey = JourneyFactory(slug=slug, name=f"Journey {slug}", home_timezone="America/Phoenix")
    if coordinator is not None:
        journey.coordinators.add(coordinator)
    route = RouteFactory(journey=journey, name="Main")
    bus = VehicleFactory(journey=journey, route=route, name="Bus", seats=100)
    cities = list(PLACES)
    with deferred_leg_refresh():
        placed = []
        for number in range(stops):
            arrival = local("America/Phoenix", 2026, 3, 1, 18) + timedelta(days=number)
            stop = StopFactory(
                journey=journey,
                city=cities[number % len(cities)],
                arrival=arrival,
                departure=arrival + timedelta(hours=14),
            )
            append_stop(route=route, stop=stop)
            placed.append(stop)
    for number, stop in enumerate(placed):
        ActivityFactory(stop=stop, title=f"Rally {number}")
        host = HostAllyFactory(journey=journey, stop=stop, city=stop.city)
        LocalContact.objects.create(
            stop=stop, host=host, kind="legal_aid", name="Legal line", phone="555-0100"
        )
        lodging = LodgingFactory(stop=stop, host=host, name=f"Hall {number}")
        rider = ParticipantFactory(
            journey=journey, route=route, join_stop=stop, display_name=f"Rider {number}"
        )
        BedAssignment.objects.create(participant=rider, lodging=lodging, night=stop.nights[0])
        if stop is not placed[-1]:
            SeatAssignment.objects.create(
                participant=rider, vehicle=bus, from_stop=stop, to_stop=placed[-1]
            )
    return journey


@pytest.fixture
def small(db):
    return build_journey("small", coordinator=UserFactory(username="ana"))


# --- what the file covers ---------------------------------------------------------------------


def test_every_model_of_the_journey_apps_is_exported_or_skipped_with_a_reason():
    unaccounted = [
        model._meta.label_lower
        for model in backup.journey_models()
        if model._meta.label_lower not in EXPORTED_MODELS and backup.skip_reason(model) is None
    ]

    assert unaccounted == []


def test_the_lists_name_real_models_once():
    named = list(EXPORTED_MODELS) + list(backup.SKIPPED_MODELS)
    real = {model._meta.label_lower for model in backup.journey_models()}

    assert sorted(set(named) - real) == []
    assert len(named) == len(set(named))


def test_exported_models_refer_only_to_users_and_to_models_written_before_them():
    problems = []
    for index, label in enumerate(EXPORTED_MODELS):
        model = apps.get_model(label)
        earlier = EXPORTED_MODELS[:index]
        if label not in JOURNEY_LOOKUPS:
            problems.append(f"{label}: no way to its journey in journey.access.JOURNEY_LOOKUPS")
        if not isinstance(model._meta.pk, models.AutoField):
            problems.append(f"{label}: the primary key is not an automatic number")
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = field.related_model
            if field.target_field is not target._meta.pk:
                problems.append(f"{label}.{field.name}: refers to a field other than the key")
            # A reference to the same table (Participant.travels_with) is linked after it.
            if target is not User and target._meta.label_lower not in (*earlier, label):
                problems.append(f"{label}.{field.name}: {target._meta.label_lower} is not before")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                if through._meta.label_lower not in EXPORTED_MODELS:
                    problems.append(f"{label}.{field.name}: its table is not exported")
            elif field.related_model is not User and (
                field.related_model._meta.label_lower not in earlier
            ):
                problems.append(f"{label}.{field.name}: the target is not before")

    assert problems == []


def test_history_tables_are_skipped_and_say_why():
    history = [model for model in backup.journey_models() if backup.is_history_model(model)]

    assert "stops.historicalstop" in [model._meta.label_lower for model in history]
    assert {backup.skip_reason(model) for model in history} == {backup.HISTORY_REASON}


# --- the round trip ---------------------------------------------------------------------------


def test_the_demo_journey_comes_back_whole_after_export_delete_and_import(db):
    coordinator = UserFactory(
        username="coordinator-ana",
        email="ana@example.org",
        first_name="Ana",
        last_name="Torres",
        is_staff=True,
    )
    coordinator.set_password("caravana-2027")
    coordinator.save()
    journey = build_demo(coordinator=coordinator)
    rider = Participant.objects.filter(journey=journey, role="rider").order_by("pk").first()
    rider.user = UserFactory(username="rider-luis", is_active=False)
    rider.save()
    revoked = Participant.objects.filter(journey=journey).order_by("pk").last()
    revoked.secret_token = None
    revoked.save()
    first_stop = Stop.objects.filter(journey=journey).order_by("pk").first()
    LocalContact.objects.create(stop=first_stop, kind="rapid_response", name="Hotline", phone="1")
    ItinerarySnapshot.objects.create(
        participant=rider, data={"stops": [["Los Angeles", "2027-03-01T10:00"]]}, taken_at=NOW
    )
    # Values that saving would change: figures typed by hand, a bumped version, flags.
    leg = Leg.objects.for_journey(journey).order_by("pk").first()
    Leg.objects.filter(pk=leg.pk).update(
        computed_distance_km=123.4,
        override_driving_minutes=333,
        override_reason="Route planner",
        in_border_zone=True,
        checkpoints=["I-10 Sierra Blanca"],
    )
    Stop.objects.filter(pk=first_stop.pk).update(version=7, timezone="America/Phoenix")
    before = tables(journey)
    exported = as_file(export_journey(journey=journey))
    token = rider.secret_token
    journey.delete()
    User.objects.filter(username__in=["coordinator-ana", "rider-luis"]).delete()

    imported = import_journey(data=exported)

    assert tables(imported) == before
    assert normalized(export_journey(journey=imported)) == normalized(exported)
    assert [label for label, rows in before.items() if not rows] == []  # every table is tried
    first_leg = Leg.objects.for_journey(imported).order_by("pk").first()
    assert (first_leg.computed_distance_km, first_leg.driving_minutes) == (123.4, 333)
    assert Stop.objects.filter(journey=imported).order_by("pk").first().version == 7
    assert participant_for_token(token).journey == imported  # the rider's link still opens
    restored = User.objects.get(username="coordinator-ana")
    # Nothing about a login comes from the file: created inactive, with no password or rights.
    assert (restored.is_active, restored.has_usable_password(), restored.is_staff) == (
        False,
        False,
        False,
    )
    assert (restored.email, restored.first_name, restored.last_name) == ("", "", "")
    assert list(restored.coordinated_journeys.all()) == [imported]
    assert User.objects.get(username="rider-luis").participations.get().journey == imported


@pytest.mark.django_db(transaction=True)
def test_export_outside_a_transaction_reads_one_snapshot():
    journey = build_journey("committed", stops=2)

    data = export_journey(journey=journey)

    assert [row["slug"] for row in data["models"]["journey.journey"]] == ["committed"]
    assert not connection.in_atomic_block


def test_datetimes_are_utc_with_offset_decimals_text_and_dates_iso(small):
    stop = Stop.objects.filter(journey=small).order_by("pk").first()

    data = as_file(export_journey(journey=small))

    row = data["models"]["stops.stop"][0]
    assert (
        row["arrival"],
        row["latitude"],
        data["models"]["journey.journey"][0]["road_factor"],
    ) == (
        "2026-03-02T01:00:00+00:00",
        str(stop.latitude),
        str(small.road_factor),
    )
    assert data["models"]["participants.bedassignment"][0]["night"] == "2026-03-01"
    assert (data["format"], data["version"]) == ("caravana-journey", 1)
    assert data["exported_at"].endswith("+00:00")


def test_a_journey_is_imported_beside_others_under_new_keys(small):
    other = build_journey("other", stops=2)
    others_before = tables(other)
    exported = as_file(export_journey(journey=small))
    small_before = tables(small)
    # Keep the original too: rename it and give it new secret links.
    Journey.objects.filter(pk=small.pk).update(slug="small-old", team_feed_token=new_secret_token())
    for participant in Participant.objects.filter(journey=small):
        participant.secret_token = new_secret_token()
        participant.save()

    imported = import_journey(data=exported)

    assert imported.pk != small.pk
    assert tables(imported) == small_before
    assert tables(other) == others_before
    old_stops = set(Stop.objects.filter(journey=small).values_list("pk", flat=True))
    new_stops = set(Stop.objects.filter(journey=imported).values_list("pk", flat=True))
    assert (len(new_stops), old_stops & new_stops) == (3, set())


def test_an_existing_login_is_reused_as_it_is(small):
    exported = as_file(export_journey(journey=small))
    small.delete()
    User.objects.filter(username="ana").update(email="ana@new.example.org")
    users_before = User.objects.count()

    imported = import_journey(data=exported)

    ana = User.objects.get(username="ana")
    assert (User.objects.count(), ana.email) == (users_before, "ana@new.example.org")
    assert list(imported.coordinators.all()) == [ana]


def test_a_missing_login_is_created_inactive_without_password_or_rights(small):
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    small.coordinators.add(boss)
    exported = as_file(export_journey(journey=small))
    small.delete()
    boss.delete()

    import_journey(data=exported)

    boss = User.objects.get(username="boss")
    assert (boss.is_active, boss.is_staff, boss.is_superuser, boss.has_usable_password()) == (
        False,
        False,
        False,
        False,
    )


def test_an_older_file_with_hashes_and_staff_flags_gives_them_to_no_one(small):
    """Files written before logins were reduced to usernames held hashes and flags: read,
    never used."""
    exported = as_file(export_journey(journey=small))
    small.delete()
    User.objects.filter(username="ana").delete()
    planted = User(username="x")
    planted.set_password("known-to-the-attacker")
    exported["users"] = [
        {
            "username": "ana",
            "email": "attacker@evil.test",
            "first_name": "Mallory",
            "last_name": "Root",
            "is_active": True,
            "is_staff": True,
            "password": planted.password,
        }
    ]

    import_journey(data=exported)

    ana = User.objects.get(username="ana")
    assert (ana.is_active, ana.is_staff, ana.is_superuser, ana.has_usable_password()) == (
        False,
        False,
        False,
        False,
    )
    assert not ana.check_password("known-to-the-attacker")
    assert (ana.email, ana.first_name, ana.last_name) == ("", "", "")


# --- refusals: nothing is saved ---------------------------------------------------------------


def test_a_journey_with_the_same_slug_is_refused(small):
    exported = as_file(export_journey(journey=small))
    before = counts()

    with pytest.raises(BackupError, match="A journey with the slug “small” already exists here"):
        import_journey(data=exported)

    assert counts() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.update(format="something-else"), "This is not a Caravana journey file."),
        (lambda data: data.update(version=2), "Unknown version 2 of the journey file format"),
        (lambda data: data.update(version="1"), "Unknown version '1' of the journey file format"),
        (lambda data: data.pop("models"), "The file has no “models” object."),
        (
            lambda data: data["models"].update({"stops.passport": []}),
            "Unknown models in the file: stops.passport.",
        ),
        (
            lambda data: data["models"].update({"journey.journey": []}),
            "The file must hold exactly one journey.",
        ),
    ],
)
def test_a_file_of_another_kind_is_refused(small, change, message):
    data = as_file(export_journey(journey=small))
    small.delete()
    change(data)
    before = counts()

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    assert str(refused.value).startswith(message)
    assert counts() == before


def set_value(label, index, field, value):
    def change(data):
        data["models"][label][index][field] = value

    return change


def remove_value(label, index, field):
    def change(data):
        del data["models"][label][index][field]

    return change


def route_named_twice(data):
    data["models"]["journey.route"].append({**data["models"]["journey.route"][0], "id": 999_999})


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (
            set_value("stops.lodging", 1, "check_in", "tomorrow"),
            "stops.lodging, row 2",
            "check_in: 'tomorrow' is not a valid value.",
        ),
        (
            set_value("stops.stop", 0, "arrival", "2026-03-01T18:00:00"),
            "stops.stop, row 1",
            "arrival: '2026-03-01T18:00:00' has no UTC offset.",
        ),
        (set_value("stops.stop", 2, "latitude", "north"), "stops.stop, row 3", "latitude:"),
        (set_value("stops.stop", 0, "latitude", "1234.5"), "stops.stop, row 1", "latitude:"),
        (remove_value("stops.stop", 1, "city"), "stops.stop, row 2", "city is missing."),
        (
            set_value("stops.stop", 1, "city", "x" * 121),
            "stops.stop, row 2",
            "city is longer than 120 characters.",
        ),
        (
            set_value("participants.participant", 0, "role", 5),
            "participants.participant, row 1",
            "role: 5 is not a valid value.",
        ),
        (
            set_value("participants.participant", 2, "passport", "X123"),
            "participants.participant, row 3",
            "unknown fields: passport.",
        ),
        (
            set_value("participants.seatassignment", 0, "vehicle", 999_999),
            "participants.seatassignment, row 1",
            "vehicle: there is no participants.vehicle with id 999999 in the file.",
        ),
        (
            set_value("participants.participant", 0, "user", "nobody"),
            "participants.participant, row 1",
            "user: the user 'nobody' is not in the file’s users.",
        ),
        (
            set_value("journey.journey", 0, "coordinators", ["ana", "nobody"]),
            "journey.journey, row 1",
            "coordinators: 'nobody' is not in the file.",
        ),
        (
            set_value("participants.bedassignment", 0, "night", None),
            "participants.bedassignment, row 1",
            "night may not be empty.",
        ),
        (
            set_value("journey.leg", 0, "id", "first"),
            "journey.leg, row 1",
            "the row has no id.",
        ),
    ],
)
def test_a_malformed_row_is_named_and_nothing_is_saved(small, change, where, problem):
    data = as_file(export_journey(journey=small))
    small.delete()
    User.objects.filter(username="ana").delete()  # would be created first
    change(data)
    before = counts()

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    assert str(refused.value).startswith(where)
    assert problem in str(refused.value)
    assert counts() == before


def test_rows_the_database_refuses_late_leave_nothing_saved(small):
    data = as_file(export_journey(journey=small))
    small.delete()
    User.objects.filter(username="ana").delete()
    route_named_twice(data)  # two routes with one name: only the database knows
    before = counts()

    with pytest.raises(BackupError, match=r"^journey\.route: the database refused the rows"):
        import_journey(data=data)

    assert counts() == before


def test_a_secret_link_already_used_here_is_refused(small):
    data = as_file(export_journey(journey=small))
    small.delete()
    taken = data["models"]["participants.participant"][1]["secret_token"]
    ParticipantFactory(journey=JourneyFactory(slug="elsewhere"), secret_token=taken)
    before = counts()

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    row_id = data["models"]["participants.participant"][1]["id"]
    assert refused.value.problems == [
        f"participants.participant, row 2 (id {row_id}): "
        "secret_token is already used by a row of another journey here.",
        f"participants.participant, row 2 (id {row_id}): "
        "secret_token_digest is already used by a row of another journey here.",
    ]
    assert counts() == before


def test_every_bad_row_is_reported_at_once_by_the_models_own_validation(small):
    data = as_file(export_journey(journey=small))
    small.delete()
    User.objects.filter(username="ana").delete()
    set_value("journey.journey", 0, "home_timezone", "Mars/Olympus_Mons")(data)
    set_value("journey.journey", 0, "retention_days", 3_000_000)(data)
    set_value("stops.stop", 1, "timezone", "Europe/Atlantis")(data)
    set_value("participants.participant", 0, "role", "king")(data)
    set_value("participants.participant", 2, "language", "xx")(data)
    set_value("stops.stop", 2, "city", "x" * 121)(data)
    ids = {
        label: [row["id"] for row in data["models"][label]]
        for label in ("stops.stop", "participants.participant")
    }
    before = counts()

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    stop, participant = ids["stops.stop"], ids["participants.participant"]
    journey_id = data["models"]["journey.journey"][0]["id"]
    assert refused.value.problems == [
        f"journey.journey, row 1 (id {journey_id}): home_timezone: Mars/Olympus_Mons is not "
        "an IANA time zone such as America/Chicago. retention_days: Ensure this value is less "
        "than or equal to 3650.",
        f"stops.stop, row 2 (id {stop[1]}): timezone: Europe/Atlantis is not an IANA time zone "
        "such as America/Chicago.",
        f"stops.stop, row 3 (id {stop[2]}): city is longer than 120 characters.",
        f"participants.participant, row 1 (id {participant[0]}): role: Value 'king' is not a "
        "valid choice.",
        f"participants.participant, row 3 (id {participant[2]}): language: Value 'xx' is not a "
        "valid choice.",
    ]
    assert counts() == before


def test_a_check_constraint_is_named_by_row_before_anything_is_written(small):
    data = as_file(export_journey(journey=small))
    small.delete()
    activity = data["models"]["stops.activity"][1]
    activity["ends_at"] = "2020-01-01T00:00:00+00:00"  # before it starts
    before = counts()

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    assert refused.value.problems == [
        f"stops.activity, row 2 (id {activity['id']}): "
        "Constraint “activity_ends_after_start” is violated."
    ]
    assert counts() == before


def test_what_clean_refuses_across_rows_leaves_nothing_saved(small):
    data = as_file(export_journey(journey=small))
    small.delete()
    User.objects.filter(username="ana").delete()
    leg = data["models"]["journey.leg"][0]
    leg.update(override_driving_minutes=10, override_reason="")
    bed = data["models"]["participants.bedassignment"][0]
    bed["night"] = "2031-01-01"  # the lodging is not booked then
    before = counts()

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    assert refused.value.problems == [
        f"journey.leg, row 1 (id {leg['id']}): override_reason: Say where the overriding "
        "figures come from.",
        f"participants.bedassignment, row 1 (id {bed['id']}): night: The lodging is not booked "
        "for that night.",
    ]
    assert counts() == before


@pytest.mark.parametrize(
    "text",
    ["[" * 50_000, '{"format": ' * 3_000, '{"version": ' + "1" * 5_000 + "}", '{"users": [}'],
    ids=["50000-brackets", "nested-objects", "huge-number", "malformed"],
)
def test_a_deep_or_malformed_file_is_a_clear_error(db, tmp_path, text):
    target = tmp_path / "bad.json"
    target.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        command("import_journey", str(target))

    assert str(refused.value).startswith(f"{target} is ")
    assert Journey.objects.count() == 0


def test_deeply_nested_data_is_a_clear_error(db):
    nested: list = []
    for _ in range(5_000):
        nested = [nested]
    data = {"format": "caravana-journey", "version": 1, "users": [], "models": {}}
    data["models"]["journey.journey"] = [{"id": 1, "name": nested}]

    with pytest.raises(BackupError) as refused:
        import_journey(data=data)

    assert str(refused.value) == "The file is nested too deeply to be a journey file."


# --- what the file leaves out: logins are usernames -------------------------------------------


@pytest.fixture
def logins(small):
    """A coordinator and a rider with a login, each with a password, an email and names."""
    ana = User.objects.get(username="ana")
    rider = Participant.objects.filter(journey=small).order_by("pk").first()
    rider.user = UserFactory(username="luis")
    rider.email = "luis.rider@example.net"  # the participant's own contact: part of the plan
    rider.save()
    for user, name in ((ana, "ana"), (rider.user, "luis")):
        user.set_password(f"password-of-{name}")
        user.email = f"{name}.login@private.example"
        user.first_name, user.last_name = f"First{name}", f"Last{name}"
        user.is_staff = True
        user.save()
    return [ana, rider.user]


def login_details(users) -> list[str]:
    return [
        value
        for user in users
        for value in (user.password, user.email, user.first_name, user.last_name)
    ] + ["pbkdf2", "is_staff", "password"]


def test_the_command_writes_logins_by_username_only(logins):
    text = command("export_journey", "small")

    assert json.loads(text)["users"] == [{"username": "ana"}, {"username": "luis"}]
    assert [value for value in login_details(logins) if value in text] == []
    assert "luis.rider@example.net" in text  # the participant's own email stays


def test_the_download_holds_no_login_details(client, logins):
    client.force_login(logins[0])

    response = client.get(reverse("journey:team_backup", kwargs={"slug": "small"}))

    text = response.content.decode()
    assert json.loads(text)["users"] == [{"username": "ana"}, {"username": "luis"}]
    assert [value for value in login_details(logins) if value in text] == []
    assert "luis.rider@example.net" in text


# --- size -------------------------------------------------------------------------------------


def queries(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def test_export_reads_each_model_once_whatever_the_size(db):
    coordinator = UserFactory(username="ana")
    few = build_journey("few", stops=5, coordinator=coordinator)
    many = build_journey("many", stops=50, coordinator=coordinator)
    for participant in Participant.objects.filter(journey__in=[few, many]):
        participant.user = UserFactory(username=f"login-{participant.pk}")
        participant.save()

    counted = [queries(lambda j=journey: export_journey(journey=j)) for journey in (few, many)]

    # One query per model, one for the coordinators, one for the users.
    assert counted == [len(EXPORTED_MODELS) + 2] * 2


def inserts(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return sum(1 for query in context.captured_queries if query["sql"].startswith("INSERT"))


def test_import_writes_in_bulk_whatever_the_size(db):
    """The rows go in with a few INSERTs per model, whatever the size (validating them reads
    per row: clean() looks at the route of each participant and seat)."""
    files = [
        as_file(export_journey(journey=build_journey(slug, stops=n)))
        for slug, n in (("few", 5), ("many", 30))
    ]
    Journey.objects.all().delete()

    counted = [inserts(lambda data=data: import_journey(data=data)) for data in files]

    assert counted[0] == counted[1]


# --- commands ---------------------------------------------------------------------------------


def command(name, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_writes_the_file_to_standard_output(small):
    data = json.loads(command("export_journey", "small"))

    assert normalized(data) == normalized(as_file(export_journey(journey=small)))


def test_export_then_import_through_a_file(small, tmp_path):
    target = tmp_path / "small.json"
    command("export_journey", "small", "-o", str(target))
    small.delete()

    said = command("import_journey", str(target))

    assert said == "Imported the journey “Journey small” (small); stops: 3, participants: 3.\n"
    assert Journey.objects.get(slug="small").stops.count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export_journey", "missing"), "No journey with the slug “missing”."),
        (("import_journey", "/nonexistent/file.json"), "Cannot read /nonexistent/file.json"),
    ],
)
def test_commands_say_what_is_missing(db, args, message):
    with pytest.raises(CommandError, match=message):
        command(*args)


def test_import_refuses_a_file_that_is_not_json(db, tmp_path):
    target = tmp_path / "notes.json"
    target.write_text("city,state\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"notes\.json is not JSON \(line 1, column 1"):
        command("import_journey", str(target))


def test_import_command_says_nothing_was_imported(small, tmp_path):
    target = tmp_path / "small.json"
    command("export_journey", "small", "-o", str(target))

    with pytest.raises(CommandError) as refused:
        command("import_journey", str(target))

    assert str(refused.value).splitlines()[:2] == [
        "Nothing was imported: A journey with the slug “small” already exists here.",
        f"journey.journey, row 1 (id {small.pk}): "
        "team_feed_token is already used by a row of another journey here.",
    ]


# --- the coordinators' download ---------------------------------------------------------------


def people(journey):
    rider = UserFactory(username="rider")
    ParticipantFactory(journey=journey, user=rider, display_name="Rider login")
    elsewhere = UserFactory(username="elsewhere")
    JourneyFactory(slug="elsewhere").coordinators.add(elsewhere)
    return {
        "coordinator": User.objects.get(username="ana"),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
        "rider": rider,
        "coordinator of another journey": elsewhere,
        "anonymous": None,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("superuser", 200),
        ("rider", 404),
        ("coordinator of another journey", 404),
        ("anonymous", 404),
    ],
)
def test_the_backup_download_is_for_the_journeys_coordinators(client, small, who, status):
    user = people(small)[who]
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("journey:team_backup", kwargs={"slug": "small"}))

    assert response.status_code == status


def test_the_download_is_the_journey_file(client, small):
    client.force_login(User.objects.get(username="ana"))

    response = client.get(reverse("journey:team_backup", kwargs={"slug": "small"}))

    data = json.loads(response.content)
    assert normalized(data) == normalized(as_file(export_journey(journey=small)))
    assert response["Content-Disposition"].startswith('attachment; filename="small-backup-')
    assert (response["Content-Type"], response["Cache-Control"]) == (
        "application/json; charset=utf-8",
        "private, no-store",
    )
