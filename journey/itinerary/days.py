"""An itinerary's entries grouped into days: each item on the local date of its own zone."""

from __future__ import annotations

from datetime import date

from journey.itinerary.types import (
    ActivityItem,
    Day,
    DayEntry,
    EntryKind,
    LegItem,
    NightItem,
    StopVisit,
)


def group_into_days(
    stops: tuple[StopVisit, ...],
    legs: tuple[LegItem, ...],
    activities: tuple[ActivityItem, ...],
    nights: tuple[NightItem, ...],
) -> tuple[Day, ...]:
    entries: list[tuple[date, float, int, DayEntry]] = []
    for stop in stops:
        entries.append(
            (
                stop.arrival.date(),
                stop.arrival.timestamp(),
                0,
                DayEntry(EntryKind.ARRIVAL, stop.arrival, stop),
            )
        )
    for leg in legs:
        entries.append(
            (
                leg.departure.date(),
                leg.departure.timestamp(),
                1,
                DayEntry(EntryKind.DEPARTURE, leg.departure, leg),
            )
        )
    for activity in activities:
        entries.append(
            (
                activity.starts_at.date(),
                activity.starts_at.timestamp(),
                2,
                DayEntry(EntryKind.ACTIVITY, activity.starts_at, activity),
            )
        )
    for night in nights:
        entries.append((night.date, float("inf"), 3, DayEntry(EntryKind.NIGHT, None, night)))
    entries.sort(key=lambda e: e[:3])
    days: dict[date, list[DayEntry]] = {}
    for day, _instant, _order, entry in entries:
        days.setdefault(day, []).append(entry)
    return tuple(Day(day, tuple(items)) for day, items in days.items())
