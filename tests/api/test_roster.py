"""POST /api/journeys/<slug>/participants/import/: a roster, dry run or saved, all or nothing."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import Participant

ROSTER = 'name,phone,joins,language\nYolanda,520-555-0142,"Phoenix, AZ",Español\n'


def url(world, journey=None) -> str:
    slug = (journey or world.a).slug
    return reverse("api:participant-import-list", kwargs={"journey_slug": slug})


def post(world, role, content: bytes, name="roster.csv", journey=None, **fields):
    file = SimpleUploadedFile(name, content)
    return world.client(role).post(
        url(world, journey), {"file": file, **fields}, format="multipart"
    )


def yolanda(world):
    return Participant.objects.filter(journey=world.a, display_name="Yolanda").first()


def test_a_dry_run_answers_what_would_change_and_saves_nothing(world):
    response = post(world, "coordinator", ROSTER.encode(), dry_run="true")

    assert response.status_code == 200
    assert response.json() == {
        "saved": False,
        "created": [{"line": 2, "name": "Yolanda"}],
        "updated": [],
        "unchanged": 0,
        "deleted": [],
        "errors": [],
    }
    assert yolanda(world) is None


def test_an_import_saves_and_a_second_one_updates(world):
    first = post(world, "coordinator", ROSTER.encode())
    second = post(world, "coordinator", ROSTER.replace("Español", "en").encode())

    assert (first.status_code, first.json()["saved"]) == (200, True)
    assert second.json()["updated"] == [
        {
            "line": 2,
            "name": "Yolanda",
            "changes": [{"column": "language", "old": "es", "new": "en"}],
        }
    ]
    person = yolanda(world)
    assert (person.phone, person.language, person.join_stop) == (
        "+15205550142",
        "en",
        world.stops["phoenix"],
    )


def test_an_xlsx_with_a_bad_row_answers_400_with_every_error(world):
    dataset = tablib.Dataset(headers=["nombre", "teléfono", "sube en"])
    dataset.append(["Yolanda", "520-555-0142", "Phoenix"])
    dataset.append(["Zoe", "12", "Denver"])

    response = post(world, "coordinator", dataset.export("xlsx"), name="r.xlsx")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(3, "teléfono"), (3, "sube en")]
    assert errors[0]["message"] == "12 is not a phone number."
    assert (response.json()["saved"], yolanda(world)) == (False, None)


def test_without_a_file_the_answer_is_400(world):
    response = world.client("coordinator").post(url(world), {}, format="multipart")

    assert (response.status_code, list(response.json())) == (400, ["file"])


@pytest.mark.parametrize(
    ("role", "status"),
    [("rider", 403), ("driver", 403), ("host", 403), ("coordinator_b", 404), ("anonymous", 401)],
)
def test_only_the_journeys_coordinators_may_import(world, role, status):
    response = post(world, role, ROSTER.encode())

    assert response.status_code == status
    assert yolanda(world) is None


def test_another_journeys_coordinator_cannot_import_into_it(world):
    response = post(world, "coordinator", ROSTER.encode(), journey=world.other["journey"])

    assert response.status_code == 404
    assert not Participant.objects.filter(display_name="Yolanda").exists()
