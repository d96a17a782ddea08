"""The access matrix over every URL the project serves, with a marker in every private field.

``test_every_url_has_a_row`` walks the URL resolver: a page, feed, export, API route or admin
page without a row in ``TABLE`` fails the suite. Each row asks every role (``ROLES``; the
secret-link rows ask with a link instead: ``LINK_ROLES``, ``TEAM_LINK_ROLES``) and compares the
statuses; POST (an empty body) is asked of every form page and every API route that takes one.

The world (``tests/access_world.py``) puts a unique marker in every private value. Every
answer, whatever its status, is decoded (PDF text through pypdf; ICS, CSV, JSON, HTML as text)
and must hold no marker outside what its role may see (``SEES``; ``LEAKS`` are the known
exceptions, xfail); and each role is shown every marker it may see on at
least one page (``SHOWN``), so the matrix cannot pass by showing nothing. Who may see what:

=============  ================================================================================
role           may see (journey A unless said; "travel" = Phoenix's parking address, Tucson's
               venue (a stop that is not public), the private activity's title, the bus's
               plate and the local contact's phone)
=============  ================================================================================
coordinator    everything of journey A: every participant's record and secret link, the team
               link, hosts' and applicants' contacts, visitors' RSVPs, lodging addresses and
               notes, private notes; nothing of journey B
coordinator_b  everything of journey B, nothing of A
rider          their own record (all fields) and link, travel, the lodging where they sleep
rider_b        their own record, link and login, their lodging, journey B's name
host           their own host record, the lodging they offer (address), Phoenix's parking
               address, the private activity there, its meals and local contacts; riders'
               needs only as counts by category (never a name, never the person's own words)
host_other     their own host record, the lodging they offer (address)
outsider       nothing
anonymous      nothing
superuser      everything
own_link       what the rider sees of the plan: their own link, travel, their lodging
other_link     the same for Pablo (his link and his lodging), nothing of Xiomara
revoked_link   nothing
team_link      the plan's private places and activities (lodging addresses and notes, private
               notes, travel but the local contact's phone), no person
personal_link  nothing (a rider's token is no team link)
old_team_link  nothing (the team link before it was rotated)
host_link      a host's own page and day sheet by link: their stop's addresses, the private
               activity there, its meals (with the team's notes), local contacts, riders'
               needs as counts, their own link; never a name
other_host_link  the same for Refugio Norte's stop (El Paso)
old_host_link  nothing (Casa Amiga's link before it was rotated)
=============  ================================================================================
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.access_world import (
    HOST_LINK_ROLES,
    LINK_ROLES,
    MARKERS,
    PERSON_FIELDS,
    ROLES,
    TEAM_LINK_ROLES,
    build_world,
    served_urls,
    url_for,
)

# Statuses in role order. Login rows:
#   coordinator coordinator_b rider rider_b host host_other outsider anonymous superuser
# Link rows (my_itinerary, personal_feed, personal_pdf): own_link other_link revoked_link
# Team link row (team_feed_by_token): team_link personal_link old_team_link
# Host link rows (host_page, host_link_day_sheet): host_link other_host_link old_host_link
TABLE_TEXT = """
admin:app_list                                GET   200 200 302 302 302 302 302 302 200
admin:auth_group_add                          GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:auth_group_change                       GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:auth_group_changelist                   GET   403 403 302 302 302 302 302 302 200
admin:auth_group_delete                       GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:auth_group_history                      GET   403 403 302 302 302 302 302 302 200
admin:auth_user_add                           GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:auth_user_change                        GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:auth_user_changelist                    GET   403 403 302 302 302 302 302 302 200
admin:auth_user_delete                        GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:auth_user_history                       GET   403 403 302 302 302 302 302 302 200
admin:auth_user_password_change               GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:authtoken_tokenproxy_add                GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:authtoken_tokenproxy_change             GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:authtoken_tokenproxy_changelist         GET   403 403 302 302 302 302 302 302 200
admin:authtoken_tokenproxy_delete             GET   403 403 302 302 302 302 302 302 200
                                              POST  403 403 302 302 302 302 302 302 200
