"""Secret links: rotate or revoke a participant's personal link and the team feed link.

Each old token is remembered as retired (``RetiredToken``): a request for it still answers
404, but is not counted as a guess by the link rate limit.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction
from django.urls import reverse

from journey.models import Journey, RetiredToken, new_secret_token
from participants.models import Participant


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
