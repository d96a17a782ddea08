"""Phone numbers the printed documents add to the itinerary, one query each.

``journey.plan.load_plan`` does not read host allies or local contacts, so the
PDF exporters that print them read them here, for all the stops at once:

* ``host_contacts``: the host allies serving each stop (organization, contact
  person, phone, email). Team documents only: the booklet asks for them only
  for the team audience.
* ``local_contacts``: the numbers riders may call at each stop
  (rapid-response network, legal aid, medical). Printed on the personal
  itinerary for the rider's own stops.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from stops.models import ContactKind, HostAlly, HostStatus, LocalContact


@dataclass(frozen=True, slots=True)
class HostContact:
    stop_id: int
    organization: str
    contact_name: str
    phone: str
    email: str
    is_approved: bool


@dataclass(frozen=True, slots=True)
class LocalContactItem:
    stop_id: int
    kind: str
    kind_label: str  # lazy: read inside the reader's language
    name: str
    phone: str
    notes: str


def host_contacts(journey_id: int, stop_ids: Iterable[int]) -> dict[int, tuple[HostContact, ...]]:
    """Stop id -> the hosts serving it (declined offers left out), approved first."""
    ids = set(stop_ids)
    if not ids:
        return {}
    found = defaultdict(list)
    hosts = (
        HostAlly.objects.filter(journey_id=journey_id, stop_id__in=ids)
        .exclude(status=HostStatus.DECLINED)
        .order_by("stop_id", "organization", "pk")
    )
    for host in hosts:
        found[host.stop_id].append(
            HostContact(
                stop_id=host.stop_id,
                organization=host.organization,
                contact_name=host.contact_name,
                phone=host.phone,
                email=host.email,
                is_approved=host.status == HostStatus.APPROVED,
            )
        )
    return {
        stop_id: tuple(sorted(items, key=lambda h: not h.is_approved))
        for stop_id, items in found.items()
    }


def local_contacts(stop_ids: Iterable[int]) -> dict[int, tuple[LocalContactItem, ...]]:
    """Stop id -> its local numbers: rapid response first, then legal aid, medical, other."""
    ids = set(stop_ids)
    if not ids:
        return {}
    order = {kind: i for i, kind in enumerate(ContactKind.values)}
    found = defaultdict(list)
    for contact in LocalContact.objects.filter(stop_id__in=ids):
        found[contact.stop_id].append(
            LocalContactItem(
                stop_id=contact.stop_id,
                kind=contact.kind,
                kind_label=ContactKind(contact.kind).label,
                name=contact.name,
                phone=contact.phone,
                notes=contact.notes,
            )
        )
    return {
        stop_id: tuple(sorted(items, key=lambda c: (order.get(c.kind, 99), c.name)))
        for stop_id, items in found.items()
    }