admin:authtoken_tokenproxy_history            GET   403 403 302 302 302 302 302 302 200
admin:autocomplete                            GET   403 403 302 302 302 302 302 302 403
admin:index                                   GET   200 200 302 302 302 302 302 302 200
admin:journey_journey_add                     GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:journey_journey_change                  GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:journey_journey_changelist              GET   200 200 302 302 302 302 302 302 200
admin:journey_journey_delete                  GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:journey_journey_history                 GET   200 302 302 302 302 302 302 302 200
admin:journey_leg_add                         GET   403 403 302 302 302 302 302 302 403
                                              POST  403 403 302 302 302 302 302 302 403
admin:journey_leg_change                      GET   200 302 302 302 302 302 302 302 200
                                              POST  302 302 302 302 302 302 302 302 302
admin:journey_leg_changelist                  GET   200 200 302 302 302 302 302 302 200
admin:journey_leg_delete                      GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:journey_leg_history                     GET   200 302 302 302 302 302 302 302 200
admin:journey_route_add                       GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:journey_route_change                    GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:journey_route_changelist                GET   200 200 302 302 302 302 302 302 200
admin:journey_route_delete                    GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:journey_route_history                   GET   200 302 302 302 302 302 302 302 200
admin:login                                   GET   302 302 200 200 200 200 200 200 302
                                              POST  200 200 200 200 200 200 200 200 200
admin:logout                                  GET   405 405 302 302 302 302 302 302 405
                                              POST  200 200 302 302 302 302 302 302 200
admin:participants_bedassignment_add          GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:participants_bedassignment_change       GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_bedassignment_changelist   GET   200 200 302 302 302 302 302 302 200
admin:participants_bedassignment_delete       GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_bedassignment_history      GET   200 302 302 302 302 302 302 302 200
admin:participants_participant_add            GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:participants_participant_change         GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_participant_changelist     GET   200 200 302 302 302 302 302 302 200
admin:participants_participant_delete         GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_participant_history        GET   200 302 302 302 302 302 302 302 200
admin:participants_seatassignment_add         GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:participants_seatassignment_change      GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_seatassignment_changelist  GET   200 200 302 302 302 302 302 302 200
admin:participants_seatassignment_delete      GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_seatassignment_history     GET   200 302 302 302 302 302 302 302 200
admin:participants_vehicle_add                GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:participants_vehicle_change             GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_vehicle_changelist         GET   200 200 302 302 302 302 302 302 200
admin:participants_vehicle_delete             GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:participants_vehicle_history            GET   200 302 302 302 302 302 302 302 200
admin:password_change                         GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:password_change_done                    GET   200 200 302 302 302 302 302 302 200
admin:stops_activity_add                      GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:stops_activity_change                   GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_activity_changelist               GET   200 200 302 302 302 302 302 302 200
admin:stops_activity_delete                   GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_activity_history                  GET   200 302 302 302 302 302 302 302 200
admin:stops_hostally_add                      GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:stops_hostally_change                   GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_hostally_changelist               GET   200 200 302 302 302 302 302 302 200
admin:stops_hostally_delete                   GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_hostally_history                  GET   200 302 302 302 302 302 302 302 200
admin:stops_localcontact_add                  GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:stops_localcontact_change               GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_localcontact_changelist           GET   200 200 302 302 302 302 302 302 200
admin:stops_localcontact_delete               GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_localcontact_history              GET   200 302 302 302 302 302 302 302 200
admin:stops_lodging_add                       GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:stops_lodging_change                    GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_lodging_changelist                GET   200 200 302 302 302 302 302 302 200
admin:stops_lodging_delete                    GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_lodging_history                   GET   200 302 302 302 302 302 302 302 200
admin:stops_stop_add                          GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:stops_stop_change                       GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_stop_changelist                   GET   200 200 302 302 302 302 302 302 200
admin:stops_stop_delete                       GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_stop_history                      GET   200 302 302 302 302 302 302 302 200
admin:view_on_site                            GET   302 302 302 302 302 302 302 302 302
api:activity-detail                           GET   200 404 404 404 200 404 404 404 200
api:activity-list                             GET   200 200 200 200 200 200 200 200 200
                                              POST  400 403 403 403 403 403 403 401 400
api:auth-token                                GET   405 405 405 405 405 405 405 405 405
                                              POST  201 201 200 201 201 201 201 401 201
api:bed-detail                                GET   200 404 200 404 403 403 404 401 200
api:bed-list                                  GET   200 404 200 404 403 403 404 401 200
                                              POST  400 404 403 404 403 403 404 401 400
