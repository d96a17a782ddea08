"""Counts of needs without names: "vegetarian: 3, halal: 1", for hosts and kitchens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from journey.itinerary.types import NeedCount

__all__ = ["NeedCount", "need_counts"]


def need_counts(values: Iterable[str]) -> tuple[NeedCount, ...]:
    """How many people have each need (blank ones left out), most common first."""
    counts = Counter(v.strip() for v in values if v and v.strip())
    return tuple(
        NeedCount(need, count)
        for need, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
