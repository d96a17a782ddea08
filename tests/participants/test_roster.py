"""Importing a roster from CSV, XLSX and ODS; every bad row reported; re-imports; export."""

import io

import pytest
import tablib
from django.core.management import CommandError, call_command

from journey.services import append_stop, deferred_leg_refresh
from participants.models import Participant
from participants.roster import export_roster, import_roster
from participants.spreadsheets import read_table
from tests.factories import JourneyFactory, ParticipantFactory, RouteFactory, StopFactory, local

ET = "America/New_York"
HEADER = "name,role,language,phone,email,joins,leaves,dietary_needs,travels_with\n"


@pytest.fixture
def journey(db):
    """Los Angeles → Phoenix → Washington (Mar 5) → Atlanta → Washington (Mar 9)."""
    journey = JourneyFactory(slug="sur", name="Caravana del Sur")
    route = RouteFactory(journey=journey, name="Sur")
    specs = [
        ("Los Angeles", "America/Los_Angeles", 1),
        ("Phoenix", "America/Phoenix", 2),
        ("Washington", ET, 5),
        ("Atlanta", ET, 7),
        ("Washington", ET, 9),
    ]
    with deferred_leg_refresh():
        for city, tz, day in specs:
            stop = StopFactory(
                journey=journey,
                city=city,
                timezone=tz,
                arrival=local(tz, 2027, 3, day, 17),
                departure=local(tz, 2027, 3, day + 1, 9),
            )
            append_stop(route=route, stop=stop)
    return journey


def run(journey, text: str, **options):
    return import_roster(
        journey=journey, content=text.encode("utf-8"), filename="roster.csv", **options
    )


def people(journey) -> list[tuple]:
    return list(
        Participant.objects.filter(journey=journey)
        .order_by("display_name")
        .values_list("display_name", "role", "language", "phone", "email")
    )


def errors_of(result) -> list[tuple]:
    return [(e.line, e.column, e.message) for e in result.errors]


def test_a_roster_with_accents_mid_route_segments_and_two_visits(journey):
    text = (
        HEADER
        + "José Núñez,rider,Español,(602) 555-0134,jose@example.org,Phoenix AZ,,sin gluten,\n"
        + 'Marie-Ange,Conductora,Kreyòl,+1 404 555 0188,,"Washington, DC 2027-03-05",'
        + '"Atlanta, GA",,José Núñez\n'
        + 'Ana,medic,en,,ana@example.org,,"Washington, DC (2027-03-09)",,\n'
    )

    result = run(journey, text)

    assert errors_of(result) == []
    assert [r.name for r in result.created] == ["José Núñez", "Marie-Ange", "Ana"]
    jose = Participant.objects.get(display_name="José Núñez")
    marie = Participant.objects.get(display_name="Marie-Ange")
    ana = Participant.objects.get(display_name="Ana")
    assert (jose.role, jose.language, jose.phone, jose.email) == (
        "rider",
        "es",
        "+16025550134",
        "jose@example.org",
    )
    assert (jose.join_stop.city, jose.leave_stop, jose.dietary_needs) == (
        "Phoenix",
        None,
        "sin gluten",
    )
    assert (marie.role, marie.language, marie.phone) == ("driver", "ht", "+14045550188")
    assert (marie.join_stop.local_arrival.day, marie.leave_stop.city) == (5, "Atlanta")
    assert marie.travels_with == jose
    assert (ana.role, ana.language, ana.join_stop, ana.leave_stop.local_arrival.day) == (
        "medic",
        "en",
        None,
        9,
    )
    assert {p.route.name for p in (jose, marie, ana)} == {"Sur"}


def test_spanish_headers_in_any_order(journey):
    text = (
        "Teléfono;Nombre;Idioma;Sube en;Baja en\n602-555-0134;Lupita;inglés;Phoenix, AZ;Atlanta\n"
    )

    result = run(journey, text)

    assert errors_of(result) == []
    lupita = Participant.objects.get(display_name="Lupita")
    assert (lupita.phone, lupita.language, lupita.join_stop.city, lupita.leave_stop.city) == (
        "+16025550134",
        "en",
        "Phoenix",
        "Atlanta",
    )