api:export-detail[csv-manifest]               GET   200 403 403 403 403 403 403 401 200
api:export-detail[csv-rooming]                GET   200 403 403 403 403 403 403 401 200
api:export-detail[ics-calendar]               GET   200 200 200 200 200 200 200 200 200
api:export-detail[pdf-booklet]                GET   200 200 200 200 200 200 200 200 200
api:export-detail[pdf-daysheet]               GET   200 403 403 403 200 403 403 401 200
api:export-detail[pdf-manifest]               GET   200 403 403 403 403 403 403 401 200
api:export-detail[pdf-personal]               GET   200 403 200 403 403 403 403 401 200
api:export-detail[pdf-rooming]                GET   200 403 403 403 403 403 403 401 200
api:export-list                               GET   200 200 200 200 200 200 200 200 200
api:host-application-list                     GET   405 405 405 405 405 405 405 405 405
                                              POST  400 400 400 400 400 400 400 400 400
api:host-detail                               GET   200 404 403 404 200 404 404 401 200
api:host-list                                 GET   200 404 403 404 200 200 404 401 200
                                              POST  400 404 403 404 403 403 404 401 400
api:journey-detail                            GET   200 200 200 200 200 200 200 200 200
api:journey-itinerary                         GET   200 200 200 200 200 200 200 200 200
api:journey-list                              GET   200 200 200 200 200 200 200 200 200
                                              POST  400 400 403 403 403 403 403 401 400
api:leg-detail                                GET   200 200 200 200 200 200 200 200 200
api:leg-list                                  GET   200 200 200 200 200 200 200 200 200
api:lodging-detail                            GET   200 404 200 404 200 404 404 401 200
api:lodging-list                              GET   200 404 200 404 200 200 404 401 200
                                              POST  400 404 403 404 403 403 404 401 400
api:me                                        GET   200 200 200 200 200 200 200 401 200
api:me-itinerary                              GET   200 200 200 200 200 200 200 401 200
api:participant-detail                        GET   200 404 200 404 403 403 404 401 200
api:participant-list                          GET   200 404 200 404 403 403 404 401 200
                                              POST  400 404 403 404 403 403 404 401 400
api:problem-list                              GET   200 404 403 404 403 403 404 401 200
api:route-detail                              GET   200 200 200 200 200 200 200 200 200
api:route-list                                GET   200 200 200 200 200 200 200 200 200
                                              POST  400 403 403 403 403 403 403 401 400
api:route-order                               GET   405 405 405 405 405 405 405 405 405
                                              POST  400 403 403 403 403 403 403 401 400
api:route-plan                                GET   200 404 403 404 403 403 404 401 200
api:route-plan-accept                         GET   405 405 405 405 405 405 405 405 405
                                              POST  400 404 403 404 403 403 404 401 400
api:seat-detail                               GET   200 404 200 404 403 403 404 401 200
api:seat-list                                 GET   200 404 200 404 403 403 404 401 200
                                              POST  400 404 403 404 403 403 404 401 400
api:stop-detail                               GET   200 200 200 200 200 200 200 200 200
api:stop-host-sheet                           GET   200 404 403 404 200 403 404 401 200
api:stop-list                                 GET   200 200 200 200 200 200 200 200 200
                                              POST  400 403 403 403 403 403 403 401 400
api:vehicle-detail                            GET   200 404 200 404 403 403 404 401 200
api:vehicle-list                              GET   200 404 200 404 403 403 404 401 200
                                              POST  400 404 403 404 403 403 404 401 400
journey:host_day_sheet                        GET   200 404 404 404 200 404 404 404 200
journey:personal_feed                         GET   200 200 404
journey:personal_pdf                          GET   200 200 404
journey:public_booklet                        GET   200 200 200 200 200 200 200 200 200
journey:public_feed                           GET   200 200 200 200 200 200 200 200 200
journey:team_backup                           GET   200 404 404 404 404 404 404 404 200
journey:team_booklet                          GET   200 404 404 404 404 404 404 404 200
journey:team_feed                             GET   200 404 404 404 404 404 404 404 200
journey:team_feed_by_token                    GET   200 404 404
journey:team_manifest                         GET   200 404 404 404 404 404 404 404 200
journey:team_rooming                          GET   200 404 404 404 404 404 404 404 200
web:home                                      GET   200 200 200 200 200 200 200 200 200
web:host_register                             GET   200 200 200 200 200 200 200 200 200
                                              POST  200 200 200 200 200 200 200 200 200
