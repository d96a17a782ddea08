"""Erasing participants: nothing personal remains anywhere in the database, counts stay."""

import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models.functions import Cast

from journey.models import Journey
from journey.plan import load_plan
from participants.models import Participant
from participants.retention import erase_participant, purge_expired
from tests.factories import (
    BedAssignmentFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    SeatAssignmentFactory,
    UserFactory,
    VehicleFactory,
    local,
)

MT = "America/Phoenix"
ZYANYA = {
    "display_name": "Zyanya",
    "full_name": "Zyanya Quetzalli Ramírez Ocampo",
    "phone": "+1 520 555 0142",
    "email": "zyanya.ramirez@example.net",
    "emergency_contact_name": "Itzel Ocampo Vela",
    "emergency_contact_phone": "+1 520 555 0199",
    "dietary_needs": "no peanuts, anaphylaxis",
    "accessibility_needs": "uses a folding wheelchair",
    "medical_notes": "insulin twice a day, kept cold",
    "notes": "arrives with her brother Tonatiuh",
}


@dataclass
class Caravan:
    """Phoenix → Tucson → El Paso, ended March 3, 2026; one bus; Zyanya and two others."""

    journey: object
    route: object
    stops: list
    bus: object
    coordinator: object
    zyanya: object
    others: list


@pytest.fixture
def caravan(journey, route, add_stop):
    journey.end_date = date(2026, 3, 3)
    journey.save()
    stops = [
        add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 8), local(MT, 2026, 3, 1, 9)),
        add_stop(route, "Tucson", local(MT, 2026, 3, 1, 12), local(MT, 2026, 3, 2, 9)),
        add_stop(route, "El Paso", local(MT, 2026, 3, 2, 16), local(MT, 2026, 3, 3, 9)),
    ]
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1", seats=10)
    lodgings = [LodgingFactory(stop=stop) for stop in stops[1:]]
    coordinator = UserFactory(username="coordinator")
    journey.coordinators.add(coordinator)
    zyanya = ParticipantFactory(
        journey=journey, route=route, user=UserFactory(username="zyanya.q"), **ZYANYA
    )
    others = [
        ParticipantFactory(journey=journey, route=route, display_name=name, phone=phone)
        for name, phone in (("Beto", "+1 915 555 0101"), ("Carla", "+1 915 555 0102"))
    ]
    for person in (zyanya, *others):
        seat = SeatAssignmentFactory(
            participant=person, vehicle=bus, from_stop=stops[0], to_stop=stops[2]
        )
        for lodging in lodgings:
            BedAssignmentFactory(participant=person, lodging=lodging, night=lodging.nights[0])
    # The admin's history of Zyanya's record and of her seat, edited inline on the bus.
    seat = zyanya.seats.get()
    LogEntry.objects.log_actions(coordinator.pk, [zyanya], CHANGE, "", single_object=True)
    LogEntry.objects.log_actions(coordinator.pk, [seat], CHANGE, "", single_object=True)
    LogEntry.objects.log_actions(
        coordinator.pk,
        [bus],
        CHANGE,
        [{"added": {"name": "seat assignment", "object": str(seat)}}],
        single_object=True,
    )
    return Caravan(journey, route, stops, bus, coordinator, zyanya, others)


def text_columns():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def where_found(value: str) -> list[str]:
    """Every text column of every table holding ``value`` (also as JSON writes it)."""
    found = []
    for model, field in text_columns():
        for form in {value, json.dumps(value)[1:-1]}:
            rows = model._base_manager.annotate(_text=Cast(field.name, models.TextField()))
            if rows.filter(_text__icontains=form).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def personal_values(participant):
    """Every personal value the participant has (blank fields left out)."""
    values = [*(getattr(participant, name) for name in ZYANYA), participant.secret_token]
    return [value for value in values if value]


def counts(journey):
    plan = load_plan(journey)
    return {
        "participants": len(plan.participants),
        "sleepers": {key: len(people) for key, people in plan.sleepers.items()},
        "seats": sorted((s.vehicle_id, s.from_stop_id, s.to_stop_id) for s in plan.seats),
        "beds": sorted((b.lodging_id, b.night) for b in plan.beds),
    }


