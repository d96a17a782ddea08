"""Host applications are decided by one service, whoever asks: the coordinators' page, the API
and the admin action each stamp the decision and send the host the same one email, in the
host's language, once the decision is committed."""

import logging
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from stops.models import HostAlly, HostStatus
from stops.services import approve_host, decline_host
from tests.factories import HostAllyFactory, StopFactory, UserFactory

MOMENT = datetime(2026, 2, 1, 12, tzinfo=UTC)


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def coordinator(journey):
    user = UserFactory(username="coord", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["journey", "stops", "participants"])
    )
    journey.coordinators.add(user)
    return user


@pytest.fixture
def stop(journey):
    return StopFactory(journey=journey, city="Phoenix")


@pytest.fixture
def host(journey, stop):
    return HostAllyFactory(
        journey=journey,
        stop=stop,
        organization="Casa Mariposa",
        contact_name="Lupe Ortega",
        email="lupe@example.org",
        language="es",
        offers_meals=True,
    )


def decide_on_page(coordinator, host, stop, decision):
    client = Client()
    client.force_login(coordinator)
    url = reverse("web:plan_host", kwargs={"slug": host.journey.slug, "pk": host.pk})
    data = {"action": "approve", "stop": stop.pk, "lodging_kind": "other"}
    if decision == "decline":
        data = {"action": "decline", "note": ""}
    return client.post(url, data).status_code


def decide_by_api(coordinator, host, stop, decision):
    client = APIClient()
    client.force_authenticate(coordinator)
    url = reverse("api:host-detail", kwargs={"journey_slug": host.journey.slug, "pk": host.pk})
    status = HostStatus.APPROVED if decision == "approve" else HostStatus.DECLINED
    return client.patch(url, {"status": status}, format="json").status_code


def decide_in_admin(coordinator, host, stop, decision):
    client = Client()
    client.force_login(coordinator)
    url = reverse("admin:stops_hostally_changelist")
    return client.post(url, {"action": decision, "_selected_action": [host.pk]}).status_code


CHANNELS = {"page": decide_on_page, "api": decide_by_api, "admin": decide_in_admin}

EMAILS = {
    "approve": (
        HostStatus.APPROVED,
        "Su oferta de hospedaje para TPS Journey fue aceptada",
        "Usted recibirá a la caravana en Phoenix",
    ),
    "decline": (
        HostStatus.DECLINED,
        "Sobre su oferta de hospedaje para TPS Journey",
        "Casa Mariposa",
    ),
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_every_channel_stamps_the_decision_and_sends_the_same_one_email(
    coordinator, host, stop, channel, decision, django_capture_on_commit_callbacks
):
    status, subject, opening = EMAILS[decision]

    with (
        time_machine.travel(MOMENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        code = CHANNELS[channel](coordinator, host, stop, decision)

    host.refresh_from_db()
    assert code in (200, 302)
    assert (host.status, host.decided_at, host.stop) == (status, MOMENT, stop)
    [message] = mail.outbox
    assert (message.to, message.subject, message.extra_headers["Content-Language"]) == (
        ["lupe@example.org"],
        subject,
        "es",
    )
    assert opening in " ".join(message.body.split())


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_the_three_channels_send_identical_emails(
    coordinator, journey, stop, decision, django_capture_on_commit_callbacks
):
    bodies = []
    for channel in CHANNELS.values():
        mail.outbox.clear()
        host = HostAllyFactory(
            journey=journey, stop=stop, organization="Casa Mariposa", language="es"
        )
        with django_capture_on_commit_callbacks(execute=True):
            channel(coordinator, host, stop, decision)
        host.refresh_from_db()
        token = host.secret_token or "(no link)"
        # Each host has their own link: the same text around it.
        bodies.append([(m.to, m.subject, m.body.replace(token, "<token>")) for m in mail.outbox])

    assert bodies[0] == bodies[1] == bodies[2]
    assert len(bodies[0]) == 1
    assert ("/host/<token>/" in bodies[0][0][2]) == (decision == "approve")


def test_no_email_leaves_before_the_decision_is_committed(host, stop):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        approve_host(host=host, stop=stop)
        raise Abort

    host.refresh_from_db()
    assert (host.status, host.decided_at, mail.outbox) == (HostStatus.PENDING, None, [])


def test_a_failing_mail_server_does_not_undo_the_decision(
    host, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.stops.test_services.BrokenBackend"

    with (
        caplog.at_level(logging.ERROR, logger="stops.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        decline_host(host=host)

    host.refresh_from_db()
    assert host.status == HostStatus.DECLINED
    assert [r.getMessage() for r in caplog.records] == [
        f"Could not send the decline for host ally {host.pk}"
    ]


def test_an_admin_approval_that_fails_validation_says_so_and_approves_nothing(
    coordinator, journey, django_capture_on_commit_callbacks
):
    other = StopFactory(city="Phoenix")  # another journey's stop: refused by the model
    host = HostAllyFactory(journey=journey, organization="Lost Temple")
    HostAlly.objects.filter(pk=host.pk).update(stop=other)
    client = Client()
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:stops_hostally_changelist"),
            {"action": "approve", "_selected_action": [host.pk]},
            follow=True,
        )

    host.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == [
        "Lost Temple (Phoenix) was not approved: The stop belongs to another journey.",
        "0 host allies approved.",
    ]
    assert (host.status, mail.outbox) == (HostStatus.PENDING, [])


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_sends_the_hosts_link_with_this_sites_address(
    coordinator, host, stop, channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        CHANNELS[channel](coordinator, host, stop, "approve")

    host.refresh_from_db()
    [message] = mail.outbox
    assert f"http://testserver/host/{host.secret_token}/" in message.body
