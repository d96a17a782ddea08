"""What the schedule checks report: a problem's kind, severity and where it lies.

Apart from ``journey.checks`` so that a check written in another module (the border zone's,
``journey.border``) can report problems without importing the checks that call it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy


class Severity(models.TextChoices):
    ERROR = "error", gettext_lazy("Error")
    WARNING = "warning", gettext_lazy("Warning")


class Kind(models.TextChoices):
    NO_LODGING = "no_lodging", gettext_lazy("Night without lodging")
    BEDS_SHORT = "beds_short", gettext_lazy("Fewer beds than people")
    LODGING_OVERBOOKED = "lodging_overbooked", gettext_lazy("Lodging overbooked")
    BED_UNASSIGNED = "bed_unassigned", gettext_lazy("People without a bed")
    BED_ELSEWHERE = "bed_elsewhere", gettext_lazy("Bed where the person is not")
    VEHICLE_OVER_CAPACITY = "vehicle_over_capacity", gettext_lazy("Vehicle over capacity")
    NO_VEHICLE = "no_vehicle", gettext_lazy("Rider without a vehicle")
    NO_DRIVER = "no_driver", gettext_lazy("Vehicle without a driver")
    DEPARTURE_BEFORE_ARRIVAL = "departure_before_arrival", gettext_lazy("Departure before arrival")
    OUT_OF_ORDER = "out_of_order", gettext_lazy("Stops out of time order")
    ACTIVITY_OVERLAP = "activity_overlap", gettext_lazy("Overlapping activities")
    ACTIVITY_OUTSIDE_STOP = "activity_outside_stop", gettext_lazy("Activity outside the stop")
    DRIVE_DOES_NOT_FIT = "drive_does_not_fit", gettext_lazy("Drive does not fit")
    DRIVING_OVER_LIMIT = "driving_over_limit", gettext_lazy("Driver over 10 hours driving")
    DUTY_OVER_LIMIT = "duty_over_limit", gettext_lazy("Driver over 15 hours on duty")
    SHORT_REST = "short_rest", gettext_lazy("Driver rest under 8 hours")
    BORDER_UNPREPARED = "border_unprepared", gettext_lazy("Border-zone leg not prepared")
    MEAL_OUTSIDE_STOP = "meal_outside_stop", gettext_lazy("Meal outside the stop")
    MEAL_NOT_OFFERED = "meal_not_offered", gettext_lazy("Meal from a host who did not offer it")
    MEAL_MISSING = "meal_missing", gettext_lazy("A day without a meal at mealtime")
    MEAL_OVER_CAPACITY = "meal_over_capacity", gettext_lazy("More eaters than the host can feed")


@dataclass(frozen=True)
class Problem:
    kind: str
    severity: str
    message: str
    stop_id: int | None = None
    leg_id: int | None = None
    night: date | None = None
    vehicle_id: int | None = None
    lodging_id: int | None = None
    activity_id: int | None = None
    participant_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        data["participant_ids"] = list(self.participant_ids)
        data["night"] = self.night.isoformat() if self.night else None
        return data