BAD_ROWS = [
    ("Ana,,,,,Denver,,,", "joins", "Denver is not a stop of the route Sur."),
    (
        "Ana,,,,,Washington,,,",
        "joins",
        "The route passes Washington, DC more than once: add the date, one of "
        "2027-03-05, 2027-03-09.",
    ),
    ("Ana,,,,,Washington 2027-03-07,,,", "joins", "The route is not in Washington on 2027-03-07."),
    ("Ana,,,,,Atlanta,Phoenix,,", "leaves", "They would leave before joining."),
    (
        "Ana,pilot,,,,,,,",
        "role",
        "Unknown role pilot. Write one of: coordinator, driver, medic, press, rider.",
    ),
    (
        "Ana,,Klingon,,,,,,",
        "language",
        "Unknown language Klingon. Write one of: en, es, fr, ht, pt.",
    ),
    ("Ana,,,12345,,,,,", "phone", "12345 is not a phone number."),
    ("Ana,,,,not-an-email,,,,", "email", "Enter a valid email address."),
    ("Ana,,,,,,,,Nadie", "travels_with", "Nobody called Nadie is in the file or on the journey."),
    ("Ana,,,,,,,,Ana", "travels_with", "A person cannot travel with themselves."),
    (",rider,,,,,,,", "name", "A name is required."),
    ("A" * 101 + ",,,,,,,,", "name", "Ensure this value has at most 100 characters (it has 101)."),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS)
def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_saved(
    journey, row, column, message
):
    good = "Bea,rider,es,602-555-0100,bea@example.org,,,,\n"

    result = run(journey, HEADER + good + row + "\n")

    assert errors_of(result) == [(3, column, message)]
    assert result.saved is False
    assert people(journey) == []


def test_duplicates_in_the_file_are_reported_on_the_later_line(journey):
    text = (
        HEADER
        + "Ana,,,602-555-0100,ana@example.org,,,,\n"
        + "\n"
        + "Bea,,,(602) 555 0100,ANA@example.org,,,,\n"
    )

    result = run(journey, text)

    assert errors_of(result) == [
        (4, "email", "The same email is on line 2."),
        (4, "phone", "The same phone is on line 2."),
    ]
    assert people(journey) == []


def test_a_phone_of_one_person_and_the_email_of_another_is_refused(journey):
    ParticipantFactory(journey=journey, display_name="Ana", phone="+16025550100")
    ParticipantFactory(journey=journey, display_name="Bea", email="bea@example.org")

    result = run(journey, HEADER + "Bea,,,602-555-0100,bea@example.org,,,,\n")

    assert errors_of(result) == [(2, "phone", "This phone is Ana's, but the email is Bea's.")]


def test_every_error_of_the_file_is_listed_at_once(journey):
    text = HEADER + "Ana,pilot,,,,,,,\nBea,,,,,Denver,,,\nCruz,,,,x@,,,,\n"

    result = run(journey, text)

    assert [(e.line, e.column) for e in result.errors] == [
        (2, "role"),
        (3, "joins"),
        (4, "email"),
    ]


def test_a_reimport_updates_the_people_it_finds_and_says_what_changed(journey):
    run(journey, HEADER + "Ana,rider,es,602-555-0100,ana@example.org,,,,\nBea,,,,bea@x.org,,,,\n")
    first = {p.display_name: p.pk for p in Participant.objects.filter(journey=journey)}

    result = run(
        journey,
        HEADER
        + "Ana Luisa,driver,es,602-555-0100,,Phoenix,,,\n"
        + "Bea,,,,bea@x.org,,,,\n"
        + "Cruz,,,,cruz@x.org,,,,\n",
    )

    assert errors_of(result) == []
    assert [r.name for r in result.created] == ["Cruz"]
    assert [r.name for r in result.unchanged] == ["Bea"]
    [ana] = result.updated
    assert [(c.column, c.old, c.new) for c in ana.changes] == [
        ("name", "Ana", "Ana Luisa"),
        ("role", "rider", "driver"),
        ("email", "ana@example.org", ""),
        ("joins", "", "Phoenix, AZ"),
    ]
    assert Participant.objects.get(pk=first["Ana"]).display_name == "Ana Luisa"
    assert Participant.objects.filter(journey=journey).count() == 3


def test_people_missing_from_the_file_stay_unless_deleting_is_asked(journey):
    ParticipantFactory(journey=journey, display_name="Dora", email="dora@x.org")
    text = HEADER + "Ana,,,,ana@x.org,,,,\n"

    kept = run(journey, text)
    deleted = run(journey, text, delete_missing=True)

    assert (kept.deleted, deleted.deleted) == ([], ["Dora"])
    assert [p[0] for p in people(journey)] == ["Ana"]


