"""A stop's field lists, written once.

The admin's form (``journey.forms.StopAdminForm``), the coordinators' stop page
(``web.coordinator.forms.StopEditForm``) and the API (``api.serializers.StopSerializer``)
take them from here; the admin lays the same fields out in sections
(``stops.admin.StopAdmin.fieldsets``, checked by a test).
"""

#: Where the stop is. Its time zone and border flag are computed from these.
STOP_PLACE_FIELDS = ("city", "state", "country", "latitude", "longitude")

#: Computed from the coordinates when the stop is saved: shown, never typed.
STOP_COMPUTED_FIELDS = ("timezone", "in_border_zone")

#: Typed in the stop's own local time (forms and API convert them from and to UTC).
STOP_LOCAL_TIME_FIELDS = ("arrival", "departure", "earliest_arrival", "latest_arrival")

#: A stop's own data in the order it is shown (the API's): what a coordinator types, with the
#: computed fields next to what they come from.
STOP_SHOWN_FIELDS = (
    "city",
    "state",
    "country",
    "venue",
    "address",
    "latitude",
    "longitude",
    "timezone",
    *STOP_LOCAL_TIME_FIELDS,
    "in_border_zone",
    "kind",
    "status",
    "is_public",
    "public_notes",
    "private_notes",
)

#: What a coordinator sets on a stop (the admin's form; the API's writable fields).
STOP_FIELDS = tuple(name for name in STOP_SHOWN_FIELDS if name not in STOP_COMPUTED_FIELDS)

#: What the coordinators' stop page edits: all but the place. The page reads its times in the
#: stop's current zone, so the place (and with it the zone) is changed in the admin only.
STOP_DETAIL_FIELDS = tuple(name for name in STOP_FIELDS if name not in STOP_PLACE_FIELDS)
