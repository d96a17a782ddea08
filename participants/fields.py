"""A participant's field lists, written once.

The coordinators' form (``web.coordinator.forms.ParticipantForm``), the API
(``api.serializers.ParticipantSerializer``) and the access model (``journey.access``, which
sorts these fields by who may read them) take them from here; the admin lays the same fields
out in sections (``participants.admin.ParticipantAdmin.fieldsets``, checked by a test).
"""

#: What a coordinator sets on a participant, in the order forms and the API show it. The
#: login (``user``) is not among them: the person links it themself by claiming their own
#: secret link (``participants.services.claim_participant``); the journey is the page's.
PARTICIPANT_FIELDS = (
    "display_name",
    "full_name",
    "role",
    "language",
    "phone",
    "email",
    "emergency_contact_name",
    "emergency_contact_phone",
    "dietary_needs",
    "accessibility_needs",
    "medical_notes",
    "route",
    "join_stop",
    "leave_stop",
    "notes",
)
