"""Who sees which fields of a participant (journey.access), read as sentences: one viewer
per role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from journey.access import ALL_FIELDS, access_for_personal_link, access_for_user
from tests.factories import JourneyFactory, ParticipantFactory, UserFactory

ANA = {
    "display_name": "Ana",
    "full_name": "Ana María Torres López",
    "role": "rider",
    "language": "es",
    "phone": "+1 520 555 0142",
    "email": "ana@example.net",
    "emergency_contact_name": "Luis Torres",
    "emergency_contact_phone": "+1 520 555 0199",
    "dietary_needs": "vegetarian",
    "accessibility_needs": "cannot climb stairs",
    "medical_notes": "asthma, carries an inhaler",
    "notes": "travels with her sister",
}
NAME_ONLY = ("display_name", "role")
MEDICAL = (*NAME_ONLY, "dietary_needs", "accessibility_needs", "medical_notes")


@pytest.fixture
def people(journey, route):
    """Ana rides the journey; around her, one viewer of each kind."""
    other_journey = JourneyFactory()
    users = {
        name: UserFactory(username=name)
        for name in ("coordinator", "medic", "rider", "press", "outsider", "other_coordinator")
    }
    journey.coordinators.add(users["coordinator"])
    other_journey.coordinators.add(users["other_coordinator"])
    for name, role in (("medic", "medic"), ("rider", "rider"), ("press", "press")):
        ParticipantFactory(journey=journey, user=users[name], display_name=name, role=role)
    ParticipantFactory(journey=other_journey, user=users["outsider"], role="rider")
    users["superuser"] = UserFactory(username="root", is_superuser=True)
    users["anonymous"] = AnonymousUser()
    users["ana"] = UserFactory(username="ana")
    ana = ParticipantFactory(journey=journey, route=route, user=users["ana"], **ANA)
    return users, ana


def shown(people, journey, viewer_name):
    users, ana = people
    return access_for_user(users[viewer_name], journey).redact(ana)


def view_of(ana, share):
    """Ana as a viewer with this share of her record should see her."""
    everything = {
        "id": ana.pk,
        **ANA,
        "route": ana.route_id,
        "join_stop": None,
        "leave_stop": None,
    }
    keys = {"all": set(everything), "medical": {"id", *MEDICAL}, "name": {"id", *NAME_ONLY}}
    return {key: value for key, value in everything.items() if key in keys.get(share, ())}


@pytest.mark.parametrize(
    ("viewer", "role", "share"),
    [
        ("coordinator", "coordinator", "all"),
        ("superuser", "coordinator", "all"),
        ("medic", "participant", "medical"),
        ("rider", "participant", "name"),
        ("press", "participant", "none"),
        ("other_coordinator", "outsider", "none"),
        ("outsider", "outsider", "none"),
        ("anonymous", "anonymous", "none"),
    ],
)
def test_each_viewer_sees_only_their_share_of_a_rider(people, journey, viewer, role, share):
    users, ana = people

    assert access_for_user(users[viewer], journey).role == role
    assert shown(people, journey, viewer) == view_of(ana, share)


def test_a_coordinator_sees_a_riders_full_record(people, journey, route):
    _users, ana = people

    assert shown(people, journey, "coordinator") == {
        "id": ana.pk,
        **ANA,
        "route": route.pk,
        "join_stop": None,
        "leave_stop": None,
    }


def test_a_participant_sees_everything_on_their_own_record(people, journey, route):
    users, ana = people

    viewer = access_for_user(users["ana"], journey)

    assert viewer.role == "participant"
    assert viewer.participant_fields(ana) == ALL_FIELDS
    assert shown(people, journey, "ana")["phone"] == "+1 520 555 0142"


def test_a_coordinator_of_this_journey_sees_nothing_of_another_journeys_rider(people, journey):
    users, _ana = people
    stranger = ParticipantFactory(journey=JourneyFactory(), display_name="Beto", phone="555")

    assert access_for_user(users["coordinator"], journey).redact(stranger) == {}


def test_a_rider_does_not_see_a_fellow_riders_phone_medical_notes_or_route(people, journey):
    users, ana = people

    viewer = access_for_user(users["rider"], journey)

    assert sorted(viewer.participant_fields(ana)) == ["display_name", "role"]


def test_deciding_the_viewer_takes_one_query(people, journey, django_assert_num_queries):
    users, _ana = people

    with django_assert_num_queries(1):
        access_for_user(users["rider"], journey)


def test_a_riders_secret_link_shows_their_own_record_and_nobody_elses(people, journey):
    _users, ana = people
    fellow = ParticipantFactory(journey=journey, display_name="Beto", phone="+1 602 555 0100")

    access = access_for_personal_link(ana.secret_token)

    assert (access.redact(ana)["phone"], access.redact(fellow)) == ("+1 520 555 0142", {})
