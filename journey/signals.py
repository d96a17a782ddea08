"""Keep legs in step with the route: computed, never typed by hand."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from journey import history
from journey.models import Journey, RetiredToken, RouteStop
from journey.services import request_leg_refresh
from participants.models import Participant, SeatAssignment
from stops.models import HostAlly, Stop

ESTIMATE_FIELDS = ("road_factor", "average_speed_kmh", "break_every_minutes", "break_minutes")


@receiver(post_save, sender=RouteStop)
@receiver(post_delete, sender=RouteStop)
def route_stop_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    request_leg_refresh(route_ids=[instance.route_id])


@receiver(post_save, sender=Stop)
def stop_changed(sender, instance, created, **kwargs):
    if created or kwargs.get("raw"):
        return  # a new stop is on no route yet
    if not instance.place_changed:
        return  # times and notes do not change the legs
    instance.remember_loaded_values()
    route_ids = list(instance.route_stops.values_list("route_id", flat=True))
    if route_ids:
        request_leg_refresh(route_ids=route_ids)


@receiver(post_save, sender=Journey)
def journey_changed(sender, instance, created, update_fields=None, **kwargs):
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and not set(update_fields) & set(ESTIMATE_FIELDS):
        return
    route_ids = list(instance.routes.values_list("pk", flat=True))
    if route_ids:
        request_leg_refresh(route_ids=route_ids)


@receiver(post_delete, sender=SeatAssignment)
def seat_removed(sender, instance, **kwargs):
    """A rider's seat taken away changes their legs, which no remaining row dates: their
    record's ``updated_at`` moves, and their calendar's leg events (SEQUENCE) with it."""
    if history.is_paused():
        return  # a whole journey is being deleted or rebuilt
    Participant.objects.filter(pk=instance.participant_id).update(updated_at=timezone.now())


@receiver(post_delete, sender=HostAlly)
@receiver(post_delete, sender=Participant)
def participant_deleted(sender, instance, origin=None, **kwargs):
    """A deleted participant's (or host's) link is retired like a revoked one (see
    ``journey.tokens``).

    When a whole journey is deleted, ``journey_deleting`` retired them all at once.
    """
    if not (isinstance(origin, Journey) or getattr(origin, "model", None) is Journey):
        RetiredToken.objects.retire(instance.secret_token)


@receiver(pre_delete, sender=Journey)
def journey_deleting(sender, instance, **kwargs):
    tokens = instance.participants.exclude(secret_token=None).values_list("secret_token", flat=True)
    hosts = instance.hosts.exclude(secret_token=None).values_list("secret_token", flat=True)
    RetiredToken.objects.retire(instance.team_feed_token, *tokens, *hosts)
