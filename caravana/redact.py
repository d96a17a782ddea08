"""Keep secret-link tokens out of logs.

A secret link (``/my/<token>/…``, ``/journeys/<slug>/team/<token>.ics``) is a key to a
person's itinerary: whoever reads it in a log can follow the rider. Django logs request
paths ("Not Found: /my/…/" on ``django.request``, every request on ``django.server``
under runserver) and gunicorn logs them in its access log, so each of those loggers gets
``RedactSecretLinks``, which rewrites the message before any handler sees it.

No Django import here: gunicorn's configuration loads this module before Django starts.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[secret]"

# One pattern per kind of secret link in the URLconf (tests/test_logging.py checks that every
# URL with a token is covered). A token is URL-safe base64; it ends at the next separator.
_TOKEN = r"[^/?#\s\"'<>]+"
SECRET_LINKS = (
    re.compile(rf"(?P<before>/my/){_TOKEN}"),
    re.compile(rf"(?P<before>/team/){_TOKEN}(?=\.ics)"),
)


def redact_secret_links(text: str) -> str:
    """``text`` with the token of every secret link replaced by ``[secret]``."""
    for pattern in SECRET_LINKS:
        text = pattern.sub(rf"\g<before>{REDACTED}", text)
    return text


class RedactSecretLinks(logging.Filter):
    """A logging filter that takes secret-link tokens out of a record's message.

    The message is formatted once here (``msg % args``) and stored back without its
    arguments, so every handler after it, whatever its format, sees the redacted text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the handler
            return True
        redacted = redact_secret_links(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