def test_a_dry_run_saves_nothing(journey):
    result = run(journey, HEADER + "Ana,,,,ana@x.org,,,,\n", dry_run=True)

    assert ([r.name for r in result.created], result.saved, people(journey)) == (["Ana"], False, [])


def test_another_journeys_people_are_not_matched(journey):
    other = ParticipantFactory(display_name="Ana", email="ana@x.org")

    result = run(journey, HEADER + "Ana,,,,ana@x.org,,,,\n")

    assert [r.name for r in result.created] == ["Ana"]
    other.refresh_from_db()
    assert other.journey_id != journey.pk


def xlsx_bytes(rows):
    dataset = tablib.Dataset(headers=["Nombre", "Teléfono", "Sube en", "Idioma"])
    for row in rows:
        dataset.append(row)
    return dataset.export("xlsx")


def test_xlsx_is_read_with_its_line_numbers(journey):
    content = xlsx_bytes([["Ñandú", "602 555 0134", "Phoenix, AZ", "Español"], ["", "", "", ""]])
    content_bad = xlsx_bytes([["Ñandú", "1", "", ""]])

    good = import_roster(journey=journey, content=content, filename="r.xlsx")
    bad = import_roster(journey=journey, content=content_bad, filename="whatever.bin")

    assert errors_of(good) == []
    assert Participant.objects.get(display_name="Ñandú").join_stop.city == "Phoenix"
    assert errors_of(bad) == [(2, "Teléfono", "1 is not a phone number.")]


def test_ods_is_read(journey):
    dataset = tablib.Dataset(headers=["name", "language", "leaves"])
    dataset.append(["Çelik", "français", "Washington, DC 2027-03-09"])

    result = import_roster(journey=journey, content=dataset.export("ods"), filename="r.ods")

    assert errors_of(result) == []
    celik = Participant.objects.get(display_name="Çelik")
    assert (celik.language, celik.leave_stop.local_arrival.day) == ("fr", 9)


def test_csv_line_numbers_count_blank_and_multiline_rows():
    content = b'name,notes\n\n"Ana","two\nlines"\nBea,x\n'

    assert read_table(content) == [
        (1, ["name", "notes"]),
        (3, ["Ana", "two\nlines"]),
        (5, ["Bea", "x"]),
    ]


def test_a_file_that_is_not_a_spreadsheet_is_refused(journey):
    result = import_roster(journey=journey, content=b"PK\x03\x04garbage", filename="r.xlsx")

    assert errors_of(result) == [(1, "", "The file is damaged: it cannot be opened.")]


def test_an_unknown_column_is_reported(journey):
    result = run(journey, "name,passport\nAna,X123\n")

    assert errors_of(result)[0][:2] == (1, "passport")
    assert people(journey) == []


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_round_trip_through_the_export_loses_nothing(journey, format):
    run(
        journey,
        "name,full_name,role,language,phone,email,joins,leaves,dietary_needs,"
        "accessibility_needs,travels_with,emergency_contact_name,emergency_contact_phone\n"
        "=Ana,Ana Pérez,driver,ht,602-555-0100,ana@x.org,Washington 2027-03-05,Atlanta,"
        "vegana,silla de ruedas,Bea,Madre,602-555-0199\n"
        "Bea,,rider,es,,,,,,,,,\n"
        "-Cruz,,press,en,,,,,,,,,\n",
    )
    ParticipantFactory(journey=journey, display_name="Dora", route=None)
    before = sorted(
        Participant.objects.filter(journey=journey).values_list(
            "display_name",
            "full_name",
            "role",
            "language",
            "phone",
            "email",
            "route",
            "join_stop",
            "leave_stop",
            "dietary_needs",
            "accessibility_needs",
            "travels_with__display_name",
            "emergency_contact_name",
            "emergency_contact_phone",
        )
    )

    exported = export_roster(journey=journey, format=format)
    Participant.objects.filter(journey=journey).delete()
    result = import_roster(journey=journey, content=exported, filename=f"r.{format}")
    again = import_roster(journey=journey, content=exported, filename=f"r.{format}")

    assert errors_of(result) == []
    after = sorted(
        Participant.objects.filter(journey=journey).values_list(
            "display_name",
            "full_name",
            "role",
            "language",
            "phone",
            "email",
            "route",
            "join_stop",
            "leave_stop",
            "dietary_needs",
            "accessibility_needs",
            "travels_with__display_name",
            "emergency_contact_name",
            "emergency_contact_phone",
        )
    )
    assert after == before
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 4)