web:host_thanks                               GET   200 200 200 200 200 200 200 200 200
web:journey                                   GET   200 200 200 200 200 200 200 200 200
web:me                                        GET   200 200 200 200 200 200 200 302 200
web:me_detail                                 GET   404 404 200 404 404 404 404 302 404
web:my_itinerary                              GET   200 200 404
web:plan_assign                               GET   200 404 404 404 404 404 404 302 200
                                              POST  200 404 404 404 404 404 404 302 200
web:plan_dashboard                            GET   200 404 404 404 404 404 404 302 200
web:plan_export_csv[rooming]                  GET   200 404 404 404 404 404 404 302 200
web:plan_export_csv[manifest]                 GET   200 404 404 404 404 404 404 302 200
web:plan_history                              GET   200 404 404 404 404 404 404 302 200
web:plan_host                                 GET   200 404 404 404 404 404 404 302 200
                                              POST  200 404 404 404 404 404 404 302 200
web:plan_hosts                                GET   200 404 404 404 404 404 404 302 200
web:plan_journeys                             GET   200 200 200 200 200 200 200 302 200
web:plan_notify                               GET   405 405 405 405 405 405 405 302 405
                                              POST  302 404 404 404 404 404 404 302 302
web:plan_participant                          GET   200 404 404 404 404 404 404 302 200
                                              POST  400 404 404 404 404 404 404 302 400
web:plan_participant_add                      GET   200 404 404 404 404 404 404 302 200
                                              POST  400 404 404 404 404 404 404 302 400
web:plan_participants                         GET   200 404 404 404 404 404 404 302 200
web:plan_route                                GET   200 404 404 404 404 404 404 302 200
                                              POST  400 404 404 404 404 404 404 302 400
web:plan_route_move                           GET   405 405 405 405 405 405 405 302 405
                                              POST  404 404 404 404 404 404 404 302 404
web:plan_route_planner                        GET   200 404 404 404 404 404 404 302 200
web:plan_route_planner_accept                 GET   405 405 405 405 405 405 405 302 405
                                              POST  302 404 404 404 404 404 404 302 302
web:plan_stop                                 GET   200 404 404 404 404 404 404 302 200
                                              POST  400 404 404 404 404 404 404 302 400
web:claim_itinerary                           GET   405 405 405
                                              POST  302 302 404
web:plan_ride                                 GET   405 405 405 405 405 405 405 302 405
                                              POST  302 404 404 404 404 404 404 302 302
web:plan_rides                                GET   200 404 404 404 404 404 404 302 200
web:plan_rsvps                                GET   200 404 404 404 404 404 404 302 200
web:plan_roster                               GET   200 404 404 404 404 404 404 302 200
                                              POST  400 404 404 404 404 404 404 302 400
web:plan_roster_export[csv]                   GET   200 404 404 404 404 404 404 302 200
web:plan_roster_export[xlsx]                  GET   200 404 404 404 404 404 404 302 200
web:ride_apply                                GET   200 200 200 200 200 200 200 200 200
                                              POST  400 400 400 400 400 400 400 400 400
web:ride_thanks                               GET   200 200 200 200 200 200 200 200 200
web:rsvp                                      GET   200 200 200 200 200 200 200 200 200
                                              POST  400 400 400 400 400 400 400 400 400
api:participant-import-list                   GET   405 405 405 405 405 405 405 405 405
                                              POST  400 404 403 404 403 403 404 401 400
                                              PUT   405 405 405 405 405 405 405 405 405
                                              PATCH 405 405 405 405 405 405 405 405 405
                                              DELETE 405 405 405 405 405 405 405 405 405
admin:stops_meal_add                          GET   200 200 302 302 302 302 302 302 200
                                              POST  200 200 302 302 302 302 302 302 200
admin:stops_meal_change                       GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_meal_changelist                   GET   200 200 302 302 302 302 302 302 200
admin:stops_meal_delete                       GET   200 302 302 302 302 302 302 302 200
                                              POST  200 302 302 302 302 302 302 302 200
