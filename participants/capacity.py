"""Capacity: a seat or a bed is only given while one is free.

``check_seat`` and ``check_bed`` raise ``ValidationError`` (with the field that is at fault)
when an assignment would overfill a vehicle on some leg or a lodging on its night, or seat a
person twice on the same stretch. The models call them twice: from ``clean()``, so forms and
the API show the error next to the field, and from ``save()`` after locking the vehicle or
lodging row (``SELECT … FOR UPDATE``), so that of two coordinators taking the last bed at the
same moment the second waits for the first and is then refused. The lock is real on
PostgreSQL; SQLite runs one writer at a time and ignores it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from journey.loaded import RemembersLoadedValues
from participants.occupancy import legs_ridden, occupancy


class HoldsAPlace(RemembersLoadedValues):
    """Mixin of SeatAssignment and BedAssignment: check capacity under a row lock on save.

    Only a row that takes a new place (new, or moved to another vehicle, stretch, lodging or
    night: its ``remembered_fields``) is checked, so a lodging whose capacity was lowered
    later still lets its existing beds be edited; the plan's checks report the overbooking.
    """

    def takes_new_place(self) -> bool:
        return self.changed_since_loaded()

    def lock_and_check(self) -> None:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.takes_new_place():
                self.lock_and_check()
            super().save(*args, **kwargs)
        self.remember_loaded_values()


def _positions(route_id: int) -> dict[int, int]:
    from journey.models import RouteStop

    return dict(RouteStop.objects.filter(route_id=route_id).values_list("stop_id", "position"))


def check_seat(seat) -> None:
    """Refuse a seat that overlaps the person's other rides or overfills the vehicle.

    Legs here are the gaps between the route's stops, cancelled ones included (a seat may
    still start or end at one); who occupies them is participants.occupancy's answer.
    """
    from participants.models import SeatAssignment

    vehicle = seat.vehicle
    positions = _positions(vehicle.route_id)
    if seat.from_stop_id not in positions or seat.to_stop_id not in positions:
        return  # clean() reports stops off the route
    leg_positions = sorted(positions.values())
    mine = legs_ridden(positions[seat.from_stop_id], positions[seat.to_stop_id], leg_positions)
    others = list(
        SeatAssignment.objects.filter(vehicle__route_id=vehicle.route_id)
        .exclude(pk=seat.pk)
        .only("vehicle_id", "participant_id", "from_stop_id", "to_stop_id", "is_driver")
    )
    own = [other for other in others if other.participant_id == seat.participant_id]
    for (_vehicle_id, index), _occupants in occupancy(
        own, positions=positions, leg_positions=leg_positions
    ).items():
        if index in mine:
            raise ValidationError(
                {
                    "participant": _("%(name)s already has a seat on part of this ride.")
                    % {"name": seat.participant.display_name}
                }
            )
    if seat.is_driver:
        return  # drivers take no passenger seat
    load = occupancy(
        [other for other in others if other.vehicle_id == vehicle.pk],
        positions=positions,
        leg_positions=leg_positions,
    )
    for index in mine:
        used = len(load[(vehicle.pk, index)].passengers)
        if used >= vehicle.seats:
            raise ValidationError(
                {
                    "vehicle": _(
                        "%(vehicle)s is full on part of this ride: %(used)d of %(seats)d "
                        "seats are taken."
                    )
                    % {"vehicle": vehicle.name, "used": used, "seats": vehicle.seats}
                }
            )


def check_bed(bed) -> None:
    """Refuse a bed in a lodging that is full that night."""
    from participants.models import BedAssignment

    lodging = bed.lodging
    used = (
        BedAssignment.objects.filter(lodging_id=lodging.pk, night=bed.night)
        .exclude(pk=bed.pk)
        .count()
    )
    if used >= lodging.capacity:
        raise ValidationError(
            {
                "lodging": _(
                    "%(lodging)s has no bed left on %(night)s: %(used)d of %(capacity)d are taken."
                )
                % {
                    "lodging": lodging.name,
                    "night": bed.night.isoformat(),
                    "used": used,
                    "capacity": lodging.capacity,
                }
            }
        )
