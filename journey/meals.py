"""Meals as plain data: when, where, who provides them and how many eat, never who.

``meal_items(plan, *, stop_ids=None, with_notes=False, with_counts=True)`` reads
``Plan.meals`` (one query) and counts the eaters of each meal from who is at its stop
(``Plan.present_at``, the riders' segments: riders joining or leaving there included),
with counts of their dietary needs (allergies are written there) and accessibility needs.
``notes`` are for the team and the hosts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from journey.counts import NeedCount, need_counts
from journey.plan import Plan
from stops.models import MealKind

THE_TEAM = _("the team")


@dataclass(frozen=True, slots=True)
class MealItem:
    id: int
    stop_id: int
    kind: str  # MealKind value
    kind_label: str  # lazy
    starts_at: datetime  # in ``tz``
    tz: str
    place: str
    place_name: str  # the stop's "City, ST"
    provider_id: int | None  # the host ally; None: the team
    provider_name: str  # the host's organization, or "the team" (lazy)
    notes: str
    headcount: int
    dietary_needs: tuple[NeedCount, ...]
    accessibility_needs: tuple[NeedCount, ...]
    updated_at: datetime

    @property
    def title(self) -> str:
        """ "Dinner at Casa del Pueblo" (or at the stop's place)."""
        return _("%(meal)s at %(place)s") % {
            "meal": self.kind_label,
            "place": self.place or self.place_name,
        }


def meal_items(
    plan: Plan,
    *,
    stop_ids: Iterable[int] | None = None,
    with_notes: bool = False,
    with_counts: bool = True,
) -> tuple[MealItem, ...]:
    """The meals (of these stops, or all), by time, with counts (unless ``with_counts`` is
    False: a rider's own calendar needs none, nor the query of every participant) and no
    names."""
    wanted = None if stop_ids is None else set(stop_ids)
    present: dict[int, list] = {}
    items = []
    for meal in plan.meals:
        if wanted is not None and meal.stop_id not in wanted:
            continue
        stop = meal.stop
        if stop.is_cancelled:
            continue
        if meal.stop_id not in present:
            present[meal.stop_id] = plan.present_at(meal.stop_id) if with_counts else []
        eaters = present[meal.stop_id]
        host = meal.provided_by
        items.append(
            MealItem(
                id=meal.pk,
                stop_id=stop.pk,
                kind=meal.kind,
                kind_label=MealKind(meal.kind).label,
                starts_at=dj_timezone.localtime(meal.starts_at, stop.tzinfo),
                tz=stop.timezone,
                place=meal.place,
                place_name=stop.place_name,
                provider_id=host.pk if host else None,
                provider_name=host.organization if host else THE_TEAM,
                notes=meal.notes if with_notes else "",
                headcount=len(eaters),
                dietary_needs=need_counts((p.dietary_needs for p in eaters), "dietary"),
                accessibility_needs=need_counts(
                    (p.accessibility_needs for p in eaters), "accessibility"
                ),
                updated_at=meal.updated_at,
            )
        )
    return tuple(items)
