"""A participant's editable fields are listed once (participants.fields): the form, the API and
the access model take that list, and the admin's sections lay out exactly those fields."""

from django.contrib import admin

from api.serializers.people import ParticipantSerializer
from journey.access import CONTACT_FIELDS, DISPLAY_FIELDS, MEDICAL_FIELDS, TEAM_FIELDS
from participants.fields import PARTICIPANT_FIELDS
from participants.models import Participant
from web.coordinator.forms import ParticipantForm


def test_every_listed_field_is_an_editable_field_of_the_model():
    fields = [Participant._meta.get_field(name) for name in PARTICIPANT_FIELDS]

    assert [f.name for f in fields if not f.editable] == []


def test_the_coordinators_form_and_the_api_show_the_fields_in_the_listed_order():
    assert tuple(ParticipantForm.base_fields) == PARTICIPANT_FIELDS
    assert tuple(ParticipantSerializer().fields) == ("id", "user", *PARTICIPANT_FIELDS)


def test_the_admin_form_holds_the_listed_fields_and_the_journey(rf, admin_user):
    request = rf.get("/admin/participants/participant/add/")
    request.user = admin_user

    form = admin.site._registry[Participant].get_form(request, obj=None)

    assert sorted(form.base_fields) == sorted(["journey", *PARTICIPANT_FIELDS])


def test_the_access_model_sorts_every_field_into_exactly_one_group():
    groups = (DISPLAY_FIELDS, MEDICAL_FIELDS, CONTACT_FIELDS, TEAM_FIELDS)

    assert sorted(name for group in groups for name in group) == sorted(PARTICIPANT_FIELDS)