def test_the_scan_finds_the_personal_data_before_erasure(caravan):
    assert where_found("Quetzalli") == ["participants.Participant.full_name"]
    assert sorted(where_found("Zyanya")) == sorted(
        [
            "admin.LogEntry.change_message",
            "admin.LogEntry.object_repr",
            "auth.User.email",
            "auth.User.username",
            "participants.Participant.display_name",
            "participants.Participant.email",
            "participants.Participant.full_name",
        ]
    )


def test_nothing_personal_remains_after_erasure(caravan):
    values = personal_values(caravan.zyanya)

    erase_participant(participant=caravan.zyanya)

    assert {value: where_found(value) for value in values} == {value: [] for value in values}


def test_erasure_keeps_the_counts_seats_and_beds(caravan):
    before = counts(caravan.journey)

    erase_participant(participant=caravan.zyanya)

    assert counts(caravan.journey) == before


def test_an_erased_participant_is_listed_by_number_and_loses_login_and_link(caravan):
    erased = erase_participant(participant=caravan.zyanya)

    erased.refresh_from_db()
    assert erased.display_name == f"Erased participant {erased.pk}"
    assert (erased.full_name, erased.phone, erased.user, erased.secret_token) == (
        "",
        "",
        None,
        None,
    )
    assert erased.anonymized_at is not None
    assert (erased.route, erased.role, erased.language) == (caravan.route, "rider", "es")
    assert get_user_model().objects.filter(username="zyanya.q").exists() is False


def test_erasure_leaves_the_other_participants_alone(caravan):
    erase_participant(participant=caravan.zyanya)

    assert sorted(
        Participant.objects.exclude(pk=caravan.zyanya.pk).values_list("display_name", "phone")
    ) == [("Beto", "+1 915 555 0101"), ("Carla", "+1 915 555 0102")]


def test_a_login_used_elsewhere_is_unlinked_but_kept(caravan):
    user = caravan.zyanya.user
    JourneyFactory().coordinators.add(user)

    erase_participant(participant=caravan.zyanya)

    assert Participant.objects.get(pk=caravan.zyanya.pk).user is None
    assert get_user_model().objects.filter(pk=user.pk).exists() is True


def test_erasing_twice_changes_nothing(caravan):
    first = erase_participant(participant=caravan.zyanya)

    second = erase_participant(participant=caravan.zyanya)

    assert (second.display_name, second.anonymized_at) == (first.display_name, first.anonymized_at)


# --- Retention ------------------------------------------------------------------------------