def test_the_export_neutralises_formulas():
    from participants.spreadsheets import neutralise

    assert [neutralise(v) for v in ("=1+1", "+1555", "@x", "Ana", "'=x")] == [
        "'=1+1",
        "'+1555",
        "'@x",
        "Ana",
        "''=x",
    ]


def test_the_csv_export_cells_do_not_start_with_a_formula(journey):
    run(journey, HEADER + "=HYPERLINK(1),,,602-555-0100,,,,,\n")

    rows = list(io.StringIO(export_roster(journey=journey, format="csv").decode("utf-8-sig")))

    assert rows[1].startswith("'=HYPERLINK(1),")
    assert ",'+16025550100," in rows[1]


def test_the_command_imports_and_reports(journey, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "Ana,,,,ana@x.org,,,,\n", encoding="utf-8")

    call_command("import_participants", "sur", str(path))

    assert capsys.readouterr().out.strip() == "1 new, 0 updated, 0 unchanged, 0 deleted."
    assert [p[0] for p in people(journey)] == ["Ana"]


def test_the_command_lists_errors_and_saves_nothing(journey, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "Ana,pilot,,,,,,,\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"1 error: nothing was saved\."):
        call_command("import_participants", "sur", str(path))

    assert capsys.readouterr().err.startswith("Line 2, column role: Unknown role pilot.")
    assert people(journey) == []


def test_a_name_without_contact_matching_someone_with_one_is_refused(journey):
    ParticipantFactory(journey=journey, display_name="Ana", phone="+16025550100")

    result = run(journey, HEADER + "Ana,,,,,,,,\n")

    assert errors_of(result) == [
        (
            2,
            "name",
            "Ana is already on the journey: write their phone or email to update them, "
            "or a distinct name for someone else.",
        )
    ]


def test_a_name_without_contact_updates_the_only_person_of_that_name_without_one(journey):
    dora = ParticipantFactory(journey=journey, display_name="Dora", language="es")

    result = run(journey, HEADER + "Dora,,fr,,,,,,\n")

    # Without a route column, everyone rides the journey's only route.
    assert [(r.participant.pk, [c.column for c in r.changes]) for r in result.updated] == [
        (dora.pk, ["language", "route"])
    ]


def test_the_sample_roster_imports_into_the_demo_journey(db):
    from pathlib import Path

    from demo.build import build_demo

    demo = build_demo()
    content = (Path(__file__).resolve().parents[2] / "docs" / "sample-roster.csv").read_bytes()

    result = import_roster(journey=demo, content=content, filename="sample-roster.csv")
    again = import_roster(journey=demo, content=content, filename="sample-roster.csv")

    assert errors_of(result) == []
    assert len(result.created) == 8
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 8)
    wisly = Participant.objects.get(journey=demo, display_name="Wisly")
    assert (
        wisly.language,
        wisly.route.name,
        wisly.join_stop.city,
        wisly.travels_with.full_name,
    ) == (
        "ht",
        "Florida caravan",
        "Miami",
        "Fabiola Désir",
    )


def test_who_travels_with_whom_survives_a_journey_backup(journey):
    from journey.backup import export_journey
    from journey.backup_import import import_journey

    run(journey, HEADER + "Ana,,,,,,,,\nBea,,,,,,,,Ana\n")

    data = export_journey(journey=journey)
    journey.delete()
    copy = import_journey(data=data)

    bea = Participant.objects.get(journey=copy, display_name="Bea")
    assert (bea.travels_with.display_name, bea.travels_with.journey_id) == ("Ana", copy.pk)


def test_erasing_a_participant_forgets_whom_they_travel_with_both_ways(journey):
    from participants.retention import erase_participant

    run(journey, HEADER + "Ana,,,,,,,,Bea\nBea,,,,,,,,Ana\nCruz,,,,,,,,Ana\n")
    ana = Participant.objects.get(display_name="Ana")

    erase_participant(participant=ana)

    assert list(
        Participant.objects.filter(journey=journey).values_list("travels_with", flat=True)
    ) == [None, None, None]
