"""Who may see and do what: every permission named once, as django-rules predicates.

Each predicate takes the visitor's ``journey.access.Access`` (and sometimes a row) and
never raises. Pages, the API, exports, the admin and mail ask by name, through
``access.can("stop.view_host_sheet", stop)``, so a rule changes in one place. Callers turn
a "no" into the answer that fits them (404 on pages and links; 401/403/404 in the API).

==============================  ==============================================================
permission                      who
==============================  ==============================================================
journey.view                    anyone once published; its coordinators, riders and hosts
journey.view_public             anyone, once published (the public page, booklet and feed)
journey.view_team               its coordinators (team pages, booklet, lists, history,
                                backups); the team link for the team feed
journey.change                  its coordinators, signed in
journey.apply_to_host           anyone, once published
stop.view                       coordinators; others when it is public (or they host it)
stop.view_host_sheet            coordinators; the approved hosts of that stop
participant.view_itinerary      coordinators; the participant themself
export.read                     whoever may read the export's audience (``ExportTarget``);
                                a vehicle asked for must be of the journey
==============================  ==============================================================
"""

from __future__ import annotations

import rules

from journey.access import Role, Via
from journey.itinerary import Audience


@rules.predicate
def is_coordinator(access) -> bool:
    return access.role == Role.COORDINATOR and access.via == Via.LOGIN


@rules.predicate
def is_member(access) -> bool:
    return access.is_member


@rules.predicate
def is_published(access) -> bool:
    return bool(access.journey.is_published)


@rules.predicate
def holds_team_link(access) -> bool:
    return access.via == Via.TEAM_LINK


@rules.predicate
def is_public_stop(access, stop) -> bool:
    return stop is not None and stop.journey_id == access.journey.pk and stop.is_shown_publicly


@rules.predicate
def hosts_stop(access, stop) -> bool:
    return stop is not None and stop.pk in access.hosted_stop_ids


@rules.predicate
def is_themself(access, participant) -> bool:
    return participant is not None and participant.pk in access.participant_ids


@rules.predicate
def of_this_journey(access, row) -> bool:
    journey_id = getattr(row, "journey_id", None)
    return row is not None and journey_id == access.journey.pk


@rules.predicate
def may_read_export(access, target) -> bool:
    """An export for one audience (and maybe one participant or stop)."""
    if target is None or target.audience not in access.audiences:
        return False
    vehicle = getattr(target, "vehicle", None)
    if vehicle is not None and not of_this_journey(access, vehicle):
        return False
    if target.audience == Audience.PUBLIC:
        return is_published(access) or is_member(access)
    if target.audience == Audience.TEAM:
        return is_coordinator(access) or holds_team_link(access)
    if target.audience == Audience.PERSONAL:
        return target.participant is not None and (
            is_coordinator(access) or is_themself(access, target.participant)
        )
    if target.audience == Audience.HOST:
        return target.stop is not None and (
            is_coordinator(access) or hosts_stop(access, target.stop)
        )
    return False


permissions = rules.RuleSet()
permissions.add_rule("journey.view", is_published | is_member)
permissions.add_rule("journey.view_public", is_published)
permissions.add_rule("journey.view_team", is_coordinator)
permissions.add_rule("journey.change", is_coordinator)
permissions.add_rule("journey.apply_to_host", is_published)
permissions.add_rule("stop.view", of_this_journey & (is_coordinator | is_public_stop | hosts_stop))
permissions.add_rule("stop.view_host_sheet", of_this_journey & (is_coordinator | hosts_stop))
permissions.add_rule("participant.view_itinerary", of_this_journey & (is_coordinator | is_themself))
permissions.add_rule("export.read", may_read_export)
