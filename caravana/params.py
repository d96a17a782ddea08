"""Strict readers for values that arrive in a URL's query string (``?stop=``, ``?before=``).

One place decides what a well-formed id or moment is, so no view trusts ``str.isdigit``
(which accepts "²" and "١", and numbers no database column holds) or a year the database
cannot store. Each raises ``ValueError``; the caller says what that means to its client
(404 for a page, 400 with the parameter's name for the API).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

# The largest primary key a database column holds (64-bit signed).
MAX_PK = 2**63 - 1
# Times outside these years are refused: far dates cannot be turned into every local zone.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_id(value: str | None) -> int:
    """A row id written with ASCII digits only, from 1 to ``MAX_PK``."""
    text = value or ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PK)):
        raise ValueError(f"not an id: {text[:30]!r}")
    number = int(text)
    if not 0 < number <= MAX_PK:
        raise ValueError(f"not an id: {text[:30]!r}")
    return number


def parse_moment(value: str | None) -> datetime:
    """An ISO 8601 date-time with its UTC offset, between ``FIRST_YEAR`` and ``LAST_YEAR``."""
    moment = datetime.fromisoformat(value or "")
    if timezone.is_naive(moment):
        raise ValueError("a moment needs its UTC offset")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"year {moment.year} is out of range")
    return moment