def erased_names(journey):
    return sorted(
        Participant.objects.filter(journey=journey, anonymized_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def test_a_journey_within_its_retention_period_is_untouched(caravan):
    # Ended March 3 and kept 30 days: through April 2.
    with on(date(2026, 4, 2)):
        result = purge_expired()

    assert (result.erased, result.failed) == ([], {})
    assert erased_names(caravan.journey) == []


def test_a_journey_past_retention_loses_every_participants_personal_data(caravan):
    people = [caravan.zyanya, *caravan.others]
    values = [value for person in people for value in personal_values(person)]
    before = counts(caravan.journey)

    with on(date(2026, 4, 3)):
        result = purge_expired()

    assert (result.erased, result.failed) == ([caravan.journey], {})
    assert erased_names(caravan.journey) == sorted(p.pk for p in people)
    assert [value for value in values if where_found(value)] == []
    assert counts(caravan.journey) == before


def test_purging_again_does_nothing(caravan):
    purge_expired(today=date(2026, 4, 3))

    assert purge_expired(today=date(2026, 4, 3)).erased == []


@pytest.mark.parametrize(
    ("end_date", "retention_days", "erased"),
    [(date(2026, 3, 1), 40, False), (date(2026, 2, 20), 10, True), (None, 0, False)],
)
def test_each_journey_keeps_data_for_its_own_period(db, end_date, retention_days, erased):
    other = JourneyFactory(end_date=end_date, retention_days=retention_days)
    rider = ParticipantFactory(journey=other, phone="+1 505 555 0177")

    purge_expired(today=date(2026, 4, 3))

    rider.refresh_from_db()
    assert (rider.anonymized_at is not None, rider.phone == "") == (erased, erased)


def overflowing_journey() -> object:
    """A journey saved before retention was bounded: ended Feb 1, kept 3,000,000 days.

    Its retention period ends past the calendar's last day (year 9999). PostgreSQL's smallint
    column cannot hold the value, so only SQLite (which stores it) can reach this state.
    """
    broken = JourneyFactory(name="Broken", slug="broken", end_date=date(2026, 2, 1))
    Journey.objects.filter(pk=broken.pk).update(retention_days=3_000_000)
    ParticipantFactory(journey=broken, display_name="Kept", phone="+1 505 555 0101")
    return Journey.objects.get(pk=broken.pk)


@pytest.mark.needs_sqlite
def test_a_failing_journey_is_reported_and_the_others_are_still_purged(caravan, caplog):
    broken = overflowing_journey()  # ended before the caravan: tried first

    result = purge_expired(today=date(2026, 4, 3))

    assert result.erased == [caravan.journey]
    assert list(result.failed) == [broken]
    assert result.failed[broken] == (
        "its retention period (3000000 days after 2026-02-01) ends after the last day of the "
        "calendar; set it between 1 and 3,650 days."
    )
    assert len(erased_names(caravan.journey)) == 3
    assert erased_names(broken) == []
    assert [r.getMessage() for r in caplog.records if r.name == "participants.retention"] == [
        f"purge_expired: journey {broken.pk} (broken) was not purged: {result.failed[broken]}"
    ]


@pytest.mark.needs_sqlite
def test_purge_expired_command_names_the_failing_journey(caravan):
    overflowing_journey()
    err = io.StringIO()

    with on(date(2026, 4, 3)):
        output = run("purge_expired", stderr=err)

    assert output == "TPS Journey (kept until 2026-04-02): 3 participants erased.\n"
    assert err.getvalue() == (
        "Broken (broken): nothing was erased: its retention period (3000000 days after "
        "2026-02-01) ends after the last day of the calendar; set it between 1 and 3,650 days.\n"
    )


@pytest.mark.parametrize(("days", "valid"), [(0, False), (1, True), (3650, True), (3651, False)])
def test_retention_is_bounded_by_the_model(db, days, valid):
    journey = JourneyFactory(retention_days=days)

    if valid:
        journey.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            journey.full_clean()
        assert list(caught.value.message_dict) == ["retention_days"]


# --- Commands -------------------------------------------------------------------------------


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_purge_expired_dry_run_says_what_it_would_erase(caravan):
    with on(date(2026, 4, 3)):
        output = run("purge_expired", "--dry-run")

    assert output == "TPS Journey (kept until 2026-04-02): 3 participants would be erased.\n"
    assert erased_names(caravan.journey) == []


def test_purge_expired_erases_and_reports(caravan):
    JourneyFactory(name="Someday")  # no end date

    with on(date(2026, 4, 3)):
        output = run("purge_expired")

    assert output == (
        "TPS Journey (kept until 2026-04-02): 3 participants erased.\n"
        "1 journey has no end date: its participants are never erased automatically.\n"
    )
    assert len(erased_names(caravan.journey)) == 3


def test_purge_expired_with_nothing_to_do(caravan):
    with on(date(2026, 3, 20)):
        assert run("purge_expired") == "Nothing to erase.\n"


def test_erase_participant_command(caravan):
    output = run("erase_participant", str(caravan.zyanya.pk), "--yes")

    pk = caravan.zyanya.pk
    assert output == f"Erased. The participant is now listed as “Erased participant {pk}”.\n"
    assert erased_names(caravan.journey) == [pk]


@pytest.mark.parametrize(("answer", "erased"), [("no", False), ("", False), ("yes", True)])
def test_erase_participant_asks_first(caravan, monkeypatch, answer, erased):
    monkeypatch.setattr("builtins.input", lambda prompt: answer)

    run("erase_participant", str(caravan.zyanya.pk))

    assert erased_names(caravan.journey) == ([caravan.zyanya.pk] if erased else [])


def test_erase_participant_refuses_an_unknown_id(db):
    with pytest.raises(CommandError, match=r"^No participant has the id 999999\.$"):
        run("erase_participant", "999999", "--yes")
