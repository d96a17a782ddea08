"""Telling each rider, by email, what changed in their own itinerary.

A rider on the road needs one clear message after a coordinator's burst of edits, not one per
keystroke, and only when their own plan moved. So:

* ``itinerary_snapshot(itinerary)`` turns a personal itinerary (``journey.itinerary``,
  ``Audience.PERSONAL``) into plain comparable data: each stop of their segment (place, arrival
  and departure in UTC with the stop's zone, meeting place), each night (lodging and address,
  check-in), each leg they ride (vehicle names, departure), each activity at their stops. No
  other person's name: drivers and coordinators are left out.
* ``ItinerarySnapshot`` keeps, per participant, the data they were last told about.
* ``itinerary_changes(old, new)`` lists what differs, old and new value, in time order;
  ``describe_change`` writes one line of it in the active language, times in each place's
  local time with its zone abbreviation ("Mar 1, 20:30 MST").
* ``notify_itinerary_changes(journey=...)`` builds every participant's itinerary from one
  ``load_plan`` (a fixed number of queries at any size), emails those whose itinerary changed
  and stores the new snapshots.

When it emails
--------------
* The first time a participant is seen (no snapshot) their itinerary is stored, nobody is told.
* The plan must have been quiet for ``CARAVANA_NOTIFY_QUIET_MINUTES`` (default 10): while a
  coordinator is still editing, the run waits (``wait_for_quiet=False`` sends at once: the
  coordinators' "Notify riders of changes now" button, ``notify_changes --now``). The plan's
  last change is the latest of ``journey.plan.plan_version`` (the rows' ``updated_at``) and of
  the plan's history (``journey.history``), which also dates deletions.
* Only to participants with an email address, a live secret link (the email's link opens their
  page; a revoked link may mean a lost phone) and personal data not erased. The others' snapshots
  move on all the same: nothing piles up for later.
* Each rider gets their own message in their language (English, Spanish or Haitian Creole;
  others read English, as the documents do) with a link to ``/my/<token>/`` under
  ``settings.SITE_URL``.

Delivery is at least once: runs on one journey are serialized by a lock on the journey row;
emails go out before the snapshots are written, in the same transaction, and a participant whose
email fails keeps the old snapshot, so the next run tells them everything that changed since.
A crash after sending and before the commit would tell them again; nothing is ever lost.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from journey.exporters import fallback_note, reader_language
from journey.formatting import day_month, format_local
from journey.history import JourneyHistory
from journey.itinerary import Audience, Itinerary, build_itinerary
from journey.models import Journey
from journey.plan import load_plan, plan_version
from participants.models import ItinerarySnapshot, Participant

logger = logging.getLogger(__name__)

#: Bumped when the snapshot's shape changes: an older snapshot is replaced without an email.
SNAPSHOT_FORMAT = 1


# --- snapshots --------------------------------------------------------------------------------


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def itinerary_snapshot(itinerary: Itinerary) -> dict:
    """A personal itinerary as plain JSON data, comparable with ``==``."""
    return {
        "format": SNAPSHOT_FORMAT,
        "stops": [
            {
                "id": stop.id,
                "place": stop.place_name,
                "tz": stop.tz,
                "arrival": _utc(stop.arrival),
                "departure": _utc(stop.departure),
                "meeting": _join(stop.venue, stop.address),
            }
            for stop in itinerary.stops
        ],
        "nights": [
            {
                "date": night.date.isoformat(),
                "at": _utc(night.stop.arrival),
                "place": night.stop.place_name,
                "tz": night.stop.tz,
                "lodging": _join(night.bed.name, night.bed.address) if night.bed else "",
                "check_in": _utc(night.bed.check_in) if night.bed else "",
            }
            for night in itinerary.nights
        ],
        "legs": [
            {
                "key": f"{leg.origin.id}-{leg.destination.id}",
                "origin": leg.origin.place_name,
                "destination": leg.destination.place_name,
                "tz": leg.origin.tz,
                "departure": _utc(leg.departure),
                "vehicles": sorted(on_leg.vehicle.name for on_leg in leg.vehicles),
            }
            for leg in itinerary.legs
        ],
        "activities": [
            {
                "id": activity.id,
                "title": activity.title,
                "place": activity.place_name,
                "tz": activity.tz,
                "starts_at": _utc(activity.starts_at),
                "venue": _join(activity.venue, activity.address),
            }
            for activity in itinerary.activities
        ],
    }


# --- what changed -----------------------------------------------------------------------------


class Moment(NamedTuple):
    """A time as stored in a snapshot: UTC ISO and the zone it is read in."""

    utc: str
    tz: str


@dataclass(frozen=True)
class Change:
    """One thing that changed: ``kind`` names the sentence (``SENTENCES``), ``values`` fill it
    (strings, ``Moment``, ``date``, or lists of vehicle names); ``at`` orders the lines."""

    at: str
    kind: str
    values: dict


SENTENCES = {
    "stop_added": gettext_lazy("New stop: %(place)s, from %(arrival)s to %(departure)s"),
    "stop_removed": gettext_lazy("No longer on your itinerary: %(place)s (was %(arrival)s)"),
    "stop_place": gettext_lazy("A stop moved: %(old)s → %(new)s"),
    "arrival": gettext_lazy("Arrival in %(place)s: %(old)s → %(new)s"),
    "departure": gettext_lazy("Departure from %(place)s: %(old)s → %(new)s"),
    "meeting": gettext_lazy("Meeting place in %(place)s: %(old)s → %(new)s"),
    "lodging": gettext_lazy(
        "Where you sleep on the night of %(date)s in %(place)s: %(old)s → %(new)s"
    ),
    "check_in": gettext_lazy("Check-in on the night of %(date)s in %(place)s: %(old)s → %(new)s"),
    "night_added": gettext_lazy("New night in %(place)s on %(date)s; where you sleep: %(lodging)s"),
    "night_removed": gettext_lazy(
        "No longer on your itinerary: the night of %(date)s in %(place)s"
    ),
    "vehicle": gettext_lazy(
        "Vehicle from %(origin)s to %(destination)s (leaving %(departure)s): %(old)s → %(new)s"
    ),
    "activity_added": gettext_lazy("New activity: “%(title)s” in %(place)s, %(time)s"),
    "activity_removed": gettext_lazy(
        "No longer on your itinerary: “%(title)s” in %(place)s (was %(time)s)"
    ),
    "activity_title": gettext_lazy("Activity renamed: “%(old)s” → “%(new)s”"),
    "activity_time": gettext_lazy("Start of “%(title)s” in %(place)s: %(old)s → %(new)s"),
    "activity_venue": gettext_lazy("Place of “%(title)s”: %(old)s → %(new)s"),
}

#: What an empty value reads as, per kind of change.
EMPTY = {
    "lodging": gettext_lazy("not assigned yet"),
    "night_added": gettext_lazy("not assigned yet"),
    "check_in": gettext_lazy("not set"),
    "vehicle": gettext_lazy("no vehicle assigned yet"),
    "meeting": gettext_lazy("not set"),
    "activity_venue": gettext_lazy("not set"),
}


def _by(records: list[dict], key: str) -> dict:
    return {record[key]: record for record in records}


def itinerary_changes(old: dict, new: dict) -> list[Change]:
    """What differs between two snapshots, in time order (empty: nothing to tell)."""
    changes: list[Change] = []

    def add(at: str, kind: str, **values):
        changes.append(Change(at, kind, values))

    def moment(record: dict, field: str) -> Moment:
        return Moment(record[field], record["tz"])

    old_stops, new_stops = _by(old.get("stops", []), "id"), _by(new.get("stops", []), "id")
    for key, now in new_stops.items():
        before = old_stops.get(key)
        if before is None:
            add(
                now["arrival"],
                "stop_added",
                place=now["place"],
                arrival=moment(now, "arrival"),
                departure=moment(now, "departure"),
            )
            continue
        if before["place"] != now["place"]:
            add(now["arrival"], "stop_place", old=before["place"], new=now["place"])
        for field in ("arrival", "departure"):
            if before[field] != now[field]:
                add(
                    now[field],
                    field,
                    place=now["place"],
                    old=moment(before, field),
                    new=moment(now, field),
                )
        if before["meeting"] != now["meeting"]:
            add(
                now["arrival"],
                "meeting",
                place=now["place"],
                old=before["meeting"],
                new=now["meeting"],
            )
    for key, before in old_stops.items():
        if key not in new_stops:
            add(
                before["arrival"],
                "stop_removed",
                place=before["place"],
                arrival=moment(before, "arrival"),
            )

    old_nights, new_nights = _by(old.get("nights", []), "date"), _by(new.get("nights", []), "date")
    for key, now in new_nights.items():
        before = old_nights.get(key)
        night = date.fromisoformat(key)
        if before is None:
            add(now["at"], "night_added", date=night, place=now["place"], lodging=now["lodging"])
            continue
        if before["lodging"] != now["lodging"]:
            add(
                now["at"],
                "lodging",
                date=night,
                place=now["place"],
                old=before["lodging"],
                new=now["lodging"],
            )
        elif before["check_in"] != now["check_in"] and before["check_in"] and now["check_in"]:
            add(
                now["at"],
                "check_in",
                date=night,
                place=now["place"],
                old=moment(before, "check_in"),
                new=moment(now, "check_in"),
            )
    for key, before in old_nights.items():
        if key not in new_nights:
            add(before["at"], "night_removed", date=date.fromisoformat(key), place=before["place"])

    # Legs that appear or disappear come with a stop added or removed, said above.
    old_legs = _by(old.get("legs", []), "key")
    for now in new.get("legs", []):
        before = old_legs.get(now["key"])
        if before is not None and before["vehicles"] != now["vehicles"]:
            add(
                now["departure"],
                "vehicle",
                origin=now["origin"],
                destination=now["destination"],
                departure=moment(now, "departure"),
                old=before["vehicles"],
                new=now["vehicles"],
            )

    old_acts, new_acts = _by(old.get("activities", []), "id"), _by(new.get("activities", []), "id")
    for key, now in new_acts.items():
        before = old_acts.get(key)
        if before is None:
            add(
                now["starts_at"],
                "activity_added",
                title=now["title"],
                place=now["place"],
                time=moment(now, "starts_at"),
            )
            continue
        if before["title"] != now["title"]:
            add(now["starts_at"], "activity_title", old=before["title"], new=now["title"])
        if before["starts_at"] != now["starts_at"]:
            add(
                now["starts_at"],
                "activity_time",
                title=now["title"],
                place=now["place"],
                old=moment(before, "starts_at"),
                new=moment(now, "starts_at"),
            )
        if before["venue"] != now["venue"]:
            add(
                now["starts_at"],
                "activity_venue",
                title=now["title"],
                old=before["venue"],
                new=now["venue"],
            )
    for key, before in old_acts.items():
        if key not in new_acts:
            add(
                before["starts_at"],
                "activity_removed",
                title=before["title"],
                place=before["place"],
                time=moment(before, "starts_at"),
            )

    order = list(SENTENCES)
    return sorted(changes, key=lambda c: (c.at, order.index(c.kind)))


def _text(kind: str, value) -> str:
    if isinstance(value, Moment):
        return format_local(datetime.fromisoformat(value.utc), value.tz)
    if isinstance(value, date):
        return day_month(value)
    if isinstance(value, list):
        value = ", ".join(value)
    return value or str(EMPTY.get(kind, ""))


def describe_change(change: Change) -> str:
    """One line of the email, in the active language."""
    values = {name: _text(change.kind, value) for name, value in change.values.items()}
    return str(SENTENCES[change.kind]) % values


# --- when the plan last changed ---------------------------------------------------------------


class PlanChange(NamedTuple):
    key: str  # changes whenever anything in the plan changes
    at: datetime  # when the plan last changed


def last_plan_change(journey: Journey) -> PlanChange | None:
    """The plan's version and its last change, in two queries (None: no such journey).

    ``journey.plan.plan_version`` gives the rows' latest ``updated_at`` (also after bulk
    writes, which leave no history) and a tag that also counts deletions; the plan's history
    dates every save and deletion, so removing a bed restarts the quiet period too.
    """
    feed = plan_version(journey.pk)
    if feed is None:
        return None
    tables = [m for m in apps.get_models() if issubclass(m, JourneyHistory)]
    latest = [
        table.objects.filter(history_journey_id=journey.pk)
        .order_by()
        .values("history_journey_id")
        .annotate(latest=Max("history_date"))
        .values_list("latest", flat=True)
        for table in tables
    ]
    history = [stamp for stamp in latest[0].union(*latest[1:], all=True) if stamp]
    changed_at = max([feed.last_modified, *history])
    key = hashlib.sha256(f"{feed.tag}|{changed_at.isoformat()}".encode()).hexdigest()
    return PlanChange(key[:40], changed_at)


def quiet_period() -> timedelta:
    return timedelta(minutes=settings.CARAVANA_NOTIFY_QUIET_MINUTES)


# --- the run ---------------------------------------------------------------------------------


@dataclass
class NotifyResult:
    """What one run did, in counts (never names or addresses)."""

    waiting: bool = False  # the plan changed within the quiet period: nothing was done
    changed_at: datetime | None = None  # the plan's last change
    emailed: int = 0  # told by email
    unreachable: int = 0  # changed, but no address, a revoked link or erased data
    failed: int = 0  # changed, the email failed: told on the next run
    unchanged: int = 0
    recorded: int = 0  # seen for the first time: stored, not told


def can_be_emailed(participant: Participant) -> bool:
    return bool(
        participant.email and participant.secret_token and participant.anonymized_at is None
    )


def rider_page_url(participant: Participant, site_url: str) -> str:
    path = reverse("web:my_itinerary", kwargs={"token": participant.secret_token})
    return site_url.rstrip("/") + path


def change_email(
    *, participant: Participant, journey: Journey, changes: list[Change], site_url: str
) -> EmailMessage:
    """The email telling one participant what changed, in their language."""
    language = reader_language(participant.language)
    with translation.override(language):
        context = {
            "participant": participant,
            "journey": journey,
            "lines": [describe_change(change) for change in changes],
            "link": rider_page_url(participant, site_url),
            "language_note": fallback_note(participant.language),
        }
        subject = render_to_string("participants/emails/itinerary_changed_subject.txt", context)
        body = render_to_string("participants/emails/itinerary_changed.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[participant.email])
    message.extra_headers["Content-Language"] = language
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


def _send(message: EmailMessage, participant: Participant) -> bool:
    try:
        return message.send() == 1
    except Exception as error:  # one bad address or a hiccup must not stop the others
        # The participant's id only: their address stays out of the logs.
        logger.warning(
            "Itinerary change email to participant %s failed (%s); retried on the next run.",
            participant.pk,
            type(error).__name__,
        )
        return False


def notify_itinerary_changes(
    *,
    journey: Journey,
    now: datetime | None = None,
    wait_for_quiet: bool = True,
    site_url: str | None = None,
) -> NotifyResult:
    """Email every participant of the journey whose itinerary changed since their snapshot,
    and store the new snapshots (see the module docstring). ``now`` is the current time
    (default: the clock); ``site_url`` prefixes the link (default ``settings.SITE_URL``)."""
    now = now or timezone.now()
    site_url = settings.SITE_URL if site_url is None else site_url
    result = NotifyResult()
    version = last_plan_change(journey)
    if version is None:
        return result
    result.changed_at = version.at
    counts = Participant.objects.filter(journey=journey).aggregate(
        people=Count("pk"),
        current=Count("pk", filter=Q(itinerary_snapshot__plan_version=version.key)),
    )
    if counts["people"] == counts["current"]:
        result.unchanged = counts["people"]
        return result  # every snapshot was taken from this very plan
    if wait_for_quiet and now - version.at < quiet_period():
        result.waiting = True
        return result

    with transaction.atomic():
        # One run at a time per journey; edits go on (NO KEY: rows pointing here can be added).
        Journey.objects.select_for_update(no_key=True).filter(pk=journey.pk).first()
        plan = load_plan(journey)
        # Every table read once here: no personal itinerary then reads its own rows.
        for table in ("participants", "lodgings", "vehicles", "seats", "beds"):
            getattr(plan, table)
        snapshots = {
            s.participant_id: s
            for s in ItinerarySnapshot.objects.filter(participant__journey=journey)
        }
        to_create, to_update, to_tell = [], [], []
        for person in plan.participants:
            itinerary = build_itinerary(plan, audience=Audience.PERSONAL, participant=person)
            old = snapshots.get(person.pk)
            fresh = ItinerarySnapshot(
                pk=old.pk if old else None,
                participant=person,
                data=itinerary_snapshot(itinerary),
                taken_at=now,
                plan_version=version.key,
            )
            if old is None or old.data.get("format") != SNAPSHOT_FORMAT:
                result.recorded += 1
            elif not (changes := itinerary_changes(old.data, fresh.data)):
                result.unchanged += 1
            elif can_be_emailed(person):
                to_tell.append((person, changes, fresh))  # stored once the email is sent
                continue
            else:
                result.unreachable += 1
            (to_update if old else to_create).append(fresh)

        if to_tell:
            connection = get_connection()
            try:
                connection.open()
            except Exception as error:  # the server is down: everyone is told next time
                logger.warning(
                    "No email server (%s): %d itinerary change emails wait for the next run.",
                    type(error).__name__,
                    len(to_tell),
                )
                result.failed = len(to_tell)
                to_tell = []
            for person, changes, fresh in to_tell:
                message = change_email(
                    participant=person, journey=journey, changes=changes, site_url=site_url
                )
                message.connection = connection
                if _send(message, person):
                    to_update.append(fresh)
                    result.emailed += 1
                else:
                    result.failed += 1
            connection.close()
        ItinerarySnapshot.objects.bulk_create(to_create)
        ItinerarySnapshot.objects.bulk_update(to_update, ["data", "taken_at", "plan_version"])
    return result
