"""Secret links: rotate or revoke a participant's personal link, a host's page link and the
team feed link.

Each old token is remembered as retired (``RetiredToken``): a request for it still answers
404, but is not counted as a guess by the link rate limit.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction
from django.urls import reverse

from journey.models import Journey, RetiredToken, new_secret_token
from participants.models import Participant
from stops.models import HostAlly


@transaction.atomic
def rotate_participant_token(*, participant: Participant) -> str:
    """Give the participant a new secret link; the old one stops working at once."""
    RetiredToken.objects.retire(participant.secret_token)
    participant.secret_token = new_secret_token()
    participant.save(update_fields=["secret_token", "updated_at"])
    return participant.secret_token


@transaction.atomic
def revoke_participant_token(*, participant: Participant) -> None:
    """Switch the participant's secret link off (it answers 404) until rotated again."""
    RetiredToken.objects.retire(participant.secret_token)
    participant.secret_token = None
    participant.save(update_fields=["secret_token", "updated_at"])


@transaction.atomic
def rotate_team_token(*, journey: Journey) -> str:
    """Give the journey's team feed a new secret link; the old one stops working."""
    RetiredToken.objects.retire(journey.team_feed_token)
    journey.team_feed_token = new_secret_token()
    journey.save(update_fields=["team_feed_token", "updated_at"])
    return journey.team_feed_token


@transaction.atomic
def revoke_team_token(*, journey: Journey) -> None:
    RetiredToken.objects.retire(journey.team_feed_token)
    journey.team_feed_token = None
    journey.save(update_fields=["team_feed_token", "updated_at"])


@transaction.atomic
def rotate_host_token(*, host: HostAlly) -> str:
    """Give the host a new link to their page (the first one, on approval); the old one
    stops working at once."""
    RetiredToken.objects.retire(host.secret_token)
    host.secret_token = new_secret_token()
    host.save(update_fields=["secret_token"])
    return host.secret_token


@transaction.atomic
def revoke_host_token(*, host: HostAlly) -> None:
    """Switch the host's page link off (it answers 404) until a coordinator rotates it."""
    RetiredToken.objects.retire(host.secret_token)
    host.secret_token = None
    host.save(update_fields=["secret_token"])


def host_page_url(host: HostAlly, base_url: str = "") -> str:
    """The host's page (``base_url`` makes it absolute), or "" when they have no link."""
    if not host.secret_token:
        return ""
    return base_url + reverse("web:host_page", kwargs={"token": host.secret_token})


class SubscriptionUrls(NamedTuple):
    https: str  # to open or download (the request's own scheme: https in production)
    webcal: str  # to subscribe from a phone or a calendar program


def _subscription(request, path: str) -> SubscriptionUrls:
    url = request.build_absolute_uri(path)
    return SubscriptionUrls(https=url, webcal="webcal://" + url.split("://", 1)[1])


def subscription_urls(request, participant: Participant) -> SubscriptionUrls | None:
    """The personal feed's URLs, or None when the participant's link is revoked."""
    if not participant.secret_token:
        return None
    return _subscription(
        request, reverse("journey:personal_feed", kwargs={"token": participant.secret_token})
    )


def team_subscription_urls(request, journey: Journey) -> SubscriptionUrls | None:
    if not journey.team_feed_token:
        return None
    return _subscription(
        request,
        reverse(
            "journey:team_feed_by_token",
            kwargs={"slug": journey.slug, "token": journey.team_feed_token},
        ),
    )
