"""PDF downloads: who may get which document, file names, the export command, and a
number of queries that does not grow with the journey."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from journey.exporters import documents
from journey.tokens import revoke_participant_token
from stops.models import HostAlly
from tests.factories import HostAllyFactory, JourneyFactory, StopFactory, UserFactory
from tests.journey.test_feeds import people
from tests.journey.test_itinerary import grow_route
from tests.journey.test_pdf import PRIVATE_PDF, build_pdf_scenario, pages, qr_forms


@pytest.fixture
def scenario(db):
    return build_pdf_scenario()


def team_urls(scenario) -> dict[str, str]:
    slug = scenario.journey.slug
    phoenix = scenario.stops["phoenix"].pk
    return {
        "team booklet": reverse("journey:team_booklet", kwargs={"slug": slug}),
        "rooming list": reverse("journey:team_rooming", kwargs={"slug": slug}),
        "manifest": reverse("journey:team_manifest", kwargs={"slug": slug}),
        "day sheet": reverse("journey:host_day_sheet", kwargs={"slug": slug, "stop_id": phoenix}),
    }


def stop_elsewhere():
    return StopFactory(journey=JourneyFactory(slug="elsewhere-journey"), city="Tucson")


def login(client, scenario, who):
    user = people(scenario.base)[who]
    if user is not None:
        client.force_login(user)


# --- who gets what ---------------------------------------------------------------------------


@pytest.mark.parametrize("document", ["team booklet", "rooming list", "manifest", "day sheet"])
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
def test_team_documents_are_for_the_journeys_coordinators(client, scenario, document, who, status):
    login(client, scenario, who)

    response = client.get(team_urls(scenario)[document])

    assert response.status_code == status


@pytest.mark.parametrize(
    ("document", "filename", "title"),
    [
        ("team booklet", "tps-journey-team-booklet.pdf", "TPS Journey Journey booklet (team copy)"),
        ("rooming list", "tps-journey-rooming-list.pdf", "TPS Journey Rooming list"),
        ("manifest", "tps-journey-manifest.pdf", "TPS Journey Vehicle manifest"),
        (
            "day sheet",
            "tps-journey-day-sheet-phoenix-2026-03-01.pdf",
            "TPS Journey Day sheet for hosts: Phoenix, AZ",
        ),
    ],
)
def test_team_documents_download_as_confidential_attachments(
    client, scenario, document, filename, title
):
    client.force_login(scenario.base.coordinator_user)

    response = client.get(team_urls(scenario)[document])

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert (response["Cache-Control"], response["X-Robots-Tag"]) == (
        "private, no-store",
        "noindex, nofollow",
    )
    assert title in pages(response.content)[0][:2]


def test_rooming_list_and_manifest_can_be_limited_to_one_stop(client, scenario):
    client.force_login(scenario.base.coordinator_user)
    houston = scenario.stops["houston"].pk

    rooming = client.get(team_urls(scenario)["rooming list"], {"stop": houston})
    legs = client.get(team_urls(scenario)["manifest"], {"stop": houston})

    assert rooming["Content-Disposition"] == (
        'attachment; filename="tps-journey-rooming-list-houston-2026-03-07.pdf"'
    )
    assert [line for line in pages(rooming.content)[0] if line.startswith("Night of")] == [
        "Night of Saturday, March 7, 2026"
    ]
    assert [line for line in pages(legs.content)[0] if line.startswith("Bus Aztlan")] == [
        "Bus Aztlan, CRV-0042 · San Antonio, TX → Houston, TX"
    ]


@pytest.mark.parametrize(
    "stop",
    ["abc", "999999", "other journey", "²", "١", "-1", "0", "+1", " 1", "9" * 20, "1e3"],
)
@pytest.mark.parametrize("document", ["rooming list", "manifest"])
def test_a_stop_that_is_not_the_journeys_is_not_found(client, scenario, stop, document):
    client.force_login(scenario.base.coordinator_user)
    client.raise_request_exception = False
    if stop == "other journey":
        stop = str(stop_elsewhere().pk)

    response = client.get(team_urls(scenario)[document], {"stop": stop})

    assert response.status_code == 404


def test_day_sheet_of_a_stop_of_another_journey_is_not_found(client, scenario):
    client.force_login(scenario.base.coordinator_user)
    other = stop_elsewhere()

    response = client.get(
        reverse("journey:host_day_sheet", kwargs={"slug": "tps-journey", "stop_id": other.pk})
    )

    assert response.status_code == 404


def test_public_booklet_is_for_anyone_once_published(client, scenario):
    response = client.get(reverse("journey:public_booklet", kwargs={"slug": "tps-journey"}))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tps-journey-booklet.pdf"'
    assert pages(response.content)[0][0] == "TPS Journey Journey booklet"


def test_public_booklet_of_an_unpublished_journey_is_not_found(client, db):
    build_pdf_scenario(published=False)

    response = client.get(reverse("journey:public_booklet", kwargs={"slug": "tps-journey"}))

    assert response.status_code == 404


def test_public_booklet_is_in_the_visitors_language(client, scenario):
    response = client.get(
        reverse("journey:public_booklet", kwargs={"slug": "tps-journey"}),
        headers={"accept-language": "es"},
    )

    assert pages(response.content)[1][2] == "domingo, 1 de marzo de 2026"


def personal_url(participant) -> str:
    return reverse("journey:personal_pdf", kwargs={"token": participant.secret_token})


def test_personal_itinerary_through_the_secret_link(client, scenario):
    begona = scenario.begona

    response = client.get(personal_url(begona))

    feed = f"http://testserver/my/{begona.secret_token}/calendar.ics"
    found = pages(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="tps-journey-my-itinerary.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Language"] == "es"
    assert found[0][8:12] == [  # Begoña reads Spanish
        "Enlace del calendario:",
        feed,
        "Suscribirse:",
        f"webcal://testserver/my/{begona.secret_token}/calendar.ics",
    ]
    assert found[1][2] == "domingo, 1 de marzo de 2026"  # Begoña reads Spanish
    assert [len(forms) for forms in qr_forms(response.content)] == [1, 1, 1]


@pytest.mark.parametrize("token", ["wrong-token", "x" * 43])
def test_personal_itinerary_with_a_wrong_token_is_not_found(client, scenario, token):
    assert client.get(f"/my/{token}/itinerary.pdf").status_code == 404


def test_a_revoked_personal_link_is_not_found(client, scenario):
    url = personal_url(scenario.begona)

    revoke_participant_token(participant=scenario.begona)

    assert client.get(url).status_code == 404


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("added_stops", [0, 12])
@pytest.mark.parametrize("document", ["team booklet", "rooming list", "manifest", "day sheet"])
def test_team_documents_cost_the_same_queries_at_any_size(
    client, scenario, django_assert_num_queries, added_stops, document
):
    grow_route(scenario.journey, scenario.base.route, added_stops)
    client.force_login(scenario.base.coordinator_user)
    url = team_urls(scenario)[document]
    # Session and user (2), the journey (1), the coordinator check (1), the plan's version for
    # the cache (1), the plan's routes, stops, legs and activities (5), then what each document
    # reads: the booklet the lodgings, participants, vehicles, seats, hosts and meals (6), the
    # rooming list the lodgings, participants and beds (3), the manifest the participants,
    # vehicles and seats (3), the day sheet its stop, the lodgings, participants, meals and
    # local contacts (5).
    expected = {"team booklet": 16, "rooming list": 13, "manifest": 13, "day sheet": 15}[document]

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("added_stops", [0, 12])
def test_public_booklet_and_personal_itinerary_cost_the_same_queries_at_any_size(
    client, scenario, django_assert_num_queries, added_stops
):
    grow_route(scenario.journey, scenario.base.route, added_stops)

    # The journey (1), the plan's version for the cache (1) and the plan's routes, stops, legs
    # and activities (5).
    with django_assert_num_queries(7):
        client.get(reverse("journey:public_booklet", kwargs={"slug": "tps-journey"}))
    # The participant with the journey (1), the plan's version (1), the plan's routes, stops,
    # legs and activities (5), the rider's own beds, the seats alongside theirs and the
    # coordinators (3), the local contacts (1).
    with django_assert_num_queries(11):
        client.get(personal_url(scenario.begona))


# --- the command ----------------------------------------------------------------------------------


def run(*args):
    err = io.StringIO()
    call_command("export_itinerary", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_the_pdf_documents_are_registered():
    assert documents("pdf") == ["booklet", "personal", "daysheet", "rooming", "manifest"]


@pytest.mark.parametrize(
    ("document", "extra", "first_line"),
    [
        (
            "booklet",
            (),
            "CONFIDENTIAL: team only. Holds names, phones and addresses; do not share.",
        ),
        ("booklet", ("--audience", "public"), "TPS Journey Journey booklet"),
        ("daysheet", ("--stop", "phoenix"), "TPS Journey Day sheet for hosts: Phoenix, AZ"),
        (
            "rooming",
            (),
            "CONFIDENTIAL: team only. Holds names, phones and addresses; do not share.",
        ),
        (
            "manifest",
            (),
            "CONFIDENTIAL: team only. Holds names, phones and addresses; do not share.",
        ),
        # Begoña reads Spanish.
        ("personal", ("--participant", "begona"), "TPS Journey Itinerario de Begoña"),
    ],
)
def test_the_command_writes_each_pdf_document(scenario, tmp_path, document, extra, first_line):
    values = {"phoenix": scenario.stops["phoenix"].pk, "begona": scenario.begona.pk}
    extra = [str(values.get(arg, arg)) for arg in extra]
    target = tmp_path / "out.pdf"

    run("tps-journey", "--format", "pdf", "--document", document, *extra, "-o", str(target))

    assert pages(target.read_bytes())[0][0] == first_line


def test_the_command_prints_the_personal_links_from_the_site_address(scenario, tmp_path, settings):
    settings.SITE_URL = "https://caravana.example.org/"
    target = tmp_path / "out.pdf"

    run(
        "tps-journey",
        "--format",
        "pdf",
        "--document",
        "personal",
        "--participant",
        str(scenario.begona.pk),
        "-o",
        str(target),
    )

    token = scenario.begona.secret_token
    assert pages(target.read_bytes())[0][8:10] == [  # Begoña reads Spanish
        "Enlace del calendario:",
        f"https://caravana.example.org/my/{token}/calendar.ics",
    ]
    assert [len(forms) for forms in qr_forms(target.read_bytes())] == [1, 1, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--document", "daysheet"), "This export needs a stop."),
        (("--document", "personal"), "The personal pdf export is not for the team."),
        (("--document", "booklet"), "The pdf format is binary: give a file with -o FILE."),
        (
            ("--document", "poster"),
            "There is no poster document in pdf. Available: booklet, "
            "personal, daysheet, rooming, manifest.",
        ),
    ],
)
def test_the_command_explains_what_a_pdf_export_needs(scenario, args, message):
    with pytest.raises(CommandError) as error:
        run("tps-journey", "--format", "pdf", *args)

    assert str(error.value) == message


# --- the day sheet for the hosts of its stop --------------------------------------------------


def host_login(scenario, stop_key: str, email: str):
    """A login speaking for an approved host ally of one stop (same email)."""
    HostAllyFactory(
        journey=scenario.journey,
        stop=scenario.stops[stop_key],
        organization=f"Host of {stop_key}",
        email=email,
        status="approved",
    )
    return UserFactory(username=email.split("@")[0], email=email)


def pdf_text(response) -> str:
    return "\n".join(line for page in pages(response.content) for line in page)


def test_an_approved_host_downloads_the_day_sheet_of_their_stop_without_names(client, scenario):
    """The README says hosts may download their day sheet: the host's view, counts only."""
    names = [PRIVATE_PDF[key] for key in ("rider name", "rider full name", "accented rider")]
    client.force_login(people(scenario.base)["coordinator"])
    rooming = pdf_text(client.get(team_urls(scenario)["rooming list"]))
    client.force_login(host_login(scenario, "phoenix", "casa@example.org"))

    response = client.get(team_urls(scenario)["day sheet"])

    assert response.status_code == 200
    text = pdf_text(response)
    assert "Day sheet for hosts: Phoenix, AZ" in text
    # The names are in the team's rooming list, and nowhere in the host's sheet.
    assert [name in rooming for name in names] == [True, True, True]
    assert [name in text for name in names] == [False, False, False]


@pytest.mark.parametrize("status", ["pending", "declined"])
def test_a_host_not_approved_gets_no_day_sheet(client, scenario, status):
    user = host_login(scenario, "phoenix", "maybe@example.org")
    HostAlly.objects.filter(email="maybe@example.org").update(status=status)
    client.force_login(user)

    assert client.get(team_urls(scenario)["day sheet"]).status_code == 404


def test_a_host_of_another_stop_gets_no_day_sheet_of_this_one(client, scenario):
    client.force_login(host_login(scenario, "houston", "houston@example.org"))
    houston_sheet = reverse(
        "journey:host_day_sheet",
        kwargs={"slug": scenario.journey.slug, "stop_id": scenario.stops["houston"].pk},
    )

    assert (
        client.get(team_urls(scenario)["day sheet"]).status_code,
        client.get(houston_sheet).status_code,
    ) == (404, 200)
