"""Reading numbers from query strings and URLs the strict way.

``str.isdigit`` accepts "²" and "٣", and ``int()`` accepts " 7", "+7" and "7_000"; a
database id is none of those. One helper for every id a request names.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1  # the largest id any database here stores


def positive_int(value) -> int | None:
    """``value`` as a database id (1 to 2**63 - 1), or None when it is anything else."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
