"""Keep secret-link tokens out of logs.

A secret link (``/my/<token>/…``, ``/journeys/<slug>/team/<token>.ics``,
``/host/<token>/…``) is a key to a person's itinerary or a stop's head counts: whoever
reads it in a log can follow the rider. Django logs request paths ("Not Found: /my/…/"
on ``django.request``, every request on ``django.server`` under runserver) and gunicorn
logs them in its access log, so each of those loggers gets ``RedactSecretLinks``, which
rewrites the message before any handler sees it.

The rules follow the URLconf, and err on the side of cutting too much: logged paths are
often mangled (a calendar app upper-cases them, a person drops the suffix or pastes the
token into a query string), and the mangled ones are exactly those that end in a 404 log.

* ``/my/<token>``: everything after ``/my/`` up to the next separator, in any case.
* ``/team/<segment>``: every segment after ``/team/`` is a token, in any case and with or
  without a suffix, except the names of the team's own documents (``TEAM_PAGES``);
  ``tests/test_logging.py`` walks the URLconf so a new page under ``team/`` that is not
  listed here fails a test instead of being logged as ``[secret]`` silently.
* ``/host/<token>``: a host's page (``/host/<token>/``, ``…/day-sheet.pdf``), everything
  after ``/host/`` up to the next separator, in any case, except the public host form's own
  pages under ``/j/<slug>/host/`` (``HOST_PAGES``).
* ``token=`` (or ``…_token=``) in a query string, whatever the path.

A ``/`` may also be written ``%2F`` (a link quoted inside another URL's query string).

No Django import here: gunicorn's configuration loads this module before Django starts.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[secret]"

# Names under /journeys/<slug>/team/ that are pages, not tokens (journey/urls.py).
TEAM_PAGES = ("booklet.pdf", "rooming.pdf", "manifest.pdf", "backup.json", "stops", "vehicles")

# Names under /j/<slug>/host/ that are pages, not tokens (web/public/urls.py).
HOST_PAGES = ("thanks",)

_SLASH = r"(?:/|%2F)"
_END = r"(?=$|[/?#&;\s\"'<>]|%2F)"
# A token is URL-safe base64: it ends at the next separator (or, after /team/, at its suffix).
_TOKEN = r"(?:(?!%2F)[^/?#&;\s\"'<>])+"
_TEAM_TOKEN = r"(?:(?!%2F)[^/?#&;\s\"'<>.])+"
_TEAM_PAGE = "|".join(re.escape(name) for name in TEAM_PAGES)
_HOST_PAGE = "|".join(re.escape(name) for name in HOST_PAGES)

SECRET_LINKS = (
    re.compile(rf"(?P<before>{_SLASH}my{_SLASH}){_TOKEN}", re.IGNORECASE),
    re.compile(
        rf"(?P<before>{_SLASH}team{_SLASH})(?!(?:{_TEAM_PAGE}){_END}){_TEAM_TOKEN}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?P<before>{_SLASH}host{_SLASH})(?!(?:{_HOST_PAGE}){_END}){_TOKEN}", re.IGNORECASE
    ),
    re.compile(r"(?P<before>[?&;][a-z_]*token=)[^&#;\s\"'<>]+", re.IGNORECASE),
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