admin:stops_meal_history                      GET   200 302 302 302 302 302 302 302 200
journey:host_link_day_sheet                   GET   200 200 404
journey:route_gpx                             GET   200 200 404
journey:route_kml                             GET   200 200 404
journey:team_route_gpx                        GET   200 404 404 404 404 404 404 404 200
journey:team_route_kml                        GET   200 404 404 404 404 404 404 404 200
web:host_page                                 GET   200 200 404
web:plan_host[approved]                       GET   200 404 404 404 404 404 404 302 200
web:plan_stop_meals                           GET   200 404 404 404 404 404 404 302 200
                                              POST  200 404 404 404 404 404 404 302 200
web:rider_manifest                            GET   200 200 404
web:rider_worker                              GET   200 200 404
api:export-detail[gpx-route]                  GET   200 403 200 403 403 403 403 401 200
api:export-detail[kml-route]                  GET   200 403 200 403 403 403 403 401 200
"""


def parse_table(text: str) -> dict[str, dict[str, str]]:
    """``key METHOD statuses`` lines; a line without a key continues the one above."""
    table: dict[str, dict[str, str]] = {}
    key = None
    for line in text.strip().splitlines():
        if not line.startswith(" "):
            key, line = line.split(maxsplit=1)
        method, statuses = line.split(maxsplit=1)
        table.setdefault(key, {})[method] = statuses
    return table


TABLE = parse_table(TABLE_TEXT)

# Served, but no journey data: no row.
NOT_JOURNEY_DATA = {
    "set_language": "the language switcher: sets a cookie and redirects",
    "admin:jsi18n": "the admin's JavaScript translation catalog",
    "api:schema": "the OpenAPI description, the same for everyone (tests/api/test_schema.py)",
    "api:docs": "Swagger UI over that description",
    "path:admin/login/": "the throttled admin login: the admin:login row asks it (it comes first)",
    "path:admin/(?P<url>.*)$": "the admin's catch-all: 404, or the login for anonymous visitors",
}
# The admin's "<model>/<id>/" addresses only redirect to the change page (its own row).
ADMIN_REDIRECT_SUFFIX = "/<path:object_id>/"


def _people(who: str) -> set[str]:
    return {f"{who}.{name}" for name in PERSON_FIELDS}


TRAVEL = {
    "stop.address",
    "private_stop.venue",
    "activity.private_title",
    "vehicle.plate",
    "contact.phone",
}
PLAN_PRIVATE = TRAVEL | {
    "lodging.address",
    "lodging.notes",
    "lodging2.address",
    "lodging2.notes",
    "stop.private_notes",
    "activity.private_notes",
}
HOSTS = {
    key
    for key in MARKERS
    if key.split(".")[0] in ("host", "host_other", "applicant") and not key.endswith(".token")
}
RIDE = {key for key in MARKERS if key.startswith("ride.")}  # a request to ride, undecided
RSVP = {key for key in MARKERS if key.startswith("rsvp.")}  # a visitor's RSVP: coordinators'
JOURNEY_A = (
    _people("rider")
    | _people("rider2")
    | PLAN_PRIVATE
    | HOSTS
    | RIDE
    | RSVP
    | {"rider.token", "rider2.token", "team.token", "host.token", "host_other.token"}
    | {"meal.notes"}
)
JOURNEY_B = _people("riderb") | {
    "riderb.token",
    "riderb.username",
    "lodgingb.address",
    "lodgingb.name",
    "journeyb.name",
}

# Who may see which marker (the table in the docstring).
SEES: dict[str, set[str]] = {
    "coordinator": JOURNEY_A,
    "coordinator_b": JOURNEY_B,
    "rider": _people("rider") | {"rider.token", "lodging.address"} | TRAVEL,
    "rider_b": JOURNEY_B,
    "host": {k for k in HOSTS if k.startswith("host.")}
    | {"lodging.address", "stop.address", "activity.private_title"}
    | {"meal.notes", "contact.phone"},  # the day sheet: meals with notes, local contacts
    "host_other": {k for k in HOSTS if k.startswith("host_other.")} | {"lodging2.address"},
    "outsider": set(),
    "anonymous": set(),
    "superuser": JOURNEY_A | JOURNEY_B,
    "own_link": {"rider.token", "lodging.address"} | TRAVEL,
    "other_link": {"rider2.token", "lodging2.address"} | TRAVEL,
    "revoked_link": set(),
    # the feed holds no local contacts; meals' notes are the team's
    "team_link": (PLAN_PRIVATE - {"contact.phone"}) | {"meal.notes"},
    "personal_link": set(),
    "old_team_link": set(),
    # A host's page and day sheet by link: their stop, its meals and local contacts, counts.
    "host_link": {
        "host.token",
        "lodging.address",
        "stop.address",
        "activity.private_title",
        "meal.notes",
        "contact.phone",
        "rsvp.name",  # who said they come to the public rally at their stop
    },
    "other_host_link": {"host_other.token", "lodging2.address"},
    "old_host_link": set(),
}

# Where each role is shown what it may see: together these pages hold every marker of SEES.
SHOWN: dict[str, list[str]] = {
    "coordinator": [
        "journey:team_backup",
        "web:plan_participant",
        "web:plan_export_csv[rooming]",
        "journey:team_rooming",
        "web:plan_rides",
        "web:plan_rsvps",
        "web:plan_host[approved]",
        "web:plan_stop_meals",
    ],
    "coordinator_b": ["journey:team_backup[b]", "admin:participants_bedassignment_changelist"],
    "rider": ["api:participant-detail", "api:export-detail[pdf-personal]", "web:me"],
    "rider_b": ["api:participant-detail[b]", "api:me-itinerary", "api:me", "web:me"],
    "host": ["journey:host_day_sheet", "api:stop-host-sheet", "api:host-detail"],
    "host_other": ["api:host-list", "api:lodging-list"],
    "superuser": [
        "journey:team_backup",
        "journey:team_backup[b]",
        "admin:participants_bedassignment_changelist",
        "admin:auth_user_changelist",
        "web:plan_rides",
        "web:plan_rsvps",
    ],
    "own_link": ["web:my_itinerary", "journey:personal_feed", "journey:personal_pdf"],
    "other_link": ["web:my_itinerary", "journey:personal_feed", "journey:personal_pdf"],
    "team_link": ["journey:team_feed_by_token"],
    "host_link": ["web:host_page", "journey:host_link_day_sheet"],
    "other_host_link": ["web:host_page", "journey:host_link_day_sheet"],
}

# Markers a role sees where it must not: the known leaks (the lead fixes them), with what
# leaks, so that nothing more can leak behind their xfail.
_JOURNEY_FILTER = "the journey filter lists every journey's name, journey B's (unpublished) too"
_JOURNEY_B_NAME = {"coordinator": {"journeyb.name"}}
_USERNAMES = {"coordinator": {"riderb.username"}}
# Known leaks: (reason, role -> markers it wrongly sees), marked xfail(strict) until fixed.
# The admin's (hole 3 of the access-model issue) were fixed by journey.admin_scope.
LEAKS: dict[str, tuple[str, dict[str, set[str]]]] = {}

# --- The world, built once for the module -----------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once and rolled back after the module; each test runs in a savepoint inside."""
    _ANSWERS.clear()
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# --- Asking ---------------------------------------------------------------------------------


LINK_URLS = (
    "web:my_itinerary",
    "web:claim_itinerary",
    "web:rider_manifest",
    "web:rider_worker",
    "journey:personal_feed",
    "journey:personal_pdf",
    "journey:route_gpx",
    "journey:route_kml",
)
HOST_LINK_URLS = ("web:host_page", "journey:host_link_day_sheet")


def client_for(world, role: str) -> Client:
    client = Client()
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
    return client


def roles_of(key: str) -> tuple[str, ...]:
    name = key.partition("[")[0]
    if name == "journey:team_feed_by_token":
        return TEAM_LINK_ROLES
    if name in LINK_URLS:
        return LINK_ROLES
    if name in HOST_LINK_URLS:
        return HOST_LINK_ROLES
    return ROLES


def text_of(response) -> str:
    """The response's text and the address it redirects to, lowercased, without any
    whitespace (PDF lines, ICS folds)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    elif "spreadsheetml" in content_type:
        book = load_workbook(BytesIO(content), read_only=True)
        text = " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    else:
        text = content.decode()
    text += " " + response.get("Location", "")
    return "".join(text.split()).lower()


def seen_markers(world, response) -> frozenset[str]:
    """The markers an answer holds (its body, whatever its status: a 400 or 404 page too)."""
    text = text_of(response)
    return frozenset(key for key, marker in world.markers.items() if marker.lower() in text)


_ANSWERS: dict[tuple[str, str], dict[str, tuple[int, frozenset[str]]]] = {}


def answers(world, key: str, method: str) -> dict[str, tuple[int, frozenset[str]]]:
    """role -> (status, markers seen), asked once per module (the status test asks first,
    the marker tests read the same answers). Coordinators and the superuser ask last, so an
    empty POST that changes something (notify) does it after the others have asked."""
    if (key, method) not in _ANSWERS:
        roles = roles_of(key)
        strongest = ("coordinator", "superuser")
        order = [r for r in roles if r not in strongest] + [r for r in strongest if r in roles]
        found = {}
        for role in order:
            client, url = client_for(world, role), url_for(world, key, role)
            response = client.post(url, {}) if method == "POST" else client.get(url)
            found[role] = (response.status_code, seen_markers(world, response))
        _ANSWERS[(key, method)] = {role: found[role] for role in roles}
    return _ANSWERS[(key, method)]


# --- The tables cover everything --------------------------------------------------------------


def test_every_url_has_a_row():
    served = {
        name
        for name in served_urls()
        if not (name.startswith("path:admin/") and name.endswith(ADMIN_REDIRECT_SUFFIX))
    }
    with_rows = {key.partition("[")[0] for key in TABLE}

    assert served - set(NOT_JOURNEY_DATA) == with_rows


def test_every_model_admin_has_its_pages_in_the_table():
    pages = ("changelist", "add", "change", "delete", "history")
    expected = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
        for model in admin.site._registry
        for page in pages
    }

    assert expected - set(TABLE) == set()


def test_every_export_is_asked_through_the_api():
    from api.views.exports import exporter_classes

    assert {key for key in TABLE if key.startswith("api:export-detail[")} == {
        f"api:export-detail[{identifier}]" for identifier in exporter_classes()
    }


def test_markers_are_distinct():
    """No marker holds another, so finding one in a text means that value is there."""
    values = [value.lower() for value in MARKERS.values() if value]
    assert [v for v in values if any(v != w and v in w for w in values)] == []


def test_every_role_sees_only_markers_of_the_world():
    assert {role: SEES[role] - set(MARKERS) for role in SEES} == {role: set() for role in SEES}


# --- Statuses ---------------------------------------------------------------------------------

CASES = [(key, method) for key, methods in TABLE.items() for method in methods]


@pytest.mark.parametrize(("key", "method"), CASES, ids=[f"{k}-{m}" for k, m in CASES])
def test_status(world, db, key, method):
    expected = dict(zip(roles_of(key), (int(s) for s in TABLE[key][method].split()), strict=True))

    actual = {role: status for role, (status, _seen) in answers(world, key, method).items()}

    assert actual == expected


# --- No marker where it must not be -----------------------------------------------------------


def leaks_in(world, key: str, method: str) -> dict[str, set[str]]:
    """role -> the markers it was shown and may not see."""
    return {
        role: set(seen - SEES[role])
        for role, (_status, seen) in answers(world, key, method).items()
        if seen - SEES[role]
    }


def _leak_case(key: str, method: str):
    reason = LEAKS[key][0] if key in LEAKS else None
    marks = [pytest.mark.xfail(strict=True, reason=f"LEAK: {reason}")] if reason else []
    return pytest.param(key, method, marks=marks, id=f"{key}-{method}")


@pytest.mark.parametrize(("key", "method"), [_leak_case(k, m) for k, m in CASES])
def test_no_marker_where_it_must_not_be(world, db, key, method):
    assert leaks_in(world, key, method) == {}


def test_the_known_leaks_are_all_that_leaks(world, db):
    """Behind each xfail above, exactly the leak it names and nothing more."""
    known = {(key, method): LEAKS[key][1] for key, method in CASES if key in LEAKS}

    found = {(k, m): leaks_in(world, k, m) for k, m in CASES if leaks_in(world, k, m)}

    assert found == known


# --- Every marker where it belongs ------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in SHOWN])
def test_each_marker_is_shown_to_who_may_see_it(world, db, role):
    statuses, seen = {}, set()
    for key in SHOWN[role]:
        status, markers = answers(world, key, "GET")[role]
        statuses[key] = status
        seen |= markers

    assert statuses == dict.fromkeys(SHOWN[role], 200)
    assert sorted(SEES[role] - seen) == []


def test_every_role_that_may_see_something_has_pages_that_show_it():
    assert {role for role, markers in SEES.items() if markers} == set(SHOWN)
